// The served build: dist/web/, what scripts/server.mjs serves over the project root
// (scripts/build runs this after the wasm). A phone then asks for one script (and the
// chunks it imports), one stylesheet and the fonts before the first paint, instead of ~70
// modules and 7 stylesheets; the rest comes when its chapter opens.
//
//   dist/web/index.html      index.html without its modulepreload links and stylesheets,
//                            preloading the chunks main.js imports
//   dist/web/www/main.js     www/main.js and every module it imports, bundled and minified
//                            (esbuild), split: the body of each chapter but the default one
//                            (www/views/NAME/body.js, imported when the chapter opens) is a
//                            chunk of its own (dist/web/www/body-HASH.js), and so is code that
//                            main.js shares with a body (main.js imports it: index.html
//                            preloads it: www/chunk-HASH.js); the engine's glue (www/pkg) stays separate, loaded
//                            by name at run time (www/engine.js)
//   dist/web/chunks.json     which chunks the first load takes, which each chapter adds,
//                            and the chapters' stylesheets (scripts/sizes.mjs)
//   dist/web/www/worker.js   the training worker, bundled the same way
//   dist/web/www/style.css   style.css, minified: what the page and the default chapter use
//   dist/web/www/…/NAME.css  every other stylesheet (the chapters' and the diagram's),
//                            minified at its own path: a chapter loads its own with its
//                            body (www/shell/chapters.js loadBody, the opening's `styles`)
//
// The paths are those of the source tree, so everything relative to a module
// (new URL('./pkg/core.js', import.meta.url), './worker.js', the fonts from style.css)
// resolves as it does unbundled: what dist/web lacks (www/pkg, www/fonts) the server
// takes from the project root. `./scripts/serve --dev` serves the source modules instead.
import { build, transform } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WWW = join(ROOT, 'www');
export const DIST_WEB = join(ROOT, 'dist', 'web');
const BEGIN = '<!-- preloads: the other stylesheets, every module www/main.js imports (scripts/preloads.mjs) -->';
const END = '<!-- /preloads -->';

/** Every stylesheet under www/ but style.css (and www/pkg), sorted: the chapters' and the diagram's. */
function otherStylesheets(dir = WWW, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'pkg') otherStylesheets(p, out);
    } else if (name.endsWith('.css') && p !== join(WWW, 'style.css')) out.push(p);
  }
  return out;
}

const OPTIONS = { bundle: true, format: 'esm', target: ['es2022'], minify: true, legalComments: 'none', logLevel: 'warning' };

/**
 * esbuild puts each module shared by main.js and some bodies into a chunk per set of
 * importers: eight small chunks for the first load, each a request and gzipped alone. Seen
 * from the bundler, each body also imports www/app.js (which it runs beside anyway), so that
 * everything main.js shares with any body is one chunk. The sources are not changed.
 */
const oneSharedChunk = {
  name: 'one-shared-chunk',
  setup(b) {
    b.onLoad({ filter: /[\\/]www[\\/]views[\\/][a-z]+[\\/]body\.js$/ }, (args) => ({
      contents: `${readFileSync(args.path, 'utf8')}\nimport ${JSON.stringify(join(WWW, 'app.js'))};\n`,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * The page's script, split (esbuild `splitting`): www/main.js, the chunks it imports
 * statically (code it shares with a chapter's body), and one chunk per chapter body that
 * www/shell/chapters.js imports when the chapter first opens, all in dist/web/www/.
 * Returns the chunks, read from esbuild's metafile: `first`, what main.js imports
 * statically, directly or not (what opening the page downloads), and `chapters`, chapter id
 * → the chunks its body adds (scripts/sizes.mjs counts both; the page preloads `first`).
 */
async function bundlePage() {
  const { metafile } = await build({
    ...OPTIONS,
    plugins: [oneSharedChunk],
    entryPoints: [join(WWW, 'main.js')],
    outdir: join(DIST_WEB, 'www'),
    splitting: true,
    // Beside main.js, so that what a module finds by its own URL (www/engine.js: ./pkg/,
    // ./worker.js) is where it is for main.js.
    chunkNames: '[name]-[hash]',
    metafile: true,
  });
  const web = (file) => relative(DIST_WEB, join(ROOT, file)).split(sep).join('/');
  const outputs = Object.fromEntries(Object.entries(metafile.outputs).map(([file, out]) => [web(file), out]));
  const closure = (file, seen = new Set()) => {
    for (const i of outputs[file].imports) {
      const f = web(i.path);
      if (i.kind === 'import-statement' && !seen.has(f)) {
        seen.add(f);
        closure(f, seen);
      }
    }
    return seen;
  };
  const main = 'www/main.js';
  const first = [...closure(main)].sort();
  const chapters = {};
  for (const [file, out] of Object.entries(outputs)) {
    const m = out.entryPoint?.match(/^www\/views\/([a-z]+)\/body\.js$/);
    if (m) chapters[m[1]] = [file, ...closure(file)].filter((f) => f !== main && !first.includes(f)).sort();
  }
  return { first, chapters };
}

/** The training worker: one script (a worker module shares no chunk with the page). */
async function bundleWorker() {
  await build({ ...OPTIONS, entryPoints: [join(WWW, 'worker.js')], outfile: join(DIST_WEB, 'www', 'worker.js') });
}

async function bundleStyles(sheets) {
  for (const file of [join(WWW, 'style.css'), ...sheets]) {
    const { code } = await transform(readFileSync(file, 'utf8'), { loader: 'css', minify: true });
    const out = join(DIST_WEB, relative(ROOT, file));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, code);
  }
}

function page(chunks) {
  const html = readFileSync(join(ROOT, 'index.html'), 'utf8');
  const begin = html.indexOf(BEGIN);
  const end = html.indexOf(END);
  if (begin < 0 || end < begin) throw new Error('index.html has no preloads block (scripts/preloads.mjs)');
  // The chunks main.js imports: asked for with it, not one import level later.
  const preloads = chunks.first.map((f) => `  <link rel="modulepreload" href="${f}">`).join('\n');
  const block = `<!-- the chunks main.js imports; a chapter's stylesheets come with its body (scripts/bundle.mjs) -->\n${preloads}\n  `;
  return html.slice(0, begin) + block + html.slice(end + END.length).replace(/^\n/, '\n');
}

export async function bundle() {
  rmSync(DIST_WEB, { recursive: true, force: true });
  mkdirSync(join(DIST_WEB, 'www'), { recursive: true });
  const sheets = otherStylesheets();
  const [chunks] = await Promise.all([bundlePage(), bundleWorker(), bundleStyles(sheets)]);
  chunks.styles = sheets.map((f) => relative(ROOT, f).split(sep).join('/'));
  writeFileSync(join(DIST_WEB, 'index.html'), page(chunks));
  writeFileSync(join(DIST_WEB, 'chunks.json'), `${JSON.stringify(chunks, null, 2)}\n`);
  return chunks;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundle();
  console.log(`bundle: ${relative(ROOT, DIST_WEB)}/ (index.html, www/main.js and its chunks, www/worker.js, www/style.css and the chapters' stylesheets)`);
}
