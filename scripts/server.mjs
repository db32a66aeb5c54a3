// A tiny dependency-free static server for RNN Lab (the project root: index.html, www/).
//
//   node scripts/server.mjs [--port N] [--log] [--dev]
//       PORT=N or --port N: default 8080; 0 picks a free port. --log: one line per request.
//       --dev: the source modules as they are (www/main.js and its ~70 imports), not the
//       bundle.
//
// What it serves: the built bundle dist/web/ (scripts/bundle.mjs: index.html, www/main.js
// and its chunks, www/worker.js and the stylesheets, bundled and minified) over the project
// root. A path is
// looked up in dist/web first, then in the root, so the bundle's relative URLs (www/pkg/…,
// www/fonts/…) and the source files the tests import reach the root. Without a dist/web
// (never built) or with --dev, the root alone, as it is.
//
// Listens on 127.0.0.1 only, and answers only requests addressed to 127.0.0.1:PORT or
// localhost:PORT (any other Host header gets 421: a page on another site cannot reach it
// through DNS rebinding). Serves files with correct MIME types (application/wasm for .wasm,
// so WebAssembly.instantiateStreaming works), no directory listings, and on every response
// the app's Content-Security-Policy (CSP below; index.html carries the same policy in a
// <meta>). Refuses any path with a `..` segment or a hidden (dot) segment, the build and
// dependency folders target/ and node_modules/ in any letter case, and any file whose real
// path (symlinks resolved) is outside the root.
//
// Caching: `Cache-Control: no-cache` with an ETag, so the browser revalidates every time
// (a rebuild shows on reload) and an unchanged file costs a 304 and no body. Compression:
// text, JS, CSS, JSON, SVG and wasm are sent gzipped when the request accepts gzip (the
// compressed bytes are kept in memory per file version, so each is compressed once).
// tests/e2e/harness.mjs starts it in-process through startStaticServer().
import { createServer } from 'node:http';
import { createReadStream, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The built bundle served over `root` (scripts/bundle.mjs), or null if there is none. */
export function bundleDir(root = PROJECT_ROOT) {
  const dir = join(root, 'dist', 'web');
  return existsSync(join(dir, 'index.html')) ? dir : null;
}

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

/**
 * The app's Content-Security-Policy: scripts only from this origin (no inline script, no
 * eval; 'wasm-unsafe-eval' lets the module compile the engine), styles from files and
 * inline style attributes ('unsafe-inline' for styles only: plotters measures chart text
 * with a <span style="…">, and a refused style breaks every chart's layout), no remote
 * origin anywhere, no plugins, no <base>, no form posts, no framing.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The policy as index.html's <meta> carries it: frame-ancestors is ignored (with a console
 *  error) in a <meta>, so it is only sent as a header. */
export const META_CSP = CSP.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ');

/** Files worth compressing (the others are already compressed, or tiny). */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.svg', '.txt', '.md', '.map']);
/** Smaller bodies are sent as they are; larger ones are streamed uncompressed. */
const GZIP_MIN_BYTES = 1024;
const GZIP_MAX_BYTES = 32 * 1024 * 1024;
/** Compressed copies kept in memory, by path (each for one size + mtime). */
const GZIP_CACHE_LIMIT = 256;

const REFUSED_TOP = new Set(['target', 'node_modules']);

/**
 * A segment as a case-insensitive, trailing-dot-and-space-insensitive file system would
 * read it (Windows and macOS by default): `Target`, `TARGET.` and `target ` all name target/.
 */
function folded(segment) {
  return segment.toLowerCase().replace(/[. ]+$/, '');
}

/** Whether `path` is `base` or inside it. */
function inside(base, path) {
  return path === base || path.startsWith(base.endsWith(sep) ? base : base + sep);
}

/** Whether path segments name something never served: `..`, a dot file or folder, or a
 *  refused top folder (in any letter case). */
function refused(segments) {
  return (
    segments.some((s) => s === '..' || s.startsWith('.')) ||
    (segments.length > 0 && REFUSED_TOP.has(folded(segments[0])))
  );
}

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
  if (pathname.includes('\0') || refused(segments)) return { status: 403 };
  const base = resolve(root);
  let file = resolve(base, ...segments);
  if (!inside(base, file)) return { status: 403 };
  let st;
  let real;
  try {
    st = statSync(file);
    if (st.isDirectory()) {
      file = join(file, 'index.html');
      st = statSync(file);
    }
    // A symlink inside the root may point anywhere: its target's real path must be inside
    // the root's, and pass the same checks (a link to target/ is target/).
    real = realpathSync(file);
    const realBase = realpathSync(base);
    if (!inside(realBase, real) || refused(relative(realBase, real).split(sep))) return { status: 403 };
  } catch {
    return { status: 404 };
  }
  if (!st.isFile()) return { status: 404 };
  return { status: 200, file: real, size: st.size, mtimeMs: st.mtimeMs };
}

