// Frame times while the training chapter trains a text (in the training worker, or on the
// page where none starts), and the training speed against the engine alone: headless Chromium, the built-in paragraph, hidden size 100, sequences of 25,
// Run pressed. A benchmark, not a test: it prints figures and never fails on speed.
//
//   node bench/frame-training.mjs [--seconds 8] [--hidden 100] [--seq 25] [--no-build]
//
// Two figures per frame, from a wrapper around requestAnimationFrame installed before
// the app loads (every callback of one frame gets the same timestamp):
//   interval  time between consecutive frames (16.7 ms at 60 Hz when no frame is dropped)
//   script    the time spent in all animation-frame callbacks of that frame: the
//             training slice (budget 7 ms) plus drawing the page.
// Printed: median and 95th percentile of both, frames over 25 ms, and the iterations/s
// the Run loop achieved. Writes test-output/bench/frame-training.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { startServer, launch, openApp } from '../tests/e2e/harness.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
};
const SECONDS = Number.parseFloat(opt('seconds', '8'));
const HIDDEN = Number.parseInt(opt('hidden', '100'), 10);
const SEQ = Number.parseInt(opt('seq', '25'), 10);

if (!argv.includes('--no-build')) execFileSync(join(ROOT, 'scripts', 'build'), { stdio: 'inherit' });

/** Installed before any page script: times every rAF callback, grouped by frame. */
function instrument() {
  const frames = new Map();
  const raw = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raw((ts) => {
    const t0 = performance.now();
    try {
      cb(ts);
    } finally {
      const f = frames.get(ts) ?? { ts, script: 0 };
      f.script += performance.now() - t0;
      frames.set(ts, f);
    }
  });
  window.__frames = { take: () => [...frames.values()].sort((a, b) => a.ts - b.ts), clear: () => frames.clear() };
  // Main-thread tasks over 50 ms (the browser's own "long task" definition).
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask', buffered: false });
  } catch { /* no long-task timing in this browser */ }
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))] : NaN;
};

