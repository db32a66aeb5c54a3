// Benchmark of chapter "Vanishing and exploding gradients" (not a test: it prints
// figures and never fails on speed). Headless Chromium, timed with performance.now()
// in the page.
//
//   node bench/vanishing-frame.mjs [--runs 30] [--dpr 1] [--width 1280] [--height 800]
//
// For the default sizes (H = 16, T = 40) and the largest (H = 64, T = 200, d = 100,
// 200 iterations trained so the heatmap holds 200 × 201 cells), three figures:
//   analysis + 3 charts   the engine's analysis of the weights (singular values, ρ, BPTT,
//                         ‖∂h_T/∂h_k‖ for every k, saturation) and the three charts drawn
//                         from it (Lab.vanishing_draw)
//   training view + 2     the history read into the training view and the gradient-norm
//                         and heatmap charts drawn
//   slider → frame        moving the λ1 slider until the end of the next animation frame:
//                         the model rebuilt from the URL state, everything above redrawn
// Build first (scripts/build).
import { launch, openApp, startServer } from '../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 ? Number(args[k + 1]) : dflt;
};
const RUNS = opt('runs', 30);
const DPR = opt('dpr', 1);
const WIDTH = opt('width', 1280);
const HEIGHT = opt('height', 800);

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))];
  return { n: s.length, median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}
const f = (x) => x.toFixed(2).padStart(7);
const line = (name, st) => `${name.padEnd(30)} n=${String(st.n).padStart(3)}  median ${f(st.median)} ms  p95 ${f(st.p95)} ms  max ${f(st.max)} ms`;

/** Runs in the page: times the chapter's work `runs` times. */
async function measure(runs) {
  const api = window.rnnLab.vanishing;
  const canvas = (n) => document.querySelector(`#vanishing-${n}`);
  const state = window.rnnLab.state();
  const d = state.vsrc === 'task' ? state.vd : 0;
  const analysis = [];
  const training = [];
  const slider = [];
  for (let i = 0; i < runs; i++) {
    const lab = api.lab();
    let t0 = performance.now();
    lab.init.vanishing_draw({ past: canvas('past'), chain: canvas('chain'), spectrum: canvas('spectrum') }, d, 200);
    analysis.push(performance.now() - t0);
    t0 = performance.now();
    lab.trained.vanishing_draw({ norms: canvas('norms'), heat: canvas('heat') }, d, 200);
    training.push(performance.now() - t0);
  }
  // The slider: alternate between two values; each move rebuilds and redraws.
  const input = document.querySelector('#vanishing-lambda1');
  for (let i = 0; i < Math.min(runs, 15); i++) {
    await api.settled();
    const t0 = performance.now();
    input.value = i % 2 ? '0.8' : '1.2';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await window.rnnLab.frame();
    slider.push(performance.now() - t0);
  }
  await api.settled();
  return { analysis, training, slider };
}

const server = await startServer();
const browser = await launch();
try {
  console.log(`vanishing chapter, headless Chromium ${browser.version()}, ${WIDTH}×${HEIGHT} at DPR ${DPR}, ${RUNS} runs`);
  for (const [name, hash] of [
    ['default (H 16, T 40, 100 it)', 'chapter=vanishing'],
    ['largest (H 64, T 200, 200 it)', 'chapter=vanishing&vh=64&vlen=200&vd=100&vit=200'],
  ]) {
    const { page, errors } = await openApp(browser, { url: server.url, hash, viewport: { width: WIDTH, height: HEIGHT }, deviceScaleFactor: DPR });
    await page.evaluate(() => window.rnnLab.vanishing.settled());
    const r = await page.evaluate(measure, RUNS);
    console.log(`\n${name}`);
    console.log(line('  analysis + 3 charts', stats(r.analysis)));
    console.log(line('  training view + 2 charts', stats(r.training)));
    console.log(line('  λ1 slider → next frame', stats(r.slider)));
    if (errors.length) console.log('  page errors:', errors);
    await page.context().close();
  }
} finally {
  await browser.close();
  await server.close();
}
