// The app's own fonts (www/fonts, @font-face in www/style.css): the page and the canvases
// use them, the canvases are first drawn once they are loaded (www/fonts.js), and a font
// that fails or is slow never holds the app. Canvas text is typeset: notation() of the
// diagram makes the same pieces as the charts' (tests/wasm_node_text.rs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, canvasHasInk } from './harness.mjs';
import { notation } from '../../www/diagram/draw.js';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Records, at the first text drawn on any canvas, the status of the app's font faces. */
const RECORD_FIRST_TEXT = () => {
  window.__fontsAtFirstText = null;
  window.__canvasTexts = 0;
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (...args) {
    window.__canvasTexts++;
    if (window.__fontsAtFirstText === null) {
      window.__fontsAtFirstText = [...document.fonts]
        .filter((f) => f.family.includes('RNN Lab'))
        .map((f) => `${f.family.replace(/"/g, '')} ${f.weight} ${f.status}`);
    }
    return fillText.apply(this, args);
  };
};

async function openRecording(hash, { route } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(RECORD_FIRST_TEXT);
  if (route) await context.route('**/fonts/*.woff2', route);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  const start = Date.now();
  await page.goto(`${server.url}#${hash}`, { waitUntil: 'commit' }); // 'load' would wait for held fonts
  await page.waitForFunction(() => ['1', 'error'].includes(document.body.dataset.ready ?? ''), null, { timeout: 20000 });
  return { page, errors, context, seconds: (Date.now() - start) / 1000 };
}

test('the page and every canvas use the app\'s fonts, loaded before the first canvas text', async () => {
  for (const hash of ['chapter=steps', 'chapter=vanishing', 'chapter=unrolled&step=3&sub=5']) {
    const { page, errors, context } = await openRecording(hash);
    await page.evaluate(() => window.rnnLab.frame());
    const r = await page.evaluate(() => ({
      first: window.__fontsAtFirstText,
      body: getComputedStyle(document.body).fontFamily,
      mono: getComputedStyle(document.documentElement).getPropertyValue('--mono'),
    }));
    assert.deepEqual(r.first, [
      'RNN Lab Sans 100 500 loaded', 'RNN Lab Sans 600 900 loaded', 'RNN Lab Mono 400 loaded',
    ], `${hash}: the faces when the first canvas text was drawn`);
    assert.match(r.body, /^"RNN Lab Sans"/);
    assert.match(r.mono.trim(), /^"RNN Lab Mono"/);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('font files that fail to load do not hold the app: it starts with the fallback fonts', async () => {
  const { page, errors, context } = await openRecording('chapter=vanishing', {
    route: (r) => r.fulfill({ status: 404, body: 'gone' }),
  });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), '1');
  await page.evaluate(() => window.rnnLab.frame());
  assert.ok(await canvasHasInk(page, '#vanishing-norms'), 'the chart is drawn');
  assert.deepEqual(errors, []);
  await context.close();
});

test('fonts that are slow: the app starts after the timeout, and the charts are drawn again when they arrive', async () => {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const { page, errors, context, seconds } = await openRecording('chapter=steps', {
    route: async (r) => {
      await held;
      await r.continue().catch(() => {});
    },
  });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), '1');
  assert.ok(seconds < 12, `ready after ${seconds} s`);
  await page.evaluate(() => window.rnnLab.frame());
  const before = await page.evaluate(() => window.__canvasTexts);
  assert.ok(before > 0, 'charts drawn with the fallback fonts');
  release();
  await page.waitForFunction(() => [...document.fonts].every((f) => f.status === 'loaded'), null, { timeout: 10000 });
  await page.waitForFunction((n) => window.__canvasTexts > n, before, { timeout: 10000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the diagram typesets the lecture\'s notation as the charts do (tests/wasm_node_text.rs)', () => {
  const pieces = (s) => notation(s).map((p) => [['base', 'sub', 'sup'][p.script], p.text]);
  assert.deepEqual(pieces('W_hh'), [['base', 'W'], ['sub', 'hh']]);
  assert.deepEqual(pieces('h_2 → h_3'), [['base', 'h'], ['sub', '2'], ['base', ' → h'], ['sub', '3']]);
  assert.deepEqual(pieces('W_hyᵀ'), [['base', 'W'], ['sub', 'hy'], ['base', 'ᵀ']]);
  assert.deepEqual(pieces('h_{t−1}'), [['base', 'h'], ['sub', 't−1']]);
  assert.deepEqual(pieces('‖∂L_T/∂h_t‖'), [['base', '‖∂L'], ['sub', 'T'], ['base', '/∂h'], ['sub', 't'], ['base', '‖']]);
  assert.deepEqual(pieces('(γλ1)^(T−k)'), [['base', '(γλ1)'], ['sup', 'T−k']]);
  assert.deepEqual(pieces('W^{n}'), [['base', 'W'], ['sup', 'n']]);
  assert.deepEqual(pieces('10^−6.0'), [['base', '10'], ['sup', '−6.0']]);
  assert.deepEqual(pieces('_ = 1'), [['base', '_ = 1']]);
  assert.deepEqual(pieces('a_'), [['base', 'a_']]);
  assert.deepEqual(pieces('x ^ y'), [['base', 'x ^ y']]);
  assert.deepEqual(pieces('h_{t'), [['base', 'h_{t']]);
  assert.deepEqual(pieces(''), []);
});
