// Soak: Run in text mode (hidden size 100) for a long time in headless Chromium, and watch
// memory and frames. A benchmark, not a test: it prints figures and never fails on them.
//
//   node bench/soak.mjs [--minutes 30] [--hidden 100] [--seq 25] [--no-build]
//
// Once a minute (after a forced garbage collection in the page, so that the figures are
// what is live, not what is waiting for the collector):
//   page JS heap     Runtime.getHeapUsage of the page (used bytes)
//   page wasm        the byte length of every wasm memory the page instantiated
//   worker wasm      the same in the worker (where the model trains)
// Frames: a wrapper around requestAnimationFrame, installed before the app loads, records
// the interval between consecutive frames; every minute prints the longest and how many
// went over 50 ms, and the end prints the totals from minute 1 on.
// (The worker's JS heap is not measured: playwright-core opens no CDP session on a worker.
// The worker holds the model in wasm memory; its JS side is a few small objects.)
// "Flat" means: the wasm memories did not grow after minute 1, and each JS heap at the end
// is within 10% (or 2 MB) of its minute-1 figure.
// Writes test-output/bench/soak.json.
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
const MINUTES = Number.parseFloat(opt('minutes', '30'));
const HIDDEN = Number.parseInt(opt('hidden', '100'), 10);
const SEQ = Number.parseInt(opt('seq', '25'), 10);
const FRAME_LIMIT_MS = 50;
if (!(MINUTES > 0)) {
  console.error('soak: --minutes must be above 0');
  process.exit(2);
}

if (!argv.includes('--no-build')) execFileSync(join(ROOT, 'scripts', 'build'), { stdio: 'inherit' });

/** Installed before any page script: the timestamp of every frame. */
function instrument() {
  const stamps = [];
  let last = -1;
  const raw = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raw((ts) => {
    if (ts !== last) {
      stamps.push(ts);
      last = ts;
    }
    cb(ts);
  });
  window.__soakFrames = () => stamps.splice(0, stamps.length - 1);
}

/** Bytes of every wasm memory a realm instantiated (www/engine.js keeps the list). */
const wasmBytes = () => (typeof self.rnnLabEngineMemory === 'function' ? self.rnnLabEngineMemory() : NaN);
/** The same per module ({ core: bytes, … }), to say which one grew. */
const wasmByModule = () => (typeof self.rnnLabEngineMemories === 'function' ? self.rnnLabEngineMemories() : {});

const mb = (b) => `${(b / 2 ** 20).toFixed(1)} MB`;

