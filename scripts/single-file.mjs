// dist/rnn-lab.html: the whole app in one file that runs from disk (file://), for a
// teacher who cannot host anything. Run through scripts/single-file (which builds first).
//
// - The page's modules (from www/main.js) are bundled by esbuild into one classic
//   script, the chapters' bodies too (the served build loads each when its chapter opens;
//   here there is nothing to load: esbuild inlines each import() without splitting);
//   www/engine.js is swapped for a version with ONE engine module, built with every
//   chapter by scripts/single-engine into target/single/ (all.js + all_bg.wasm), that every
//   module name maps to: its glue bundled in, its wasm embedded (base64) and compiled once,
//   and the training worker started from a Blob (the worker is bundled too, as a classic
//   script, and is handed the compiled module under each name it asks for, as www/engine.js
//   does for the served worker).
//   Where no worker starts, the page trains itself with a notice, as everywhere.
// - style.css is inlined with its fonts as data: URLs; every other stylesheet www/…/NAME.css
//   becomes <style id="NAME-css">, the id its chapter checks before adding a <link>.
// - A Content-Security-Policy <meta> allows exactly the inline script and styles (by
//   sha256), the wasm compile ('wasm-unsafe-eval'), the Blob worker, data: fonts and
//   images, and nothing from anywhere else (no network at all: connect-src 'none').
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WWW = join(ROOT, 'www');
const OUT = join(ROOT, 'dist', 'rnn-lab.html');
const ENGINE = join(WWW, 'engine.js');
/** The engine module names the app asks for (scripts/build's modules, www/engine.js). */
const MODULES = ['core', 'charts', 'vanishing', 'recap', 'why', 'types'];
/** The one module with every chapter that they all map to here (scripts/single-engine builds it). */
const ALL_WASM = join(ROOT, 'target', 'single', 'all_bg.wasm');
const ALL_GLUE = join(ROOT, 'target', 'single', 'all.js');

/**
 * www/engine.js as the single file has it, in the page (`wasm`: base64 of the one module,
 * `workerSource`: the bundled worker) and in the worker (no wasm: the page sends the
 * compiled module): the one module's glue bundled in under every module name, loadEngine
 * compiling the embedded bytes (once), startWorker making the worker from a Blob;
 * withEngine and listenForEngines from engine.js.
 */
function swappedEngine({ wasm = null, workerSource = null } = {}) {
  return `
import * as glue from ${JSON.stringify(ALL_GLUE)};
import { withEngine } from ${JSON.stringify(ENGINE)};
export { CHARTS, CORE, withEngine } from ${JSON.stringify(ENGINE)};
// The Vanishing chapter asks its module for VanishingLab: in the one module it is the Lab.
const GLUES = { ${MODULES.map((m) => (m === 'vanishing' ? `${m}: { ...glue, VanishingLab: glue.Lab }` : `${m}: glue`)).join(', ')} };
const WASM_BASE64 = ${JSON.stringify(wasm)};
const WORKER_SOURCE = ${JSON.stringify(workerSource)};
const engines = new Map();
const compiled = new Map();
const workers = new Set();

function glueOf(name) {
  const glue = GLUES[name];
  if (!glue) throw new Error('no engine module named ' + JSON.stringify(name));
  return glue;
}

function once(name, load) {
  let p = engines.get(name);
  if (!p) {
    p = load();
    engines.set(name, p);
    p.catch(() => engines.delete(name));
  }
  return p;
}

let compiling = null;
function compileAll() {
  if (!compiling) {
    const text = atob(WASM_BASE64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    compiling = WebAssembly.compile(bytes);
  }
  return compiling;
}

export function loadEngine(name = 'core') {
  return once(name, async () => {
    const glue = glueOf(name);
    const module = await compileAll();
    await glue.default({ module_or_path: module });
    compiled.set(name, module);
    for (const worker of workers) withEngine(worker, name, module);
    return glue;
  });
}

export function startWorker() {
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const worker = new Worker(url);
  workers.add(worker);
  for (const [name, module] of compiled) withEngine(worker, name, module);
  return worker;
}

const sent = new Map();
const waiting = new Map();
export function listenForEngines() {
  self.addEventListener('message', (event) => {
    if (event.data?.op !== 'engine') return;
    event.stopImmediatePropagation();
    sent.set(event.data.name, event.data.module);
    for (const resolve of waiting.get(event.data.name) ?? []) resolve(event.data.module);
    waiting.delete(event.data.name);
  });
}

// One build in the single file: the plain simd128 one (no relaxed-SIMD variant).
export function engineVariant() {
  return 'simd128';
}

export function workerEngine(name = 'core') {
  return once(name, async () => {
    const module = sent.has(name) ? sent.get(name) : await new Promise((resolve) => {
      waiting.set(name, [...(waiting.get(name) ?? []), resolve]);
    });
    if (!module) throw new Error('the page could not send the engine module ' + name);
    const glue = glueOf(name);
    await glue.default({ module_or_path: module });
    return glue;
  });
}
`;
}

