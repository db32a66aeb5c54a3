// End-to-end tests of the chapter "Why recurrence?" (issue 13): every part renders with ink
// on every canvas; the numbers shown are the engine's (autocomplete suggestions on every
// keystroke, each model's accuracy, the bag-of-words pair, the probes, the "hello" race);
// the window-1 model reaches ½ / ½ after l while the RNN's loss is lower; a link replays
// the chapter's settings and training bit for bit; bad input gets a clear message and the
// running models are kept; the models trained in the worker are those a page without one
// trains, bit for bit; axe finds nothing; a 390 px phone does not scroll sideways.
// Screenshots go to test-output/screenshots/why-*.png. Needs a built app (scripts/build).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launch, openApp, axeViolations, formatViolations, saveScreenshot, canvasHasInk,
} from './harness.mjs';

let server;
let browser;
/** One page with the chapter trained at the defaults, shared by the tests that only read it. */
let shared;

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the chapter at `hash` and waits until every model has had its training. */
async function openChapter(hash = 'chapter=why', viewport) {
  const r = await openApp(browser, { url: server.url, hash, viewport });
  await r.page.evaluate(() => window.rnnLab.why.settled());
  return r;
}

async function defaults() {
  shared ??= await openChapter();
  return shared;
}

/** Waits for the frame that draws the current state (typing goes through setState). */
const drawn = (page) => page.evaluate(() => window.rnnLab.frame());
const unfmt = (s) => Number(String(s).trim().replace('\u2212', '-'));
const pct = (a) => `${(100 * a.value).toFixed(1)} % (${a.correct}/${a.total})`;

test('every part renders, with ink on every canvas, and the page is ready', async () => {
  const { page, errors } = await defaults();
  const ready = await page.evaluate(() => window.rnnLab.why.ready());
  assert.deepEqual(ready, { autocomplete: true, words: true, hello: true });
  const canvases = await page.$$eval('#chapter-why canvas', (cs) => cs.map((c) => `#${c.id}`));
  assert.deepEqual(canvases.sort(), ['#why-auto-loss', '#why-bag-chart', '#why-heart', '#why-hello-loss', '#why-sentence', '#why-sound', '#why-words-loss'].sort());
  for (const sel of canvases) assert.ok(await canvasHasInk(page, sel), `${sel} is blank`);
  assert.equal(await page.textContent('#chapter-why h2'), 'Why recurrence?');
  // In the navigation after Recap (when there is one) and before Time steps.
  const nav = await page.evaluate(() => window.rnnLab.chapters().map((c) => c.id));
  assert.ok(nav.indexOf('why') < nav.indexOf('steps'), nav.join(' '));
  const ex = await page.evaluate(() => window.rnnLab.why.examples());
  const shown = await page.evaluate(() => window.rnnLab.why.shown().examples);
  assert.deepEqual(shown, ex, 'the examples drawn are the engine’s');
  assert.match(await page.textContent('#why-heart-note'), new RegExp(ex.heartbeat.bpm.map((b) => b.toFixed(0)).join(', ')));
  await page.click('#why-play');
  await page.waitForFunction(() => window.rnnLab.why.shown().played === 1);
  await saveScreenshot(page, 'why-desktop', { fullPage: true });
  for (const id of ['why-sequences', 'why-autocomplete', 'why-words', 'why-hello', 'why-closing']) {
    await page.locator(`#${id}`).screenshot({ path: `test-output/screenshots/why-part-${id}.png` });
  }
  assert.deepEqual(errors, []);
});

