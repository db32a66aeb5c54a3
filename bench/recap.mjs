// "Recap": how long each model takes to train from its button, and the frame intervals
// and long tasks while it trains (all on the page, in slices of the app's one frame loop).
// Headless Chromium, 1280×900, the chapter's defaults:
//   perceptron  "Train 100 steps"   (full-batch gradient descent, 60 points)
//   MLP         "Train 500 steps"   (2 → 4 → 2, 200 XOR points)
//   CBOW        "Train 10 epochs"   (the built-in corpus, N = 10, batches of 64)
//   skip-gram   "Train 10 epochs"   (the same, skip-gram)
//   CNN + RNN   "Train 20 epochs"   (Kim's CNN, batches of 16, and the many-to-one RNN
//                                    beside it: 200 CNN steps and 3200 RNN iterations)
// Baseline, in the same page: the frames of 2 s with nothing training (the idle loop).
// A benchmark, not a test: it prints figures and never fails on speed.
//
//   node bench/recap.mjs [--runs 1] [--no-build]
//
// Time = from the click to every step asked for having run and been drawn
// (rnnLab.recap.settled()). Frames from a requestAnimationFrame wrapper installed before
// the app loads: interval = time between frames; script = time in the frame's callbacks
// (the training slice plus drawing); train = time in the models' training slices
// (Model.tick), so that script − train is the drawing. Long tasks (> 50 ms) from a
// PerformanceObserver.
// Writes test-output/bench/recap.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { startServer, launch } from '../tests/e2e/harness.mjs';
import { ROOT, opt, buildUnlessAsked, instrumentFrames, stats } from './common.mjs';

const RUNS = Number.parseInt(opt('runs', '1'), 10);
buildUnlessAsked();

const MODELS = [
  { name: 'perceptron', part: 'perceptron', button: '#recap-perceptron-train100', done: () => window.rnnLab.recap.perceptron.status().iteration >= 100 },
  { name: 'MLP', part: 'mlp', button: '#recap-mlp-train500' },
  { name: 'CBOW', part: 'word2vec', button: '#recap-w2v-train10' },
  { name: 'skip-gram', part: 'word2vec', button: '#recap-w2v-train10', before: { rwa: 'skip-gram', rwit: 0 } },
  { name: 'CNN + RNN', part: 'cnn', button: '#recap-cnn-train20' },
];

/** Times every training slice of the page's models (the frame loop's, rnnLab.debug.recordSlices). */
async function timeSlices(page) {
  await page.evaluate(() => window.rnnLab.debug.recordSlices());
}

/** Frames, training slices and long tasks from `t` on, in page time. */
async function measure(page, t) {
  const { frames, long, slices } = await page.evaluate((t0) => ({
    frames: window.__frames.since(t0), long: window.__frames.longSince(t0), slices: window.rnnLab.debug.slices(t0),
  }), t);
  const intervals = frames.slice(1).map((f, i) => f.ts - frames[i].ts);
  return {
    interval_ms: stats(intervals), script_ms: stats(frames.map((f) => f.script)), train_ms: stats(slices.map((x) => x.ms)),
    long_tasks: long.length, longest_task_ms: long.length ? Math.max(...long.map((l) => l.ms)) : 0,
  };
}

const server = await startServer();
const browser = await launch();
const results = [];
const f = (x) => x.toFixed(1);
try {
  for (let run = 0; run < RUNS; run++) {
    const load = os.loadavg()[0];
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(instrumentFrames);
    await page.goto(`${server.url}#chapter=recap`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.dataset.ready === '1', null, { polling: 50, timeout: 60000 });
    await page.evaluate(() => window.rnnLab.recap.settled());
    await timeSlices(page);
    const t0 = await page.evaluate(() => performance.now());
    await page.waitForTimeout(2000);
    const idle = await measure(page, t0);
    const r = { baseline_idle: idle, models: {}, load_average_at_start: load };
    console.log(`recap run ${run + 1}: idle baseline: frame interval median ${f(idle.interval_ms.median)} ms, p95 ${f(idle.interval_ms.p95)} ms over ${idle.interval_ms.n} frames`);
    for (const m of MODELS) {
      if (m.before) {
        await page.evaluate((s) => window.rnnLab.set(s), m.before);
        await page.evaluate(() => window.rnnLab.recap.settled());
      }
      await page.locator(`#recap-${m.part}`).scrollIntoViewIfNeeded();
      await page.evaluate(() => window.rnnLab.frame());
      const start = await page.evaluate(() => performance.now());
      const w0 = Date.now();
      await page.click(m.button);
      if (m.done) await page.waitForFunction(m.done, null, { polling: 'raf', timeout: 120000 });
      await page.evaluate(() => window.rnnLab.recap.settled());
      const seconds = (Date.now() - w0) / 1000;
      const x = { seconds, ...(await measure(page, start)) };
      r.models[m.name] = x;
      console.log(`  ${m.name.padEnd(11)} ${f(seconds)} s · frame interval median ${f(x.interval_ms.median)} ms, p95 ${f(x.interval_ms.p95)} ms (target ≤ 17; ${f(x.interval_ms.p95 / idle.interval_ms.p95)}× idle), max ${f(x.interval_ms.max)} ms · script p95 ${f(x.script_ms.p95)} ms, of which training slices p95 ${f(x.train_ms.p95)} ms · ${x.long_tasks} long tasks${x.long_tasks ? ` (longest ${f(x.longest_task_ms)} ms)` : ''} · ${x.interval_ms.n} frames`);
    }
    r.load_average_at_end = os.loadavg()[0];
    console.log(`  load average ${f(load)} → ${f(r.load_average_at_end)} on ${os.cpus().length} cores`);
    results.push(r);
    await context.close();
  }
  mkdirSync(join(ROOT, 'test-output', 'bench'), { recursive: true });
  writeFileSync(join(ROOT, 'test-output', 'bench', 'recap.json'), `${JSON.stringify({ chromium: browser.version(), results }, null, 2)}\n`);
} finally {
  await browser.close();
  await server.close();
}
