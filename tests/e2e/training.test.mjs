// End-to-end tests of chapter 3, "Training: backpropagation through time", in headless
// Chromium: the backward pass stepped on the diagram against the engine's numbers, the
// shared-weight sum, training to e,l,l,o, Run with a live learning-rate change, clipping
// markers, divergence, text mode with truncated BPTT, sampling, the gradient check, bad
// input, accessibility, screenshots. Needs a built app (scripts/build).
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

const MINUS = '\u2212';
/** The page's number format (www/views/common.js fmt). */
function fmt(x, digits = 3) {
  let s = Number(x).toFixed(digits);
  if (/^-0\.?0*$/.test(s)) s = s.slice(1);
  return s.replace('-', MINUS);
}

async function open(hash = 'chapter=training', viewport) {
  const r = await openApp(browser, { url: server.url, hash, viewport });
  await r.page.evaluate(() => window.rnnLab.frame());
  return r;
}

const state = (page) => page.evaluate(() => window.rnnLab.state());
const text = (page, sel) => page.$eval(sel, (e) => e.textContent);

/** Presses → until the backward cursor is at (t, sub-step). */
async function stepTo(page, t, sub) {
  for (let i = 0; i < 40; i++) {
    const s = await state(page);
    if (s.step === t && s.substep_name === sub) return;
    await page.keyboard.press('ArrowRight');
    await page.evaluate(() => window.rnnLab.frame());
  }
  throw new Error(`could not reach t = ${t}, ${sub}`);
}

/** Pixels of the loss chart in the clipping-marker colour (Okabe–Ito vermillion #d55e00). */
function eventPixels(page) {
  return page.$eval('#training-loss-chart', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] === 0xd5 && d[i + 1] === 0x5e && d[i + 2] === 0x00) n++;
    return n;
  });
}

async function waitFor(page, fn, arg, timeout = 30_000) {
  await page.waitForFunction(fn, arg, { timeout, polling: 50 });
}

