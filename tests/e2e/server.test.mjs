// The local server (scripts/server.mjs) against hostile requests: symlinks out of the
// root, DNS rebinding (a foreign Host header), refused folders in another letter case; and
// what it must send: the Content-Security-Policy on every response, gzip when accepted,
// revalidation headers. Runs on a scratch root in a temporary folder: no build needed.
//
//   node --test tests/e2e/server.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  CSP,
  META_CSP,
  PROJECT_ROOT,
  acceptsGzip,
  hostAllowed,
  startStaticServer,
} from '../../scripts/server.mjs';

let dir; // holds root/ (served) and outside/ (not served)
let root;
let server;

const APP_JS = `// app\n${'export const x = 1;\n'.repeat(200)}`;
const WASM = Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), Buffer.alloc(4096)]);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rnn-lab-server-'));
  root = join(dir, 'root');
  const outside = join(dir, 'outside');
  for (const d of [root, outside, join(root, 'www', 'pkg'), join(root, 'target'), join(root, 'node_modules')]) {
    mkdirSync(d, { recursive: true });
  }
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(root, 'www', 'app.js'), APP_JS);
  writeFileSync(join(root, 'www', 'small.txt'), 'tiny');
  writeFileSync(join(root, 'www', 'pkg', 'rnn_lab_bg.wasm'), WASM);
  writeFileSync(join(root, 'target', 'secret.txt'), 'build output');
  writeFileSync(join(root, 'node_modules', 'secret.txt'), 'dependency');
  writeFileSync(join(outside, 'secret.txt'), 'outside the root');
  // Links out of the root (a file and a folder), one inside it, one to a refused folder.
  symlinkSync(join(outside, 'secret.txt'), join(root, 'www', 'escape.txt'));
  symlinkSync(outside, join(root, 'www', 'elsewhere'));
  symlinkSync(join(root, 'www', 'app.js'), join(root, 'www', 'alias.js'));
  symlinkSync(join(root, 'target'), join(root, 'www', 'build'));
  server = await startStaticServer({ root, port: 0 });
});

