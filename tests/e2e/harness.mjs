// End-to-end test harness: the project's static server, the system Chromium through
// playwright-core (never a downloaded browser), and small page probes.
//
//   import { startServer, launch, openApp, axeViolations, saveScreenshot,
//            canvasHasInk, canvasPixels } from './harness.mjs';
//
//   const server = await startServer();          // { url, close() } on 127.0.0.1, free port
//   const browser = await launch();              // headless Chromium
//   const { page, errors } = await openApp(browser, { url: server.url, hash: 'chapter=unrolled' });
//   ... assert.deepEqual(errors, []);
//   await browser.close(); await server.close();
//
// The page must set `document.body.dataset.ready = "1"` once the wasm is loaded and the
// first view is drawn; openApp waits for it. Build first (scripts/build, run by scripts/test).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { startStaticServer, PROJECT_ROOT } from '../../scripts/server.mjs';

const require = createRequire(import.meta.url);
export const ROOT = PROJECT_ROOT;
export const SCREENSHOT_DIR = join(ROOT, 'test-output', 'screenshots');
const READY_TIMEOUT_MS = 20_000;

/** Flags that work for headless Chromium here, as root, on a machine without network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Start the static server on 127.0.0.1 and a free port: `{ url, close() }`. It serves what
 * ./scripts/serve does: the bundle scripts/build wrote (dist/web) over the project root
 * (RNN_LAB_DEV=1: the source modules).
 */
export async function startServer() {
  const s = await startStaticServer({ root: ROOT, port: 0, dev: process.env.RNN_LAB_DEV === '1' });
  return { url: s.url, port: s.port, close: s.close };
}

/** The Chromium/Chrome to drive: $CHROME_PATH, then .tools/env (scripts/setup), then PATH. */
export function chromePath() {
  if (process.env.CHROME_PATH && existsSync(process.env.CHROME_PATH)) return process.env.CHROME_PATH;
  const envFile = join(ROOT, '.tools', 'env');
  if (existsSync(envFile)) {
    const m = readFileSync(envFile, 'utf8').match(/^export CHROME_PATH='([^']*)'/m);
    if (m && existsSync(m[1])) return m[1];
  }
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    try {
      const p = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (p) return p;
    } catch {
      // not on PATH: try the next name
    }
  }
  throw new Error('no Chromium found: run ./scripts/setup, or set CHROME_PATH to a Chromium/Chrome binary');
}

/** Launch headless Chromium (playwright-core Browser). Close it with `browser.close()`. */
export async function launch() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromePath(), headless: true, args: CHROMIUM_ARGS });
}

/**
 * Open the app in a fresh browser context and wait until `document.body.dataset.ready === "1"`
 * and, unless `waitForCharts` is false, the charts module is in (`data-charts="1"`).
 * Returns `{ page, errors }`; `errors` keeps collecting console errors and page errors
 * (uncaught exceptions, unhandled rejections) for the life of the page.
 */
