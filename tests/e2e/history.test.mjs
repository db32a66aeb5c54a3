// End-to-end tests of the browser history and of links that carry training (issue 12,
// sections 2 and 5a): discrete changes push an entry and Back/Forward bring back the
// earlier state with the same model, bit for bit; the step cursor and training only
// rewrite the current entry; a slider's drag is one entry; iter=N (and titer=N with a
// pasted text, compressed into the link) retrains to exactly the same weights.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp } from './harness.mjs';
import { PROPS } from '../../www/state.js';

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

async function open(hash = 'chapter=steps') {
  const r = await openApp(browser, { url: server.url, hash });
  await settled(r.page);
  return r;
}

const settled = (page) => page.evaluate(() => window.rnnLab.settled());
const state = (page) => page.evaluate(() => window.rnnLab.state());
const params = (page) => page.evaluate(() => JSON.stringify(window.rnnLab.lab.params()));
const textParams = (page) => page.evaluate(() => JSON.stringify(window.rnnLab.training.textLab().params()));
const historyLength = (page) => page.evaluate(() => history.length);

/** Goes Back (or Forward) and waits until the page has applied the entry and retrained. */
async function go(page, where) {
  const before = await page.evaluate(() => location.hash);
  await (where === 'back' ? page.goBack({ waitUntil: 'commit' }) : page.goForward({ waitUntil: 'commit' }));
  await page.waitForFunction((h) => location.hash !== h, before);
  await page.evaluate(() => window.rnnLab.frame());
  await settled(page);
}

/** Types a value into a settings field and commits it (change event). */
async function setField(page, id, value) {
  await page.fill(id, String(value));
  await page.press(id, 'Enter');
  await page.evaluate(() => window.rnnLab.frame());
}

test('every row of the state table says how it changes the history', () => {
  for (const p of PROPS) assert.ok(['push', 'replace'].includes(p.history), `row ${p.name}: history is ${p.history}`);
  const of = (name) => PROPS.find((p) => p.name === name)?.history;
  for (const name of ['chapter', 'word', 'hidden', 'seed', 'opt', 'act', 'lr', 'vl1', 'tupd', 'ttext']) assert.equal(of(name), 'push', name);
  for (const name of ['step', 'sub', 'phase', 'iter', 'titer']) assert.equal(of(name), 'replace', name);
});