/** Whether a Host header names this server: 127.0.0.1:port or localhost:port, nothing else. */
export function hostAllowed(host, port) {
  if (typeof host !== 'string') return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

/** Whether an Accept-Encoding header accepts gzip (honouring q=0, and `*`). */
export function acceptsGzip(header) {
  if (typeof header !== 'string') return false;
  let gzip = null;
  let star = null;
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    if (name === 'gzip' || name === 'x-gzip') gzip = weight;
    else if (name === '*') star = weight;
  }
  const w = gzip ?? star ?? 0;
  return Number.isFinite(w) && w > 0;
}

const gzipCache = new Map();

/** The gzipped bytes of a file version, compressed once (a small LRU by path). */
function gzipped(file, size, mtimeMs) {
  const key = `${size}:${mtimeMs}`;
  const hit = gzipCache.get(file);
  if (hit && hit.key === key) {
    gzipCache.delete(file);
    gzipCache.set(file, hit);
    return hit.body;
  }
  const body = gzipSync(readFileSync(file), { level: 9 });
  gzipCache.set(file, { key, body });
  if (gzipCache.size > GZIP_CACHE_LIMIT) gzipCache.delete(gzipCache.keys().next().value);
  return body;
}

/** resolveRequest over `overlay` first (when there is one), then `root`. */
function resolveLayered(overlay, root, url) {
  if (overlay) {
    const r = resolveRequest(overlay, url);
    if (r.status !== 404) return r;
  }
  return resolveRequest(root, url);
}

function handler(root, overlay, log, portOf) {
  return (req, res) => {
    const common = {
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    };
    const send = (status, text) => {
      res.writeHead(status, { ...common, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : `${status} ${text}\n`);
    };
    if (!hostAllowed(req.headers.host, portOf())) {
      if (log) log(`${req.method} ${req.url} 421 (Host: ${req.headers.host})`);
      return send(421, 'Misdirected Request: use http://127.0.0.1:PORT/ or http://localhost:PORT/');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(405, 'Method Not Allowed');
    }
    const r = resolveLayered(overlay, root, req.url || '/');
    if (r.status === 400) return send(400, 'Bad Request');
    if (r.status === 403) return send(403, 'Forbidden');
    if (r.status === 404) return send(404, 'Not Found');
    const ext = extname(r.file).toLowerCase();
    const gzip =
      COMPRESSIBLE.has(ext) &&
      r.size >= GZIP_MIN_BYTES &&
      r.size <= GZIP_MAX_BYTES &&
      acceptsGzip(req.headers['accept-encoding']);
    // One ETag per file version and encoding (the bytes differ).
    const etag = `W/"${r.size.toString(16)}-${Math.floor(r.mtimeMs).toString(16)}${gzip ? '-gz' : ''}"`;
    const headers = {
      ...common,
      'Content-Type': MIME[ext] || 'application/octet-stream',
      'Cache-Control': 'no-cache',
      ETag: etag,
      Vary: 'Accept-Encoding',
    };
    const match = req.headers['if-none-match'];
    if (match && match.split(',').some((t) => t.trim() === etag)) {
      if (log) log(`${req.method} ${req.url} 304`);
      res.writeHead(304, headers);
      return res.end();
    }
    if (gzip) {
      let body;
      try {
        body = gzipped(r.file, r.size, r.mtimeMs);
      } catch {
        return send(404, 'Not Found');
      }
      if (log) log(`${req.method} ${req.url} 200 gzip ${r.size} → ${body.length}`);
      res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': body.length });
      return res.end(req.method === 'HEAD' ? undefined : body);
    }
    if (log) log(`${req.method} ${req.url} 200`);
    res.writeHead(200, { ...headers, 'Content-Length': r.size });
    if (req.method === 'HEAD') return res.end();
    createReadStream(r.file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}

/**
 * Start the server on 127.0.0.1. Resolves to { url, port, server, bundled, close() } once
 * listening; port 0 picks a free port (read it from the result). `dev`: serve the source
 * modules, not the bundle (see the top of this file).
 */
export function startStaticServer({ root = PROJECT_ROOT, port = 0, log = null, dev = false } = {}) {
  const overlay = dev ? null : bundleDir(root);
  return new Promise((resolvePromise, reject) => {
    const server = createServer(handler(root, overlay, log, () => server.address()?.port));
    server.keepAliveTimeout = 1000;
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const actual = server.address().port;
      resolvePromise({
        server,
        port: actual,
        url: `http://127.0.0.1:${actual}/`,
        bundled: overlay !== null,
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
  const dev = process.argv.includes('--dev');
  startStaticServer({ port, dev, log: verbose ? (line) => console.log(line) : null })
    .then(({ url, bundled }) => console.log(`RNN Lab: ${url}${bundled ? '' : ' (the source modules, unbundled)'}`))
    .catch((e) => {
      console.error(
        e.code === 'EADDRINUSE'
          ? `server: port ${port} is in use: choose another, e.g. PORT=8081 ./scripts/serve (or PORT=0 for any free port)`
          : `server: ${e.message}`,
      );
      process.exit(1);
    });
}