export async function openApp(browser, { url, hash = '', viewport = { width: 1280, height: 800 }, deviceScaleFactor = 1, prepare = null, waitForCharts = true } = {}) {
  if (!url) throw new Error('openApp: pass { url } (from startServer())');
  const context = await browser.newContext({ viewport, deviceScaleFactor });
  // A test's own set-up of the context before the page loads (init scripts, routes).
  if (prepare) await prepare(context);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      errors.push(`console.error: ${msg.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  const h = String(hash).replace(/^#/, '');
  const target = new URL(url);
  if (h) target.hash = h;
  const response = await page.goto(target.href, { waitUntil: 'load' });
  if (response && !response.ok()) {
    await context.close().catch(() => {});
    throw new Error(`openApp: GET ${target.href} answered ${response.status()} (is there an index.html at the project root?)`);
  }
  try {
    await page.waitForFunction(
      () => document.body && ['1', 'error', 'failed'].includes(document.body.dataset.ready ?? ''),
      null,
      { timeout: READY_TIMEOUT_MS, polling: 50 },
    );
  } catch {
    // fall through to the diagnosis below
  }
  const state = await page.evaluate(() => {
    const alertEl = document.querySelector('[data-load-error], #load-error, .load-error, [role="alert"]');
    return {
      ready: document.body ? document.body.dataset.ready ?? '' : '(no body)',
      alert: alertEl ? alertEl.textContent.trim().slice(0, 400) : '',
      text: document.body ? document.body.innerText.trim().replace(/\s+/g, ' ').slice(0, 400) : '',
    };
  });
  if (state.ready !== '1') {
    await context.close().catch(() => {});
    const why = state.ready === '' ? `not ready after ${READY_TIMEOUT_MS / 1000} s` : `data-ready="${state.ready}"`;
    throw new Error(
      `openApp: the page did not load (${why}) at ${target.href}\n` +
        `  page says: ${state.alert || state.text || '(nothing)'}\n` +
        `  errors: ${errors.length ? errors.join('\n          ') : '(none)'}\n` +
        '  (is the app built? ./scripts/build writes www/pkg)',
    );
  }
  // The charts module (plotters: every chapter's charts but the default chapter's two,
  // which are drawn in JS) arrives when a chart needs it or once the page is idle
  // (www/engine.js): tests look at canvases, in whatever chapter they go to, so they start
  // once it is in and its charts drawn.
  if (!waitForCharts) return { page, errors };
  await page.waitForFunction(() => document.body.dataset.charts === '1', null, { timeout: READY_TIMEOUT_MS, polling: 50 })
    .catch(() => {
      throw new Error(`openApp: the charts module did not load at ${target.href}\n  errors: ${errors.join('\n          ') || '(none)'}`);
    });
  return { page, errors };
}

/**
 * axe-core WCAG 2.0/2.1 A and AA violations on the page (or inside `include`, a CSS
 * selector or a list of them). Returns axe's violation objects (id, impact, help, nodes).
 */
export async function axeViolations(page, { include } = {}) {
  const hasAxe = await page.evaluate(() => typeof window.axe === 'object');
  // Evaluated, not added as a <script>: the page's Content-Security-Policy refuses inline
  // scripts (as it should), while the test's own evaluation is not the page's script.
  if (!hasAxe) await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const context = include ? { include: Array.isArray(include) ? include : [include] } : null;
  return page.evaluate(async (ctx) => {
    const results = await window.axe.run(ctx ?? document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
    }));
  }, context);
}

/** One line per violation, for assertion messages: `assert.deepEqual(v, [], formatViolations(v))`. */
export function formatViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`)
    .join('\n');
}

/** Save a PNG of the viewport (or the full page) to test-output/screenshots/NAME.png. */
export async function saveScreenshot(page, name, { fullPage = false } = {}) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const safe = String(name).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/\.png$/i, '');
  const path = join(SCREENSHOT_DIR, `${safe}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

// Runs in the page (one self-contained function, so no eval is needed under a strict CSP):
// reads the canvas's RGBA pixels, whatever context drew it, and answers for `mode`.
function probeCanvas({ selector, mode }) {
  const canvas = document.querySelector(selector);
  if (!canvas) throw new Error(`no element matches ${selector}`);
  if (!(canvas instanceof HTMLCanvasElement)) throw new Error(`${selector} is not a <canvas>`);
  const { width, height } = canvas;
  let data = new Uint8ClampedArray(0);
  if (width > 0 && height > 0) {
    let ctx = canvas.getContext('2d');
    if (!ctx) {
      // A WebGL canvas: copy it onto a 2D one.
      const copy = document.createElement('canvas');
      copy.width = width;
      copy.height = height;
      ctx = copy.getContext('2d');
      ctx.drawImage(canvas, 0, 0);
    }
    data = ctx.getImageData(0, 0, width, height).data;
  }
  if (mode === 'ink') {
    if (data.length === 0) return false;
    const [r, g, b, a] = [data[0], data[1], data[2], data[3]];
    for (let i = 4; i < data.length; i += 4) {
      if (data[i] !== r || data[i + 1] !== g || data[i + 2] !== b || data[i + 3] !== a) return true;
    }
    return false;
  }
  // Two independent 32-bit multiplicative hashes over the bytes (64 bits in all).
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ data.length;
  for (let i = 0; i < data.length; i++) {
    h1 = Math.imul(h1 ^ data[i], 0x01000193);
    h2 = Math.imul(h2 ^ data[i], 0x5bd1e995) ^ (h2 >>> 15);
  }
  const hex = (x) => (x >>> 0).toString(16).padStart(8, '0');
  return `${width}x${height}:${hex(h1)}${hex(h2)}`;
}

/** True when the canvas has a pixel that differs from its top-left corner (its background). */
export async function canvasHasInk(page, selector) {
  return page.evaluate(probeCanvas, { selector, mode: 'ink' });
}

/** `WIDTHxHEIGHT:hash` of the canvas's pixels: equal strings mean identical pixels. */
export async function canvasPixels(page, selector) {
  return page.evaluate(probeCanvas, { selector, mode: 'hash' });
}