test('Back and Forward: chapter, H and seed changes are entries; each brings back its model, bit for bit', async () => {
  const { page, errors } = await open();
  await page.evaluate(() => window.rnnLab.train(30));
  await settled(page);
  const trained = await params(page);
  const start = await historyLength(page);
  assert.match(await page.evaluate(() => location.hash), /iter=30/, 'the link follows training');

  // Stepping and training rewrite the current entry.
  await page.click('#steps-title');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.evaluate(() => window.rnnLab.train(5));
  await settled(page);
  assert.equal(await historyLength(page), start, 'no entry for steps or training');
  const trained35 = await params(page);

  // Chapter: an entry.
  await page.click('nav a[data-chapter="unrolled"]');
  await page.evaluate(() => window.rnnLab.frame());
  assert.equal(await historyLength(page), start + 1);
  // H: an entry, a fresh model at iteration 0, trained 20.
  await setField(page, '#set-hidden', 5);
  assert.equal(await historyLength(page), start + 2);
  assert.equal((await state(page)).iteration, 0);
  await page.evaluate(() => window.rnnLab.train(20));
  await settled(page);
  const h5 = await params(page);
  // Seed: an entry.
  await setField(page, '#set-seed', 7);
  assert.equal(await historyLength(page), start + 3);
  const seed7 = await params(page);
  assert.notEqual(seed7, h5);

  await go(page, 'back');
  let s = await state(page);
  assert.deepEqual([s.chapter, s.hidden, s.seed, s.iteration], ['unrolled', 5, 0, 20]);
  assert.equal(await params(page), h5, 'Back to H = 5: the model trained 20 iterations, retrained from its seed');
  await go(page, 'back');
  s = await state(page);
  assert.deepEqual([s.chapter, s.hidden, s.seed, s.iteration], ['unrolled', 3, 0, 35]);
  assert.equal(await params(page), trained35, 'Back to H = 3: the 35 iterations, the same weights');
  await go(page, 'back');
  s = await state(page);
  assert.deepEqual([s.chapter, s.step, s.iteration], ['steps', 3, 35]);
  assert.equal(await params(page), trained35);

  await go(page, 'forward');
  await go(page, 'forward');
  s = await state(page);
  assert.deepEqual([s.chapter, s.hidden, s.iteration], ['unrolled', 5, 20]);
  assert.equal(await params(page), h5);
  await go(page, 'forward');
  s = await state(page);
  assert.deepEqual([s.seed, s.iteration], [7, 0]);
  assert.equal(await params(page), seed7);
  assert.notEqual(trained, trained35);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a slider drag is one entry: the history keeps the value from before it', async () => {
  const { page, errors } = await open('chapter=training');
  const start = await historyLength(page);
  const lr0 = (await state(page)).lr;
  await page.evaluate(() => {
    const s = document.getElementById('training-lr-slider');
    for (const v of [-0.9, -0.7, -0.5]) {
      s.value = String(v);
      s.dispatchEvent(new Event('input', { bubbles: true }));
    }
    s.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await page.evaluate(() => window.rnnLab.frame());
  assert.equal(await historyLength(page), start + 1, 'one entry for the whole drag');
  assert.equal((await state(page)).lr, 0.316);
  await go(page, 'back');
  assert.equal((await state(page)).lr, lr0, 'Back: the learning rate from before the drag');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('iter=N: a link opened in a new page retrains the word model to exactly the same weights', async () => {
  const { page, errors } = await open('chapter=steps&word=hi%20there&hidden=6&opt=adam&lr=0.01&clip=norm&clipc=1');
  await page.evaluate(() => window.rnnLab.train(137));
  await settled(page);
  await page.waitForFunction(() => location.hash.includes('iter=137'));
  const url = page.url();
  const weights = await params(page);
  const second = await openApp(browser, { url });
  await settled(second.page);
  assert.equal((await state(second.page)).iteration, 137);
  assert.equal(await params(second.page), weights, 'the same weights, bit for bit');
  assert.deepEqual(errors, []);
  assert.deepEqual(second.errors, []);
  await page.context().close();
  await second.page.context().close();
});

test('a long retraining shows its progress and can be stopped; a bad iter is clamped with a notice', async () => {
  const { page, errors } = await openApp(browser, { url: server.url, hash: 'chapter=steps&word=hello%20world%2C%20hello%20rnn%21&hidden=128&iter=400000' });
  await page.waitForSelector('#link-progress:not([hidden])', { timeout: 15_000 });
  assert.match(await page.textContent('#link-progress'), /Retraining the model to the link’s 400,000 iterations/);
  await page.click('#link-progress-stop');
  await settled(page);
  assert.equal(await page.$eval('#link-progress', (e) => e.hidden), true);
  const s = await state(page);
  assert.ok(s.iteration > 0 && s.iteration < 400000, `stopped at ${s.iteration}`);
  await page.waitForFunction((n) => location.hash.includes(`iter=${n}&`) || location.hash.endsWith(`iter=${n}`), s.iteration);
  assert.deepEqual(errors, []);
  await page.context().close();

  const bad = await openApp(browser, { url: server.url, hash: 'chapter=steps&iter=-5' });
  await settled(bad.page);
  assert.match(await bad.page.textContent('#notices'), /iter -5 is below the minimum/);
  assert.equal((await state(bad.page)).iteration, 0);
  assert.deepEqual(bad.errors, []);
  await bad.page.context().close();
});

test('text mode: the pasted text goes into the link compressed, and the link retrains the text model bit for bit', async () => {
  const { page, errors } = await open('chapter=training&data=text&thidden=24&tseq=16');
  const text = 'Recurrent networks read one character at a time and carry a hidden state. '.repeat(8) + 'Ünïcödé ✓ at the end.';
  const r = await page.evaluate((t) => window.rnnLab.training.usePasted(t), text);
  assert.equal(r.ok, true);
  const code = await page.evaluate(() => window.rnnLab.training.textLinked());
  assert.ok(code.length > 0 && code.length < text.length, `compressed: ${code.length} characters for ${text.length}`);
  assert.match(await page.evaluate(() => location.hash), /ttext=/);
  await page.evaluate(() => window.rnnLab.training.train(40));
  await settled(page);
  await page.waitForFunction(() => location.hash.includes('titer=40'));
  const url = page.url();
  const weights = await textParams(page);
  assert.equal(JSON.parse(weights).text, text);

  const second = await openApp(browser, { url });
  await second.page.evaluate(() => window.rnnLab.frame());
  await settled(second.page);
  const s2 = await second.page.evaluate(() => window.rnnLab.training.status());
  assert.equal(s2.iteration, 40);
  assert.equal(await textParams(second.page), weights, 'the same text and the same weights, bit for bit');
  assert.match(await second.page.textContent('#training-text-source'), /Your pasted text .*in the link/);
  assert.deepEqual(errors, []);
  assert.deepEqual(second.errors, []);
  await page.context().close();
  await second.page.context().close();
});

test('text mode: a text too long for a link says so; a damaged text in the address changes nothing', async () => {
  const { page, errors } = await open('chapter=training&data=text');
  // 40 KB that compresses badly: a seeded sequence of many different characters.
  let x = 12345;
  const chars = [];
  for (let i = 0; i < 40000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    chars.push(String.fromCharCode(33 + (x % 90)));
  }
  const r = await page.evaluate((t) => window.rnnLab.training.usePasted(t), chars.join(''));
  assert.equal(r.ok, true);
  assert.equal(await page.evaluate(() => window.rnnLab.training.textLinked()), '');
  assert.match(await page.textContent('#notices'), /too long for a link/);
  assert.doesNotMatch(await page.evaluate(() => location.hash), /ttext=/);
  assert.match(await page.textContent('#training-text-source'), /too long for a link/);
  assert.deepEqual(errors, []);
  await page.context().close();

  const bad = await openApp(browser, { url: server.url, hash: 'chapter=training&data=text&ttext=not-deflate_data' });
  await bad.page.evaluate(() => window.rnnLab.frame());
  await settled(bad.page);
  await bad.page.waitForFunction(() => /could not be read/.test(document.getElementById('notices').textContent));
  assert.match(await bad.page.textContent('#training-text-source'), /Built-in paragraph/);
  assert.deepEqual(bad.errors, []);
  await bad.page.context().close();
});
