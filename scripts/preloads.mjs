// The modulepreload links of index.html: every module that www/main.js imports statically,
// directly or not, so that the browser requests them all as soon as it reads the page
// instead of discovering them one import level at a time (a chain of round trips on a
// phone). The wasm glue (www/pkg/) is imported dynamically, after the first paint, and is
// not among them.
//
//   node scripts/preloads.mjs           prints the links
//   node scripts/preloads.mjs --write   rewrites the block in index.html (scripts/build does)
//   node scripts/preloads.mjs --check   exits 1 if index.html's block is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INDEX = join(ROOT, 'index.html');
const BEGIN = '<!-- modulepreload: every module www/main.js imports statically (scripts/preloads.mjs) -->';
const END = '<!-- /modulepreload -->';

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
  return queue.map((f) => relative(ROOT, f).split('\\').join('/'));
}

/** index.html's block for the current graph (main.js itself has its own <script>). */
export function preloadBlock(indent = '  ') {
  const links = moduleGraph().slice(1).map((p) => `${indent}<link rel="modulepreload" href="${p}">`);
  return [`${BEGIN}`, ...links, `${indent}${END}`].join('\n');
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
