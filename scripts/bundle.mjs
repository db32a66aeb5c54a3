// The served build: dist/web/, what scripts/server.mjs serves over the project root
// (scripts/build runs this after the wasm). A phone then asks for one script, one
// stylesheet and the fonts before the first paint, instead of ~70 modules and 7 stylesheets.
//
//   dist/web/index.html      index.html without its modulepreload links; the chapters'
//                            stylesheets are in www/style.css, and an empty
//                            <style id="NAME-css"> stands for each (a chapter adds its
//                            <link> only where no element has that id)
//   dist/web/www/main.js     www/main.js and every module it imports, bundled and minified
//                            (esbuild); the engine's glue (www/pkg) stays separate, loaded by
//                            name at run time (www/engine.js)
//   dist/web/www/worker.js   the training worker, bundled the same way
//   dist/web/www/style.css   style.css and every other www/…/NAME.css, minified
//
// The paths are those of the source tree, so everything relative to a module
// (new URL('./pkg/core.js', import.meta.url), './worker.js', the fonts from style.css)
// resolves as it does unbundled: what dist/web lacks (www/pkg, www/fonts) the server
// takes from the project root. `./scripts/serve --dev` serves the source modules instead.
import { build, transform } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
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

async function bundleScript(entry) {
  await build({
    entryPoints: [join(WWW, entry)],
    outfile: join(DIST_WEB, 'www', entry),
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

async function bundleStyles(sheets) {
  const parts = [];
  for (const file of [join(WWW, 'style.css'), ...sheets]) {
    const { code } = await transform(readFileSync(file, 'utf8'), { loader: 'css', minify: true });
    parts.push(`/* ${relative(WWW, file)} */\n${code}`);
  }
  writeFileSync(join(DIST_WEB, 'www', 'style.css'), parts.join(''));
}

function page(sheets) {
  const html = readFileSync(join(ROOT, 'index.html'), 'utf8');
  const begin = html.indexOf(BEGIN);
  const end = html.indexOf(END);
  if (begin < 0 || end < begin) throw new Error('index.html has no preloads block (scripts/preloads.mjs)');
  const markers = sheets.map((f) => `  <style id="${basename(f, '.css')}-css"></style>`).join('\n');
  const block = `<!-- the chapters' stylesheets are in www/style.css (scripts/bundle.mjs) -->\n${markers}\n  `;
  return html.slice(0, begin) + block + html.slice(end + END.length).replace(/^\n/, '\n');
}

export async function bundle() {
  rmSync(DIST_WEB, { recursive: true, force: true });
  mkdirSync(join(DIST_WEB, 'www'), { recursive: true });
  const sheets = otherStylesheets();
  await Promise.all([bundleScript('main.js'), bundleScript('worker.js'), bundleStyles(sheets)]);
  writeFileSync(join(DIST_WEB, 'index.html'), page(sheets));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await bundle();
  console.log(`bundle: ${relative(ROOT, DIST_WEB)}/ (index.html, www/main.js, www/worker.js, www/style.css)`);
}
