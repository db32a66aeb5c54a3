// End-to-end tests of the training worker (www/worker.js): training there gives the page's
// model exactly the weights and history that training on the page gives; Pause stops it at
// once; a page whose worker cannot start trains on the page instead, with a notice, and
// gets the same numbers. Needs a built app (scripts/build).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp } from './harness.mjs';

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

const TEXT = 'chapter=training&data=text&thidden=24&tseq=20';

/** Trains `n` iterations through the chapter, then the same on a fresh handle made in the page from the same settings. */
async function trainTwice(page, n) {
  await page.evaluate((k) => window.rnnLab.training.train(k), n);
  return page.evaluate((k) => {
    const shown = window.rnnLab.training.lab();
    const Lab = window.rnnLab.debug.Lab;
    const fresh = new Lab(shown.settings());
    fresh.training_set_truncation(undefined, undefined);
    fresh.train(k);
    const out = {
      shown: JSON.stringify([shown.params(), shown.history(), shown.status()]),
      fresh: JSON.stringify([fresh.params(), fresh.history(), fresh.status()]),
      iteration: shown.status().iteration,
    };
    fresh.free();
    return out;
  }, n);
}

test('text mode trains in the worker, and the page shows exactly the weights and history of training on the page', async () => {
  const { page, errors } = await openApp(browser, { url: server.url, hash: TEXT });
  // The worker compiles its own copy of the engine: it is ready a moment after the page.
  await page.waitForFunction(() => window.rnnLab.state().worker, null, { timeout: 10000 });
  const r = await trainTwice(page, 300);
  assert.equal(r.iteration, 300);
  assert.equal(r.shown, r.fresh, 'bit for bit');
  assert.match(await page.textContent('#training-iteration'), /^300$/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

/** Worst |a − b| / |b| over two loss curves of equal length. */
function worstRelative(a, b) {
  assert.equal(a.length, b.length);
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]) / Math.abs(b[i])));
}

/**
 * f32 text mode on a page opened with `prepare`: trains in the worker, and the page gets
 * exactly the weights of f32 training on the page (so the worker runs the page's build);
 * its loss curve tracks f64 training from the same seed. → { variant, page }.
 */
async function float32InWorker(prepare = null) {
  const { page, errors } = await openApp(browser, { url: server.url, hash: `${TEXT}&tprec=f32`, prepare });
  await page.waitForFunction(() => window.rnnLab.state().worker, null, { timeout: 10000 });
  const r = await trainTwice(page, 200);
  assert.equal(r.iteration, 200);
  assert.equal(r.shown, r.fresh, 'bit for bit');
  const w = await page.evaluate(() => window.rnnLab.training.lab().params().w_hh.flat());
  assert.ok(w.every((x) => Math.fround(x) === x), 'f32 weights');
  const curves = await page.evaluate(() => {
    const Lab = window.rnnLab.debug.Lab;
    const settings = window.rnnLab.training.lab().settings();
    // Adagrad at lr 0.01: at text mode's lr 0.1 its first steps amplify rounding noise, and
    // no two precisions track each other (docs/benchmarks.md, "Float32 training").
    const curve = (precision) => {
      const lab = new Lab({ ...settings, precision, opt: 'adagrad', lr: 0.01 });
      lab.training_set_truncation(undefined, undefined);
      lab.train(200);
      const loss = lab.history().loss;
      lab.free();
      return loss;
    };
    return { f32: curve('f32'), f64: curve('f64') };
  });
  assert.equal(curves.f32.length, 200);
  assert.notDeepEqual(curves.f32, curves.f64, 'two precisions');
  const worst = worstRelative(curves.f32, curves.f64);
  assert.ok(worst <= 1e-3, `f32 loss within 1e-3 of f64, iteration by iteration: ${worst}`);
  assert.deepEqual(errors, []);
  return { variant: await page.evaluate(() => window.rnnLab.engineVariant), page };
}

