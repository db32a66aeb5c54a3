// End-to-end tests of lecture fidelity (issue 12, section 5 d–h): the Unrolled chapter
// writes the chosen f and first the lecture's general form h_t = f_W(h_{t−1}, x_t); the
// gradient check's caption gives the engine's denominator; the per-step loss is loss_t
// in both passes; truncated BPTT offers an update after each chunk (the lecture's, the
// default) or once per sequence, drawn on the timeline, and trains as the engine does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, axeViolations, formatViolations, canvasPixels } from './harness.mjs';

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

async function open(hash) {
  const r = await openApp(browser, { url: server.url, hash });
  await r.page.evaluate(() => window.rnnLab.frame());
  return r;
}

const text = (page, sel) => page.$eval(sel, (e) => e.textContent);
const set = (page, patch) => page.evaluate((p) => window.rnnLab.set(p), patch);

test('Unrolled: the general form h_t = f_W(h_{t−1}, x_t) with its four names comes first, then the chosen f', async () => {
  const { page, errors } = await open('chapter=unrolled');
  const general = await page.$eval('#unrolled-general', (e) => ({
    text: e.textContent,
    subs: [...e.querySelectorAll('.gf-math sub')].map((s) => s.textContent),
    labels: [...e.querySelectorAll('.gf-label')].map((s) => s.textContent),
    first: Boolean(e.compareDocumentPosition(document.getElementById('unrolled-form')) & Node.DOCUMENT_POSITION_FOLLOWING),
  }));
  assert.deepEqual(general.labels, ['new state', 'function with parameters W', 'old state', 'input']);
  assert.deepEqual(general.subs, ['t', 'W', 't−1', 't'], 'h_t = f_W(h_{t−1}, x_t), typeset');
  assert.ok(general.first, 'the general form comes before the tanh form');

  // (subscripts are <sub> elements: “h_t” reads “ht” as text)
  const expected = {
    tanh: 'ht = tanh(Whh ht−1 + Wxh xt)',
    sigmoid: 'ht = sigmoid(Whh ht−1 + Wxh xt)',
    relu: 'ht = ReLU(Whh ht−1 + Wxh xt)',
    identity: 'ht = Whh ht−1 + Wxh xt',
  };
  for (const act of ['sigmoid', 'relu', 'identity', 'tanh']) {
    await set(page, { act });
    const form = await text(page, '#unrolled-form');
    assert.ok(form.includes(expected[act]), `${act}: ${form}`);
    if (act !== 'tanh') assert.ok(!form.includes('tanh'), `${act}: ${form}`);
  }
  await set(page, { bias: true, act: 'relu' });
  assert.ok((await text(page, '#unrolled-form')).includes('ht = ReLU(Whh ht−1 + Wxh xt + bh)'));
  const v = await axeViolations(page, { include: '#chapter-unrolled' });
  assert.deepEqual(v, [], formatViolations(v));
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the gradient check’s caption gives the engine’s denominator max(|a| + |n|, 10⁻⁵·max(1, |L|))', async () => {
  const { page, errors } = await open('chapter=training');
  const caption = await text(page, '#training-gradcheck-table caption');
  assert.ok(caption.includes('max(|analytic| + |numeric|, 10⁻⁵ · max(1, |L|))'), caption);
  assert.ok(!caption.includes('10⁻⁶'), caption);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the per-step loss is loss_t in the backward pass too: ∂loss_t/∂y_t, never L_t', async () => {
  const { page, errors } = await open('chapter=training&phase=backward&step=4&sub=0');
  const s = await page.evaluate(() => window.rnnLab.state());
  assert.equal(s.substep_name, 'dy');
  const panel = await text(page, '#training-equation');
  assert.ok(panel.includes('∂loss4/∂y4'), panel);
  assert.ok(!/dL\d\/dy\d/.test(panel), panel);
  assert.ok((await text(page, '#training-where')).includes('∂loss4/∂y4'));
  await page.context().close();

  const u = await open('chapter=unrolled&phase=backward&step=4&sub=0');
  assert.ok((await text(u.page, '#unrolled-where')).includes('∂loss4/∂y4'));
  assert.ok(!/dL\d\/dy\d/.test(await u.page.evaluate(() => document.body.textContent)));
  assert.deepEqual(u.errors, []);
  await u.page.context().close();

  const v = await open('chapter=vanishing');
  await v.page.evaluate(() => window.rnnLab.vanishing.settled());
  const label = await v.page.$eval('#vanishing-past', (e) => e.getAttribute('aria-label'));
  assert.ok(label.includes('‖∂loss_T/∂h_t‖'), label);
  assert.ok(!/∂L_T/.test(await v.page.evaluate(() => document.body.textContent)));
  assert.deepEqual(v.errors, []);
  assert.deepEqual(errors, []);
  await v.page.context().close();
});

test('TBPTT in text mode: update after each chunk (default) or once per sequence; both drawn, both trained as the engine does', async () => {
  const { page, errors } = await open('chapter=training&data=text&thidden=16&k1=5');
  assert.equal(await page.$eval('#training-tupd', (e) => e.value), 'chunk', 'the lecture’s way by default');
  assert.deepEqual(await page.$$eval('#training-tupd option', (os) => os.map((o) => o.value)), ['chunk', 'seq']);
  await page.$eval('#training-timeline-chart', (e) => e.scrollIntoView());
  await page.evaluate(() => window.rnnLab.frame());

  const read = async () => ({
    timeline: await page.evaluate(() => window.rnnLab.training.timeline()),
    pixels: await canvasPixels(page, '#training-timeline-chart'),
    summary: await text(page, '#training-timeline-summary'),
    note: await text(page, '#training-update-note'),
    settings: await page.evaluate(() => window.rnnLab.training.textLab().settings()),
  });
  // One iteration from fresh weights, on the page and on a Lab built here with the same settings.
  const trainOne = () => page.evaluate(async () => {
    const t = window.rnnLab.training;
    t.fresh();
    await t.train(1);
    const s = t.textLab().settings();
    const twin = window.rnnLab.debug.Lab.text({ ...s });
    twin.train(1);
    const same = JSON.stringify(twin.params()) === JSON.stringify(t.textLab().params());
    twin.free();
    return { params: JSON.stringify(t.textLab().params()), same };
  });

  await page.evaluate(() => window.rnnLab.frame());
  const chunk = await read();
  assert.deepEqual(chunk.timeline.updates, [5, 10, 15, 20, 25]);
  assert.equal(chunk.settings.update_per_chunk, true);
  assert.match(chunk.summary, /5 updates of W/);
  assert.match(chunk.note, /After each chunk/);
  const a = await trainOne();
  assert.ok(a.same, 'per chunk: the page trains as the engine does');

  await page.selectOption('#training-tupd', 'seq');
  await page.evaluate(() => window.rnnLab.frame());
  const seq = await read();
  assert.deepEqual(seq.timeline.updates, [25]);
  assert.equal(seq.settings.update_per_chunk, false);
  assert.match(seq.summary, /1 update of W/);
  assert.match(seq.note, /Once per sequence/);
  assert.notEqual(seq.pixels, chunk.pixels, 'the timeline draws the other updates');
  const b = await trainOne();
  assert.ok(b.same, 'per sequence: the page trains as the engine does');
  assert.notEqual(a.params, b.params, 'five updates in a sequence are not one');
  assert.match(await page.evaluate(() => location.hash), /tupd=seq/);
  assert.deepEqual(errors, []);
  await page.context().close();
});
