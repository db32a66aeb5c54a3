// End-to-end tests of chapter "The recurrence, unrolled" (www/views/unrolled.js,
// www/diagram/): stepping every sub-step of "hello", the numbers in the equation panel
// and in the focused/hovered cells against window.rnnLab.snapshot() and the engine's
// trace, exact undo when stepping back (canvas pixels), word changes and refusals,
// training to convergence, the rolled view, long words, screenshots and axe.
// Needs a built app (scripts/build). E2E_SITE=/path serves another copy of the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, axeViolations, formatViolations, saveScreenshot, canvasHasInk, canvasPixels } from './harness.mjs';
import { startStaticServer } from '../../scripts/server.mjs';

const FORWARD = ['w_xh_x', 'w_hh_h', 'sum', 'activation', 'output', 'softmax', 'loss'];
const CANVAS = '#unrolled-canvas';
/** Snapshot field holding the numbers a data-q of the equation panel shows (vectors and scalars). */
const VECTOR_Q = ['x_t', 'h_prev', 'w_xh_x', 'w_hh_h', 'b_h', 'a_t', 'h_t', 'b_y', 'y_t', 'p_t'];
const SCALAR_Q = ['loss_t', 'running_loss', 'loss'];
/** What the hidden cells of column t hold after each forward sub-step. */
const HIDDEN_Q = { w_xh_x: 'w_xh_x', w_hh_h: 'w_hh_h', sum: 'a_t', activation: 'h_t', output: 'h_t', softmax: 'h_t', loss: 'h_t' };

