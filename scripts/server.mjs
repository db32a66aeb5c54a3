// A tiny dependency-free static server for RNN Lab (the project root: index.html, www/).
//
//   node scripts/server.mjs [--port N] [--log]   (or PORT=N; default 8080; 0 picks a free port;
//                                                --log prints one line per request)
//
// Listens on 127.0.0.1 only. Serves files with correct MIME types (application/wasm for
// .wasm, so WebAssembly.instantiateStreaming works), `Cache-Control: no-store` so a
// rebuild shows on reload, no directory listings. Refuses any path with a `..` segment
// or a hidden (dot) segment, and the build/dependency folders target/ and node_modules/.
// tests/e2e/harness.mjs starts it in-process through startStaticServer().
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { join, resolve, sep, extname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

const REFUSED_TOP = new Set(['target', 'node_modules']);

/** Map a request path to a file under root, or an HTTP status explaining why not. */
export function resolveRequest(root, rawUrl) {
  let pathname;
  try {
    pathname = decodeURIComponent(rawUrl.split(/[?#]/)[0]);
  } catch {
    return { status: 400 };
  }
  // Check the raw segments (before any normalisation): `/../`, `/a/../..`, `%2e%2e`.
  const segments = pathname.split(/[/\\]+/).filter((s) => s !== '');
  if (pathname.includes('\0') || segments.some((s) => s === '..' || s.startsWith('.'))) {
    return { status: 403 };
  }
  if (segments.length && REFUSED_TOP.has(segments[0])) return { status: 403 };
  const base = resolve(root);
  let file = resolve(base, ...segments);
  if (file !== base && !file.startsWith(base + sep)) return { status: 403 };
  let st;
  try {
    st = statSync(file);
    if (st.isDirectory()) {
      file = join(file, 'index.html');
      st = statSync(file);
    }
  } catch {
    return { status: 404 };
  }
  if (!st.isFile()) return { status: 404 };
  return { status: 200, file, size: st.size };
}

function handler(root, log) {
  return (req, res) => {
    const send = (status, text) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : `${status} ${text}\n`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(405, 'Method Not Allowed');
    }
    const r = resolveRequest(root, req.url || '/');
    if (log) log(`${req.method} ${req.url} ${r.status}`);
    if (r.status === 400) return send(400, 'Bad Request');
    if (r.status === 403) return send(403, 'Forbidden');
    if (r.status === 404) return send(404, 'Not Found');
    res.writeHead(200, {
      'Content-Type': MIME[extname(r.file).toLowerCase()] || 'application/octet-stream',
      'Content-Length': r.size,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(r.file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}

/**
 * Start the server on 127.0.0.1. Resolves to { url, port, server, close() } once listening;
 * port 0 picks a free port (read it from the result).
 */
export function startStaticServer({ root = PROJECT_ROOT, port = 0, log = null } = {}) {
  return new Promise((resolvePromise, reject) => {
    const server = createServer(handler(root, log));
    server.keepAliveTimeout = 1000;
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const actual = server.address().port;
      resolvePromise({
        server,
        port: actual,
        url: `http://127.0.0.1:${actual}/`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections?.();
          }),
      });
    });
  });
}

function parsePort(argv, env) {
  const i = argv.indexOf('--port');
  const eq = argv.find((a) => a.startsWith('--port='));
  const raw = i >= 0 ? argv[i + 1] : eq ? eq.slice(7) : env.PORT ?? '8080';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid port "${raw}": use an integer 0-65535 (0 picks a free port)`);
  }
  return port;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let port;
  try {
    port = parsePort(process.argv.slice(2), process.env);
  } catch (e) {
    console.error(`server: ${e.message}`);
    process.exit(2);
  }
  const verbose = process.argv.includes('--log');
  startStaticServer({ port, log: verbose ? (line) => console.log(line) : null })
    .then(({ url }) => console.log(`RNN Lab: ${url}`))
    .catch((e) => {
      console.error(
        e.code === 'EADDRINUSE'
          ? `server: port ${port} is in use: choose another, e.g. PORT=8081 ./scripts/serve (or PORT=0 for any free port)`
          : `server: ${e.message}`,
      );
      process.exit(1);
    });
}
