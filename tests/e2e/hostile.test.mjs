// End-to-end tests of hostile input and faults in the page (issue 11): nothing typed into a
// field or the address after training loses the model, no call of window.rnnLab freezes the
// tab or throws a TypeError, and a trap of the engine (a Rust panic) is recovered: the model
// is rebuilt from its settings, the page says so, and it keeps working.
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

const status = (page) => page.evaluate(() => window.rnnLab.lab.status());
const notices = (page) => page.textContent('#notices');

async function trained(hash = 'chapter=steps') {
  const r = await openApp(browser, { url: server.url, hash });
  await r.page.evaluate(() => window.rnnLab.train(30));
  return r;
}

test('an unreadable value typed into the address after training keeps the model and says so', async () => {
  const { page, errors } = await trained();
  const before = await page.evaluate(() => JSON.stringify(window.rnnLab.lab.params()));
  await page.evaluate(() => { location.hash = `${location.hash}&hidden=abc&seed=-x`; });
  await page.waitForFunction(() => /kept as it was/.test(document.querySelector('#notices').textContent));
  await page.evaluate(() => window.rnnLab.frame());
  const s = await status(page);
  assert.equal(s.iteration, 30, 'the training is kept');
  assert.equal(s.hidden, 3);
  assert.equal(await page.evaluate(() => JSON.stringify(window.rnnLab.lab.params())), before);
  assert.match(await notices(page), /hidden: .*abc.* is not a number; kept as it was/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('an empty or non-number hidden size in the field keeps the model', async () => {
  const { page, errors } = await trained();
  // A number field holds '' for anything that is not a number.
  for (const typed of ['', 'NaN', 'three', '1e999']) {
    await page.$eval('#set-hidden', (input, v) => {
      input.value = v;
      input.dispatchEvent(new Event('change'));
    }, typed);
    await page.evaluate(() => window.rnnLab.frame());
    const s = await status(page);
    assert.equal(s.iteration, 30, `“${typed}”: the training is kept`);
    assert.equal(s.hidden, 3, `“${typed}”`);
    assert.equal(await page.inputValue('#set-hidden'), '3', 'the field shows the value kept');
  }
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('counts from scripts are checked and no raw handle is handed out: the model intact', async () => {
  const { page, errors } = await trained();
  // rnnLab.training arrives with the chapter's code (docs/api.md): open it once.
  await page.evaluate(async () => {
    await window.rnnLab.set({ chapter: 'training' });
    await window.rnnLab.set({ chapter: 'steps' });
  });
  // window.rnnLab.lab is a read-only view: nothing on it trains, rebuilds or frees the model.
  const exposed = await page.evaluate(() => ['train', 'configure', 'import_state', 'free', 'reset', 'debug_panic']
    .filter((k) => k in window.rnnLab.lab || k in window.rnnLab.training.lab()));
  assert.deepEqual(exposed, []);
  for (const n of [-1, 1e12, Number.NaN, 2.5, '5']) {
    const r = await page.evaluate(async (k) => {
      try {
        await window.rnnLab.train(k);
        return { ok: true };
      } catch (e) {
        return { ok: false, message: e.message };
      }
    }, n);
    assert.equal(r.ok, false, `${n} was accepted`);
    assert.match(r.message, /train\(n\): n must be a whole number from 0 to 1000000, got/);
  }
  // The wasm boundary checks its counts too (an independent Lab, never the page's), and
  // a big model's call is bounded by the engine's work budget.
  const lab = await page.evaluate(() => {
    const L = window.rnnLab.debug.Lab;
    const out = [];
    const text = L.text({ hidden: 256, seq: 256, text: Array.from({ length: 600 }, (_, i) => String.fromCodePoint(0x100 + (i % 256))).join('') });
    for (const [m, k] of [[new L({}), -1], [new L({}), 2.5], [text, 14], [text, 10001]]) {
      try {
        m.train(k);
        out.push('accepted');
      } catch (e) {
        out.push(e.message);
      }
    }
    out.push(text.max_iterations_per_call());
    text.free();
    return out;
  });
  assert.match(lab[0], /the number of iterations must be a whole number from 0 to 10000/);
  assert.match(lab[1], /whole number/);
  assert.match(lab[2], /at this size .*must be at most 13, got 14/);
  assert.match(lab[3], /from 0 to 10000, got 10001/);
  assert.equal(lab[4], 13);
  assert.equal((await status(page)).iteration, 30);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('out-of-range cursors from scripts are clamped, not TypeErrors', async () => {
  const { page, errors } = await openApp(browser, { url: server.url, hash: 'chapter=training' });
  for (const k of [-1, 1e9, Number.NaN, 'x']) await page.evaluate((v) => window.rnnLab.training.revealSample(v), k);
  await page.evaluate(() => window.rnnLab.step(-5));
  await page.evaluate(() => window.rnnLab.step(1e9));
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a panic in the engine is recovered: the model is rebuilt from its settings and the page keeps working', async () => {
  const { page } = await openApp(browser, { url: server.url, hash: 'chapter=steps&word=hi+there&hidden=5&seed=7' });
  const fresh = await page.evaluate(() => JSON.stringify(window.rnnLab.lab.params()));
  await page.evaluate(() => window.rnnLab.train(20));
  await page.evaluate(() => window.rnnLab.debug.panic());
  assert.match(await notices(page), /internal error .*rebuilt from its settings/);
  const s = await status(page);
  assert.equal(s.iteration, 0);
  assert.equal(s.hidden, 5);
  assert.equal(await page.evaluate(() => JSON.stringify(window.rnnLab.lab.params())), fresh, 'fresh weights from the same seed');
  // It still works: stepping, training, no "recursive use of an object" anywhere.
  await page.evaluate(() => window.rnnLab.step(2));
  const after = await page.evaluate(() => window.rnnLab.train(10).then((r) => r.iteration));
  assert.equal(after, 10);
  assert.doesNotMatch(await notices(page), /recursive use/);
  await page.context().close();
});

test('an error nobody caught becomes a notice', async () => {
  const { page } = await openApp(browser, { url: server.url });
  await page.evaluate(() => { Promise.reject(new Error('a test rejection')); });
  await page.waitForFunction(() => /a test rejection/.test(document.querySelector('#notices').textContent));
  await page.context().close();
});

test("the page's fields take their ranges from the engine's limits", async () => {
  const { page, errors } = await openApp(browser, { url: server.url });
  const limits = await page.evaluate(() => window.rnnLab.limits());
  assert.equal(limits.hidden, 256);
  assert.equal(await page.getAttribute('#set-hidden', 'max'), String(limits.hidden));
  assert.equal(await page.getAttribute('#set-word', 'maxlength'), String(limits.word_chars));
  // A link asking for more is clamped to the engine's limit, with a notice.
  await page.goto(`${server.url}#hidden=${limits.hidden + 1}`);
  await page.waitForFunction(() => document.body.dataset.ready === '1');
  assert.equal(await page.evaluate(() => window.rnnLab.state().hidden), limits.hidden);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('invisible and reordering characters in a word are written out, in the table and in notices', async () => {
  // A word with a zero-width space and a right-to-left override.
  const word = 'ab\u200Bc\u202Ed';
  const { page, errors } = await openApp(browser, { url: server.url, hash: `chapter=steps&word=${encodeURIComponent(word)}` });
  const caption = await page.textContent('#steps-table-caption');
  assert.match(caption, /⟨U\+200B⟩/);
  assert.match(caption, /⟨U\+202E⟩/);
  assert.doesNotMatch(caption, /[\u200B\u202E]/, 'no raw invisible character');
  // A refused word quoted in a notice is written out too.
  await page.evaluate(() => window.rnnLab.set({ word: '\u202E' }));
  const text = await notices(page);
  assert.doesNotMatch(text, /[\u200B\u202E]/);
  assert.deepEqual(errors, []);
  await page.context().close();
});
