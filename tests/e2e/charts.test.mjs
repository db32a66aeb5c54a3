// The charts drawn in JS (www/charts/: the loss curve and the per-step bars, which the
// default chapter shows): their pure helpers in Node (tick choice, finite runs, the y and x
// ranges, text layout, the palette), then in headless Chromium the drawing itself (ink in
// the palette's colours, clipping ticks, the highlighted bar, non-finite values, bad data),
// and the Time steps chapter drawing both on a fresh load while the charts module (plotters)
// is held back, with a screenshot at devicePixelRatio 2. Chapters with charts of the charts
// module still draw them when it arrives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COLORS, flow, twoLines } from '../../www/charts/frame.js';
import { finiteRuns, fixed, floatTicks, integerTicks, mapLinear, tickLabel, yTop } from '../../www/charts/ticks.js';
import { lossXRange } from '../../www/charts/loss.js';
import { barSlots, xLabelSlots } from '../../www/charts/grad-bars.js';
import { ROOT, startServer, launch, openApp, saveScreenshot, canvasHasInk } from './harness.mjs';

// ---- pure helpers (Node) ----------------------------------------------------------------

test('tick choice: at most the asked number of round values, as plotters chose them', () => {
  // Expected: what plotters 0.3.7 gives (RangedCoordf64 / RangedCoordusize key_points, run
  // natively); 4,500 such ranges over twelve decades agreed when this was written.
  const f64 = [
    [0, 10, 6, [0, 2, 4, 6, 8, 10]],
    [1, 300, 6, [50, 100, 150, 200, 250, 300]],
    [0, 2.415, 5, [0, 0.5, 1, 1.5, 2]],
    [0, 1, 5, [0, 0.5, 1]],
    [0, 1000, 6, [0, 200, 400, 600, 800, 1000]],
    [1000, 15950, 6, [5000, 10000, 15000]],
    [3, 3, 5, [3]],
    [0, 1, 0, []],
    [0, 3.15, 5, [0, 1, 2, 3]],
    [1, 11, 6, [2, 4, 6, 8, 10]],
    [0, 2.1e-4, 5, [0, 5e-5, 0.0001, 0.00015000000000000001, 0.0002]],
    [17, 4017, 6, [1000, 2000, 3000, 4000]],
    [0, 0.3, 5, [0, 0.1, 0.2, 0.30000000000000004]],
    [0, 7.77, 5, [0, 2, 4, 6]],
  ];
  for (const [lo, hi, n, want] of f64) assert.deepEqual(floatTicks(lo, hi, n), want, `${lo}..${hi}, ${n} at most`);
  // The bars: every bar while they fit, else every 2nd, 5th, 10th… (plotters' integer key
  // points, which give 25 for 0..24 with 24 asked: its quirk, kept).
  const usize = [
    [9, 10, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    [29, 24, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28]],
    [99, 11, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]],
    [0, 1, [0]],
    [24, 24, [...Array(25).keys()]],
    [47, 18, [0, 5, 10, 15, 20, 25, 30, 35, 40, 45]],
    [19, 7, [0, 5, 10, 15]],
  ];
  for (const [hi, n, want] of usize) assert.deepEqual(integerTicks(0, hi, n), want, `0..${hi}, ${n} at most`);
  assert.equal(xLabelSlots(560, 1, 24), 18);
  assert.equal(xLabelSlots(300, 2, 24), 1);
});

test('tick labels: 3 significant digits, exponent form far from 1, Rust\'s rounding of ties', () => {
  assert.equal(tickLabel(0), '0');
  assert.equal(tickLabel(0.5), '0.500');
  assert.equal(tickLabel(1.5), '1.50');
  assert.equal(tickLabel(12.5), '12.5');
  assert.equal(tickLabel(250), '250');
  assert.equal(tickLabel(123456), '1.2e5');
  assert.equal(tickLabel(0.0001234), '1.2e-4');
  // format!("{:.2}", 0.125) is 0.12 (ties to even), toFixed gives 0.13.
  assert.equal(fixed(0.125, 2), '0.12');
  assert.equal(fixed(0.375, 2), '0.38');
  assert.equal(fixed(2.5, 0), '2');
  assert.equal(fixed(3.5, 0), '4');
  assert.equal(fixed(3.14159, 2), '3.14');
});

test('ranges: y from 0 with 5% headroom over the finite values; the loss x range at least 10 wide', () => {
  assert.equal(yTop([1, NaN, 2], [Infinity, -3]), 2 * 1.05);
  assert.equal(yTop([]), 1);
  assert.equal(yTop([NaN, 0]), 1);
  assert.deepEqual(lossXRange([]), [0, 10]);
  assert.deepEqual(lossXRange([1, 2, 3]), [1, 11]);
  assert.deepEqual(lossXRange([5, 500]), [5, 500]);
  // Plotters' pixel map: floor with a tolerance, the y axis reversed.
  assert.equal(mapLinear(5, 0, 10, 100, 200), 150);
  assert.equal(mapLinear(0, 0, 1, 299, 20), 299);
  assert.equal(mapLinear(1, 0, 1, 299, 20), 20);
});

