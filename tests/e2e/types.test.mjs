// End-to-end tests of the chapter "Types of RNN" (issue 14): every card draws and
// trains to its stated accuracy; stepping moves through the selected card's time steps
// with absent inputs and unscored outputs shown as such; a typed example gets the
// engine's prediction; the link reproduces the selected card and its settings; axe
// finds nothing; no sideways scroll at 390 px; bad input gets a message and no page
// error. Screenshots go to test-output/screenshots/. Needs a built app (scripts/build).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, axeViolations, formatViolations, saveScreenshot, canvasHasInk } from './harness.mjs';

const KINDS = ['one_to_one', 'one_to_many', 'many_to_one', 'delayed', 'synced'];
const cardId = (kind) => `#types-${kind.replaceAll('_', '-')}`;
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

const open = (hash = 'chapter=types', options = {}) => openApp(browser, { url: server.url, hash, ...options });
const api = (page, fn, ...args) => page.evaluate(([f, a]) => window.rnnLab.types[f](...a), [fn, args]);

test('every card draws, and trains to its stated accuracy within a few seconds', async () => {
  const { page, errors } = await open();
  assert.deepEqual(await api(page, 'kinds'), KINDS);
  for (const kind of KINDS) {
    assert.ok(await canvasHasInk(page, `${cardId(kind)}-diagram`), `${kind}: the diagram is blank`);
    assert.ok(await canvasHasInk(page, `${cardId(kind)}-loss`), `${kind}: the loss chart is blank`);
  }
  const times = {};
  for (const kind of KINDS) {
    const run = await api(page, 'train', kind);
    assert.equal(run.error, null, kind);
    assert.ok(run.reached, `${kind}: not at the stated accuracy after ${run.ran} iterations`);
    assert.equal(run.status.train.accuracy, 1, kind);
    assert.ok(run.seconds < 10, `${kind}: ${run.seconds} s`);
    times[kind] = { iterations: run.ran, seconds: Number(run.seconds.toFixed(2)), heldOut: run.status.test?.accuracy ?? null };
    // The card shows the engine's numbers.
    const shown = await api(page, 'shown', kind);
    assert.match(shown.status, new RegExp(`Iteration ${run.status.iteration} `), kind);
    assert.match(shown.status, /training: 100\.0%/, kind);
    if (run.status.test) assert.match(shown.status, new RegExp(`held out: ${(100 * run.status.test.accuracy).toFixed(1)}%`), kind);
    assert.ok(await canvasHasInk(page, `${cardId(kind)}-loss`), `${kind}: the loss chart is blank after training`);
  }
  console.log('types: trained to the stated accuracy', JSON.stringify(times));
  // The sentiment and reversal models generalise to most held-out items.
  assert.ok(times.many_to_one.heldOut >= 0.7, JSON.stringify(times.many_to_one));
  assert.ok(times.delayed.heldOut >= 0.8, JSON.stringify(times.delayed));
  await saveScreenshot(page, 'types-trained', { fullPage: true });
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('stepping moves through the time steps; absent inputs and unscored outputs are shown as such', async () => {
  const { page, errors } = await open('chapter=types&tk=delayed');
  await api(page, 'train', 'delayed');
  await page.evaluate(() => window.rnnLab.home());
  const snap0 = await page.evaluate(() => window.rnnLab.snapshot());
  assert.equal(snap0.kind, 'delayed');
  assert.equal(snap0.steps, 7); // c, a, b, |, then three steps with no input
  const seen = [];
  for (let t = 1; t <= 7; t++) {
    if (t > 1) {
      // Half the moves by the keyboard, half by the API.
      if (t % 2) await page.evaluate(() => window.rnnLab.step(1));
      else {
        await page.keyboard.press('ArrowRight');
        await page.evaluate(() => window.rnnLab.frame());
      }
    }
    const snap = await page.evaluate(() => window.rnnLab.snapshot());
    assert.equal(snap.t, t);
    const dom = await page.evaluate((id) => ({ ...document.querySelector(id).dataset, text: document.querySelector(id).textContent }), `${cardId('delayed')}-step`);
    assert.equal(dom.t, String(t));
    assert.equal(dom.input, snap.step.input == null ? 'absent' : 'present');
    assert.equal(dom.scored, snap.step.target != null ? 'true' : 'false');
    if (snap.step.input == null) assert.match(dom.text, /no input/);
    else assert.match(dom.text, new RegExp(`“${snap.step.input.replace('|', '\\|')}”`));
    if (snap.step.target == null) assert.match(dom.text, /not scored/);
    else assert.match(dom.text, /loss/);
    // The engine's numbers: an unscored step has p_t but no loss.
    if (snap.step.target == null) assert.equal(snap.step.loss_t, null);
    else assert.ok(Math.abs(snap.step.loss_t + Math.log(snap.step.p_target)) < 1e-12);
    assert.ok(Math.abs(snap.step.p_t.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    seen.push(`${snap.step.input == null ? '·' : 'x'}${snap.step.target == null ? '·' : 'y'}`);
  }
  assert.deepEqual(seen, ['x·', 'x·', 'x·', 'x·', '·y', '·y', '·y']);
  const label = await page.getAttribute(`${cardId('delayed')}-diagram`, 'aria-label');
  assert.match(label, /t = 5: no input, scored against/);
  assert.match(label, /t = 1: input c, output not scored/);
  await saveScreenshot(page, 'types-delayed-stepped');
  // End and Home by the keys; the player says where it is.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Home');
  await page.evaluate(() => window.rnnLab.frame());
  assert.equal((await page.evaluate(() => window.rnnLab.snapshot())).t, 1);
  await page.keyboard.press('End');
  await page.evaluate(() => window.rnnLab.frame());
  assert.equal((await page.evaluate(() => window.rnnLab.snapshot())).t, 7);
  assert.match(await page.textContent('#types-where'), /t = 7 of 7/);
  // One-to-many: the class enters at t = 1 only.
  await api(page, 'select', 'one_to_many');
  await page.evaluate(() => window.rnnLab.home());
  const otm = await page.evaluate(() => window.rnnLab.snapshot());
  assert.deepEqual(otm.sequence.per_step.map((s) => s.input), ['<cat>', null, null]);
  assert.ok(otm.sequence.per_step.every((s) => s.target != null));
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a typed example gets the engine’s prediction, the same as a fresh model of the same settings', async () => {
  const { page, errors } = await open();
  const run = await api(page, 'train', 'many_to_one');
  await page.fill(`${cardId('many_to_one')}-input`, 'the movie was not good at all');
  await page.click(`${cardId('many_to_one')}-predict`);
  await page.evaluate(() => window.rnnLab.frame());
  const snap = await api(page, 'snapshot', 'many_to_one');
  assert.equal(snap.text, 'the movie was not good at all');
  const shown = await api(page, 'shown', 'many_to_one');
  assert.equal(shown.answer, snap.answer.join(' '));
  assert.match(shown.prediction, /p\(<pos>\) after each word: the /);
  // The URL holds the typed phrase, and rnnLab.snapshot() is this card's.
  // (the hash is written at most every 200 ms)
  assert.match(await page.evaluate(() => new Promise((r) => setTimeout(() => r(location.hash), 300))), /tin=the\+movie/);
  assert.equal((await page.evaluate(() => window.rnnLab.snapshot())).text, snap.text);
  // An independent TypesLab with the same settings, trained as many iterations, agrees bit for bit.
  const fresh = await page.evaluate(async ([n, text]) => {
    const m = await import('./www/pkg/types.js');
    const lab = new m.TypesLab({ kind: 'many_to_one', seed: 0, hidden: 16, lr: 0.1 });
    let left = n;
    while (left > 0) {
      const k = Math.min(left, 10000);
      lab.train(k);
      left -= k;
    }
    const s = lab.snapshot(text);
    lab.free();
    return s;
  }, [run.status.iteration, 'the movie was not good at all']);
  assert.deepEqual(fresh, snap);
  // Each type reads its own kind of input.
  for (const [kind, text, answer] of [['one_to_one', 'A', '<v>'], ['one_to_many', 'dog', null], ['delayed', 'dab', null], ['synced', "don't", null]]) {
    const r = await api(page, 'predict', kind, text);
    assert.equal(r.ok, true, `${kind}: ${r.error}`);
    const s = await api(page, 'snapshot', kind);
    const d = await api(page, 'shown', kind);
    assert.equal(d.message, '');
    assert.ok(d.prediction.startsWith('Prediction:'), kind);
    if (answer) assert.equal(s.expected.join(''), answer);
  }
  const tags = await api(page, 'snapshot', 'synced');
  assert.deepEqual(tags.per_step.map((s) => s.target == null), [false, false, false, true, false]);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the link reproduces the selected card, its settings and its example', async () => {
  const { page, errors } = await open();
  await page.click(`${cardId('synced')} summary`);
  await page.fill(`${cardId('synced')}-seed`, '3');
  await page.press(`${cardId('synced')}-seed`, 'Tab');
  await page.fill(`${cardId('synced')}-hidden`, '12');
  await page.press(`${cardId('synced')}-hidden`, 'Tab');
  await api(page, 'predict', 'synced', 'yes-man');
  await api(page, 'trainIterations', 'synced', 120);
  await page.evaluate(() => window.rnnLab.frame());
  const hash = await page.evaluate(() => new Promise((r) => setTimeout(() => r(location.hash), 300)));
  assert.match(hash, /tk=synced/);
  assert.match(hash, /tseed=3/);
  assert.match(hash, /th=12/);
  const before = await page.evaluate(() => window.rnnLab.types.state());
  assert.deepEqual(before.cards.synced.settings, { seed: 3, hidden: 12, lr: 0.1 });
  const a = await api(page, 'snapshot', 'synced');

  const other = await open(hash.slice(1));
  const after = await other.page.evaluate(() => window.rnnLab.types.state());
  assert.equal(after.selected, 'synced');
  assert.deepEqual(after.cards.synced.settings, before.cards.synced.settings);
  assert.equal(after.cards.synced.text, 'yes-man');
  assert.equal(await other.page.getAttribute(`${cardId('synced')}-select`, 'aria-pressed'), 'true');
  // Same seed, same settings: trained as far, the same numbers.
  await other.page.evaluate(() => window.rnnLab.types.trainIterations('synced', 120));
  assert.deepEqual(await api(other.page, 'snapshot', 'synced'), a);
  assert.deepEqual(other.errors, []);
  assert.deepEqual(errors, []);
  await other.page.context().close();
  await page.context().close();
});

test('axe finds no violation, and a phone (390 px) does not scroll sideways', async () => {
  const { page, errors } = await open('chapter=types&tk=one_to_many');
  await api(page, 'train', 'one_to_many');
  await page.click('#types-exercise-answer summary');
  const v = await axeViolations(page);
  assert.deepEqual(v, [], formatViolations(v));
  await page.context().close();

  const phone = await open('chapter=types&tk=synced', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  await api(phone.page, 'train', 'synced');
  await phone.page.evaluate(() => window.rnnLab.step(2));
  const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
  for (const kind of KINDS) assert.ok(await canvasHasInk(phone.page, `${cardId(kind)}-diagram`), `${kind}: blank on a phone`);
  // No chart title or key cut off: the top band of each loss chart is background at both edges.
  const edges = await phone.page.$$eval('.types-loss canvas', (canvases) => canvases.map((c) => {
    const ctx = c.getContext('2d');
    const k = c.width / c.getBoundingClientRect().width;
    const bg = ctx.getImageData(Math.floor(c.width / 2), 1, 1, 1).data;
    let inked = 0;
    for (const x of [Math.round(2 * k), c.width - 1 - Math.round(2 * k)]) {
      const px = ctx.getImageData(x, 0, 1, Math.round(24 * k)).data;
      for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i] - bg[0]) + Math.abs(px[i + 1] - bg[1]) + Math.abs(px[i + 2] - bg[2]) > 60) inked++;
    }
    return { id: c.id, inked };
  }));
  assert.equal(edges.length, KINDS.length);
  for (const e of edges) assert.equal(e.inked, 0, `${e.id} has text at its edge on a phone`);
  await saveScreenshot(phone.page, 'types-phone', { fullPage: true });
  assert.deepEqual(phone.errors, []);
  assert.deepEqual(errors, []);
  await phone.page.context().close();
});

test('bad input gets a clear message, and the model and the page carry on', async () => {
  const { page, errors } = await open();
  await api(page, 'train', 'delayed');
  const iteration = (await api(page, 'status', 'delayed')).iteration;
  const long = 'good '.repeat(60);
  const cases = [
    ['one_to_one', '', /type one letter/i],
    ['one_to_one', 'é', /not a letter/],
    ['one_to_many', '<pig>', /<cat>, <dog>/],
    ['many_to_one', 'qwerty zxcv', /vocabulary/],
    ['many_to_one', long, /at most 64/],
    ['delayed', 'cat', /only the letters a, b, c, d/],
    ['delayed', 'abcd', /up to 3 letters/],
    ['synced', '1234', /none in that text/],
    ['synced', '   ', /type a word/i],
  ];
  for (const [kind, text, message] of cases) {
    const before = await api(page, 'snapshot', kind);
    const r = await api(page, 'predict', kind, text);
    assert.equal(r.ok, false, `${kind} ${JSON.stringify(text)}`);
    const shown = await api(page, 'shown', kind);
    assert.match(shown.message, message, `${kind} ${JSON.stringify(text)}`);
    assert.deepEqual(await api(page, 'snapshot', kind), before, `${kind}: the example shown changed`);
  }
  assert.equal((await api(page, 'status', 'delayed')).iteration, iteration);
  // Typed text is shown as text, never as markup.
  await api(page, 'predict', 'many_to_one', 'good <img src=x onerror=alert(1)>');
  assert.equal(await page.locator(`${cardId('many_to_one')} img`).count(), 0);
  assert.match((await api(page, 'shown', 'many_to_one')).prediction, /“img”|“src”|Skipped/);
  // A good example clears the message.
  assert.equal((await api(page, 'predict', 'delayed', 'bad')).ok, true);
  assert.equal((await api(page, 'shown', 'delayed')).message, '');
  // Out-of-range settings are clamped with a notice; the model is rebuilt, not broken.
  await page.evaluate(() => window.rnnLab.set({ th: 1000, tlr: -3 }));
  const st = await page.evaluate(() => window.rnnLab.types.state());
  assert.deepEqual(st.cards[st.selected].settings.hidden, 64);
  assert.match(await page.textContent('#notices'), /th 1000 is above the maximum/);
  assert.deepEqual(errors, []);
  await page.context().close();

  // A tampered link: the card shows its own example and says why.
  const t = await open('chapter=types&tk=delayed&tin=zzzz&tseed=-4');
  const s = await t.page.evaluate(() => window.rnnLab.types.state());
  assert.equal(s.selected, 'delayed');
  assert.equal(s.cards.delayed.text, 'cab');
  assert.match(await t.page.textContent('#notices'), /could not be read/);
  assert.deepEqual(t.errors, []);
  await t.page.context().close();
});