after(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A raw request (the path is sent as written; headers as given, Host included). */
function get(path, headers = {}, { method = 'GET', setHost = true } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method,
        setHost,
        headers: setHost ? { host: `127.0.0.1:${server.port}`, ...headers } : headers,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test('symlinks out of the root are refused; links inside it are served', async () => {
  for (const path of ['/www/escape.txt', '/www/elsewhere/secret.txt', '/www/build/secret.txt']) {
    const r = await get(path);
    assert.equal(r.status, 403, path);
    assert.ok(!r.body.toString().includes('outside the root') && !r.body.toString().includes('build output'), path);
  }
  const alias = await get('/www/alias.js');
  assert.equal(alias.status, 200);
  assert.equal(alias.body.toString(), APP_JS);
});

test('a Host other than 127.0.0.1:PORT or localhost:PORT is refused (DNS rebinding)', async () => {
  const port = server.port;
  for (const host of [`evil.example:${port}`, `evil.example`, `127.0.0.1:${port + 1}`, `127.0.0.1`, `localhost`, `0.0.0.0:${port}`, `[::1]:${port}`, `127.0.0.1.evil.example:${port}`]) {
    const r = await get('/index.html', { host });
    assert.equal(r.status, 421, host);
    assert.ok(!r.body.toString().includes('<title>'), host);
  }
  // HTTP/1.1 without a Host header: node's parser refuses it (400) before the handler runs.
  const none = await get('/index.html', {}, { setHost: false });
  assert.ok([400, 421].includes(none.status), `no Host header: ${none.status}`);
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LocalHost:${port}`]) {
    assert.equal((await get('/index.html', { host })).status, 200, host);
  }
  assert.equal(hostAllowed(`localhost:${port}`, port), true);
  assert.equal(hostAllowed(undefined, port), false);
});

test('refused folders are refused in any letter case', async () => {
  for (const path of ['/target/secret.txt', '/Target/secret.txt', '/TARGET/secret.txt', '/target./secret.txt',
    '/Node_Modules/secret.txt', '/NODE_MODULES/secret.txt', '/%54arget/secret.txt', '/.git/config', '/www/../target/secret.txt']) {
    assert.equal((await get(path)).status, 403, path);
  }
});

test('every response carries the Content-Security-Policy, and index.html the same policy', async () => {
  const responses = {
    200: await get('/index.html'),
    403: await get('/target/secret.txt'),
    404: await get('/missing.js'),
    405: await get('/index.html', {}, { method: 'POST' }),
    421: await get('/index.html', { host: 'evil.example' }),
  };
  for (const [status, r] of Object.entries(responses)) {
    assert.equal(r.status, Number(status));
    assert.equal(r.headers['content-security-policy'], CSP, status);
    assert.equal(r.headers['x-content-type-options'], 'nosniff', status);
  }
  assert.match(CSP, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.match(CSP, /frame-ancestors 'none'/);
  // No inline script, no eval, no remote origin; inline style attributes only (plotters
  // measures chart text with a styled <span>).
  assert.doesNotMatch(CSP, /'unsafe-eval'|https?:|\*/);
  assert.match(CSP, /script-src 'self' 'wasm-unsafe-eval';/, 'no inline script');
  assert.equal(CSP.match(/'unsafe-inline'/g)?.length ?? 0, 1);
  assert.match(CSP, /style-src 'self' 'unsafe-inline'/);
  // The page's own copy: a <meta> with the same policy (frame-ancestors is header-only),
  // and nothing inline that the policy would block.
  const html = readFileSync(join(PROJECT_ROOT, 'index.html'), 'utf8');
  const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/);
  assert.ok(meta, 'index.html has the CSP <meta>');
  assert.equal(meta[1], META_CSP);
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  assert.doesNotMatch(html, /\sstyle=|<style|\son[a-z]+=|="javascript:/i, 'no inline style or handler');
});

test('text and wasm are gzipped when the request accepts gzip', async () => {
  const js = await get('/www/app.js', { 'accept-encoding': 'br, gzip;q=0.8' });
  assert.equal(js.status, 200);
  assert.equal(js.headers['content-encoding'], 'gzip');
  assert.equal(js.headers.vary, 'Accept-Encoding');
  assert.equal(Number(js.headers['content-length']), js.body.length);
  assert.ok(js.body.length < APP_JS.length / 4);
  assert.equal(gunzipSync(js.body).toString(), APP_JS);

  const wasm = await get('/www/pkg/rnn_lab_bg.wasm', { 'accept-encoding': 'gzip' });
  assert.equal(wasm.headers['content-type'], 'application/wasm');
  assert.equal(wasm.headers['content-encoding'], 'gzip');
  assert.deepEqual(gunzipSync(wasm.body), WASM);

  for (const accept of [undefined, 'identity', 'gzip;q=0', 'br', '*;q=0']) {
    const r = await get('/www/app.js', accept ? { 'accept-encoding': accept } : {});
    assert.equal(r.headers['content-encoding'], undefined, String(accept));
    assert.equal(r.body.toString(), APP_JS, String(accept));
  }
  // Tiny files are not worth it.
  const small = await get('/www/small.txt', { 'accept-encoding': 'gzip' });
  assert.equal(small.headers['content-encoding'], undefined);
  assert.equal(acceptsGzip('deflate, *'), true);
  assert.equal(acceptsGzip('gzip;q=0, *'), false);
});

test('files are revalidated: no-cache with an ETag, 304 when unchanged', async () => {
  const first = await get('/www/app.js', { 'accept-encoding': 'gzip' });
  assert.equal(first.headers['cache-control'], 'no-cache');
  assert.ok(first.headers.etag);
  const again = await get('/www/app.js', { 'accept-encoding': 'gzip', 'if-none-match': first.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  // The identity body has its own tag: a gzip tag does not match it.
  const plain = await get('/www/app.js', { 'if-none-match': first.headers.etag });
  assert.equal(plain.status, 200);
  // Errors are never cached.
  assert.equal((await get('/missing.js')).headers['cache-control'], 'no-store');
});