let server;
let browser;
before(async () => {
  server = process.env.E2E_SITE ? await startStaticServer({ root: process.env.E2E_SITE, port: 0 }) : await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(hash = 'chapter=unrolled', viewport) {
  const r = await openApp(browser, { url: server.url, hash, viewport });
  await r.page.evaluate(() => window.rnnLab.frame());
  return r;
}

/** The page's number format (www/views/common.js fmt), re-stated to compare texts. */
function fmt(x, digits) {
  let s = Number(x).toFixed(digits);
  if (/^-0\.?0*$/.test(s)) s = s.slice(1);
  return s.replace('-', '\u2212');
}

/** The number at the end of a tooltip ("h_2[1] = −0.123…"), full precision. */
function valueOf(text) {
  const m = /=\s*([−\-]?[0-9.e+\-]+)(?:;|\s|$)/.exec(text);
  assert.ok(m, `no number in “${text}”`);
  return Number(m[1].replace('\u2212', '-'));
}

/** Every number span of the equation panel: {q, i, j, digits, text, row}. */
function panelNumbers(page) {
  return page.$$eval('#unrolled-equations .num[data-q]', (spans) => spans.map((s) => ({
    q: s.dataset.q, i: s.dataset.i === undefined ? null : Number(s.dataset.i), j: s.dataset.j === undefined ? null : Number(s.dataset.j),
    digits: Number(s.dataset.digits), text: s.textContent, title: s.title, row: s.closest('li')?.dataset.sub,
  })));
}

/** Checks the panel against the snapshot and the engine's matrices; returns how many numbers. */
function checkPanel(nums, snap, model, where) {
  let n = 0;
  for (const x of nums) {
    let want;
    if (VECTOR_Q.includes(x.q)) want = snap[x.q][x.i];
    else if (SCALAR_Q.includes(x.q)) want = snap[x.q];
    else if (['w_xh', 'w_hh', 'w_hy'].includes(x.q)) want = x.j === null ? model[x.q][x.i][snap.input_index] : model[x.q][x.i][x.j];
    else assert.fail(`${where}: unknown quantity ${x.q}`);
    assert.equal(x.text, fmt(want, x.digits), `${where}: ${x.q}[${x.i}${x.j === null ? '' : `,${x.j}`}] shows ${x.text}, engine ${want}`);
    assert.equal(Number(x.title.replace('\u2212', '-')), want, `${where}: full value of ${x.q}`);
    n++;
  }
  return n;
}

test('stepping "hello" visits t = 1..4 and every sub-step; panel, focused cells and snapshot agree with the engine', async () => {
  const { page, errors } = await open();
  await page.evaluate(() => window.rnnLab.home());
  const model = await page.evaluate(() => window.rnnLab.lab.unrolled_forward());
  const trace = await page.evaluate(() => window.rnnLab.lab.trace());
  assert.deepEqual(model.vocab, ['h', 'e', 'l', 'o']);
  assert.equal(model.steps, 4);
  // The canvas takes the keyboard focus; ←/→ still step, ↓ walks the cells of column t.
  await page.focus(CANVAS);
  const visited = [];
  let numbers = 0;
  for (let move = 0; move < 4 * FORWARD.length; move++) {
    if (move > 0) {
      // Alternate the Next button and the → key (the button is clicked by the pointer).
      if (move % 2) await page.keyboard.press('ArrowRight');
      else {
        await page.click('#chapter-unrolled .pb-next');
        await page.focus(CANVAS);
      }
    }
    await page.evaluate(() => window.rnnLab.frame());
    const snap = await page.evaluate(() => window.rnnLab.snapshot());
    const { t, substep_name: sub } = snap;
    const where = `t=${t} ${sub}`;
    visited.push(`${t}:${sub}`);
    // The snapshot is the engine's forward trace at step t.
    const s = t - 1;
    assert.equal(snap.input_index, trace.inputs[s], where);
    assert.equal(snap.target_index, trace.targets[s], where);
    assert.deepEqual(snap.h_prev, trace.h[s], where);
    assert.deepEqual(snap.a_t, trace.a[s], where);
    assert.deepEqual(snap.h_t, trace.h[t], where);
    assert.deepEqual(snap.y_t, trace.y[s], where);
    assert.deepEqual(snap.p_t, trace.p[s], where);
    assert.equal(snap.loss_t, trace.losses[s], where);
    assert.equal(snap.predicted_index, trace.predicted[s], where);
    for (const [key, value] of Object.entries(model.per_step[s])) assert.deepEqual(snap[key], value, `${where}: the diagram's ${key} is the snapshot's`);
    // The panel: rows up to the active one filled in, the active one marked, the rest empty.
    const rows = await page.$$eval('#unrolled-equations li', (lis) => lis.map((li) => ({ sub: li.dataset.sub, cls: li.className, current: li.getAttribute('aria-current') })));
    const k = FORWARD.indexOf(sub);
    rows.forEach((r, j) => {
      const state = j < k ? 'done' : j === k ? 'active' : 'todo';
      assert.ok(r.cls.includes(state), `${where}: row ${r.sub} should be ${state}, is “${r.cls}”`);
      assert.equal(r.current, j === k ? 'step' : null);
    });
    const nums = await panelNumbers(page);
    for (const x of nums) assert.ok(FORWARD.indexOf(x.row) <= k, `${where}: ${x.q} shown in a row not reached yet (${x.row})`);
    numbers += checkPanel(nums, snap, model, where);
    // The focused cell: walk ↓ to each hidden unit of column t and read the tooltip.
    await page.evaluate(() => window.rnnLab.frame());
    const V = model.vocab.length;
    for (let i = 0; i < model.hidden; i++) {
      // From the top of the column (the outputs) down V cells reaches h unit 0.
      if (i === 0) {
        for (let j = 0; j < 2 * V + model.hidden; j++) await page.keyboard.press('ArrowUp');
        for (let j = 0; j < V; j++) await page.keyboard.press('ArrowDown');
      } else await page.keyboard.press('ArrowDown');
      await page.evaluate(() => window.rnnLab.frame());
      const { focus, focus_text: text } = (await page.evaluate(() => window.rnnLab.snapshot())).unrolled;
      assert.deepEqual(focus, { kind: 'h', t, i }, where);
      assert.equal(await page.textContent('#unrolled-tip'), text);
      assert.equal(valueOf(text), snap[HIDDEN_Q[sub]][i], `${where}: focused h cell ${i}: ${text}`);
    }
  }
  const want = [1, 2, 3, 4].flatMap((t) => FORWARD.map((sub) => `${t}:${sub}`));
  assert.deepEqual(visited, want);
  assert.ok(numbers > 200, `checked ${numbers} panel numbers`);
  // Hover: the output cells of column 4 give p_4 and y_4 after the softmax.
  await page.evaluate(() => document.activeElement.blur());
  await page.$eval(CANVAS, (c) => c.scrollIntoView({ block: 'center' }));
  await page.mouse.move(5, 5);
  const snap = await page.evaluate(() => window.rnnLab.snapshot());
  assert.equal(snap.substep_name, 'loss');
  for (let k = 0; k < 4; k++) {
    const c = snap.unrolled.cells.y[k];
    await page.mouse.move(c.x, c.y);
    await page.evaluate(() => window.rnnLab.frame());
    const text = await page.textContent('#unrolled-tip');
    const m = /p_4\[(.)\] = ([^;]+); y_4\[.\] = (\S+)/.exec(text);
    assert.ok(m, text);
    assert.equal(m[1], model.vocab[k]);
    assert.equal(Number(m[2].replace('\u2212', '-')), snap.p_t[k]);
    assert.equal(Number(m[3].replace('\u2212', '-')), snap.y_t[k]);
  }
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('stepping back gives the same pixels as stepping forward to the same (t, sub-step)', async () => {
  const { page, errors } = await open();
  await page.mouse.move(1, 1);
  await page.evaluate(() => window.rnnLab.home());
  const forward = new Map();
  const hidden = new Map();
  for (;;) {
    await page.evaluate(() => window.rnnLab.frame());
    const st = await page.evaluate(() => window.rnnLab.state());
    const key = `${st.step}:${st.substep_name}`;
    forward.set(key, await canvasPixels(page, CANVAS));
    hidden.set(key, await canvasPixels(page, '#unrolled-hidden-chart'));
    const r = await page.evaluate(() => window.rnnLab.step(1));
    if (!r.moved) break;
  }
  assert.equal(forward.size, 28);
  assert.equal(new Set(forward.values()).size, 28, 'every (t, sub-step) looks different');
  let back = 0;
  for (;;) {
    const r = await page.evaluate(() => window.rnnLab.step(-1));
    if (!r.moved) break;
    await page.evaluate(() => window.rnnLab.frame());
    const st = await page.evaluate(() => window.rnnLab.state());
    const key = `${st.step}:${st.substep_name}`;
    assert.equal(await canvasPixels(page, CANVAS), forward.get(key), `diagram at ${key}`);
    assert.equal(await canvasPixels(page, '#unrolled-hidden-chart'), hidden.get(key), `heatmap at ${key}`);
    back++;
  }
  assert.equal(back, 27);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('"hi there" rebuilds the vocabulary and the diagram; an empty or 1-character word is refused and the model kept', async () => {
  const { page, errors } = await open();
  const before = await page.evaluate(() => window.rnnLab.lab.unrolled_forward());
  const setWord = async (w) => {
    await page.fill('#set-word', w);
    await page.press('#set-word', 'Enter');
    await page.dispatchEvent('#set-word', 'change');
    await page.evaluate(() => window.rnnLab.frame());
  };
  await setWord('hi there');
  const f = await page.evaluate(() => window.rnnLab.lab.unrolled_forward());
  assert.deepEqual(f.vocab, ['h', 'i', ' ', 't', 'e', 'r']);
  assert.equal(f.steps, 7);
  assert.match(await page.textContent('#unrolled-word'), /vocabulary \[h, i, ␣, t, e, r\] \(V = 6\)/);
  assert.ok(await canvasHasInk(page, CANVAS));
  await page.evaluate(() => window.rnnLab.end());
  const snap = await page.evaluate(() => window.rnnLab.snapshot());
  assert.equal(snap.t, 7);
  assert.equal(snap.target, 'e');
  assert.equal(snap.unrolled.cells.h.length, f.hidden);
  await page.waitForFunction(() => location.hash.includes('word=hi+there'));

  for (const [bad, why] of [['', /empty/i], ['a', /too short/i]]) {
    const notices = await page.$$eval('.notice', (n) => n.length);
    await setWord(bad);
    const texts = await page.$$eval('.notice', (n) => n.map((x) => x.textContent));
    assert.ok(texts.length > notices || texts.some((t) => why.test(t)), 'a notice appears');
    assert.ok(texts.some((t) => why.test(t) && /kept/.test(t)), `notice for “${bad}”: ${texts.join(' | ')}`);
    const kept = await page.evaluate(() => window.rnnLab.lab.unrolled_forward());
    assert.deepEqual(kept, f, 'the previous model is kept');
    assert.equal(await page.evaluate(() => window.rnnLab.state().word), 'hi there');
  }
  assert.notDeepEqual(before.vocab, f.vocab);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('train to convergence learns e,l,l,o; fresh weights bring back iteration 0; screenshots at t = 1 and 4 before and after', async () => {
  for (const [w, h] of [[1024, 768], [1920, 1080]]) {
    const { page, errors } = await open('chapter=unrolled', { width: w, height: h });
    const shoot = async (name) => {
      await page.evaluate(() => window.rnnLab.frame());
      // Nothing may stick out sideways (cut off) at this size.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name}: the page is ${overflow}px wider than the window`);
      for (const sel of [CANVAS, '#unrolled-hidden-chart', '#unrolled-probs-chart']) assert.ok(await canvasHasInk(page, sel), `${name}: ${sel} drawn`);
      await page.locator('#unrolled-title').scrollIntoViewIfNeeded();
      await saveScreenshot(page, `unrolled-${name}-${w}x${h}`, { fullPage: true });
    };
    await page.evaluate(() => window.rnnLab.home());
    await shoot('t1-untrained');
    await page.evaluate(() => window.rnnLab.end());
    await shoot('t4-untrained');
    const untrained = await page.evaluate(() => window.rnnLab.lab.unrolled_forward());
    assert.equal(untrained.iteration, 0);
    await page.click('#unrolled-converge');
    await page.waitForFunction(() => /Learnt|Already learnt/.test(document.querySelector('#unrolled-train-msg').textContent), null, { timeout: 20_000 });
    const trained = await page.evaluate(() => window.rnnLab.lab.unrolled_forward());
    assert.ok(trained.converged);
    assert.deepEqual(trained.per_step.map((s) => s.predicted), ['e', 'l', 'l', 'o']);
    for (const s of trained.per_step) assert.ok(s.p_t[s.target_index] >= 0.9);
    assert.match(await page.textContent('#unrolled-train-msg'), new RegExp(`iteration ${trained.iteration}\\b`));
    assert.match(await page.textContent('#unrolled-status'), /predicts “ello” \(4 of 4 right\)/);
    await shoot('t4-trained');
    await page.evaluate(() => window.rnnLab.home());
    await shoot('t1-trained');
    await page.click('#unrolled-fresh');
    await page.evaluate(() => window.rnnLab.frame());
    assert.deepEqual(await page.evaluate(() => window.rnnLab.lab.unrolled_forward()), untrained);
    assert.deepEqual(errors, []);
    await page.context().close();
  }
});

/**
 * The diagram's pixels once the rolled ↔ unrolled animation has ended: the same in two
 * frames 150 ms apart (a fixed wait was flaky on a loaded machine), at most 10 s.
 */
async function settled(page) {
  let last = null;
  for (let i = 0; i < 60; i++) {
    await page.waitForTimeout(150);
    await page.evaluate(() => window.rnnLab.frame());
    const now = await canvasPixels(page, CANVAS);
    if (now === last) return now;
    last = now;
  }
  throw new Error('the diagram kept changing for 10 s');
}

test('the rolled view animates from the chain to one cell and back, exactly', async () => {
  const { page, errors } = await open('chapter=unrolled&step=2&sub=3');
  await page.mouse.move(1, 1);
  const unrolled = await canvasPixels(page, CANVAS);
  await page.click('#unrolled-rolled');
  assert.equal(await page.getAttribute('#unrolled-rolled', 'aria-pressed'), 'true');
  // Mid-animation frames differ from both ends; it settles within a second.
  const rolled = await settled(page);
  assert.notEqual(rolled, unrolled);
  await page.waitForFunction(() => location.hash.includes('rolled=1'));
  // Rolled, the one cell still shows h_2 on hover.
  await page.$eval(CANVAS, (c) => c.scrollIntoView({ block: 'center' }));
  const snap = await page.evaluate(() => window.rnnLab.snapshot());
  const c = snap.unrolled.cells.h[1];
  await page.mouse.move(c.x, c.y);
  await page.evaluate(() => window.rnnLab.frame());
  assert.equal(valueOf(await page.textContent('#unrolled-tip')), snap.h_t[1]);
  await page.mouse.move(1, 1);
  await page.click('#unrolled-rolled');
  assert.equal(await settled(page), unrolled);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('at the W_hh h_{t-1} sub-step the W_hh arrow runs between columns, and rolled up only the loop shows it', async () => {
  // Pixels of W_hh's colour (#d55e00) on the horizontal line through the middle
  // hidden cell of column t, from dx0 to dx1 CSS px off the cell's centre.
  const orangeOnLine = (page, dx0, dx1) => page.evaluate(([sel, a, b]) => {
    const canvas = document.querySelector(sel);
    const c = window.rnnLab.snapshot().unrolled.cells.h[1];
    const r = canvas.getBoundingClientRect();
    const k = canvas.width / r.width;
    const y = Math.round((c.y - r.top) * k);
    const x0 = Math.round((c.x + a - r.left) * k);
    const x1 = Math.round((c.x + b - r.left) * k);
    const px = canvas.getContext('2d').getImageData(x0, y, x1 - x0, 1).data;
    let n = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (Math.abs(px[i] - 0xd5) < 24 && Math.abs(px[i + 1] - 0x5e) < 24 && px[i + 2] < 40) n++;
    }
    return n;
  }, [CANVAS, dx0, dx1]);
  const { page, errors } = await open('chapter=unrolled&step=2&sub=1');
  await page.$eval(CANVAS, (c) => c.scrollIntoView({ block: 'center' }));
  await page.mouse.move(1, 1);
  await page.evaluate(() => window.rnnLab.frame());
  assert.equal((await page.evaluate(() => window.rnnLab.state())).substep_name, 'w_hh_h');
  // Unrolled: the arrow from h_1 into h_2 crosses the gap left of the cell.
  assert.ok(await orangeOnLine(page, -75, -32) > 10, 'W_hh arrow between h_1 and h_2');
  await page.click('#unrolled-rolled');
  await settled(page);
  await page.$eval(CANVAS, (c) => c.scrollIntoView({ block: 'center' }));
  await page.evaluate(() => window.rnnLab.frame());
  // Rolled: h_1 is the same cell, so no arrow may cross it (the loop on its right says W_hh).
  assert.equal(await orangeOnLine(page, -26, 26), 0, 'nothing of W_hh across the one cell');
  assert.ok(await orangeOnLine(page, 30, 150) > 0, 'the W_hh loop right of the cell');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('hidden size 1–16 here: a link or the H field asking more is capped with a notice; a bigger model from another chapter is kept', async () => {
  // A link that opens the chapter with H = 40.
  const { page, errors } = await open('chapter=unrolled&hidden=40&seed=3');
  let s = await page.evaluate(() => window.rnnLab.state());
  assert.equal(s.hidden, 16);
  assert.equal((await page.evaluate(() => window.rnnLab.lab.unrolled_forward())).hidden, 16);
  assert.match(await page.textContent('#notices'), /Hidden units H: 40 → 16/);
  assert.equal(await page.getAttribute('#set-hidden', 'max'), '16');
  // The H field: 30 is capped, 12 is taken.
  await page.fill('#set-hidden', '30');
  await page.$eval('#set-hidden', (i) => i.dispatchEvent(new Event('change')));
  s = await page.evaluate(() => window.rnnLab.state());
  assert.equal(s.hidden, 16);
  assert.equal(await page.inputValue('#set-hidden'), '16');
  assert.deepEqual((await page.evaluate(() => window.rnnLab.set({ hidden: 12 }))).notes, []);
  assert.equal((await page.evaluate(() => window.rnnLab.lab.unrolled_forward())).hidden, 12);
  // In "Time steps" H may be 100; coming back keeps that model (no rebuild, no lost
  // training) and says why the cells are small.
  await page.evaluate(() => window.rnnLab.set({ chapter: 'steps' }));
  assert.equal(await page.getAttribute('#set-hidden', 'max'), '256');
  await page.evaluate(() => window.rnnLab.set({ hidden: 100 }));
  await page.evaluate(() => window.rnnLab.train(20));
  const before = await page.evaluate(() => window.rnnLab.state().iteration);
  assert.ok(before >= 20);
  await page.click('nav a[data-chapter="unrolled"]');
  await page.waitForFunction(() => document.body.dataset.chapter === 'unrolled');
  await page.evaluate(() => window.rnnLab.frame());
  s = await page.evaluate(() => window.rnnLab.state());
  assert.equal(s.hidden, 100);
  assert.equal(s.iteration, before);
  assert.ok(await page.isVisible('#unrolled-hidden-note'));
  assert.match(await page.textContent('#unrolled-hidden-note'), /H = 100.*Set H to 16 or less/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the URL carries word, sizes, cursor and view; a 64-character word keeps the current step in view', async () => {
  const word = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ!?';
  assert.equal(word.length, 64);
  const { page, errors } = await open(`chapter=unrolled&word=${encodeURIComponent(word)}&hidden=16&seed=7&scale=0.8&bias=1&act=relu&step=50&sub=4&zoom=1`);
  const st = await page.evaluate(() => window.rnnLab.state());
  assert.equal(st.step, 50);
  assert.equal(st.substep_name, 'output');
  const f = await page.evaluate(() => window.rnnLab.lab.unrolled_forward());
  assert.equal(f.steps, 63);
  assert.equal(f.hidden, 16);
  assert.equal(f.activation, 'relu');
  assert.ok(f.bias);
  assert.equal(await page.$eval('#unrolled-zoom', (s) => s.value), '1');
  const inView = async () => {
    const snap = await page.evaluate(() => window.rnnLab.snapshot());
    const rect = await page.$eval(CANVAS, (c) => c.getBoundingClientRect().toJSON());
    return snap.unrolled.cells.h.every((p) => p.x > rect.left && p.x < rect.right);
  };
  assert.ok(await inView(), 'column 50 is visible');
  await page.evaluate(() => window.rnnLab.end());
  assert.ok(await inView(), 'column 63 is visible');
  await page.evaluate(() => window.rnnLab.home());
  assert.ok(await inView(), 'column 1 is visible');
  // Scrolling by hand moves the picture; the next step brings t back.
  await page.$eval('.diagram-scroller', (s) => { s.scrollLeft = 3000; });
  await page.evaluate(() => window.rnnLab.frame());
  assert.ok(!(await inView()));
  await page.keyboard.press('ArrowRight');
  await page.evaluate(() => window.rnnLab.frame());
  assert.ok(await inView());
  await page.waitForFunction(() => location.hash.includes('sub=1'));
  const hash = await page.evaluate(() => location.hash);
  // Defaults may be left out of the hash (step 1 is the default).
  const q = new URLSearchParams(hash.slice(1));
  const want = { word, hidden: '16', seed: '7', scale: '0.8', bias: '1', act: 'relu', zoom: '1', step: '1', sub: '1' };
  for (const [k, v] of Object.entries(want)) assert.equal(q.get(k) ?? (k === 'step' ? '1' : null), v, `${k} in ${hash}`);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the backward pass draws on the same diagram: gradient cells equal the engine, pixels change', async () => {
  const { page, errors } = await open('chapter=unrolled&step=4&sub=6');
  const fwd = await canvasPixels(page, CANVAS);
  await page.evaluate(() => window.rnnLab.setPhase('backward'));
  await page.evaluate(() => window.rnnLab.step(1)); // t = 4, 'dh'
  const st = await page.evaluate(() => window.rnnLab.state());
  assert.equal(st.step, 4);
  assert.equal(st.substep_name, 'dh');
  assert.notEqual(await canvasPixels(page, CANVAS), fwd);
  const bw = await page.evaluate(() => window.rnnLab.lab.unrolled_backward());
  await page.focus(CANVAS);
  for (let j = 0; j < 11; j++) await page.keyboard.press('ArrowUp'); // to the top output cell
  for (let j = 0; j < 5; j++) await page.keyboard.press('ArrowDown'); // past 4 outputs to h unit 1
  await page.evaluate(() => window.rnnLab.frame());
  const snap = await page.evaluate(() => window.rnnLab.snapshot());
  assert.deepEqual(snap.unrolled.focus, { kind: 'h', t: 4, i: 1 });
  assert.match(snap.unrolled.focus_text, /^dL\/dh_4\[2\] = /);
  assert.equal(valueOf(snap.unrolled.focus_text), bw.per_step[3].dh_t[1]);
  assert.equal(snap.backward.dh_norm, bw.per_step[3].dh_norm);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('axe: no WCAG A/AA violations in the chapter; the step is announced', async () => {
  const { page, errors } = await open('chapter=unrolled&step=2&sub=2');
  await page.keyboard.press('ArrowRight');
  await page.evaluate(() => window.rnnLab.frame());
  assert.match(await page.textContent('#announcer'), /Step t = 2 of 4, forward pass, sub-step 4 of 7: h_2 = tanh\(a_2\)/);
  assert.match(await page.getAttribute(CANVAS, 'aria-label'), /Step t = 2 of 4/);
  await page.focus(CANVAS);
  await page.keyboard.press('ArrowDown');
  const v = await axeViolations(page, { include: '#chapter-unrolled' });
  assert.deepEqual(v, [], formatViolations(v));
  assert.deepEqual(errors, []);
  await page.context().close();
});
