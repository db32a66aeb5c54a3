// End-to-end tests of the page furniture around the chapters: the settings bar shown only
// on the chapters that use its model (and the vanishing chapter's own word field), the
// presenter mode (header toggle, key P, present=1 in the link, what fits a 1024×768
// projector, crisp canvases, axe), and the backward picture drawing no forward numbers in
// cells the gradient has not reached. Needs a built app (scripts/build).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, axeViolations, formatViolations, saveScreenshot } from './harness.mjs';

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

const PROJECTOR = { width: 1024, height: 768 };

/** Whether the element is displayed (not hidden, not display: none anywhere up). */
const shown = (page, sel) => page.$eval(sel, (e) => e.checkVisibility());

/** The element's box in the viewport: {top, bottom, left, right}. */
const box = (page, sel) => page.$eval(sel, (e) => {
  const r = e.getBoundingClientRect();
  return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
});

test('the settings bar shows on the chapters that use it, not on those with models of their own (Recap, Types of RNN, Vanishing gradients); its word field there works', async () => {
  const { page, errors } = await openApp(browser, { url: server.url, hash: 'chapter=unrolled' });
  const chapters = await page.evaluate(() => window.rnnLab.chapters().map((c) => c.id));
  for (const id of chapters) {
    await page.evaluate((chapter) => window.rnnLab.set({ chapter }), id);
    // Chapters with models and controls of their own hide the word model's bar.
    const own = await page.evaluate((chapter) => window.rnnLab.chapters().find((c) => c.id === chapter)?.settingsBar === false, id);
    assert.equal(await shown(page, '#settings'), !own, `settings bar on ${id}`);
    assert.equal(own, ['vanishing', 'recap', 'why', 'types'].includes(id), `${id} declares its own controls`);
  }
  // On the vanishing chapter the word is edited in its own field, shown when it is the sequence.
  assert.equal(await shown(page, '#vanishing-word'), false, 'no word field for the long-range task');
  await page.selectOption('#vanishing-vsrc', 'word');
  // The field appears when the chapter renders, on the next animation frame.
  await page.waitForSelector('#vanishing-word', { state: 'visible', timeout: 5000 });
  assert.equal(await shown(page, '#vanishing-word'), true);
  assert.equal(await page.inputValue('#vanishing-word'), 'hello');
  await page.fill('#vanishing-word', 'abcabd');
  await page.press('#vanishing-word', 'Enter');
  await page.dispatchEvent('#vanishing-word', 'change'); // as a blur would (Enter alone may not commit)
  assert.equal(await page.evaluate(() => window.rnnLab.state().word), 'abcabd');
  // The chapter rebuilds its model on the next frame; then wait for its replay.
  await page.evaluate(() => window.rnnLab.frame());
  await page.evaluate(() => window.rnnLab.vanishing.settled());
  const seq = await page.evaluate(() => window.rnnLab.vanishing.sequence());
  assert.equal(seq.input_chars.join(''), 'abcab', 'the chapter reads the new word (inputs: all but the last character)');
  assert.match(await page.textContent('#vanishing-sequence'), /abcab/);
  // The same word is the other chapters' word.
  await page.evaluate(() => window.rnnLab.set({ chapter: 'steps' }));
  assert.equal(await page.inputValue('#set-word'), 'abcabd');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('presenter mode at 1024×768: the unrolled diagram and the Next button fit without scrolling; settings on demand; axe clean', async () => {
  const { page, errors } = await openApp(browser, { url: server.url, hash: 'chapter=unrolled&present=1', viewport: PROJECTOR });
  await page.evaluate(() => window.rnnLab.frame());
  assert.equal(await page.getAttribute('#present-toggle', 'aria-pressed'), 'true');
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('present')), true);
  for (const sel of ['#unrolled-canvas', '#unrolled-scroller', '.player-bar .pb-next']) {
    const r = await box(page, sel);
    assert.ok(r.top >= 0 && r.bottom <= PROJECTOR.height && r.left >= 0 && r.right <= PROJECTOR.width,
      `${sel} is inside the 1024×768 viewport: ${JSON.stringify(r)}`);
  }
  assert.equal(await page.evaluate(() => window.scrollY), 0);
  // Larger type than the normal page at the same size.
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const presentSize = await size();
  // The settings bar and the long explanations are tucked away; a button shows the settings.
  assert.equal(await shown(page, '#settings'), false);
  assert.equal(await shown(page, '#chapter-unrolled .lead'), false);
  assert.equal(await page.getAttribute('#show-settings', 'aria-expanded'), 'false');
  await page.click('#show-settings');
  assert.equal(await shown(page, '#settings'), true);
  assert.equal(await page.getAttribute('#show-settings', 'aria-expanded'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'set-word', 'the settings take the focus');
  await page.click('#show-settings');
  assert.equal(await shown(page, '#settings'), false);
  await saveScreenshot(page, 'presenter-unrolled-1024x768');

  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], formatViolations(violations));

  // The step table of chapter 1 fits the projector's width at the larger type.
  await page.evaluate(() => window.rnnLab.set({ chapter: 'steps' }));
  const table = await page.$eval('#chapter-steps .table-wrap', (e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
  assert.ok(table.scroll <= table.client, `the step table needs no sideways scrolling: ${JSON.stringify(table)}`);
  const stepsViolations = await axeViolations(page);
  assert.deepEqual(stepsViolations, [], formatViolations(stepsViolations));
  await page.evaluate(() => window.rnnLab.set({ chapter: 'unrolled' }));

  // The header toggle leaves presenter mode, and the link says so.
  await page.click('#present-toggle');
  await page.evaluate(() => window.rnnLab.frame());
  await page.waitForFunction(() => !location.hash.includes('present='));
  assert.equal(await page.getAttribute('#present-toggle', 'aria-pressed'), 'false');
  assert.equal(await shown(page, '#settings'), true);
  assert.ok(presentSize > (await size()), 'presenter mode has larger type');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('key P toggles presenter mode (not while typing in a field); the diagram canvas is redrawn crisply at the new size', async () => {
  const { page, errors } = await openApp(browser, { url: server.url, hash: 'chapter=unrolled', viewport: PROJECTOR, deviceScaleFactor: 2 });
  await page.evaluate(() => window.rnnLab.frame());
  const before = await page.$eval('#unrolled-canvas', (c) => ({ w: c.width, h: c.height, cssH: c.getBoundingClientRect().height }));
  await page.focus('#set-word');
  await page.keyboard.press('p');
  assert.equal(await page.evaluate(() => window.rnnLab.state().present), false, 'P typed into the word field is a letter');
  await page.fill('#set-word', 'hello');
  await page.$eval('#set-word', (e) => e.blur());
  await page.keyboard.press('p');
  await page.evaluate(() => window.rnnLab.frame());
  assert.equal(await page.evaluate(() => window.rnnLab.state().present), true);
  await page.waitForFunction(() => location.hash.includes('present=1'));
  await page.evaluate(() => window.rnnLab.frame());
  const after = await page.$eval('#unrolled-canvas', (c) => {
    const r = c.getBoundingClientRect();
    return { w: c.width, h: c.height, cssW: r.width, cssH: r.height, bottom: r.bottom };
  });
  assert.notEqual(after.h, before.h, 'the picture was re-laid out for the window');
  assert.ok(after.bottom <= PROJECTOR.height, `the picture ends at ${after.bottom}, inside the window`);
  // Crisp: the canvas has devicePixelRatio (2) device pixels per CSS pixel.
  assert.equal(after.w, Math.round(after.cssW * 2));
  assert.equal(after.h, Math.round(after.cssH * 2));
  await page.keyboard.press('P');
  await page.evaluate(() => window.rnnLab.frame());
  assert.equal(await page.evaluate(() => window.rnnLab.state().present), false);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('backward pass: cells the gradient has not reached show no forward numbers', async () => {
  const { page, errors } = await openApp(browser, { url: server.url, hash: 'chapter=unrolled' });
  // Draw the backward picture at t = T, sub-step dy (only column T reached) for the
  // model's data, and for the same data with the forward h_t, p_t and h_0 changed: the
  // unreached columns must give the same pixels. In the forward pass they must not.
  const result = await page.evaluate(async () => {
    const { drawDiagram, computeLayout } = await import('./www/diagram/index.js');
    const lab = window.rnnLab.lab;
    const data = { forward: lab.unrolled_forward(), backward: lab.unrolled_backward() };
    const other = structuredClone(data);
    for (const s of other.forward.per_step) {
      s.h_t = s.h_t.map((v) => -v);
      s.a_t = s.a_t.map((v) => -v);
      s.p_t = [...s.p_t].reverse();
      s.y_t = [...s.y_t].reverse();
    }
    other.forward.h0 = other.forward.h0.map((v, i) => v + 0.5 + i);
    const T = data.forward.steps;
    const layout = computeLayout(data, { width: 900, zoom: 1 });
    const draw = (d, cursor) => {
      const c = document.createElement('canvas');
      c.width = 900;
      c.height = Math.ceil(layout.height);
      drawDiagram(c, d, cursor, { dpr: 1, layout });
      // Columns 0 .. T−1: h_0 and the steps the gradient has not reached at t = T.
      const right = Math.floor(layout.colX(T) - layout.gapX / 2);
      const top = Math.floor(layout.outTop);
      const bottom = Math.ceil(layout.hidTop + layout.H * layout.cellH);
      return Array.from(c.getContext('2d').getImageData(0, top, right, bottom - top).data);
    };
    const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
    const back = { phase: 'backward', t: T, substep: 'dy' };
    const fwd = { phase: 'forward', t: T, substep: 'loss' };
    return {
      backwardSame: same(draw(data, back), draw(other, back)),
      forwardSame: same(draw(data, fwd), draw(other, fwd)),
    };
  });
  assert.equal(result.forwardSame, false, 'the forward picture shows h_t and p_t (the test can tell)');
  assert.equal(result.backwardSame, true, 'unreached cells of the backward picture do not depend on the forward values');
  assert.deepEqual(errors, []);
  await page.context().close();
});