test('typing in the search box updates the next characters and the completions to the engine’s', async () => {
  const { page, errors } = await defaults();
  const status = await page.evaluate(() => window.rnnLab.why.autocomplete.status());
  assert.equal(status.steps, status.ready_at);
  assert.match(await page.textContent('#why-auto-status'), new RegExp(`Ready: step ${status.steps} of ${status.ready_at}`));
  await page.fill('#why-search', '');
  for (const key of ['w', 'h', 'e', 'r', 'e', ' ', 'i', 's', ' ', 'm']) {
    await page.type('#why-search', key);
    await drawn(page);
    const prefix = await page.inputValue('#why-search');
    const [engine, beam, shown] = await page.evaluate((p) => [
      window.rnnLab.why.autocomplete.prime(p), window.rnnLab.why.autocomplete.complete(p), window.rnnLab.why.shown().autocomplete,
    ], prefix);
    assert.equal(engine.read, prefix);
    assert.deepEqual(shown.primed, engine, `after “${prefix}”`);
    assert.deepEqual(shown.completions, beam, `after “${prefix}”`);
    const items = await page.$$eval('#why-next-chars li .num', (li) => li.map((e) => e.textContent));
    assert.deepEqual(items, engine.next.map((c) => c.p.toFixed(3)));
    const queries = await page.$$eval('#why-completions .why-query', (li) => li.map((e) => e.textContent));
    assert.deepEqual(queries, beam.items.map((c) => `${c.text}${c.finished ? '' : '…'}`));
  }
  assert.equal(await page.evaluate(() => window.rnnLab.why.state().wq), 'where is m');
  // The slide's "where is m…" completes to queries of the list.
  const list = await page.evaluate(() => window.rnnLab.why.autocomplete.list().split('\n'));
  const beam = await page.evaluate(() => window.rnnLab.why.shown().autocomplete.completions.items);
  assert.ok(beam.filter((c) => c.finished && list.includes(c.text)).length >= 3, JSON.stringify(beam));
  // A character the list never uses is marked, skipped, and never an error.
  await page.type('#why-search', 'ü');
  await drawn(page);
  assert.match(await page.textContent('#why-search-note'), /never uses “ü”.*skipped/);
  const skipped = await page.evaluate(() => window.rnnLab.why.shown().autocomplete.primed);
  assert.deepEqual(skipped.skipped, ['ü']);
  assert.equal(skipped.read, 'where is m');
  // Training more changes the completions (the link keeps the steps).
  await page.fill('#why-search', 'where is ');
  await drawn(page);
  const before3000 = await page.evaluate(() => window.rnnLab.why.shown().autocomplete.completions);
  await page.click('#why-auto-more');
  await page.evaluate(() => window.rnnLab.why.settled());
  const after4000 = await page.evaluate(() => window.rnnLab.why.shown().autocomplete);
  assert.equal(after4000.status.iteration, 4000);
  assert.notDeepEqual(after4000.completions, before3000);
  assert.deepEqual(after4000.completions, await page.evaluate(() => window.rnnLab.why.autocomplete.complete('where is ')));
  assert.deepEqual(errors, []);
});

test('each next-word model trains, and the accuracies shown are the engine’s', async () => {
  const { page, errors } = await defaults();
  const summaries = await page.evaluate(() => window.rnnLab.why.words.summaries());
  assert.deepEqual(summaries.map((s) => s.model), ['window', 'bag_of_words', 'large_window', 'rnn']);
  const shown = await page.evaluate(() => window.rnnLab.why.shown().words.summaries);
  assert.deepEqual(shown, summaries);
  for (const s of summaries) {
    assert.equal(s.steps, 800);
    assert.ok(s.losses.at(-1) < s.losses[0], `${s.model} learned`);
    assert.equal(await page.textContent(`#why-models tr[data-model="${s.model}"] .why-test-acc`), pct(s.test_accuracy));
    assert.equal(await page.textContent(`#why-models tr[data-model="${s.model}"] .why-probe-acc`), pct(s.probe_accuracy));
    assert.ok(s.test_accuracy.value > 0.4, `${s.model}: ${s.test_accuracy.value}`);
  }
  const [win, , large, rnn] = summaries;
  // The probe: the clue at a distance never trained; the windows fail, the RNN does not.
  assert.ok(rnn.probe_accuracy.value >= 0.75 && win.probe_accuracy.value <= 0.25 && large.probe_accuracy.value <= 0.25);
  assert.ok(large.parameter_count > 4 * win.parameter_count, 'the large window is much larger');
  const probes = await page.evaluate(() => window.rnnLab.why.words.probes());
  assert.deepEqual(await page.evaluate(() => window.rnnLab.why.shown().probes), probes);
  assert.equal(await page.$$eval('#why-probes tbody tr', (r) => r.length), probes.length);
  // The lecture's prefix: each model's top 5 as the engine gives them.
  const pred = await page.evaluate(() => window.rnnLab.why.words.predict('this morning i took the dog for a'));
  for (const [model, top] of pred.models) {
    const words = await page.$$eval(`#why-pred-${model} .why-word`, (w) => w.map((e) => e.textContent));
    assert.deepEqual(words, top.map((t) => t.token), model);
  }
  assert.ok(pred.models.every(([, top]) => top[0].token === 'walk'));
  assert.deepEqual(errors, []);
});

