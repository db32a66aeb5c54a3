// The app shell in headless Chromium: loading, stepping with buttons and keys (the
// numbers shown equal window.rnnLab.snapshot()), training, charts with ink, the URL
// state (clamped with a notice, tampered hashes survive, links reproduce the model),
// refused words, axe-core, and screenshots at projector and desktop sizes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launch, openApp, axeViolations, formatViolations, saveScreenshot, canvasHasInk, canvasPixels,
} from './harness.mjs';

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

const HOME = 'chapter=steps';

async function open(hash = HOME, viewport) {
  return openApp(browser, { url: server.url, hash, viewport });
}

/** Numbers are shown with a true minus sign (U+2212). */
const unfmt = (s) => Number(String(s).trim().replace('\u2212', '-'));

/** Half a unit of the last shown decimal (3 decimals everywhere in the table). */
function assertShown(text, value, what) {
  const shown = unfmt(text);
  assert.ok(Number.isFinite(shown), `${what}: "${text}" is not a number`);
  assert.ok(Math.abs(shown - value) <= 0.0005 + 1e-12, `${what}: shown ${text}, engine ${value}`);
}

/** What the highlighted row of the step table shows. */
function currentRow(page) {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll('#steps-table tbody tr[aria-current="step"]')];
    if (rows.length !== 1) return { count: rows.length };
    const tr = rows[0];
    return {
      count: 1,
      t: Number(tr.dataset.t),
      highlighted: tr.classList.contains('current'),
      input: tr.querySelector('.c-input').textContent,
      h: tr.querySelector('.c-h').textContent,
      p: [...tr.querySelectorAll('.c-p .num')].map((e) => e.textContent),
      pTarget: tr.querySelector('.c-p-target .num')?.textContent,
      pPredicted: tr.querySelector('.c-p-predicted .num')?.textContent,
      targetCell: tr.querySelector('.c-p.is-target')?.dataset.k,
      predicted: tr.querySelector('.c-predicted .sym-char').textContent,
      target: tr.querySelector('.c-target').textContent,
      loss: tr.querySelector('.c-loss').textContent,
      where: document.querySelector('#steps-where').textContent,
      announced: document.querySelector('#announcer').textContent,
    };
  });
}

async function assertRowIsSnapshot(page, t) {
  await page.evaluate(() => window.rnnLab.frame());
  const row = await currentRow(page);
  const snap = await page.evaluate(() => window.rnnLab.snapshot());
  assert.equal(row.count, 1, 'exactly one highlighted row');
  assert.equal(row.t, t);
  assert.equal(snap.t, t);
  assert.ok(row.highlighted);
  assert.equal(row.input, snap.input);
  const h = row.h.replace(/[[\]…]/g, '').split(',').map((s) => s.trim()).filter(Boolean);
  assert.equal(h.length, Math.min(6, snap.h_t.length));
  h.forEach((s, i) => assertShown(s, snap.h_t[i], `h_${t}[${i}]`));
  if (snap.p_t.length <= 10) {
    assert.equal(row.p.length, snap.p_t.length);
    row.p.forEach((s, k) => assertShown(s, snap.p_t[k], `p_${t}[${k}]`));
    assert.equal(Number(row.targetCell), snap.target_index, 'the target is marked in p_t');
  } else {
    // A large vocabulary: p_t of the target and of the prediction only.
    assertShown(row.pTarget, snap.p_t[snap.target_index], `p_${t}[target]`);
    assertShown(row.pPredicted, snap.p_t[snap.predicted_index], `p_${t}[predicted]`);
  }
  assert.equal(row.predicted, snap.predicted);
  assert.equal(row.target, snap.target);
  assertShown(row.loss, snap.loss_t, `loss_${t}`);
  assert.match(row.where, new RegExp(`t = ${t} of ${snap.steps}`));
  return { row, snap };
}

