// "Why recurrence?": how long after opening the chapter the autocomplete is ready and the
// four next-word models are trained, and the frame intervals while they train. Headless
// Chromium, 1280×900, the defaults (3000 autocomplete steps, 800 steps per next-word model,
// 300 "hello" iterations). Two ways to train, alternated run by run so that both see the
// same machine: `worker` (the app as it is: the training worker trains, the page imports
// its states and draws) and `page` (worker.js refused, as on a file:// page: everything
// trains in 7 ms slices of the frame loop). A benchmark, not a test: it prints figures, and
// the ratio page / worker, and never fails on speed.
//
//   node bench/why.mjs [--runs 1] [--modes worker,page] [--no-build]
//
// Times are from the navigation to the moment the page reports each model ready (polled
// every 50 ms); frames from a requestAnimationFrame wrapper installed before the app loads
// (interval = time between frames; script = time in all animation-frame callbacks of a
// frame: the training slice plus drawing). Writes test-output/bench/why.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { startServer, launch } from '../tests/e2e/harness.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
};
const RUNS = Number.parseInt(opt('runs', '1'), 10);
const MODES = opt('modes', 'worker,page').split(',');
if (!argv.includes('--no-build')) execFileSync(join(ROOT, 'scripts', 'build'), { stdio: 'inherit' });

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
  window.__frames = { take: () => [...frames.values()].sort((a, b) => a.ts - b.ts) };
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))] : NaN;
};
const stats = (xs) => ({ median: quantile(xs, 0.5), p95: quantile(xs, 0.95), max: Math.max(...xs), over_25ms: xs.filter((x) => x > 25).length, n: xs.length });

const server = await startServer();
const browser = await launch();
const results = [];
try {
  for (let run = 0; run < RUNS; run++) for (const mode of MODES) {
    const load = os.loadavg()[0];
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    if (mode === 'page') await context.route('**/worker.js', (route) => route.abort());
    const page = await context.newPage();
    await page.addInitScript(instrument);
    const t0 = Date.now();
    await page.goto(`${server.url}#chapter=why`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.dataset.ready === '1', null, { polling: 50, timeout: 30000 });
    const pageReady = (Date.now() - t0) / 1000;
    await page.waitForFunction(() => window.rnnLab.why.ready().autocomplete, null, { polling: 50, timeout: 300000 });
    const autoReady = (Date.now() - t0) / 1000;
    const autoFrameEnd = await page.evaluate(() => performance.now());
    await page.waitForFunction(() => window.rnnLab.why.ready().words, null, { polling: 50, timeout: 600000 });
    const wordsReady = (Date.now() - t0) / 1000;
    const frames = await page.evaluate(() => window.__frames.take());
    // Frames while something trained: from the first frame to the words being ready.
    const intervals = frames.slice(1).map((f, i) => f.ts - frames[i].ts);
    const autoIntervals = frames.slice(1).filter((f) => f.ts <= autoFrameEnd).map((f, i) => f.ts - frames[i].ts);
    const worker = await page.evaluate(() => window.rnnLab.state().worker);
    if (worker !== (mode === 'worker')) throw new Error(`mode ${mode}, but the page says worker = ${worker}`);
    const r = {
      mode,
      run: run + 1,
      page_ready_s: pageReady,
      autocomplete_ready_s: autoReady,
      all_four_trained_s: wordsReady,
      interval_ms: stats(intervals),
      interval_while_autocomplete_ms: stats(autoIntervals),
      script_ms: stats(frames.map((f) => f.script)),
      load_average_at_start: load,
      load_average_at_end: os.loadavg()[0],
    };
    results.push(r);
    const f = (x) => x.toFixed(1);
    console.log(`why run ${run + 1}, ${mode}: page ready ${f(pageReady)} s, autocomplete ready ${f(autoReady)} s (target < 10), four models trained ${f(wordsReady)} s (target < 15)`);
    console.log(`  frame interval median ${f(r.interval_ms.median)} ms, p95 ${f(r.interval_ms.p95)} ms (target ≤ 17), ${r.interval_ms.over_25ms} of ${r.interval_ms.n} over 25 ms`);
    console.log(`  while the autocomplete learns: median ${f(r.interval_while_autocomplete_ms.median)} ms, p95 ${f(r.interval_while_autocomplete_ms.p95)} ms`);
    console.log(`  script per frame median ${f(r.script_ms.median)} ms, p95 ${f(r.script_ms.p95)} ms`);
    console.log(`  load average ${f(load)} → ${f(os.loadavg()[0])} on ${os.cpus().length} cores`);
    await context.close();
  }
  if (MODES.includes('worker') && MODES.includes('page')) {
    const median = (mode, key) => quantile(results.filter((r) => r.mode === mode).map(key), 0.5);
    for (const [name, key] of [['autocomplete ready', (r) => r.autocomplete_ready_s], ['four models trained', (r) => r.all_four_trained_s], ['frame interval p95', (r) => r.interval_ms.p95]]) {
      const [w, p] = [median('worker', key), median('page', key)];
      console.log(`median ${name}: worker ${w.toFixed(1)}, page ${p.toFixed(1)} (page / worker ${(p / w).toFixed(2)})`);
    }
  }
  mkdirSync(join(ROOT, 'test-output', 'bench'), { recursive: true });
  writeFileSync(join(ROOT, 'test-output', 'bench', 'why.json'), `${JSON.stringify({ chromium: browser.version(), results }, null, 2)}\n`);
} finally {
  await browser.close();
  await server.close();
}
