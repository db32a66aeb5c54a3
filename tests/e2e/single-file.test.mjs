// The single file, dist/rnn-lab.html (scripts/single-file.mjs), opened from disk in headless
// Chromium: it builds here from www/pkg (scripts/test builds that first), then loads from
// file:// ready, steps, trains, shows every chapter, with no console error and no request
// but the file itself (and the training worker's Blob, which is in memory); and where no
// worker starts, the page trains itself with a notice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, canvasHasInk, ROOT } from './harness.mjs';

const FILE = join(ROOT, 'dist', 'rnn-lab.html');
const URL_ = pathToFileURL(FILE).href;

let browser;
before(async () => {
  execFileSync('node', [join(ROOT, 'scripts', 'single-file.mjs')], { stdio: ['ignore', 'inherit', 'inherit'] });
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Opens the file in a fresh context; `requests` and `errors` keep collecting. */
async function open({ init } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console.error: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  if (init) await page.addInitScript(init);
  await page.goto(URL_);
  await page.waitForFunction(() => ['1', 'error'].includes(document.body.dataset.ready ?? ''), null, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), '1',
    `not ready: ${await page.evaluate(() => document.body.innerText.slice(0, 300))}\n${errors.join('\n')}`);
  return { page, requests, errors, context };
}

/** Every request is the file itself or a blob: URL the page made (the worker's script). */
function onlyTheFile(requests) {
  const others = requests.filter((u) => u !== URL_ && !u.startsWith('blob:'));
  assert.deepEqual(others, [], 'the single file asked for something other than itself');
  assert.ok(requests.includes(URL_));
}

test('the file is one self-contained page: no src/href to another file, a CSP without remote origins', () => {
  const html = readFileSync(FILE, 'utf8');
  console.log(`dist/rnn-lab.html: ${(statSync(FILE).size / 1024).toFixed(0)} KB`);
  assert.doesNotMatch(html, /<script[^>]+src=/i);
  assert.doesNotMatch(html, /<link[^>]+href="(?!data:)/i);
  const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)?.[1];
  assert.ok(csp, 'a CSP <meta>');
  assert.match(csp, /script-src 'sha256-[^']+' 'wasm-unsafe-eval'/);
  assert.match(csp, /connect-src 'none'/);
  assert.doesNotMatch(csp, /https?:|'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
});

test('from file://: ready, steps, trains in the worker, every chapter draws; no error, no request but the file', async () => {
  const { page, requests, errors, context } = await open();
  try {
    const start = await page.evaluate(() => window.rnnLab.state());
    assert.equal(start.step, 1);
    await page.click('#chapter-steps .pb-next');
    await page.keyboard.press('ArrowRight');
    const stepped = await page.evaluate(() => window.rnnLab.state().step);
    assert.equal(stepped, 3, 'the Next button and → each moved one step');
    assert.match(await page.textContent('#steps-where'), /3/);

    await page.waitForFunction(() => window.rnnLab.state().worker === true, null, { timeout: 10_000 });
    const before = await page.evaluate(() => window.rnnLab.snapshot().loss);
    const report = await page.evaluate(() => window.rnnLab.train(200));
    const after = await page.evaluate(() => ({ s: window.rnnLab.state(), loss: window.rnnLab.snapshot().loss }));
    assert.equal(after.s.iteration, 200, `trained 200 iterations (${JSON.stringify(report)})`);
    assert.ok(after.loss < before, `the loss fell: ${before} → ${after.loss}`);
    assert.ok(await canvasHasInk(page, '#loss-chart'), 'the loss chart is drawn');

    // Every chapter, those of every engine module (core, recap, why, types), all from the
    // file's one module; Recap's and Why's models train (Why's in the worker).
    for (const chapter of ['recap', 'why', 'unrolled', 'types', 'training', 'vanishing']) {
      await page.evaluate((c) => window.rnnLab.set({ chapter: c }), chapter);
      await page.evaluate((c) => window.rnnLab[c]?.settled?.(), chapter);
      const canvases = await page.$$eval(`#chapter-${chapter} canvas`, (cs) => cs.map((c) => c.id).filter(Boolean));
      assert.ok(canvases.length > 0, `${chapter} has canvases`);
      assert.ok(await canvasHasInk(page, `#${canvases[0]}`), `${chapter}: #${canvases[0]} has ink`);
      // The chapter's stylesheet is the inlined <style id="…-css">: no <link> was added.
      assert.equal(await page.$$eval('link[rel="stylesheet"]', (ls) => ls.length), 0);
    }
    assert.deepEqual(errors, []);
    onlyTheFile(requests);
  } finally {
    await context.close();
  }
});

test('from file:// without a worker: the page trains itself and says so', async () => {
  const { page, requests, errors, context } = await open({
    init: () => {
      window.Worker = class {
        constructor() {
          throw new Error('no workers here');
        }
      };
    },
  });
  try {
    await page.waitForFunction(() => window.rnnLab.state().worker === false &&
      [...document.querySelectorAll('#notices *')].some((n) => /background worker/.test(n.textContent)));
    await page.evaluate(() => window.rnnLab.train(50));
    assert.equal(await page.evaluate(() => window.rnnLab.state().iteration), 50);
    assert.deepEqual(errors, []);
    onlyTheFile(requests);
  } finally {
    await context.close();
  }
});

/** A Firefox to try the file in, if this machine has one (not installed by scripts/setup). */
function firefoxPath() {
  for (const name of ['firefox-esr', 'firefox']) {
    try {
      const p = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (p) return p;
    } catch {
      // not on PATH
    }
  }
  return null;
}

// Firefox through puppeteer-core (WebDriver BiDi; it comes with lighthouse). Skipped where
// there is no Firefox: scripts/setup installs Chromium only.
test('from file:// in Firefox: ready, steps, trains, every chapter; no error', { skip: firefoxPath() ? false : 'no Firefox on this machine (apt-get install firefox-esr to run it)' }, async () => {
  const { default: puppeteer } = await import('puppeteer-core');
  const firefox = await puppeteer.launch({ browser: 'firefox', executablePath: firefoxPath(), headless: true });
  try {
    const page = await firefox.newPage();
    const errors = [];
    const requests = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(`console.error: ${m.text()}`));
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(URL_);
    await page.waitForFunction(() => ['1', 'error'].includes(document.body.dataset.ready ?? ''), { timeout: 60_000 });
    const r = await page.evaluate(async () => {
      if (document.body.dataset.ready !== '1') return { ready: document.body.dataset.ready, text: document.body.innerText.slice(0, 300) };
      window.rnnLab.step(2);
      const before = window.rnnLab.snapshot().loss;
      await window.rnnLab.train(100);
      const out = { ready: '1', step: window.rnnLab.state().step, iteration: window.rnnLab.state().iteration, before, after: window.rnnLab.snapshot().loss };
      for (const c of ['unrolled', 'training', 'vanishing']) window.rnnLab.set({ chapter: c });
      out.sections = document.querySelectorAll('main section.chapter').length;
      return out;
    });
    assert.equal(r.ready, '1', JSON.stringify(r));
    assert.equal(r.step, 3);
    assert.equal(r.iteration, 100);
    assert.ok(r.after < r.before, `the loss fell: ${r.before} → ${r.after}`);
    assert.equal(r.sections, 4);
    assert.deepEqual(errors, []);
    // Firefox reports the data: URLs (fonts, the empty favicon) as requests: none is a file or the network.
    assert.deepEqual(requests.filter((u) => !/^(data|blob):/.test(u) && u !== URL_), []);
  } finally {
    await firefox.close();
  }
});
