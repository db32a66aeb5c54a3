// What the browser benchmarks share: the command line (--name value, --no-build), the
// build before a run, the frame instrumentation installed before the app loads, and the
// statistics printed. (bench/recap.mjs uses it; older benchmarks carry their own copies.)
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);

/** The value after `--name` on the command line, or `def`. */
export function opt(name, def) {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
}

/** Builds the app (scripts/build) unless the command line says --no-build. */
export function buildUnlessAsked() {
  if (!argv.includes('--no-build')) execFileSync(join(ROOT, 'scripts', 'build'), { stdio: 'inherit' });
}

/**
 * For page.addInitScript (runs before any page script; self-contained): times every
 * requestAnimationFrame callback grouped by frame (`script` = ms in the frame's callbacks),
 * records long tasks (> 50 ms) and keeps a frame loop of its own going so that an idle
 * page still has frames to count. `window.__frames.since(t)`, `.longSince(t)`.
 */
export function instrumentFrames() {
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
  const longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch { /* no long-task timing in this browser */ }
  const keep = () => window.requestAnimationFrame(keep);
  keep();
  window.__frames = {
    since: (t) => [...frames.values()].filter((f) => f.ts >= t).sort((a, b) => a.ts - b.ts),
    longSince: (t) => longTasks.filter((l) => l.start >= t),
  };
}

/** The q-quantile of `xs` (nearest rank). */
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))] : NaN;
}

/** Median, p95, max and how many are over one 60 Hz frame (17 ms). */
export function stats(xs) {
  return { median: quantile(xs, 0.5), p95: quantile(xs, 0.95), max: xs.length ? Math.max(...xs) : NaN, over_17ms: xs.filter((x) => x > 17).length, n: xs.length };
}