test('backward stepping through "hello": ‖dL/dh_t‖ for t = 4..1 equals the engine, pixels replay exactly', async () => {
  const { page, errors } = await open();
  const s0 = await state(page);
  assert.equal(s0.chapter, 'training');
  assert.equal(s0.phase, 'backward', 'the chapter starts in the backward pass');
  assert.equal(s0.step, 4);
  await page.click('#training-title');
  const engine = await page.evaluate(() => window.rnnLab.lab.gradients().dh_norms);
  const hashes = {};
  for (const t of [4, 3, 2, 1]) {
    await stepTo(page, t, 'dh');
    const shown = await text(page, '#training-dh-norm');
    assert.equal(shown.trim(), fmt(engine[t]), `‖dL/dh_${t}‖ shown ${shown} vs engine ${engine[t]}`);
    const full = await page.$eval('#training-dh-norm', (e) => Number(e.dataset.value));
    assert.equal(full, engine[t], 'the full value is the engine’s, to the last bit');
    const snap = await page.evaluate(() => window.rnnLab.snapshot());
    assert.equal(snap.backward.dh_norm, engine[t]);
    hashes[t] = await canvasPixels(page, '#training-diagram-canvas');
    if (t === 4 || t === 2) {
      await page.$eval('#training-sec-backward', (e) => e.scrollIntoView());
      await saveScreenshot(page, `training-backward-t${t}`);
      hashes[t] = await canvasPixels(page, '#training-diagram-canvas');
    }
  }
  // Every factor of step 2 as the engine computed it.
  await stepTo(page, 1, 'to_prev');
  assert.equal((await state(page)).substep_name, 'to_prev');
  // Rewind and replay: the same (t, sub-step) gives the same pixels.
  await page.evaluate(() => window.rnnLab.home());
  await stepTo(page, 3, 'dh');
  assert.equal(await canvasPixels(page, '#training-diagram-canvas'), hashes[3]);
  await page.evaluate(() => window.rnnLab.end());
  for (let i = 0; i < 40 && (await state(page)).step < 2; i++) {
    await page.keyboard.press('ArrowLeft');
    await page.evaluate(() => window.rnnLab.frame());
  }
  // Walking back from the end lands on t = 2's last sub-step; step back to its 'dh'.
  for (let i = 0; i < 8; i++) {
    const s = await state(page);
    if (s.step === 2 && s.substep_name === 'dh') break;
    await page.keyboard.press('ArrowLeft');
    await page.evaluate(() => window.rnnLab.frame());
  }
  assert.equal(await canvasPixels(page, '#training-diagram-canvas'), hashes[2]);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the shown dW_hh sum is the engine’s gradient, and the per-step terms add up to it', async () => {
  const { page, errors } = await open('chapter=training&step=2&phase=backward');
  const g = await page.evaluate(() => window.rnnLab.lab.gradients().w_hh);
  const shown = await page.$$eval('#training-dwhh-sum .num', (els) => els.map((e) => ({
    i: Number(e.dataset.i), j: Number(e.dataset.j), text: e.textContent, title: e.title,
  })));
  assert.equal(shown.length, g.length * g[0].length);
  for (const { i, j, text: t, title } of shown) {
    assert.equal(t, fmt(g[i][j], 4), `dW_hh[${i}][${j}]`);
    assert.equal(Number(title.replace(MINUS, '-')), g[i][j]);
  }
  const c = await page.evaluate(() => window.rnnLab.lab.training_contributions(2, undefined));
  assert.ok(c.sum_error[1] < 1e-14, `Σ_t terms − gradient = ${c.sum_error[1]}`);
  assert.deepEqual(c.gradient[1], g);
  assert.ok(await canvasHasInk(page, '#training-contrib-chart'));
  assert.ok(await canvasHasInk(page, '#training-dh-chart'));
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('training "hello" from the default state reaches e, l, l, o and the page says so', async () => {
  const { page, errors } = await open();
  assert.doesNotMatch(await text(page, '#training-verdict'), /Converged/);
  for (let i = 0; i < 30; i++) {
    await page.click('#training-train-100');
    await page.evaluate(() => window.rnnLab.frame());
    await waitFor(page, () => !window.rnnLab.training.status().busy && window.rnnLab.training.status().iteration > 0);
    if (/Converged/.test(await text(page, '#training-verdict'))) break;
  }
  const verdict = await text(page, '#training-verdict');
  assert.match(verdict, /Converged: .*predicts e, l, l, o/);
  const trace = await page.evaluate(() => window.rnnLab.lab.trace());
  assert.deepEqual(trace.predicted_chars, ['e', 'l', 'l', 'o']);
  const it = await page.evaluate(() => window.rnnLab.training.status().iteration);
  assert.equal((await text(page, '#training-iteration')).trim(), String(it));
  assert.ok(await canvasHasInk(page, '#training-loss-chart'));
  await page.$eval('#training-run', (e) => e.scrollIntoView());
  await saveScreenshot(page, 'training-converged');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('changing the learning rate while running does not reset', async () => {
  const { page, errors } = await open();
  await page.click('#training-run');
  await waitFor(page, () => window.rnnLab.training.status().iteration >= 200);
  const before = await page.evaluate(() => window.rnnLab.training.status());
  // The log slider: 10^−0.3 ≈ 0.501.
  await page.$eval('#training-lr-slider', (e) => {
    e.value = '-0.3';
    e.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await waitFor(page, (n) => window.rnnLab.training.status().iteration >= n + 300, before.iteration);
  const after = await page.evaluate(() => window.rnnLab.training.status());
  assert.equal((await state(page)).lr, 0.501);
  assert.equal(await page.evaluate(() => window.rnnLab.lab.settings().lr), 0.501, 'the engine trains with the new lr');
  assert.match(await text(page, '#training-lr-value'), /lr = 0\.501/);
  assert.ok(after.iteration > before.iteration, 'the iteration count went on');
  assert.ok(after.history_len >= before.history_len, 'the history was kept');
  assert.ok(after.running);
  // iterations/s is measured over windows of 250 ms.
  await waitFor(page, () => window.rnnLab.training.status().iterations_per_second > 0);
  await page.evaluate(() => window.rnnLab.frame());
  assert.match(await text(page, '#training-rate'), /^\d+ iterations\/s$/);
  await page.click('#training-run');
  await page.evaluate(() => window.rnnLab.frame());
  assert.equal(await page.evaluate(() => window.rnnLab.training.status().running), false);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('clipping markers appear on the loss curve when the learning rate is set high', async () => {
  const { page, errors } = await open();
  await page.evaluate(() => window.rnnLab.training.train(100));
  assert.equal(await page.evaluate(() => window.rnnLab.lab.loss_history(600).clip_fired.some(Boolean)), false);
  assert.equal(await eventPixels(page), 0, 'no clipping markers at lr 0.1');
  await page.click('#training-fresh');
  await page.fill('#training-lr', '10');
  await page.press('#training-lr', 'Enter');
  await page.click('#training-train-100');
  await waitFor(page, () => window.rnnLab.training.status().iteration === 100 && !window.rnnLab.training.status().busy);
  await page.evaluate(() => window.rnnLab.frame());
  const h = await page.evaluate(() => window.rnnLab.lab.loss_history(600));
  assert.ok(h.clip_fired.some(Boolean), 'clipping (by value, c = 5) fired with lr 10');
  assert.ok(await eventPixels(page) > 0, 'clipping markers are drawn on the loss curve');
  await page.$eval('#training-loss-chart', (e) => e.scrollIntoView());
  await saveScreenshot(page, 'training-clipping-markers');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a diverging run stops with a visible "diverged" and keeps the last good weights', async () => {
  const { page, errors } = await open('chapter=training&act=identity&opt=sgd&lr=10&clip=off');
  await page.click('#training-run');
  await waitFor(page, () => !document.getElementById('training-diverged').hidden);
  const msg = await text(page, '#training-diverged');
  assert.match(msg, /diverged/i);
  const status = await page.evaluate(() => window.rnnLab.training.status());
  assert.equal(status.running, false, 'the run stopped');
  assert.equal(status.diverged?.iteration, status.iteration + 1);
  const params = await page.evaluate(() => window.rnnLab.lab.params());
  for (const k of ['w_xh', 'w_hh', 'w_hy']) assert.ok(params[k].flat().every(Number.isFinite), `${k} finite`);
  // More training is refused and changes nothing.
  // Train 1 is marked unavailable (aria-disabled); clicking it anyway changes nothing.
  assert.equal(await page.$eval('#training-train-1', (e) => e.getAttribute('aria-disabled')), 'true');
  await page.click('#training-train-1', { force: true });
  await page.evaluate(() => window.rnnLab.frame());
  assert.deepEqual(await page.evaluate(() => window.rnnLab.lab.params()), params);
  assert.equal(await page.evaluate(() => window.rnnLab.training.status().iteration), status.iteration);
  await page.$eval('#training-diverged', (e) => e.scrollIntoView());
  await saveScreenshot(page, 'training-diverged');
  // Fresh weights clear it.
  await page.click('#training-fresh');
  await page.evaluate(() => window.rnnLab.frame());
  assert.equal(await page.$eval('#training-diverged', (e) => e.hidden), true);
  assert.deepEqual(errors.filter((e) => !/diverged/.test(e)), []);
  await page.context().close();
});

test('text mode: 2,000 iterations on the built-in paragraph lower the smooth loss; a sample at τ = 0.5', async () => {
  const { page, errors } = await open('chapter=training&data=text&thidden=64&temp=0.5&slen=200&sseed=1');
  const before = await page.evaluate(() => window.rnnLab.training.status());
  assert.equal(before.mode, 'text');
  assert.equal(before.steps, 25);
  await page.evaluate(() => window.rnnLab.training.train(2000));
  const after = await page.evaluate(() => window.rnnLab.training.status());
  assert.equal(after.iteration, 2000);
  assert.ok(after.smooth_loss < before.smooth_loss - 5, `smooth loss ${before.smooth_loss} → ${after.smooth_loss}`);
  assert.equal((await text(page, '#training-smooth-loss')).trim(), fmt(after.smooth_loss));
  await page.click('#training-sample-all');
  await page.evaluate(() => window.rnnLab.frame());
  const sample = await page.$eval('#training-sample-text', (e) => e.dataset.full);
  assert.equal([...sample].length, 200);
  console.log(`# sample at τ = 0.5 after 2,000 iterations (smooth loss ${after.smooth_loss.toFixed(2)}):\n# ${sample.replace(/\n/g, '\n# ')}`);
  // Stepped: one character at a time, the same characters.
  await page.click('#training-sample-restart');
  for (let i = 0; i < 3; i++) await page.click('#training-sample-step');
  await page.evaluate(() => window.rnnLab.frame());
  const body = await text(page, '#training-sample-text .sample-body');
  assert.equal(body, [...sample].slice(0, 3).join(''));
  assert.match(await text(page, '#training-sample-step-text'), /^Step 3 of 200: input “.+” → drew “.+” with p = /);
  assert.ok(await canvasHasInk(page, '#training-softmax-chart'));
  await page.$eval('#training-sec-sampling', (e) => e.scrollIntoView());
  await saveScreenshot(page, 'training-sampling');
  // Seeded: the same link gives the same sample.
  const again = await page.evaluate(({ s }) => {
    const lab = window.rnnLab.training.lab();
    return lab.sample(s, 200, 0.5, 1).text;
  }, { s: await page.$eval('#training-sample-start', (e) => Number(e.value)) });
  assert.equal(again, sample);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('text mode in float32: the Precision control trains fast in f32, the loss goes down, the views stay float64', async () => {
  const { page, errors } = await open('chapter=training&data=text&thidden=32');
  await page.selectOption('#training-tprec', 'f32');
  await page.evaluate(() => window.rnnLab.frame());
  assert.equal((await state(page)).tprec, 'f32');
  // (with "fused multiply-add" where the page runs the relaxed-SIMD build: Chromium does)
  assert.match(await text(page, '#training-text-info'), /trains in float32 \(fast(, fused multiply-add)?\)/);
  const before = await page.evaluate(() => window.rnnLab.training.status());
  await page.evaluate(() => window.rnnLab.training.train(400));
  const after = await page.evaluate(() => window.rnnLab.training.status());
  assert.equal(after.iteration, 400);
  assert.ok(after.smooth_loss < before.smooth_loss - 1, `smooth loss ${before.smooth_loss} → ${after.smooth_loss}`);
  const r = await page.evaluate(() => {
    const shown = window.rnnLab.training.lab();
    // The same weights in a float64 copy: every view reads the same numbers from both.
    const Lab = window.rnnLab.debug.Lab;
    const exact = Lab.text({ ...shown.settings(), precision: 'f64' });
    exact.import_state(shown.export_state(0));
    const views = (lab) => JSON.stringify([lab.trace(), lab.gradients(), lab.forward_snapshot(3), lab.backward_snapshot(3)]);
    const out = {
      same: views(shown) === views(exact),
      weightsF32: shown.params().w_hh.flat().every((w) => Math.fround(w) === w),
      gradsF64: shown.gradients().w_hh.flat().some((g) => Math.fround(g) !== g),
      precision: shown.settings().precision,
    };
    exact.free();
    return out;
  });
  assert.deepEqual(r, { same: true, weightsF32: true, gradsF64: true, precision: 'f32' });
  await page.$eval('#training-tprec', (e) => e.scrollIntoView());
  await saveScreenshot(page, 'training-precision');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('sampling is seeded: the same link gives the same sample, another seed another one', async () => {
  const samples = [];
  for (const hash of ['chapter=training&seed=3&sseed=7&temp=0.8&slen=60', 'chapter=training&seed=3&sseed=7&temp=0.8&slen=60', 'chapter=training&seed=3&sseed=8&temp=0.8&slen=60']) {
    const { page, errors } = await open(hash);
    samples.push(await page.$eval('#training-sample-text', (e) => e.dataset.full));
    assert.deepEqual(errors, []);
    await page.context().close();
  }
  assert.equal([...samples[0]].length, 60);
  assert.equal(samples[1], samples[0]);
  assert.notEqual(samples[2], samples[0]);
});

test('truncated BPTT: k = T draws the same timeline as full BPTT; k = 10 cuts it and discards gradient', async () => {
  const { page, errors } = await open('chapter=training&data=text&thidden=32');
  await page.evaluate(() => window.rnnLab.training.train(20));
  await page.$eval('#training-timeline-chart', (e) => e.scrollIntoView());
  await page.evaluate(() => window.rnnLab.frame());
  const full = await canvasPixels(page, '#training-timeline-chart');
  const fullData = await page.evaluate(() => window.rnnLab.training.lab().training_timeline(undefined, undefined));
  await page.evaluate(() => window.rnnLab.set({ k1: 25, k2: 25 }));
  await page.evaluate(() => window.rnnLab.frame());
  const same = await canvasPixels(page, '#training-timeline-chart');
  const sameData = await page.evaluate(() => window.rnnLab.training.lab().training_timeline(25, 25));
  assert.equal(same, full, 'k = T gives the same picture as full BPTT');
  assert.deepEqual(sameData.dh_norms, fullData.dh_norms);
  assert.equal(sameData.grad_difference, 0);
  await page.evaluate(() => window.rnnLab.set({ k1: 10, k2: 10 }));
  await page.evaluate(() => window.rnnLab.frame());
  assert.notEqual(await canvasPixels(page, '#training-timeline-chart'), full);
  const cut = await page.evaluate(() => window.rnnLab.training.lab().training_timeline(10, 10));
  assert.deepEqual(cut.chunks.map((c) => [c.start, c.loss_from, c.end]), [[0, 0, 10], [10, 10, 20], [20, 20, 25]]);
  assert.ok(cut.grad_difference > 0);
  const items = await page.$$eval('#training-borders li', (els) => els.map((e) => e.textContent));
  assert.equal(items.length, 3);
  // (subscripts are <sub> elements: “dh_10” reads “dh10” as text)
  assert.ok(items[1].includes(`‖dL/dh10‖ = ${fmt(cut.chunks[1].dh_start_norm, 4)}`), items[1]);
  // Training uses the truncation too, without a reset.
  const it = await page.evaluate(() => window.rnnLab.training.status().iteration);
  await page.evaluate(() => window.rnnLab.training.train(5));
  const info = await page.evaluate(() => window.rnnLab.training.lab().training_info());
  assert.deepEqual(info.truncation, [10, 10]);
  assert.equal(await page.evaluate(() => window.rnnLab.training.status().iteration), it + 5);
  await saveScreenshot(page, 'training-tbptt-timeline');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('gradient check: every parameter under 1e-6 with the default settings, shown in green', async () => {
  const { page, errors } = await open();
  await page.click('#training-gradcheck');
  await waitFor(page, () => !document.getElementById('training-gradcheck-table').hidden);
  const rows = await page.$$eval('#training-gradcheck-table tbody tr', (els) => els.map((e) => ({
    name: e.dataset.name, cls: e.className, err: Number(e.querySelector('td.num').title),
    color: getComputedStyle(e.querySelector('.verdict-cell')).color,
  })));
  assert.deepEqual(rows.map((r) => r.name), ['W_xh', 'W_hh', 'W_hy']);
  for (const r of rows) {
    assert.ok(r.err < 1e-6, `${r.name}: ${r.err}`);
    assert.equal(r.cls, 'pass');
    assert.equal(r.color, 'rgb(0, 112, 79)');
  }
  assert.match(await text(page, '#training-gradcheck-status'), /^Passed/);
  await page.$eval('#training-sec-check', (e) => e.scrollIntoView());
  await saveScreenshot(page, 'training-gradcheck');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('bad input: empty or > 100 KB text and a non-number learning rate are refused; the model stays', async () => {
  const { page, errors } = await open('chapter=training&data=text&thidden=16');
  await page.evaluate(() => window.rnnLab.training.train(10));
  const params = await page.evaluate(() => window.rnnLab.training.lab().params());
  const notices = () => page.$$eval('.notice-error .notice-text', (els) => els.map((e) => e.textContent));
  await page.fill('#training-paste', '');
  await page.click('#training-use-paste');
  assert.ok((await notices()).some((t) => /empty/.test(t)), 'empty text refused');
  await page.$eval('#training-paste', (e) => { e.value = 'x'.repeat(101 * 1024); });
  await page.click('#training-use-paste');
  assert.ok((await notices()).some((t) => /at most 100 KB/.test(t)), 'too long refused');
  await page.evaluate(() => window.rnnLab.frame());
  assert.deepEqual(await page.evaluate(() => window.rnnLab.training.lab().params()), params, 'model intact');
  assert.equal(await page.evaluate(() => window.rnnLab.training.status().iteration), 10);
  // Non-ASCII is fine.
  await page.fill('#training-paste', 'Grüße aus Köln! ¿Qué tal? 東京 ✓ '.repeat(20));
  await page.click('#training-use-paste');
  await page.evaluate(() => window.rnnLab.frame());
  const info = await page.evaluate(() => window.rnnLab.training.lab().training_info());
  assert.equal(info.text_chars, 'Grüße aus Köln! ¿Qué tal? 東京 ✓ '.length * 20);
  await page.evaluate(() => window.rnnLab.training.train(5));
  // NaN learning rate.
  const lr = (await state(page)).lr;
  await page.fill('#training-lr', 'NaN');
  await page.press('#training-lr', 'Enter');
  await page.evaluate(() => window.rnnLab.frame());
  assert.equal((await state(page)).lr, lr);
  assert.ok((await notices()).some((t) => /learning rate must be a number above 0/.test(t)));
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('axe: no WCAG A/AA violations in the training chapter; screenshots at 1024×768 and 1920×1080', async () => {
  for (const viewport of [{ width: 1024, height: 768 }, { width: 1920, height: 1080 }]) {
    const { page, errors } = await open('chapter=training', viewport);
    await page.click('#training-gradcheck');
    await waitFor(page, () => !document.getElementById('training-gradcheck-table').hidden);
    const v = await axeViolations(page, { include: '#chapter-training' });
    assert.deepEqual(v, [], formatViolations(v));
    await saveScreenshot(page, `training-${viewport.width}x${viewport.height}`, { fullPage: true });
    assert.deepEqual(errors, []);
    await page.context().close();
  }
});
