// End-to-end tests of exports (issue 12, section 5 b–c): Save PNG of the unrolled and
// BPTT diagrams (the whole picture, every time step), and Save / Load model in text mode
// and in the vanishing chapter: a saved file loads back bit for bit, a refused file
// changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launch, openApp } from './harness.mjs';

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

/** Clicks `selector` and returns the downloaded file: { name, bytes }. */
async function download(page, selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
}

/** Chooses a file with `text` in the hidden file input `selector`. */
async function load(page, selector, text) {
  await page.setInputFiles(selector, { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.evaluate(() => window.rnnLab.settled());
}

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('Save PNG of the unrolled diagram and of the BPTT diagram: the whole picture, every time step', async () => {
  const word = 'hello world, hello rnn';
  const { page, errors } = await open(`chapter=unrolled&word=${encodeURIComponent(word)}&zoom=1.5`);
  const shown = await page.$eval('#unrolled-canvas', (c) => ({ width: c.width, height: c.height }));
  const png = await download(page, '#unrolled-save-png');
  assert.equal(png.name, 'unrolled.png');
  const size = pngSize(png.bytes);
  assert.ok(size.width > shown.width, `the whole diagram (${size.width} px) is wider than the view (${shown.width} px)`);
  assert.equal(size.height, shown.height);
  const full = await page.evaluate(() => {
    const g = window.rnnLab.snapshot();
    return g.steps;
  });
  assert.equal(full, [...word].length - 1);

  await page.evaluate(() => window.rnnLab.set({ chapter: 'training' }));
  await page.evaluate(() => window.rnnLab.frame());
  const bptt = await download(page, '#training-diagram-save-png');
  assert.equal(bptt.name, 'training-diagram.png');
  const b = pngSize(bptt.bytes);
  assert.ok(b.width > 0 && b.height > 0);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('text mode: Save model, then Load it back after fresh weights: the same text and weights; refused files change nothing', async () => {
  const { page, errors } = await open('chapter=training&data=text&thidden=20&tseq=12');
  await page.evaluate(() => window.rnnLab.training.train(30));
  const saved = await download(page, '#training-save-model');
  assert.equal(saved.name, 'rnn-lab-text-H20.json');
  const file = JSON.parse(saved.bytes.toString('utf8'));
  const params = () => page.evaluate(() => JSON.stringify(window.rnnLab.training.textLab().params()));
  const trained = await params();
  assert.equal(JSON.stringify(file), trained);
  assert.equal(file.hidden, 20);

  await page.click('#training-fresh');
  await page.evaluate(() => window.rnnLab.frame());
  const fresh = await params();
  assert.notEqual(fresh, trained);
  // Refused: not JSON; a word-mode file (its text is too short for sequences of 12); a damaged matrix.
  const word = await page.evaluate(() => JSON.stringify(window.rnnLab.lab.params()));
  const damaged = JSON.stringify({ ...file, w_hh: file.w_hh.slice(1) });
  for (const [bad, why] of [['{"format": ', /not a valid model file/], [word, /at least 13/], [damaged, /w_hh/]]) {
    await load(page, '#training-model-file', bad);
    assert.match(await page.textContent('#notices'), why);
    assert.equal(await params(), fresh, 'a refused file changes nothing');
    await page.evaluate(() => document.getElementById('notices').replaceChildren());
  }
  await load(page, '#training-model-file', saved.bytes.toString('utf8'));
  assert.equal(await params(), trained, 'loaded back bit for bit');
  assert.match(await page.textContent('#notices'), /Model loaded/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('text mode: a file with another text and hidden size brings them in', async () => {
  const { page, errors } = await open('chapter=training&data=text&thidden=20&tseq=12');
  await page.evaluate(() => window.rnnLab.training.usePasted('a tiny text of our own, long enough for sequences of twelve.'));
  await page.evaluate(() => window.rnnLab.training.textLinked());
  await page.evaluate(() => window.rnnLab.set({ thidden: 9 }));
  await page.evaluate(() => window.rnnLab.training.train(10));
  const saved = await download(page, '#training-save-model');
  await page.evaluate(() => window.rnnLab.training.useParagraph());
  await page.evaluate(() => window.rnnLab.set({ thidden: 30 }));
  await page.evaluate(() => window.rnnLab.frame());
  await load(page, '#training-model-file', saved.bytes.toString('utf8'));
  // Loading a text-mode file puts its text into the link first (compressed, asynchronously).
  await page.waitForFunction(() => window.rnnLab.state().thidden === 9 && window.rnnLab.training.textLab()?.status().hidden === 9);
  await page.evaluate(() => window.rnnLab.settled());
  const now = await page.evaluate(() => ({ params: JSON.stringify(window.rnnLab.training.textLab().params()), state: window.rnnLab.state() }));
  assert.equal(now.params, JSON.stringify(JSON.parse(saved.bytes.toString('utf8'))));
  assert.equal(now.state.thidden, 9);
  assert.match(await page.textContent('#training-text-source'), /Your pasted text/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('vanishing chapter: Save model, Load it back into a changed chapter; refused files change nothing', async () => {
  const { page, errors } = await open('chapter=vanishing&vh=8&vit=50');
  await page.evaluate(() => window.rnnLab.vanishing.settled());
  const trainedParams = () => page.evaluate(() => JSON.stringify(window.rnnLab.vanishing.lab().trained.params()));
  const initParams = () => page.evaluate(() => JSON.stringify(window.rnnLab.vanishing.lab().init.params()));
  await page.selectOption('#vanishing-vw', 'trained');
  await page.evaluate(() => window.rnnLab.frame());
  const saved = await download(page, '#vanishing-save-model');
  assert.equal(saved.name, 'rnn-lab-vanishing-trained-H8.json');
  const text = saved.bytes.toString('utf8');
  const trained = await trainedParams();
  assert.equal(JSON.stringify(JSON.parse(text)), trained);

  // Another seed and hidden size: a different model.
  await page.evaluate(() => window.rnnLab.set({ vseed: 3, vh: 12 }));
  await page.evaluate(() => window.rnnLab.vanishing.settled());
  const other = await trainedParams();
  assert.notEqual(other, trained);
  const word = await page.evaluate(() => JSON.stringify(window.rnnLab.lab.params()));
  for (const [bad, why] of [['not json', /not a valid model file/], [word, /vocabulary/], [JSON.stringify({ ...JSON.parse(text), hidden: 200 }), /200 hidden units/]]) {
    await load(page, '#vanishing-model-file', bad);
    assert.match(await page.textContent('#notices'), why);
    assert.equal(await trainedParams(), other, 'a refused file changes nothing');
    await page.evaluate(() => document.getElementById('notices').replaceChildren());
  }
  await load(page, '#vanishing-model-file', text);
  await page.evaluate(() => window.rnnLab.vanishing.settled());
  // The weights, bit for bit (the file's text is the task's sequences, drawn from the seed).
  const weights = (json) => JSON.stringify(['w_xh', 'w_hh', 'w_hy', 'b_h', 'b_y'].map((k) => JSON.parse(json)[k]));
  assert.equal(weights(await trainedParams()), weights(trained), 'loaded back bit for bit');
  assert.equal(weights(await initParams()), weights(trained), 'the analysis of either weights shows the loaded model');
  const s = await page.evaluate(() => window.rnnLab.state());
  assert.deepEqual([s.vh, s.vit], [8, 0]);
  // Training goes on from the loaded weights.
  await page.evaluate(() => window.rnnLab.vanishing.train(10));
  assert.notEqual(weights(await trainedParams()), weights(trained));
  assert.equal((await page.evaluate(() => window.rnnLab.vanishing.status())).iteration, 10);
  assert.deepEqual(errors, []);
  await page.context().close();
});