test('finite runs: a NaN or ∞ breaks the line, nothing is drawn for it', () => {
  assert.deepEqual(finiteRuns([1, 2, 3, 4, 5], [1, NaN, 3, Infinity, 5]), [[[1, 1]], [[3, 3]], [[5, 5]]]);
  assert.deepEqual(finiteRuns([1, 2, 3], [4, 5, 6]), [[[1, 4], [2, 5], [3, 6]]]);
  assert.deepEqual(finiteRuns([1, NaN, 3], [1, 2, 3]), [[[1, 1]], [[3, 3]]]);
  assert.deepEqual(finiteRuns([], []), []);
  assert.deepEqual(finiteRuns([1, 2], [NaN, -Infinity]), []);
  // Lists of different lengths: as far as both go.
  assert.deepEqual(finiteRuns([1, 2, 3], [1]), [[[1, 1]]]);
});

test('bar slots: n equal slots over the plot, the last ending at its right edge', () => {
  const { edge, centre } = barSlots(4, 100, 500);
  assert.deepEqual([0, 1, 2, 3, 4].map(edge), [100, 200, 300, 400, 500]);
  assert.deepEqual([0, 1, 2, 3].map(centre), [150, 250, 350, 450]);
  // One bar spans the plot (plotters drew it at the canvas's left edge).
  const one = barSlots(1, 100, 500);
  assert.deepEqual([one.edge(0), one.edge(1), one.centre(0)], [100, 500, 300]);
});

test('text layout: a title on two lines at the best space, legend rows that fit', () => {
  const width = (t) => t.length;
  assert.deepEqual(twoLines('short', width, 10), ['short']);
  assert.deepEqual(twoLines('a bb ccc dddd', width, 8), ['a bb', 'ccc dddd']);
  assert.deepEqual(twoLines('aaaa bb cc', width, 8), ['aaaa', 'bb cc']);
  assert.deepEqual(twoLines('unbreakable', width, 4), ['unbreakable']);
  assert.deepEqual(flow([10, 10, 10], 2, 25), [[0, 2], [2, 3]]);
  assert.deepEqual(flow([30, 5], 2, 25), [[0, 1], [1, 2]]);
  assert.deepEqual(flow([], 2, 25), []);
});

test('the JS charts\' colours are the palette of the Rust charts (src/web/palette.rs)', () => {
  const src = readFileSync(join(ROOT, 'src', 'web', 'palette.rs'), 'utf8');
  const rust = (name) => {
    const m = src.match(new RegExp(`pub const ${name}: RGBColor = RGBColor\\(0x(..), 0x(..), 0x(..)\\)`));
    assert.ok(m, `${name} in palette.rs`);
    return `#${m.slice(1).join('')}`.toLowerCase();
  };
  assert.deepEqual(COLORS, {
    loss: rust('LOSS'), smooth: rust('SMOOTH'), event: rust('EVENT'), gradient: rust('GRADIENT'),
    text: rust('TEXT'), axis: rust('AXIS'), grid: rust('GRID'), background: rust('BACKGROUND'),
  });
});

// ---- in the browser -------------------------------------------------------------------

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

/**
 * Runs in the page: draws `cases` ([{kind: 'loss' | 'bars', data, w, h, scale?}]) on new
 * canvases with the JS charts and counts, per case, the ink and the pixels of each palette
 * colour (within 6 per channel: anti-aliasing blends the edges), or the error's message.
 */
async function drawInPage(page, cases) {
  return page.evaluate(async ({ cases, colors }) => {
    const { drawLossChart } = await import('/www/charts/loss.js');
    const { drawGradBarsChart } = await import('/www/charts/grad-bars.js');
    const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    return cases.map(({ kind, data, w, h, scale = 1 }) => {
      const c = document.createElement('canvas');
      c.width = w;
      c.height = h;
      document.body.append(c);
      try {
        (kind === 'loss' ? drawLossChart : drawGradBarsChart)(c, data, scale);
      } catch (e) {
        c.remove();
        return { error: e.message };
      }
      const px = c.getContext('2d').getImageData(0, 0, w, h).data;
      c.remove();
      const out = { ink: 0 };
      const want = Object.entries(colors).map(([name, hex]) => [name, rgb(hex)]);
      for (const [name] of want) out[name] = 0;
      for (let i = 0; i < px.length; i += 4) {
        if (px[i + 3] > 0 && (px[i] !== 255 || px[i + 1] !== 255 || px[i + 2] !== 255)) out.ink++;
        for (const [name, [r, g, b]] of want) {
          if (px[i + 3] === 255 && Math.abs(px[i] - r) <= 6 && Math.abs(px[i + 1] - g) <= 6 && Math.abs(px[i + 2] - b) <= 6) out[name]++;
        }
      }
      return out;
    });
  }, { cases, colors: { loss: COLORS.loss, smooth: COLORS.smooth, event: COLORS.event } });
}

