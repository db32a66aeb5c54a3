// End-to-end tests of the chapter "Vanishing and exploding gradients" (issue 6):
// every preset loads from its URL and draws all five charts; the numbers on the page
// are the engine's; "exploding" shows the badge without a page error; the λ1 slider
// redraws the charts in the next frame; axe finds no violation. Screenshots of
// every preset go to test-output/screenshots/. Needs a built app (scripts/build).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launch, openApp, axeViolations, formatViolations, saveScreenshot, canvasHasInk, canvasPixels,
} from './harness.mjs';

const CANVASES = ['past', 'chain', 'spectrum', 'norms', 'heat'].map((n) => `#vanishing-${n}`);
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

/** Opens the chapter at `hash` and waits until its replay of training has finished. */
async function openChapter(hash = 'chapter=vanishing', options = {}) {
  const r = await openApp(browser, { url: server.url, hash, ...options });
  await r.page.evaluate(() => window.rnnLab.vanishing.settled());
  return r;
}

/** The presets as the engine defines them, and their links on the page. */
async function presetLinks() {
  const { page } = await openChapter();
  const out = await page.evaluate(() => {
    const lab = window.rnnLab.debug.VanishingLab;
    return lab.vanishing_presets().map((p) => ({
      ...p, href: document.querySelector(`#vanishing-preset-${p.name}`).getAttribute('href'),
    }));
  });
  await page.context().close();
  return out;
}

/** The number written in the element `sel` (true minus sign allowed). */
async function shownNumber(page, sel) {
  const text = await page.textContent(sel);
  return Number(text.replace('\u2212', '-').replace('%', '').trim());
}