const server = await startServer();
const browser = await launch();
try {
  const { page, errors } = await openApp(browser, {
    url: server.url, hash: `chapter=training&data=text&thidden=${HIDDEN}&tseq=${SEQ}`, viewport: { width: 1280, height: 900 },
  });
  await page.addInitScript(instrument);
  await page.reload({ waitUntil: 'load' });
  await page.waitForFunction(() => document.body.dataset.ready === '1');
  await page.waitForFunction(() => window.rnnLab.state().worker, null, { timeout: 20000 }).catch(() => {});
  const inWorker = await page.evaluate(() => window.rnnLab.state().worker);
  const worker = page.workers()[0] ?? null;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await page.$eval('#training-sec-train', (e) => e.scrollIntoView());
  const info = await page.evaluate(() => window.rnnLab.training.lab().training_info());

  async function sample(minute) {
    await cdp.send('HeapProfiler.collectGarbage');
    const pageHeap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    const pageWasm = await page.evaluate(wasmBytes);
    const pageModules = await page.evaluate(wasmByModule);
    let workerWasm = NaN;
    if (worker) {
      workerWasm = await worker.evaluate(wasmBytes).catch(() => NaN);

    }
    const stamps = await page.evaluate(() => window.__soakFrames());
    const status = await page.evaluate(() => window.rnnLab.training.status());
    return { minute, pageHeap, pageWasm, pageModules, workerWasm, stamps, iteration: status.iteration, smoothLoss: status.smooth_loss };
  }

  await page.click('#training-run');
  const t0 = Date.now();
  await page.evaluate(() => window.__soakFrames());
  const samples = [];
  let prevStamp = null;
  const minutes = Math.ceil(MINUTES);
  for (let m = 1; m <= minutes; m++) {
    const until = t0 + Math.min(m, MINUTES) * 60_000;
    await page.waitForTimeout(Math.max(0, until - Date.now()));
    const s = await sample(Math.min(m, MINUTES));
    const stamps = prevStamp === null ? s.stamps : [prevStamp, ...s.stamps];
    const intervals = stamps.slice(1).map((t, i) => t - stamps[i]);
    prevStamp = s.stamps.at(-1) ?? prevStamp;
    s.frames = intervals.length;
    s.maxFrameMs = intervals.length ? Math.max(...intervals) : NaN;
    s.over = intervals.filter((x) => x > FRAME_LIMIT_MS).length;
    delete s.stamps;
    samples.push(s);
    console.log(`soak: minute ${String(s.minute).padStart(4)}  page heap ${mb(s.pageHeap)}  page wasm ${mb(s.pageWasm)}  ` +
      `worker wasm ${mb(s.workerWasm)}  iteration ${s.iteration}  loss ${s.smoothLoss.toFixed(3)}  ` +
      `frames ${s.frames}, longest ${s.maxFrameMs.toFixed(1)} ms, ${s.over} over ${FRAME_LIMIT_MS} ms`);
    const before = samples.at(-2)?.pageModules;
    const grew = before ? Object.entries(s.pageModules).filter(([name, bytes]) => bytes > (before[name] ?? 0)) : [];
    if (grew.length) console.log(`soak:   page wasm grew in ${grew.map(([name, bytes]) => `${name} (${mb(before[name] ?? 0)} → ${mb(bytes)})`).join(', ')}`);
  }
  await page.click('#training-run');

  const first = samples[0];
  const last = samples.at(-1);
  const after = samples.slice(1);
  const grew = (a, b) => b - a;
  const heapFlat = (a, b) => grew(a, b) <= Math.max(0.1 * a, 2 * 2 ** 20);
  const flat = {
    page_heap: heapFlat(first.pageHeap, last.pageHeap),
    page_wasm: !(last.pageWasm > first.pageWasm),
    worker_wasm: !(last.workerWasm > first.workerWasm),
  };
  const framesAfter = after.reduce((a, s) => a + s.frames, 0);
  const overAfter = after.reduce((a, s) => a + s.over, 0);
  const longestAfter = after.length ? Math.max(...after.map((s) => s.maxFrameMs)) : NaN;
  const pick = (minute) => samples.find((s) => s.minute === minute) ?? null;
  const result = {
    config: { minutes: MINUTES, hidden: info.hidden, seq: info.seq, vocab: info.vocab_size, in_worker: inWorker },
    samples,
    at: { 1: pick(1), 10: pick(10), 30: pick(30), end: last },
    flat,
    frames_after_minute_1: { frames: framesAfter, over_50ms: overAfter, longest_ms: longestAfter },
    errors,
    chromium: await browser.version(),
    load_average: os.loadavg(),
    cores: os.cpus().length,
  };
  console.log(`soak: ${MINUTES} min of Run, text mode, H=${info.hidden}, seq ${info.seq}, V=${info.vocab_size}, ` +
    `${inWorker ? 'training in the worker' : 'training on the page (no worker)'}; ${last.iteration} iterations`);
  for (const s of [pick(1), pick(10), pick(30)].filter(Boolean)) {
    console.log(`  minute ${String(s.minute).padStart(2)}: page JS heap ${mb(s.pageHeap)}, page wasm ${mb(s.pageWasm)}, worker wasm ${mb(s.workerWasm)}`);
  }
  console.log(`  end (${last.minute} min): page JS heap ${mb(last.pageHeap)}, page wasm ${mb(last.pageWasm)}, worker wasm ${mb(last.workerWasm)}`);
  console.log(`  flat after minute 1: page JS heap ${flat.page_heap ? 'yes' : 'NO'}, page wasm ${flat.page_wasm ? 'yes' : 'NO'}, worker wasm ${flat.worker_wasm ? 'yes' : 'NO'}`);
  console.log(`  frames after minute 1: ${framesAfter}, longest ${longestAfter.toFixed(1)} ms, ${overAfter} over ${FRAME_LIMIT_MS} ms (goal 0)`);
  console.log(`  errors on the page: ${errors.length ? errors.join('; ') : 'none'}`);
  console.log(`  machine load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  mkdirSync(join(ROOT, 'test-output', 'bench'), { recursive: true });
  writeFileSync(join(ROOT, 'test-output', 'bench', 'soak.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await browser.close();
  await server.close();
}