test('the bag-of-words pair shows identical vectors, and the RNN reads the order', async () => {
  const { page, errors } = await defaults();
  const count = await page.$$eval('#why-pair option', (o) => o.length);
  assert.ok(count >= 2);
  for (let i = 0; i < count; i++) {
    await page.selectOption('#why-pair', String(i));
    await drawn(page);
    const [pair, shown] = await page.evaluate((k) => [window.rnnLab.why.words.orderPair(k), window.rnnLab.why.shown().pair], i);
    assert.deepEqual(shown, pair);
    assert.ok(pair.identical);
    assert.deepEqual(pair.vector_a, pair.vector_b);
    assert.deepEqual(pair.bag_a, pair.bag_b, 'one vector, one prediction');
    assert.notEqual(pair.rnn_a[0].token, pair.rnn_b[0].token, `${pair.a} | ${pair.b}`);
    assert.match(await page.textContent('#why-bag-identical'), /the same vector x/);
    const rows = await page.$$eval('#why-bag-counts tbody tr', (r) => r.map((e) => [...e.children].map((c) => c.textContent)));
    for (const [, a, b] of rows) assert.equal(a, b);
    assert.ok(await canvasHasInk(page, '#why-bag-chart'));
  }
  assert.equal(await page.evaluate(() => window.rnnLab.why.state().wo), count - 1);
  assert.deepEqual(errors, []);
});

test('“hello”: the window-1 model reaches ½ / ½ after l, the RNN a much lower loss', async () => {
  const { page, errors } = await defaults();
  const snap = await page.evaluate(() => window.rnnLab.why.hello());
  assert.deepEqual(await page.evaluate(() => window.rnnLab.why.shown().hello), snap);
  assert.equal(snap.steps, 300);
  const [, , pl, po] = snap.window_after_l;
  assert.ok(Math.abs(pl - 0.5) < 0.02 && Math.abs(po - 0.5) < 0.02, `p(l) ${pl}, p(o) ${po}`);
  assert.match(await page.textContent('#why-hello-status'), /window-1 loss 0\.34\d\d per step \(floor 0\.3466\)/);
  const w = snap.window_losses.at(-1);
  const r = snap.rnn_losses.at(-1);
  assert.ok(r < w / 3 && r < 0.1, `window ${w}, RNN ${r}`);
  const cells = await page.$$eval('#why-hello-table tbody tr', (rows) => rows.map((row) => [...row.querySelectorAll('td')].map((c) => c.textContent)));
  assert.deepEqual(cells[0], snap.window_after_l.map((p) => p.toFixed(3)));
  assert.deepEqual(cells[1], snap.rnn_after_first_l.map((p) => p.toFixed(3)));
  assert.deepEqual(cells[2], snap.rnn_after_second_l.map((p) => p.toFixed(3)));
  assert.ok(unfmt(cells[1][2]) > 0.9 && unfmt(cells[2][3]) > 0.9, 'the RNN gets both l’s right');
  assert.deepEqual(errors, []);
});