test('each preset loads from its URL, draws every chart, and shows the engine’s numbers', async () => {
  const presets = await presetLinks();
  assert.deepEqual(presets.map((p) => p.name), ['vanishing', 'edge', 'saturating', 'exploding', 'clipped']);
  for (const p of presets) {
    assert.match(p.href, /^#/);
    const { page, errors } = await openChapter(p.href.slice(1));
    const state = await page.evaluate(() => window.rnnLab.state());
    assert.equal(state.chapter, 'vanishing');
    assert.equal(state.vact, p.activation, p.name);
    assert.equal(state.vl1, p.lambda1, p.name);
    assert.equal(state.vinit, p.init, p.name);
    assert.equal(state.vclip, p.clip_norm !== null, p.name);
    assert.equal(await page.getAttribute(`#vanishing-preset-${p.name}`, 'aria-current'), 'true');
    for (const sel of CANVASES) assert.ok(await canvasHasInk(page, sel), `${p.name}: ${sel} is blank`);

    const a = await page.evaluate(() => window.rnnLab.vanishing.analysis());
    const drawn = await page.evaluate(() => window.rnnLab.vanishing.shown());
    // The charts were drawn from exactly what the engine computes now.
    assert.deepEqual(drawn.analysis, a, `${p.name}: the page shows stale numbers`);
    // The initial W_hh was rescaled to the preset's λ1; the page shows the spectrum's σ_1.
    assert.ok(Math.abs(a.lambda1 - p.lambda1) < 1e-12, `${p.name}: λ1 ${a.lambda1}`);
    assert.equal(a.singular_values[0], a.lambda1);
    assert.equal(await shownNumber(page, '#vanishing-lambda1-shown'), Number(a.lambda1.toFixed(4)));
    assert.equal(await shownNumber(page, '#vanishing-rho-shown'), Number(a.spectral_radius.toFixed(4)));
    assert.equal(await shownNumber(page, '#vanishing-saturated'), Number((100 * a.saturated_fraction).toFixed(1)));
    assert.equal(a.jacobian_log10.length, p.length);
    // Pascanu's bound holds on the page's numbers too.
    a.jacobian_log10.forEach((j, i) => assert.ok(j <= a.bound_log10[i] + 1e-9, `${p.name}: n = ${i + 1}`));
    const seq = await page.evaluate(() => window.rnnLab.vanishing.sequence());
    assert.equal(await page.textContent('#vanishing-sequence .seq-chars'), seq.input_chars.join(''));
    assert.equal(await page.textContent('#vanishing-sequence mark'), seq.answer);

    const status = await page.evaluate(() => window.rnnLab.vanishing.status());
    const badge = await page.isVisible('#vanishing-exploded');
    if (p.name === 'exploding') {
      assert.ok(status.diverged, 'the exploding preset diverges');
      assert.ok(badge, 'the exploded badge is shown');
      assert.match(await page.textContent('#vanishing-exploded'), /Exploded/);
      assert.ok(status.iteration < p.iterations);
    } else {
      assert.ok(!badge, `${p.name}: no badge`);
      assert.equal(status.iteration, p.iterations, p.name);
    }
    const readout = await page.textContent('#vanishing-train-readout');
    assert.match(readout, new RegExp(`^Iteration ${status.iteration}\\b`));
    if (p.name === 'clipped') {
      const t = await page.evaluate(() => window.rnnLab.vanishing.training());
      const fired = t.clip_fired.filter(Boolean).length;
      assert.ok(fired > 0, 'clipping fired');
      assert.match(readout, new RegExp(`clipping fired in ${fired} of ${t.held}`));
    }
    assert.deepEqual(errors, [], `${p.name}: ${errors.join('\n')}`);
    await saveScreenshot(page, `vanishing-preset-${p.name}`, { fullPage: true });
    await page.context().close();
  }
});

test('the exploding preset analysed after training: flagged, finite values only, no page error', async () => {
  const presets = await presetLinks();
  const hash = presets.find((p) => p.name === 'exploding').href.slice(1);
  const { page, errors } = await openChapter(`${hash}&vw=trained`);
  const a = await page.evaluate(() => window.rnnLab.vanishing.analysis());
  assert.ok(a.exploded);
  assert.ok(a.non_finite.length > 0);
  assert.ok(await page.isVisible('#vanishing-exploded'));
  assert.match(await page.textContent('#vanishing-exploded'), /not finite/);
  for (const sel of CANVASES) assert.ok(await canvasHasInk(page, sel), `${sel} is blank`);
  assert.deepEqual(errors, []);
  await saveScreenshot(page, 'vanishing-exploding-trained', { fullPage: true });
  await page.context().close();
});

test('moving the λ1 slider redraws the charts in the very next frame', async () => {
  const { page, errors } = await openChapter();
  // Five moves: each must change the pixels of the three analysis charts in the very
  // next frame. The time from the input event to the end of that frame is printed, not
  // asserted (speed is bench/vanishing-frame.mjs's business, not a test's).
  const times = [];
  for (const value of [1.3, 0.7, 2.1, 0.9, 1.6]) {
    const before = await Promise.all(CANVASES.slice(0, 3).map((s) => canvasPixels(page, s)));
    const result = await page.evaluate(async (v) => {
      const slider = document.querySelector('#vanishing-lambda1');
      const t0 = performance.now();
      slider.value = String(v);
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      await window.rnnLab.frame();
      return { ms: performance.now() - t0, lambda1: window.rnnLab.vanishing.analysis().lambda1, state: window.rnnLab.state().vl1 };
    }, value);
    const afterPixels = await Promise.all(CANVASES.slice(0, 3).map((s) => canvasPixels(page, s)));
    assert.equal(result.state, value);
    assert.ok(Math.abs(result.lambda1 - value) < 1e-12);
    before.forEach((b, i) => assert.notEqual(afterPixels[i], b, `λ1 = ${value}: ${CANVASES[i]} did not change`));
    times.push(result.ms);
  }
  console.log(`λ1 slider → charts redrawn in the next frame: ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
  // The URL carries the last value: the same link reproduces the same numbers.
  await page.waitForFunction(() => /(^|[#&])vl1=1\.6(&|$)/.test(location.hash));
  const hash = await page.evaluate(() => location.hash.slice(1));
  await page.evaluate(() => window.rnnLab.vanishing.settled());
  const a1 = await page.evaluate(() => window.rnnLab.vanishing.trainedAnalysis());
  const again = await openChapter(hash);
  assert.deepEqual(await again.page.evaluate(() => window.rnnLab.vanishing.trainedAnalysis()), a1);
  assert.deepEqual(errors, []);
  await again.page.context().close();
  await page.context().close();
});

test('the train buttons add iterations, record them in the URL and fill the training charts', async () => {
  const { page, errors } = await openChapter('chapter=vanishing&vit=0');
  assert.equal((await page.evaluate(() => window.rnnLab.vanishing.status())).iteration, 0);
  const heat = await canvasPixels(page, '#vanishing-heat');
  await page.click('#vanishing-train-100');
  await page.evaluate(() => window.rnnLab.vanishing.settled());
  const status = await page.evaluate(() => window.rnnLab.vanishing.status());
  assert.equal(status.iteration, 100);
  assert.equal(await page.evaluate(() => window.rnnLab.state().vit), 100);
  assert.notEqual(await canvasPixels(page, '#vanishing-heat'), heat);
  const t = await page.evaluate(() => window.rnnLab.vanishing.training());
  assert.equal(t.held, 100);
  assert.equal(t.rows, 41);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('out-of-range settings in the URL are clamped with a notice, never thrown', async () => {
  const { page, errors } = await openChapter('chapter=vanishing&vd=150&vl1=9&vh=500&vlen=20');
  const state = await page.evaluate(() => window.rnnLab.state());
  assert.equal(state.vd, 100);
  assert.equal(state.vl1, 3);
  assert.equal(state.vh, 64);
  assert.match(await page.textContent('#notices'), /vd 150 is above the maximum/);
  // T = 20 is shorter than d + 2: the chapter uses 102 and says so.
  assert.match(await page.textContent('#vanishing-notes'), /T = 102 is used/);
  const a = await page.evaluate(() => window.rnnLab.vanishing.analysis());
  assert.equal(a.steps, 102);
  assert.equal(a.hidden, 64);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('axe: no WCAG 2 A/AA violations in the chapter', async () => {
  const presets = await presetLinks();
  for (const name of ['vanishing', 'exploding']) {
    const { page } = await openChapter(presets.find((p) => p.name === name).href.slice(1));
    const v = await axeViolations(page, { include: '#chapter-vanishing' });
    assert.deepEqual(v, [], formatViolations(v));
    await page.context().close();
  }
});
