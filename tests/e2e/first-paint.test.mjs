// First paint on a phone (docs/benchmarks.md, "First paint"): the chapter's opening text,
// the nav and the settings bar are on the page before the engine (the wasm) has arrived;
// nothing moves when the engine does (no layout shift); index.html preloads every module
// that main.js imports statically; the wasm is downloaded once (the worker gets the page's
// compiled module), and the charts module (plotters) only after the page is ready: the
// default chapter draws its charts in JS. Needs a built app (scripts/build).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, launch, ROOT } from './harness.mjs';

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

test("index.html links every stylesheet and preloads every static import of www/main.js (scripts/preloads.mjs)", () => {
  execFileSync('node', [join(ROOT, 'scripts', 'preloads.mjs'), '--check'], { stdio: 'inherit' });
});

/** Opens the app on a phone-sized page, the wasm held back until `release()`; records layout shifts. */
async function openHeld(hash) {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__shifts.push({ value: e.value, nodes: e.sources.map((s) => s.node?.id || s.node?.className || s.node?.nodeName) });
    }).observe({ type: 'layout-shift', buffered: true });
  });
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  let wasmAsked = false;
  await page.route('**/core_bg.wasm', async (route) => {
    wasmAsked = true;
    await held;
    await route.continue();
  });
  await page.goto(`${server.url}${hash}`);
  return { page, context, errors, release, asked: () => wasmAsked };
}

for (const [chapter, title] of [['steps', 'Time steps'], ['unrolled', 'The recurrence, unrolled'],
  ['training', 'Training: backpropagation'], ['vanishing', 'Vanishing and exploding gradients']]) {
  test(`${chapter}: the chapter's text paints before the engine arrives, and nothing moves when it does`, async () => {
    const { page, context, errors, release, asked } = await openHeld(chapter === 'steps' ? '' : `#chapter=${chapter}`);
    try {
      await page.waitForFunction(() => document.querySelector('main section.chapter .lead')?.offsetHeight > 0, null, { timeout: 20_000 });
      const early = await page.evaluate(() => ({
        ready: document.body.dataset.ready ?? '',
        h2: document.querySelector('main section.chapter:not([hidden]) h2')?.textContent,
        nav: document.querySelectorAll('#chapter-nav a').length,
        loading: !!document.getElementById('loading'),
      }));
      assert.equal(early.ready, '', 'the engine is not there yet');
      assert.ok(early.h2?.startsWith(title), `the chapter's heading is shown: ${early.h2}`);
      assert.ok(early.nav >= 4, 'the nav is built');
      assert.ok(early.loading, 'the loading line is still shown');
      await page.waitForTimeout(1_200); // the engine's download waits for the text's paint (1 s at most)
      assert.ok(asked(), 'the wasm was asked for once the text had painted');
      release();
      await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 30_000 });
      await page.waitForTimeout(300);
      const shifts = await page.evaluate(() => window.__shifts);
      const total = shifts.reduce((a, s) => a + s.value, 0);
      assert.ok(total < 0.01, `layout shift ${total.toFixed(3)}: ${JSON.stringify(shifts)}`);
      assert.equal(await page.$('#loading'), null);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('each wasm module is downloaded and compiled once: the training worker gets the page\'s core module', async () => {
  const context = await browser.newContext();
  // When the page said it was ready (its chapter and charts drawn), in the page's clock.
  await context.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.body?.dataset.ready === '1') {
        window.__readyAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
  });
  const page = await context.newPage();
  const wasm = [];
  page.on('request', (r) => r.url().endsWith('.wasm') && wasm.push(r.url()));
  try {
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.ready === '1' && window.rnnLab.state().worker === true, null, { timeout: 30_000 });
    await page.evaluate(() => window.rnnLab.train(20));
    assert.equal(await page.evaluate(() => window.rnnLab.state().iteration), 20);
    // Core first; the first paint needs no other: the default chapter draws its charts in
    // JS, and the charts module (plotters) is fetched after the page is ready, once idle.
    const names = () => wasm.map((u) => u.replace(/.*\//, '').replace(/_bg\.wasm$/, ''));
    assert.equal(names()[0], 'core', `wasm requests: ${wasm.join(', ')}`);
    await page.waitForFunction(() => document.body.dataset.charts === '1', null, { timeout: 30_000 });
    const timing = await page.evaluate(() => ({
      readyAt: window.__readyAt,
      charts: performance.getEntriesByType('resource').filter((e) => /\/pkg\/charts(_bg\.wasm|\.js)$/.test(e.name)).map((e) => e.startTime),
    }));
    assert.ok(timing.readyAt > 0, 'the moment the page was ready was recorded');
    assert.ok(timing.charts.length > 0 && timing.charts.every((t) => t > timing.readyAt), `the charts module was asked for after the page was ready: ${JSON.stringify(timing)}`);
    // Once idle the page fetches every other module: each once (the worker gets the
    // page's compiled modules, it downloads none).
    await page.waitForFunction(() => document.body.dataset.prefetched === '1', null, { timeout: 60_000 });
    assert.deepEqual(names().sort(), ['charts', 'core', 'recap', 'types', 'vanishing', 'why'], `wasm requests: ${wasm.join(', ')}`);
  } finally {
    await context.close();
  }
});