test('the loss chart: axes and a message with no data, the curves after training, clipping ticks, NaN skipped', async () => {
  const { page, errors } = await openApp(browser, { url: server.url, hash: 'chapter=steps' });
  // A real Lab's curves (the core module's handle, as the chapter's model): before and after 300 iterations.
  const [empty, real] = await page.evaluate(() => {
    const lab = new window.rnnLab.debug.Lab(undefined);
    const before = lab.loss_history(500);
    lab.train(300);
    const after = lab.loss_history(500);
    lab.free();
    return [before, after];
  });
  const n = 50;
  const range = [...Array(n).keys()].map((i) => i + 1);
  const clipping = {
    iteration: range,
    loss: range.map((i) => (i === 20 ? NaN : 10 / i)),
    smooth_loss: range.map((i) => 9 - 0.1 * i),
    clip_fired: range.map((i) => i % 5 === 0),
    title: 'clipping',
  };
  const [none, trained, clipped, unclipped] = await drawInPage(page, [
    { kind: 'loss', data: empty, w: 640, h: 360 },
    { kind: 'loss', data: real, w: 640, h: 360 },
    { kind: 'loss', data: clipping, w: 800, h: 400 },
    { kind: 'loss', data: { ...clipping, clip_fired: [] }, w: 800, h: 400 },
  ]);
  assert.ok(none.ink > 500, `axes and the 'train' message are drawn: ${JSON.stringify(none)}`);
  assert.equal(none.loss, 0, 'no loss line yet');
  assert.ok(trained.ink > (640 * 360) / 100, `at least 1% of the canvas is ink: ${JSON.stringify(trained)}`);
  assert.ok(trained.loss > 200, `the loss line: ${JSON.stringify(trained)}`);
  assert.ok(trained.smooth > 200, `the smooth line: ${JSON.stringify(trained)}`);
  assert.ok(clipped.event > 50, `clip ticks drawn: ${JSON.stringify(clipped)}`);
  assert.ok(clipped.loss > 100, 'the loss line around the NaN');
  assert.equal(unclipped.event, 0, 'no ticks without clipping');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the bars: every bar, the current step in vermillion, exploded values marked, bad data refused', async () => {
  const { page, errors } = await openApp(browser, { url: server.url, hash: 'chapter=steps' });
  const norms = await page.evaluate(() => {
    const lab = new window.rnnLab.debug.Lab(undefined);
    const dh = lab.gradients().dh_norms.slice(1);
    lab.free();
    return dh;
  });
  assert.equal(norms.length, 4);
  const [highlighted, plain, exploded, badValues, badLoss, unsized] = await drawInPage(page, [
    { kind: 'bars', data: { values: norms, highlight: 2 }, w: 600, h: 320 },
    { kind: 'bars', data: { values: norms }, w: 600, h: 320 },
    { kind: 'bars', data: { values: [1, Infinity, NaN, 2] }, w: 600, h: 320 },
    { kind: 'bars', data: { values: 'no' }, w: 300, h: 200 },
    { kind: 'loss', data: 'garbage', w: 300, h: 200 },
    { kind: 'loss', data: {}, w: 0, h: 0 },
  ]);
  assert.ok(highlighted.event > 300, `highlighted bar: ${JSON.stringify(highlighted)}`);
  assert.ok(highlighted.loss > 3 * 100, `the other three bars (the gradient colour is the loss blue): ${JSON.stringify(highlighted)}`);
  assert.equal(plain.event, 0, 'without a highlight no bar is vermillion');
  assert.ok(exploded.ink > 1000, `exploded values are drawn: ${JSON.stringify(exploded)}`);
  assert.match(badValues.error, /gradient bars chart: bad data/);
  assert.match(badLoss.error, /loss chart: bad data/);
  assert.match(unsized.error, /no size/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

/** Counts the pixels of `hex` (within 6 per channel) on the canvas `selector`. */
function colorPixels(page, selector, hex) {
  return page.$eval(selector, (c, hex) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3] === 255 && Math.abs(px[i] - r) <= 6 && Math.abs(px[i + 1] - g) <= 6 && Math.abs(px[i + 2] - b) <= 6) n++;
    }
    return n;
  }, hex);
}

