// Smoke tests: the static server, the page weight budget, and the page loading cleanly
// in headless Chromium. Needs a built app (scripts/build; scripts/test runs it first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, launch, openApp, ROOT } from './harness.mjs';
import { bundleDir } from '../../scripts/server.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

/** A raw GET: the path goes out exactly as written (fetch() would normalise `..` away). */
function rawGet(path) {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('server: the wasm is served as application/wasm, byte for byte', async () => {
  const res = await rawGet('/www/pkg/core_bg.wasm');
  assert.equal(res.status, 200);
  assert.equal(res.type, 'application/wasm');
  assert.deepEqual(res.body, readFileSync(join(ROOT, 'www', 'pkg', 'core_bg.wasm')));
  // "\0asm" magic: a real module, not an error page
  assert.deepEqual([...res.body.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d]);
});

test('build: the optimised wasm compiles in this Node (no feature beyond what engines ship)', async () => {
  const bytes = readFileSync(join(ROOT, 'www', 'pkg', 'core_bg.wasm'));
  const module = await WebAssembly.compile(bytes);
  const exports = WebAssembly.Module.exports(module).map((e) => e.name);
  assert.ok(exports.includes('memory'), 'the module exports its memory');
  assert.ok(exports.includes('version'), `no version export among ${exports.length} exports`);
});

test('server: / is index.html and ES modules are text/javascript', async () => {
  const res = await rawGet('/');
  assert.equal(res.status, 200);
  assert.equal(res.type, 'text/html; charset=utf-8');
  // The bundle's page (scripts/bundle.mjs) where it is built, as the server serves it.
  assert.equal(res.body.toString('utf8'), readFileSync(join(bundleDir(ROOT) ?? ROOT, 'index.html'), 'utf8'));
  const js = await rawGet('/www/pkg/core.js');
  assert.equal(js.status, 200);
  assert.match(js.type, /^text\/javascript/);
});

test('server: directory traversal and hidden or build paths are refused', async () => {
  for (const path of ['/../Cargo.toml', '/www/../../etc/passwd', '/%2e%2e/Cargo.toml', '/www/%2E%2E/%2e%2e/etc/hostname',
    '/.git/config', '/.tools/env', '/target/', '/node_modules/axe-core/package.json', '/..%2fCargo.toml']) {
    const res = await rawGet(path);
    assert.equal(res.status, 403, `${path} gave ${res.status}`);
  }
  assert.equal((await rawGet('/no-such-file.js')).status, 404);
});

test('sizes: the first load and the whole page stay under their budgets (scripts/sizes.mjs) gzipped', () => {
  const out = JSON.parse(execFileSync('node', [join(ROOT, 'scripts', 'sizes.mjs'), '--json'], { encoding: 'utf8' }));
  assert.deepEqual(out.missing, [], 'run ./scripts/build');
  assert.ok(out.first_load.gzip > out.wasm.gzip, 'the first load counts the core wasm and the rest of the page');
  assert.deepEqual(out.modules.map((m) => m.name), ['core', 'charts', 'recap', 'types', 'vanishing', 'why']);
  // The default chapter draws its charts in JS (www/charts/, in the page's script): the
  // charts module (plotters) is not part of the first load, it comes later.
  assert.ok(!out.first_files.some((f) => f.includes('pkg/charts')), `the first load: ${out.first_files.join(', ')}`);
  assert.ok(out.later_files.includes('www/pkg/charts_bg.wasm'), 'the charts module is loaded later');
  const charts = out.modules.find((m) => m.name === 'charts');
  assert.ok(charts.gzip > 10 * 1024, 'the charts module is counted (later)');
  assert.ok(out.total.gzip > out.first_load.gzip + charts.gzip + 4 * 10 * 1024, 'the total counts the charts module and the modules loaded later');
  assert.ok(out.first_load.gzip < out.budget_first_gzip, `first load is ${(out.first_load.gzip / 1024).toFixed(1)} KB gzipped, budget ${out.budget_first_gzip / 1024} KB`);
  assert.ok(out.budget_first_gzip <= 300 * 1024, 'the size issue\'s goal: a first load under 300 KB');
  assert.ok(out.total.gzip < out.budget_total_gzip, `all chapters are ${(out.total.gzip / 1024).toFixed(1)} KB gzipped, budget ${out.budget_total_gzip / 1024} KB`);
});

test('page: loads in headless Chromium, ready, no console or page errors', async () => {
  const browser = await launch();
  try {
    const { page, errors } = await openApp(browser, { url: server.url });
    assert.equal(await page.evaluate(() => document.body.dataset.ready), '1');
    const version = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8').match(/^version = "([^"]+)"/m)[1];
    const { hasApi, text } = await page.evaluate(() => ({
      hasApi: typeof window.rnnLab === 'object' && window.rnnLab !== null,
      text: document.body.innerText,
    }));
    assert.ok(hasApi || text.includes(version), `neither window.rnnLab nor the version ${version} is on the page`);
    // Let any late asynchronous work (first frames, deferred loads) report its errors.
    await page.waitForTimeout(300);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