test('loads the "hello" model with no console or page errors', async () => {
  const { page, errors } = await open();
  const s = await page.evaluate(() => window.rnnLab.state());
  assert.equal(s.chapter, 'steps');
  assert.equal(s.word, 'hello');
  assert.equal(s.steps, 4);
  assert.equal(s.step, 1);
  assert.equal(s.phase, 'forward');
  const snap = await page.evaluate(() => window.rnnLab.snapshot());
  assert.deepEqual(snap.vocab, ['h', 'e', 'l', 'o']);
  const rows = await page.$$eval('#steps-table tbody tr', (trs) => trs.map((tr) => tr.querySelector('.c-input').textContent + tr.querySelector('.c-target').textContent));
  assert.deepEqual(rows, ['he', 'el', 'll', 'lo'], 'inputs h,e,l,l → targets e,l,l,o');
  assert.equal(await page.$('#loading'), null, 'the loading message is gone');
  await page.waitForTimeout(200);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('Next/Previous buttons and ←/→/Home/End keys step; the row shown equals the snapshot', async () => {
  const { page, errors } = await open();
  await assertRowIsSnapshot(page, 1);
  await page.click('.pb-next');
  await assertRowIsSnapshot(page, 2);
  await page.click('.pb-next');
  const { snap } = await assertRowIsSnapshot(page, 3);
  assert.match((await currentRow(page)).announced, /t = 3 of 4/, 'the step is announced');
  assert.equal(snap.running_loss > snap.loss_t, true);
  await page.click('.pb-prev');
  await assertRowIsSnapshot(page, 2);
  // Keys: focus is on a button (arrows still step), then on the page body.
  await page.keyboard.press('ArrowRight');
  await assertRowIsSnapshot(page, 3);
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await assertRowIsSnapshot(page, 1);
  await page.keyboard.press('ArrowLeft');
  await assertRowIsSnapshot(page, 1);
  await page.keyboard.press('End');
  await assertRowIsSnapshot(page, 4);
  await page.keyboard.press('ArrowRight');
  await assertRowIsSnapshot(page, 4);
  await page.keyboard.press('Home');
  await assertRowIsSnapshot(page, 1);
  // Arrows typed in a text field edit the field, not the step.
  await page.focus('#set-word');
  await page.keyboard.press('ArrowRight');
  assert.equal((await page.evaluate(() => window.rnnLab.state())).step, 1);
  // The step is in the address.
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('End');
  await page.waitForFunction(() => location.hash.includes('step=4'));
  // The backward pass runs t = T → 1 and the snapshot carries the backward numbers.
  await page.selectOption('#steps-phase', 'backward');
  await assertRowIsSnapshot(page, 4);
  const back = await page.evaluate(() => window.rnnLab.snapshot());
  assert.equal(back.phase, 'backward');
  assert.equal(back.backward.t, 4);
  await page.click('.pb-next');
  await assertRowIsSnapshot(page, 3);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('Space plays through the steps and stops at the end', async () => {
  const { page, errors } = await open();
  await page.selectOption('#steps-speed', '8');
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('Space');
  assert.equal((await page.evaluate(() => window.rnnLab.state())).playing, true);
  await page.waitForFunction(() => !window.rnnLab.state().playing, null, { timeout: 5000 });
  await assertRowIsSnapshot(page, 4);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('training 200 iterations with the buttons: the loss shown falls, the charts redraw', async () => {
  const { page, errors } = await open();
  const lossShown = async () => unfmt(await page.textContent('#steps-loss-value'));
  const before = await lossShown();
  const snap0 = await page.evaluate(() => window.rnnLab.snapshot());
  assertShown(await page.textContent('#steps-loss-value'), snap0.loss, 'loss L');
  const lossChart0 = await canvasPixels(page, '#loss-chart');
  const dhChart0 = await canvasPixels(page, '#dh-chart');
  for (const target of [100, 200]) {
    await page.click('#steps-train-100');
    await page.waitForFunction((n) => window.rnnLab.state().iteration === n && !window.rnnLab.state().training, target, { timeout: 20000 });
  }
  await page.evaluate(() => window.rnnLab.frame());
  const after = await lossShown();
  const snap = await page.evaluate(() => window.rnnLab.snapshot());
  assertShown(await page.textContent('#steps-loss-value'), snap.loss, 'loss L after training');
  assert.ok(after < before / 4, `loss ${before} → ${after}`);
  assert.equal(await page.textContent('#steps-iteration'), '200');
  assert.notEqual(await canvasPixels(page, '#loss-chart'), lossChart0, 'the loss curve was drawn');
  assert.notEqual(await canvasPixels(page, '#dh-chart'), dhChart0, 'the gradient bars changed');
  await assertRowIsSnapshot(page, 1);
  // The API trains the same way and resolves with the engine's report.
  const report = await page.evaluate(() => window.rnnLab.train(5));
  assert.equal(report.iteration, 205);
  assert.equal(report.diverged, false);
  // Fresh weights: iteration 0 and the very first loss again.
  await page.click('#steps-fresh');
  await page.evaluate(() => window.rnnLab.frame());
  assert.equal(await page.textContent('#steps-iteration'), '0');
  assert.equal(await lossShown(), before);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('every canvas of the chapter has ink, and the charts sit side by side without overlap', async () => {
  const { page, errors } = await open();
  await page.evaluate(() => window.rnnLab.train(30));
  const ids = await page.$$eval('#chapter-steps canvas', (cs) => cs.map((c) => `#${c.id}`));
  assert.ok(ids.length >= 2, `canvases: ${ids}`);
  for (const sel of ids) assert.ok(await canvasHasInk(page, sel), `${sel} is blank`);
  const boxes = await page.$$eval('#chapter-steps canvas', (cs) => cs.map((c) => {
    const r = c.getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height, dw: c.width, dh: c.height };
  }));
  for (const b of boxes) {
    assert.ok(b.w > 200 && b.h > 150, `canvas too small: ${JSON.stringify(b)}`);
    assert.equal(b.dw, Math.round(b.w), 'canvas sized in device pixels (DPR 1)');
  }
  const [a, b] = boxes;
  const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  assert.equal(overlap, false);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('on a phone (390 px) no chart text runs off a canvas edge and the page does not scroll sideways', async () => {
  // Chart titles and keys are centred: cut off on a narrow canvas, they touch both edges.
  // The top 24 CSS px of every chart canvas (title band), 2 px in from each edge, must be
  // background only.
  for (const hash of ['chapter=steps', 'chapter=unrolled&step=3&sub=5', 'chapter=training', 'chapter=vanishing']) {
    const { page, errors } = await open(hash, { width: 390, height: 800 });
    await page.evaluate(() => window.rnnLab.frame());
    const edges = await page.$$eval('canvas.chart-canvas', (canvases) => canvases
      .filter((c) => c.width > 0 && c.getBoundingClientRect().width > 0)
      .map((c) => {
        const ctx = c.getContext('2d');
        const k = c.width / c.getBoundingClientRect().width;
        const band = Math.round(24 * k);
        const bg = ctx.getImageData(Math.floor(c.width / 2), 1, 1, 1).data;
        let inked = 0;
        for (const x of [Math.round(2 * k), c.width - 1 - Math.round(2 * k)]) {
          const px = ctx.getImageData(x, 0, 1, band).data;
          for (let i = 0; i < px.length; i += 4) {
            if (Math.abs(px[i] - bg[0]) + Math.abs(px[i + 1] - bg[1]) + Math.abs(px[i + 2] - bg[2]) > 60) inked++;
          }
        }
        return { id: c.id, inked };
      }));
    assert.ok(edges.length > 0, `${hash}: chart canvases found`);
    for (const e of edges) assert.equal(e.inked, 0, `${hash}: ${e.id} has text at its edge`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wide <= 0, `${hash}: the page is ${wide} px wider than the screen`);
    assert.deepEqual(errors, []);
    await page.context().close();
  }
});

test('canvases are sized by devicePixelRatio', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto(`${server.url}#${HOME}`);
  await page.waitForFunction(() => document.body.dataset.ready === '1');
  await page.evaluate(() => window.rnnLab.frame());
  const b = await page.$eval('#loss-chart', (c) => ({ w: c.getBoundingClientRect().width, dw: c.width }));
  assert.equal(b.dw, Math.round(b.w * 2));
  assert.ok(await canvasHasInk(page, '#loss-chart'));
  await context.close();
});

test('an out-of-range hash loads with a visible notice and no error', async () => {
  const { page, errors } = await open('chapter=steps&hidden=9999&lr=-1&act=foo&step=77&bogus=1');
  const s = await page.evaluate(() => window.rnnLab.state());
  assert.equal(s.hidden, 256);
  assert.equal(s.lr, 0.00001);
  assert.equal(s.act, 'tanh');
  assert.equal(s.step, 4, 'step clamped to T');
  const notice = await page.textContent('#notices');
  for (const word of ['hidden', 'lr', 'act']) assert.match(notice, new RegExp(word));
  assert.ok(await page.isVisible('#notices .notice'));
  assert.equal(await page.inputValue('#set-hidden'), '256');
  // The corrected state is written back into the address.
  assert.match(await page.evaluate(() => location.hash), /hidden=256/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a refused word in the address keeps the other settings and says why', async () => {
  const { page, errors } = await open('chapter=steps&word=a&hidden=5&seed=9');
  const s = await page.evaluate(() => window.rnnLab.state());
  assert.equal(s.word, 'hello');
  assert.equal(s.hidden, 5);
  assert.equal(s.seed, 9);
  assert.match(await page.textContent('#notices'), /word: .*too short/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('tampered or garbage hashes do not break the page', async () => {
  const hashes = [
    '%%%&&&==',
    'word=%E0%A4%A&hidden=1e400',
    'chapter=%3Cscript%3Ealert(1)%3C%2Fscript%3E&phase=sideways&step=abc',
    'word=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E',
    `word=${'x'.repeat(500)}`,
    'seed=-5&scale=NaN&clipc=Infinity&bias=maybe&opt=',
    'x'.repeat(5000),
  ];
  for (const hash of hashes) {
    const { page, errors } = await open(hash);
    const s = await page.evaluate(() => window.rnnLab.state());
    assert.ok(s.steps >= 1 && s.step >= 1 && s.step <= s.steps, `${hash.slice(0, 40)}: ${JSON.stringify(s).slice(0, 200)}`);
    assert.ok(['forward', 'backward'].includes(s.phase));
    assert.equal(await page.$('img'), null, 'no markup from the address reaches the page');
    await assertRowIsSnapshot(page, s.step);
    assert.deepEqual(errors, [], hash.slice(0, 40));
    await page.context().close();
  }
});

test('a link reproduces the model: same hash, same numbers', async () => {
  const { page, errors } = await open();
  await page.fill('#set-word', 'hi there');
  await page.press('#set-word', 'Enter');
  await page.fill('#set-seed', '42');
  await page.press('#set-seed', 'Enter');
  await page.selectOption('#set-act', 'sigmoid');
  await page.keyboard.press('Tab');
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => location.hash.includes('step=3') && location.hash.includes('seed=42'));
  const hash = await page.evaluate(() => location.hash);
  const snap = await page.evaluate(() => window.rnnLab.snapshot());
  assert.equal(snap.steps, 7);
  assert.equal(snap.activation, 'sigmoid');
  const second = await open(hash);
  const snap2 = await second.page.evaluate(() => window.rnnLab.snapshot());
  assert.deepEqual(snap2, snap);
  assert.deepEqual(errors, []);
  assert.deepEqual(second.errors, []);
  await page.context().close();
  await second.page.context().close();
});

test('an empty or one-letter word shows a message and keeps the model', async () => {
  const { page, errors } = await open();
  await page.evaluate(() => window.rnnLab.train(10));
  const before = await page.evaluate(() => window.rnnLab.snapshot());
  for (const [word, message] of [['', /empty/], ['a', /too short/]]) {
    await page.fill('#set-word', word);
    await page.press('#set-word', 'Enter');
    await page.evaluate(() => window.rnnLab.frame());
    const notice = await page.textContent('#notices');
    assert.match(notice, message);
    assert.match(notice, /kept/);
    assert.equal(await page.inputValue('#set-word'), 'hello', 'the field shows the word in use');
    const s = await page.evaluate(() => window.rnnLab.state());
    assert.equal(s.word, 'hello');
    assert.equal(s.iteration, 10, 'the trained model is kept');
    assert.deepEqual(await page.evaluate(() => window.rnnLab.snapshot()), before);
  }
  // A word longer than 64 characters is refused by the state table, with a message.
  const r = await page.evaluate(() => window.rnnLab.set({ word: 'y'.repeat(65) }));
  assert.equal(r.notes.length, 1);
  assert.match(await page.textContent('#notices'), /at most 64 characters/);
  assert.equal((await page.evaluate(() => window.rnnLab.state())).word, 'hello');
  // Text from the user is text, never markup.
  await page.evaluate(() => window.rnnLab.set({ word: '<b>x</b>' }));
  assert.equal(await page.$('#steps-table caption b'), null);
  assert.match(await page.textContent('#steps-table caption'), /<b>x<\/b>/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a failing engine load shows a message instead of a blank page', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Both builds (www/pkg and, where relaxed SIMD validates, www/pkg-relaxed).
  await page.route('**/core_bg.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto(`${server.url}#${HOME}`);
  await page.waitForFunction(() => document.body.dataset.ready === 'error', null, { timeout: 10000 });
  assert.ok(await page.isVisible('#load-error'));
  assert.match(await page.textContent('#load-error'), /could not be loaded/);
  await context.close();
});

test('axe-core: zero WCAG 2 A/AA violations, before and after training', async () => {
  const { page, errors } = await open();
  let v = await axeViolations(page);
  assert.deepEqual(v, [], formatViolations(v));
  await page.evaluate(() => window.rnnLab.train(50));
  await page.click('.more-settings summary');
  await page.evaluate(() => window.rnnLab.set({ hidden: 999 }));
  v = await axeViolations(page);
  assert.deepEqual(v, [], formatViolations(v));
  assert.deepEqual(errors, []);
  await page.context().close();
});

for (const [width, height] of [[1024, 768], [1920, 1080]]) {
  test(`screenshots at ${width}×${height}: nothing wider than the window`, async () => {
    const { page, errors } = await open(`${HOME}&step=2`, { width, height });
    await page.evaluate(() => window.rnnLab.train(150));
    await page.evaluate(() => window.rnnLab.frame());
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the window`);
    await saveScreenshot(page, `shell-steps-${width}x${height}`);
    await saveScreenshot(page, `shell-steps-${width}x${height}-full`, { fullPage: true });
    assert.deepEqual(errors, []);
    await page.context().close();
  });
}
