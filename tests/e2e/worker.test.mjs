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

test('float32 text mode trains in the worker too: the page gets exactly the weights of f32 training on the page', async () => {
  const { page, errors } = await openApp(browser, { url: server.url, hash: `${TEXT}&tprec=f32` });
  await page.waitForFunction(() => window.rnnLab.state().worker, null, { timeout: 10000 });
  const r = await trainTwice(page, 200);
  assert.equal(r.iteration, 200);
  assert.equal(r.shown, r.fresh, 'bit for bit');
  const w = await page.evaluate(() => window.rnnLab.training.lab().params().w_hh.flat());
  assert.ok(w.every((x) => Math.fround(x) === x), 'f32 weights');
  assert.deepEqual(errors, []);
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
