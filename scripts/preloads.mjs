// index.html's list of what the page needs at once, so that the browser asks for all of it
// as soon as it reads the page instead of discovering it one import level at a time (a
// chain of round trips on a phone):
//   - a <link rel="stylesheet" id="NAME-css"> for every stylesheet www/…/NAME.css other than
//     style.css (the chapters' and the diagram's): a chapter adds that link itself only if
//     no element has its id, so with it here the chapter's styles are there before the
//     chapter is drawn (no flash of unstyled content, no layout shift);
//   - a <link rel="modulepreload"> for every module www/main.js imports statically, directly
//     or not. The wasm glue (www/pkg/) is imported dynamically, after the first paint.
//
//   node scripts/preloads.mjs           prints the block
//   node scripts/preloads.mjs --write   rewrites the block in index.html (scripts/build does)
//   node scripts/preloads.mjs --check   exits 1 if index.html's block is out of date
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INDEX = join(ROOT, 'index.html');
const BEGIN = '<!-- preloads: the other stylesheets, every module www/main.js imports (scripts/preloads.mjs) -->';
const END = '<!-- /preloads -->';

/** Relative specifiers of a module's static imports and re-exports (not import()). */
export function staticImports(source) {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specs = [];
  const re = /^\s*(?:import|export)\b(?:[^'"`;()]*?\bfrom\s*)?\s*['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const m of code.matchAll(re)) specs.push(m[1]);
  return specs;
}

/** The static import graph from `entry`, breadth first, as paths relative to the root. */
export function moduleGraph(entry = join(ROOT, 'www', 'main.js')) {
  const seen = new Set([entry]);
  const queue = [entry];
  for (let i = 0; i < queue.length; i++) {
    for (const spec of staticImports(readFileSync(queue[i], 'utf8'))) {
      const file = resolve(dirname(queue[i]), spec);
      if (!seen.has(file)) {
        seen.add(file);
        queue.push(file);
      }
    }
  }
  return queue.map(rel);
}

/** Every stylesheet under www/ but style.css (which index.html links itself), sorted. */
export function otherStylesheets(dir = join(ROOT, 'www'), out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'pkg' || name.startsWith('.')) continue;
    if (statSync(p).isDirectory()) otherStylesheets(p, out);
    else if (name.endsWith('.css') && p !== join(ROOT, 'www', 'style.css')) out.push(p);
  }
  return out.sort();
}

const rel = (p) => relative(ROOT, p).split('\\').join('/');

/** index.html's block (main.js itself has its own <script>). */
export function preloadBlock(indent = '  ') {
  const styles = otherStylesheets().map((p) => `${indent}<link rel="stylesheet" id="${basename(p, '.css')}-css" href="${rel(p)}">`);
  const modules = moduleGraph().slice(1).map((p) => `${indent}<link rel="modulepreload" href="${p}">`);
  return [`${BEGIN}`, ...styles, ...modules, `${indent}${END}`].join('\n');
}

function currentBlock(html) {
  const a = html.indexOf(BEGIN);
  const b = html.indexOf(END);
  if (a < 0 || b < a) throw new Error(`index.html has no ${BEGIN} … ${END} block`);
  return { a, b: b + END.length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const html = readFileSync(INDEX, 'utf8');
  const { a, b } = currentBlock(html);
  const next = html.slice(0, a) + preloadBlock() + html.slice(b);
  if (process.argv.includes('--write')) {
    if (next !== html) {
      writeFileSync(INDEX, next);
      console.log('preloads: index.html updated');
    }
  } else if (process.argv.includes('--check')) {
    if (next !== html) {
      console.error('preloads: index.html\'s modulepreload links are out of date: run node scripts/preloads.mjs --write');
      process.exit(1);
    }
  } else {
    console.log(preloadBlock());
  }
}