test('float32 text mode trains in the worker too, in the relaxed-SIMD build where the browser has it: the page gets exactly the weights of f32 training on the page, near f64', async () => {
  const { variant, page } = await float32InWorker();
  // Chromium ≥ 114 runs relaxed SIMD: the page and its worker run www/pkg-relaxed.
  assert.equal(variant, 'relaxed');
  assert.match(await page.textContent('#training-text-info'), /trains in float32 \(fast, fused multiply-add\)/);
  await page.context().close();
});

test('without relaxed SIMD (WebAssembly.validate says no), or when its build fails to load, the plain build trains f32 the same way', async () => {
  // The browser's answer to the probe module, stubbed before the page's scripts run.
  const noRelaxed = (context) => context.addInitScript(() => {
    WebAssembly.validate = () => false;
  });
  const plain = await float32InWorker(noRelaxed);
  assert.equal(plain.variant, 'simd128');
  assert.match(await plain.page.textContent('#training-text-info'), /trains in float32 \(fast\)/);
  await plain.page.context().close();
  // The relaxed build detected but not loadable (its files refused): the plain one, with a warning.
  const warnings = [];
  const { page, errors } = await openApp(browser, {
    url: server.url,
    hash: `${TEXT}&tprec=f32`,
    prepare: async (context) => {
      await context.route('**/pkg-relaxed/**', (route) => route.abort());
      context.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    },
  });
  assert.equal(await page.evaluate(() => window.rnnLab.engineVariant), 'simd128');
  assert.ok(warnings.some((w) => /relaxed-SIMD build did not load/.test(w)), warnings.join('\n'));
  await page.evaluate(() => window.rnnLab.training.train(20));
  assert.equal(await page.evaluate(() => window.rnnLab.training.status().iteration), 20);
  // The browser's own report of the two refused files, and nothing else.
  assert.deepEqual(errors.filter((e) => !/Failed to load resource: .*\/pkg-relaxed\/core(_bg\.wasm|\.js)/.test(e)), []);
  assert.equal(errors.length, 2, errors.join('\n'));
  await page.context().close();
});

test('Pause stops a run in the worker at once; Fresh weights during a run starts again from the seed', async () => {
  const { page, errors } = await openApp(browser, { url: server.url, hash: TEXT });
  await page.waitForFunction(() => window.rnnLab.state().worker, null, { timeout: 10000 });
  await page.evaluate(() => window.rnnLab.training.run());
  await page.waitForFunction(() => window.rnnLab.training.status().iteration > 200);
  await page.keyboard.press('Escape');
  await page.evaluate(() => window.rnnLab.training.pause());
  assert.equal(await page.evaluate(() => window.rnnLab.training.status().running), false);
  // What the worker had trained before it read the pause may still arrive: one message.
  await page.waitForTimeout(200);
  const stopped = await page.evaluate(() => window.rnnLab.training.status().iteration);
  await page.waitForTimeout(400);
  assert.equal(await page.evaluate(() => window.rnnLab.training.status().iteration), stopped, 'nothing trains after a pause');
  await page.evaluate(() => window.rnnLab.training.run());
  await page.waitForFunction((k) => window.rnnLab.training.status().iteration > k + 50, stopped);
  await page.evaluate(() => window.rnnLab.training.fresh());
  await page.waitForTimeout(300);
  const s = await page.evaluate(() => window.rnnLab.training.status());
  assert.equal(s.running, false, 'fresh weights stop the run');
  assert.equal(s.iteration, 0);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('without a worker (it cannot load) the page trains itself, says so, and gets the same numbers', async () => {
  const context = await browser.newContext();
  await context.route('**/worker.js', (route) => route.abort());
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}#${TEXT}`);
  await page.waitForFunction(() => document.body.dataset.ready === '1');
  await page.waitForFunction(() => window.rnnLab.state().worker === false && [...document.querySelectorAll('#notices *')].some((n) => /background worker/.test(n.textContent)));
  const r = await trainTwice(page, 120);
  assert.equal(r.iteration, 120);
  assert.equal(r.shown, r.fresh);
  // The word model trains too, in the frame loop.
  await page.evaluate(() => window.rnnLab.set({ chapter: 'steps' }));
  const it = await page.evaluate(() => window.rnnLab.train(50).then((s) => s.iteration));
  assert.equal(it, 50);
  assert.deepEqual(errors, []);
  await context.close();
});