test('bad input gets a clear message and the running models are kept', async () => {
  const { page, errors } = await defaults();
  const before = await page.evaluate(() => ({ list: window.rnnLab.why.autocomplete.list(), status: window.rnnLab.why.autocomplete.status() }));
  const paste = async (text) => {
    if (text.length > 1e6) {
      // What the "Learn this list" button calls. A 5 MB text in the textarea takes the
      // browser up to a minute per layout on a loaded machine, and the click waits for them.
      await page.evaluate((t) => window.rnnLab.why.autocomplete.useList(t), text);
    } else {
      await page.evaluate((t) => {
        document.querySelector('#why-list').open = true;
        document.querySelector('#why-list-text').value = t;
      }, text);
      await page.click('#why-list-use');
    }
    await drawn(page);
    return page.textContent('#why-list-message');
  };
  const cases = [
    ['', /not used: the list is empty/],
    ['where is fiji\n'.repeat(400_000), /not used: the list is too long: 5600 KB, at most 100 KB/],
    ['where is\u0000\u0001 fiji\u0002', /not used: this looks like a binary file/],
    ['🙂🙂🙂\n🎉\n', /not used: no line has a letter or a digit: emoji/],
  ];
  for (const [text, message] of cases) {
    assert.match(await paste(text), message);
    assert.equal(await page.getAttribute('#why-list-message', 'data-kind'), 'error');
    const now = await page.evaluate(() => ({ list: window.rnnLab.why.autocomplete.list(), status: window.rnnLab.why.autocomplete.status() }));
    assert.deepEqual(now, before, 'the running model is kept');
  }
  // A binary file is refused the same way.
  await page.setInputFiles('#why-list-file', { name: 'data.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0, 1, 2, 255, 0, 7, 80, 75]) });
  await page.waitForFunction(() => /binary/.test(document.querySelector('#why-list-message').textContent));
  // An unknown word in a prefix: read as <unk>, with a message; the models are kept.
  await page.fill('#why-prefix', 'this morning i took the zebra for a');
  await drawn(page);
  assert.match(await page.textContent('#why-prefix-message'), /Not in the training sentences: “zebra”.*<unk>/);
  const pred = await page.evaluate(() => window.rnnLab.why.shown().prediction.prediction);
  assert.deepEqual(pred.unknown, ['zebra']);
  assert.deepEqual(pred, await page.evaluate(() => window.rnnLab.why.words.predict('this morning i took the zebra for a')));
  // A prefix too long for the engine: its reason, nothing shown, nothing broken.
  await page.fill('#why-prefix', 'a b '.repeat(35));
  await drawn(page);
  assert.match(await page.textContent('#why-prefix-message'), /at most 64 words.*Showing nothing/);
  assert.equal(await page.evaluate(() => window.rnnLab.why.words.status().steps.join()), '800,800,800,800');
  // A good list is learned; the built-in one comes back.
  assert.match(await paste('Where is the station\nwhere is my phone\n\n🙂\nhow to bake bread\n'), /Learning your list: 3 queries.*1 line without a letter or digit was skipped/);
  await page.evaluate(() => window.rnnLab.why.settled());
  assert.equal(await page.evaluate(() => window.rnnLab.why.autocomplete.list()), 'where is the station\nwhere is my phone\nhow to bake bread');
  await page.click('#why-list-builtin');
  await page.evaluate(() => window.rnnLab.why.settled());
  assert.match(await page.textContent('#why-list-message'), /built-in list: 258 queries/);
  assert.equal(await page.evaluate(() => window.rnnLab.why.autocomplete.list()), before.list);
  assert.deepEqual(errors, []);
});

test('a link reproduces the chapter’s settings and its trained models, bit for bit', async () => {
  const hash = 'chapter=why&ws=2&wa=400&wq=how%20to&wb=4&wn=3&wl=6&wt=60&wp=one%20two&wo=1&wh=50&wr=1';
  const { page, errors } = await openChapter(hash);
  assert.deepEqual(await page.evaluate(() => window.rnnLab.why.state()), {
    ws: 2, wr: true, wa: 400, wq: 'how to', wb: 4, wn: 3, wl: 6, wt: 60, wp: 'one two', wo: 1, wh: 50,
  });
  assert.equal(await page.inputValue('#why-search'), 'how to');
  assert.equal(await page.inputValue('#why-prefix'), 'one two');
  assert.equal(await page.inputValue('#why-wn'), '3');
  assert.ok(await page.isChecked('#why-reveal'));
  // The same models, built and trained from the same settings outside the page.
  const same = await page.evaluate(async () => {
    const wasm = await import('/www/pkg/why.js');
    const auto = new wasm.AutocompleteHandle({ settings: { seed: 2 } });
    for (let i = 0; i < 400; i += 7) auto.train(Math.min(7, 400 - i));
    const words = new wasm.NextWordHandle({ window: 3, large_window: 6, seed: 2, hidden: 32, rnn_hidden: 32 });
    words.train(240);
    const hello = new wasm.HelloRaceHandle({ seed: 2 });
    hello.train(50);
    const why = window.rnnLab.why;
    return {
      auto: JSON.stringify(auto.status()) === JSON.stringify(why.autocomplete.status()),
      completions: JSON.stringify(auto.complete('how to', 4, 60)) === JSON.stringify(why.shown().autocomplete.completions),
      words: JSON.stringify(words.summaries()) === JSON.stringify(why.words.summaries()),
      predict: JSON.stringify(words.predict('one two')) === JSON.stringify(why.shown().prediction.prediction),
      hello: JSON.stringify(hello.snapshot()) === JSON.stringify(why.hello()),
    };
  });
  assert.deepEqual(same, { auto: true, completions: true, words: true, predict: true, hello: true });
  const s = await page.evaluate(() => window.rnnLab.why.words.summaries());
  assert.deepEqual([s[0].window, s[2].window], [3, 6]);
  // Changing N rebuilds the window model only; the others keep their training.
  const steps = await page.evaluate(() => {
    window.rnnLab.set({ wn: 1 });
    return window.rnnLab.why.words.status().steps;
  });
  assert.deepEqual(steps, [0, 60, 60, 60]);
  // A hash typed later (or Back/Forward to one) changes the chapter's settings the same way.
  await page.evaluate(() => { location.hash = 'chapter=why&ws=2&wa=400&wq=where&wn=2&wl=6&wt=60&wh=50'; });
  await page.waitForFunction(() => window.rnnLab.why.state().wq === 'where' && window.rnnLab.why.state().wn === 2);
  await page.evaluate(() => window.rnnLab.why.settled());
  assert.equal(await page.inputValue('#why-search'), 'where');
  assert.equal(await page.evaluate(() => window.rnnLab.why.words.summaries()[0].window), 2);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the models train in the worker, and a page without a worker trains them itself to the same bits', async () => {
  const hash = 'chapter=why&ws=3&wa=300&wt=50&wh=40&wp=the%20dog';
  /** Everything the chapter's models hold, as the page's copies show it. */
  const numbers = (page) => page.evaluate(() => {
    const why = window.rnnLab.why;
    return JSON.stringify([why.autocomplete.status(), why.words.summaries(), why.words.predict(), why.hello(), why.shown().prediction]);
  });
  const inWorker = await openChapter(hash);
  assert.equal(await inWorker.page.evaluate(() => window.rnnLab.state().worker), true);
  const context = await browser.newContext();
  await context.route('**/worker.js', (route) => route.abort());
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}#${hash}`);
  await page.waitForFunction(() => document.body.dataset.ready === '1');
  await page.evaluate(() => window.rnnLab.why.settled());
  assert.equal(await page.evaluate(() => window.rnnLab.state().worker), false);
  const [a, b] = [await numbers(inWorker.page), await numbers(page)];
  assert.ok(a.length > 10000);
  assert.equal(a, b, 'worker-trained and page-trained models are the same, bit for bit');
  const steps = JSON.parse(a)[1].map((s) => s.steps);
  assert.deepEqual(steps, [50, 50, 50, 50]);
  assert.deepEqual([...inWorker.errors, ...errors], []);
  await inWorker.page.context().close();
  await context.close();
});

test('axe finds no violations, and a 390 px phone does not scroll sideways', async () => {
  const { page } = await defaults();
  await page.evaluate(() => { document.querySelector('#why-list').open = true; document.querySelector('#why-ex1-answer').open = true; });
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], formatViolations(violations));
  const phone = await openChapter('chapter=why', { width: 390, height: 800 });
  const wide = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(wide <= 0, `the page scrolls ${wide} px sideways`);
  for (const sel of await phone.page.$$eval('#chapter-why canvas', (cs) => cs.map((c) => `#${c.id}`))) {
    assert.ok(await canvasHasInk(phone.page, sel), `${sel} is blank on a phone`);
  }
  await saveScreenshot(phone.page, 'why-phone', { fullPage: true });
  assert.deepEqual(phone.errors, []);
  await phone.page.context().close();
});