const server = await startServer();
const browser = await launch();
try {
  const { page } = await openApp(browser, {
    url: server.url, hash: `chapter=training&data=text&thidden=${HIDDEN}&tseq=${SEQ}`, viewport: { width: 1280, height: 900 },
  });
  // The wrapper must be in place before the app's first frame: install it and reload.
  await page.addInitScript(instrument);
  await page.reload({ waitUntil: 'load' });
  await page.waitForFunction(() => document.body.dataset.ready === '1');
  // Training runs in the worker once it is ready (it compiles its own copy of the engine).
  await page.waitForFunction(() => window.rnnLab.state().worker, null, { timeout: 15000 }).catch(() => {});
  const worker = await page.evaluate(() => window.rnnLab.state().worker);
  // Keep the animated parts in view: the training controls and the loss curve.
  await page.$eval('#training-sec-train', (e) => e.scrollIntoView());
  const info = await page.evaluate(() => window.rnnLab.training.lab().training_info());
  // Baseline: the same page for 3 s without training (what the machine gives anyway).
  // A steady redraw is kept going so that frames are produced.
  await page.evaluate(() => {
    window.__idle = true;
    const spin = () => { if (window.__idle) { window.rnnLab.frame(); requestAnimationFrame(spin); } };
    requestAnimationFrame(spin);
  });
  await page.waitForTimeout(500);
  await page.evaluate(() => window.__frames.clear());
  await page.waitForTimeout(3000);
  const idleFrames = await page.evaluate(() => { window.__idle = false; return window.__frames.take(); });
  const idleIntervals = idleFrames.slice(1).map((f, i) => f.ts - idleFrames[i].ts);
  await page.click('#training-run');
  await page.waitForTimeout(1000); // warm-up
  const it0 = await page.evaluate(() => window.rnnLab.training.status().iteration);
  await page.evaluate(() => { window.__frames.clear(); window.__longTasks.length = 0; });
  const t0 = Date.now();
  await page.waitForTimeout(SECONDS * 1000);
  const frames = await page.evaluate(() => window.__frames.take());
  const it1 = await page.evaluate(() => window.rnnLab.training.status().iteration);
  const elapsed = (Date.now() - t0) / 1000;
  const status = await page.evaluate(() => window.rnnLab.training.status());
  const longTasks = await page.evaluate(() => [...window.__longTasks]);
  await page.click('#training-run');
  await page.waitForTimeout(300);
  // The engine alone, single thread, in the same browser: a fresh model with the same
  // settings trained in a loop on the main thread for about as long.
  const engine = await page.evaluate((seconds) => {
    const Lab = window.rnnLab.debug.Lab;
    const lab = new Lab(window.rnnLab.training.lab().settings());
    lab.train(50);
    let n = 0;
    let k = 10;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000) {
      n += lab.train(k).iterations_run;
      k = Math.min(k * 2, 200);
    }
    const perSecond = (n * 1000) / (performance.now() - t0);
    lab.free();
    return perSecond;
  }, Math.min(SECONDS, 4));

  const intervals = frames.slice(1).map((f, i) => f.ts - frames[i].ts);
  const script = frames.map((f) => f.script);
  const result = {
    config: { hidden: info.hidden, seq: info.seq, vocab: info.vocab_size, text_chars: info.text_chars, seconds: elapsed },
    frames: frames.length,
    interval_ms: { median: quantile(intervals, 0.5), p95: quantile(intervals, 0.95), max: Math.max(...intervals) },
    script_ms: { median: quantile(script, 0.5), p95: quantile(script, 0.95), max: Math.max(...script) },
    frames_over_25ms: intervals.filter((x) => x > 25).length,
    idle_interval_ms: { median: quantile(idleIntervals, 0.5), p95: quantile(idleIntervals, 0.95), frames: idleFrames.length, over_25ms: idleIntervals.filter((x) => x > 25).length },
    iterations_per_second: (it1 - it0) / elapsed,
    engine_iterations_per_second: engine,
    run_over_engine: (it1 - it0) / elapsed / engine,
    worker,
    long_tasks: { count: longTasks.length, max_ms: longTasks.length ? Math.max(...longTasks) : 0 },
    smooth_loss: status.smooth_loss,
    chromium: await browser.version(),
    load_average: os.loadavg(),
  };
  console.log(JSON.stringify(result));
  const f = (x) => x.toFixed(1);
  console.log(`frame-training: H=${info.hidden} seq=${info.seq} V=${info.vocab_size}, ${frames.length} frames in ${elapsed.toFixed(1)} s`);
  console.log(`  frame interval  median ${f(result.interval_ms.median)} ms  p95 ${f(result.interval_ms.p95)} ms  (${result.frames_over_25ms} over 25 ms)`);
  console.log(`  script / frame  median ${f(result.script_ms.median)} ms  p95 ${f(result.script_ms.p95)} ms  (target p95 < 16 ms)`);
  console.log(`  training        ${Math.round(result.iterations_per_second)} iterations/s (${worker ? 'in the worker' : 'on the page: no worker'}), smooth loss ${result.smooth_loss.toFixed(2)}`);
  console.log(`  engine alone    ${Math.round(engine)} iterations/s on one thread in the same browser: Run = ${(100 * result.run_over_engine).toFixed(0)}% of it (goal ≥ 90%)`);
  console.log(`  long tasks      ${result.long_tasks.count} main-thread tasks over 50 ms while training (goal 0)${result.long_tasks.count ? `, longest ${f(result.long_tasks.max_ms)} ms` : ''}`);
  console.log(`  baseline (not training, page redrawn each frame): interval median ${f(result.idle_interval_ms.median)} ms  p95 ${f(result.idle_interval_ms.p95)} ms  (${result.idle_interval_ms.over_25ms} of ${result.idle_interval_ms.frames} over 25 ms)`);
  console.log(`  machine load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  mkdirSync(join(ROOT, 'test-output', 'bench'), { recursive: true });
  writeFileSync(join(ROOT, 'test-output', 'bench', 'frame-training.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await browser.close();
  await server.close();
}