/** An esbuild plugin that puts `contents` in place of www/engine.js (which `contents` may import). */
function swapEngine(contents) {
  return {
    name: 'single-file-engine',
    setup(b) {
      b.onResolve({ filter: /(^|\/)engine\.js$/ }, (args) =>
        args.namespace !== 'single-file' && join(args.resolveDir, args.path) === ENGINE
          ? { path: 'engine.js', namespace: 'single-file' }
          : undefined);
      b.onLoad({ filter: /.*/, namespace: 'single-file' }, () => ({ contents, loader: 'js', resolveDir: WWW }));
    },
  };
}

async function bundle(entry, engine = null) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
    // Only the served app resolves files against its own URL (stylesheets a chapter adds
    // when the page has none, www/engine.js); here there is one file and those paths
    // are not taken.
    define: { 'import.meta.url': 'location.href' },
    plugins: engine ? [swapEngine(engine)] : [],
  });
  return result.outputFiles[0].text;
}

/** Text that can sit inside <script>…</script> or <style>…</style> unchanged in meaning. */
function inlineSafe(text, tag) {
  return text.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1').replace(/<!--/g, '<\\!--');
}

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

function cssFiles(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'pkg' || name.startsWith('.')) continue;
    if (statSync(p).isDirectory()) cssFiles(p, out);
    else if (name.endsWith('.css')) out.push(p);
  }
  return out;
}

/** style.css with each url("fonts/…woff2") as a data: URL. */
function mainCss() {
  return readFileSync(join(WWW, 'style.css'), 'utf8').replace(/url\(\s*["']?([^"')]+\.woff2)["']?\s*\)/g, (_, rel) => {
    const font = readFileSync(join(WWW, rel));
    return `url("data:font/woff2;base64,${font.toString('base64')}")`;
  });
}

function page(html, styles, script) {
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)} 'wasm-unsafe-eval'`,
    // Browsers without the -elem / -attr split (older ones) fall back to style-src.
    "style-src 'unsafe-inline'",
    `style-src-elem ${styles.map((s) => sha256(s.text)).join(' ')}`,
    // plotters measures chart text with <span style="font-…"> (style/font/web.rs), and two
    // of our elements get a computed style attribute (a grid's columns, a gradient).
    "style-src-attr 'unsafe-inline'",
    'font-src data:',
    'img-src data: blob:',
    'worker-src blob:',
    "connect-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  let out = html
    .replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/i, '')
    .replace(/\s*<link rel="(?:stylesheet|preload|modulepreload)"[^>]*>/g, '')
    .replace(/\s*<!-- preloads:[^>]*-->\s*<!-- \/preloads -->/, '')
    .replace(/\s*<script type="module" src="[^"]*"><\/script>/, '')
    // From disk there is nothing to serve.
    .replace(/ and must be served over http\(s\) \(see the README: <code>\.\/scripts\/serve<\/code>\)/, '');
  if (/<script\b[^>]*\bsrc=|<link\b[^>]*\bhref="(?!data:)/i.test(out)) {
    throw new Error('index.html still refers to another file after inlining: teach scripts/single-file.mjs about it');
  }
  const head = [
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    ...styles.map((s) => `<style${s.id ? ` id="${s.id}"` : ''}>${s.text}</style>`),
  ].join('\n  ');
  out = out.replace(/(<meta charset="utf-8">)/i, `$1\n  ${head}`);
  return out.replace(/<\/body>/i, `<script>${script}</script>\n</body>`);
}

if (!existsSync(ALL_WASM) || !existsSync(ALL_GLUE)) {
  console.error('single-file: target/single is not built: run ./scripts/single-engine (or ./scripts/single-file)');
  process.exit(1);
}
const wasmBase64 = readFileSync(ALL_WASM).toString('base64');
const workerSource = await bundle(join(WWW, 'worker.js'), swappedEngine());
const script = inlineSafe(await bundle(join(WWW, 'main.js'), swappedEngine({ wasm: wasmBase64, workerSource })), 'script');
const styles = [
  { id: null, text: inlineSafe(mainCss(), 'style') },
  ...cssFiles(WWW)
    .filter((p) => p !== join(WWW, 'style.css'))
    .sort()
    .map((p) => ({ id: `${basename(p, '.css')}-css`, text: inlineSafe(readFileSync(p, 'utf8'), 'style') })),
];
const html = page(readFileSync(join(ROOT, 'index.html'), 'utf8'), styles, script);
mkdirSync(join(ROOT, 'dist'), { recursive: true });
writeFileSync(OUT, html);
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
console.log(`single-file: ${relative(ROOT, OUT)} ${kb(Buffer.byteLength(html))} (${kb(gzipSync(html, { level: 9 }).length)} gzipped; ` +
  `wasm ${kb(readFileSync(ALL_WASM).length)} in one module with every chapter as base64, worker ${kb(workerSource.length)}, ${styles.length} stylesheets)`);