test('Time steps on a fresh load draws both charts without the charts module (held back), crisp at DPR 2', async () => {
  const asked = [];
  // The charts module is held back for the whole test: the chapter must not need it.
  const held = new Promise(() => {});
  const { page, errors } = await openApp(browser, {
    url: server.url,
    hash: 'chapter=steps',
    deviceScaleFactor: 2,
    waitForCharts: false,
    prepare: (context) => context.route(/\/www\/pkg\/charts(_bg\.wasm|\.js)$/, async (route) => {
      asked.push(route.request().url());
      await held;
    }),
  });
  await page.evaluate(() => window.rnnLab.frame());
  for (const id of ['#loss-chart', '#dh-chart']) assert.ok(await canvasHasInk(page, id), `${id} is drawn`);
  assert.equal(await colorPixels(page, '#loss-chart', COLORS.loss), 0, 'no loss line before training');
  assert.ok(await colorPixels(page, '#dh-chart', COLORS.event) > 100, 'the current step\'s bar in vermillion');
  await page.evaluate(() => window.rnnLab.train(20));
  await page.evaluate(() => window.rnnLab.frame());
  assert.ok(await colorPixels(page, '#loss-chart', COLORS.loss) > 100, 'the loss line after 20 iterations');
  assert.ok(await colorPixels(page, '#loss-chart', COLORS.smooth) > 100, 'the smooth loss line');
  assert.ok(await colorPixels(page, '#dh-chart', COLORS.gradient) > 100, 'the other steps\' bars');
  const box = await page.$eval('#loss-chart', (c) => ({ w: c.getBoundingClientRect().width, dw: c.width }));
  assert.equal(box.dw, Math.round(box.w * 2), 'drawn in device pixels');
  assert.equal(await page.evaluate(() => document.body.dataset.charts ?? ''), '', 'the charts module never arrived');
  await page.$eval('#loss-chart', (c) => c.scrollIntoView({ block: 'center' }));
  await saveScreenshot(page, 'charts-js-time-steps-dpr2');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a chapter with charts of the charts module, opened fresh, draws them when the module arrives (fetched once)', async () => {
  for (const [hash, ids] of [['chapter=unrolled&step=3&sub=5', ['#unrolled-hidden-chart', '#unrolled-probs-chart']], ['chapter=why', ['#why-hello-loss']]]) {
    const wasm = [];
    const { page, errors } = await openApp(browser, {
      url: server.url,
      hash,
      prepare: (context) => context.on('request', (r) => r.url().endsWith('.wasm') && wasm.push(r.url().replace(/.*\//, ''))),
    });
    await page.evaluate(() => window.rnnLab.frame());
    for (const id of ids) {
      await page.$eval(id, (c) => c.scrollIntoView({ block: 'center' }));
      await page.evaluate(() => window.rnnLab.frame());
      assert.ok(await canvasHasInk(page, id), `${hash}: ${id} is drawn`);
    }
    await page.waitForFunction(() => document.body.dataset.prefetched === '1', null, { timeout: 60_000 });
    assert.equal(wasm.filter((u) => u === 'charts_bg.wasm').length, 1, `${hash}: wasm requests ${wasm.join(', ')}`);
    assert.deepEqual(errors, []);
    await page.context().close();
  }
});

test('a chart throttled while models train (Why recurrence?) is drawn in the first frame after the charts module arrives', async () => {
  // The module is held until the chapter's models are training: the chapter then redraws
  // its charts only every 500 ms, and a chart that waited for the module must not wait more.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const { page, errors } = await openApp(browser, {
    url: server.url,
    hash: 'chapter=why',
    waitForCharts: false,
    prepare: (context) => context.route(/\/www\/pkg\/charts(_bg\.wasm|\.js)$/, async (route) => {
      await held;
      await route.continue();
    }),
  });
  const ids = ['#why-hello-loss', '#why-auto-loss', '#why-words-loss', '#why-bag-chart'];
  await page.evaluate(() => window.rnnLab.frame());
  for (const id of ids) assert.equal(await canvasHasInk(page, id), false, `${id} waits for the module`);
  const ready = await page.evaluate(() => window.rnnLab.why.ready());
  assert.equal(ready.autocomplete && ready.words, false, `a model still trains: ${JSON.stringify(ready)}`);
  release();
  await page.waitForFunction(() => document.body.dataset.charts === '1', null, { timeout: 60_000 });
  await page.evaluate(() => window.rnnLab.frame());
  const training = await page.evaluate(() => window.rnnLab.why.ready());
  for (const id of ids) assert.ok(await canvasHasInk(page, id), `${id} is drawn (readiness ${JSON.stringify(training)})`);
  assert.deepEqual(errors, []);
  await page.context().close();
});
