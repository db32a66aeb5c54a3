// Frame-time benchmark of chapter "The recurrence, unrolled" (not a test: it prints
// figures and never fails on speed). Headless Chromium, the longest word the app takes
// (64 characters: T = 63 steps), H = 16, Play at the fastest speed.
//
//   node bench/frame-unrolled.mjs [--seconds 8] [--dpr 1] [--width 1280] [--height 800]
//
// Two figures per run, from performance.now() in the page:
//   frame interval  time between consecutive animation frames while playing (what the
//                   eye sees; 16.7 ms is 60 frames/s when the browser paces frames)
//   frame work      time spent inside the animation-frame callbacks of one frame (the
//                   app's own cost: the player, the diagram, the panel, the charts)
// plus "redraw every frame": the diagram and panel forced to redraw on every frame.
// Build first (scripts/build). E2E_SITE=/path serves another copy of the page.
import { launch, openApp, startServer } from '../tests/e2e/harness.mjs';
import { startStaticServer } from '../scripts/server.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 ? Number(args[k + 1]) : dflt;
};
const SECONDS = opt('seconds', 8);
const DPR = opt('dpr', 1);
const WIDTH = opt('width', 1280);
const HEIGHT = opt('height', 800);
const WORD = 'the quick brown fox jumps over the lazy dog, then sleeps. zzz!?!';

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))];
  return { n: s.length, median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}

const f = (x) => x.toFixed(2).padStart(6);
function line(name, st) {
  return `${name.padEnd(34)} n=${String(st.n).padStart(4)}  median ${f(st.median)} ms  p95 ${f(st.p95)} ms  max ${f(st.max)} ms`;
}

// Wraps requestAnimationFrame so the page records, per frame, its timestamp and the
// time its callbacks took (all callbacks of one frame added up).
function instrument() {
  const raf = window.requestAnimationFrame.bind(window);
  const rec = { on: false, frames: new Map() };
  window.__frameBench = rec;
  window.requestAnimationFrame = (cb) => raf((ts) => {
    const t0 = performance.now();
    try {
      cb(ts);
    } finally {
      if (rec.on) {
        const e = rec.frames.get(ts) ?? { work: 0 };
        e.work += performance.now() - t0;
        rec.frames.set(ts, e);
      }
    }
  });
  // A probe that runs every frame, so intervals exist even when the app draws nothing.
  const tick = (ts) => {
    if (rec.on && !rec.frames.has(ts)) rec.frames.set(ts, { work: 0 });
    raf(tick);
  };
  raf(tick);
}

async function measure(page, ms, during) {
  await page.evaluate(() => { window.__frameBench.frames.clear(); window.__frameBench.on = true; });
  await during();
  await page.waitForTimeout(ms);
  return page.evaluate(() => {
    const r = window.__frameBench;
    r.on = false;
    const ts = [...r.frames.keys()].sort((a, b) => a - b);
    const intervals = ts.slice(1).map((t, i) => t - ts[i]);
    return { intervals, work: ts.map((t) => r.frames.get(t).work) };
  });
}

const server = process.env.E2E_SITE ? await startStaticServer({ root: process.env.E2E_SITE, port: 0 }) : await startServer();
const browser = await launch();
try {
  const hash = `chapter=unrolled&word=${encodeURIComponent(WORD)}&hidden=16&zoom=1`;
  const { page, errors } = await openApp(browser, { url: server.url, hash: '', viewport: { width: WIDTH, height: HEIGHT }, deviceScaleFactor: DPR });
  await page.addInitScript(instrument);
  await page.goto(`${server.url}#${hash}`);
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === '1');
  const T = await page.evaluate(() => window.rnnLab.state().steps);
  await page.$eval('#unrolled-canvas', (c) => c.scrollIntoView({ block: 'center' }));
  await page.selectOption('#unrolled-speed', '8');
  await page.evaluate(() => window.rnnLab.home());

  const play = await measure(page, SECONDS * 1000, () => page.evaluate(() => window.rnnLab.play()));
  const moved = await page.evaluate(() => { const s = window.rnnLab.state(); window.rnnLab.pause(); return `t = ${s.step}, ${s.substep_name}`; });
  const redraw = await measure(page, 3000, () => page.evaluate(() => {
    window.__redraw = true;
    const loop = () => { if (window.__redraw) window.rnnLab.frame().then(loop); };
    loop();
    setTimeout(() => { window.__redraw = false; }, 2900);
  }));
  const morph = await measure(page, 2500, () => page.evaluate(() => window.rnnLab.set({ rolled: true })));

  console.log(`frame-unrolled: "${WORD}" (T = ${T}), H = 16, ${WIDTH}×${HEIGHT} at dpr ${DPR}, headless Chromium`);
  console.log(`Play at 8 steps/s for ${SECONDS} s (reached ${moved}):`);
  console.log(line('  frame interval', stats(play.intervals)));
  console.log(line('  frame work (app callbacks)', stats(play.work.filter((w) => w > 0))));
  console.log('Redraw of diagram + panel on every frame:');
  console.log(line('  frame interval', stats(redraw.intervals)));
  console.log(line('  frame work', stats(redraw.work.filter((w) => w > 0))));
  console.log('Rolling up (animation, every frame drawn):');
  console.log(line('  frame interval', stats(morph.intervals)));
  console.log(line('  frame work', stats(morph.work.filter((w) => w > 0))));
  if (errors.length) console.log(`page errors: ${errors.join('; ')}`);
} finally {
  await browser.close();
  await server.close();
}
