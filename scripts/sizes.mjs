// Page weight: what a browser downloads to run RNN Lab as ./scripts/serve serves it (the
// bundle of scripts/bundle.mjs over the project root), raw and gzipped (level 9, as the
// server sends it; the fonts are WOFF2, already compressed).
//
//   first load  what opening the page on its default chapter (Time steps) downloads to show
//               it whole: dist/web/index.html, its script and stylesheet (www/main.js and
//               the chunks it imports, dist/web/chunks.json "first": with the chapter's two
//               charts, drawn in JS, www/charts/; www/style.css), the training worker's
//               script (www/worker.js), the fonts, and the core engine module
//               (www/pkg/core.js + core_bg.wasm). Budget FIRST_BUDGET, under the size
//               issue's goal of 300 KB.
//   later       what the page loads when a chapter first opens, or once it is idle: the
//               charts module (www/pkg/charts.*, the charts drawn with plotters, which every
//               other chapter but Recap and Types draws with), each chapter's code
//               (chunks.json "chapters"), its stylesheets (chunks.json "styles") and its
//               engine module (www/pkg/NAME.*).
//   total       the first load and all that: what a visit of every chapter downloads.
//               Budget TOTAL_BUDGET.
//
//   node scripts/sizes.mjs [--short | --json]   (exits 1 over a budget; tests/e2e/smoke.test.mjs)
//
// Budgets: the measured sizes of 2026-12-04 (first load 462 KB, total 1034 KB, with the f32
// engine of the fast32 branch) and a little room; then, with the chapters' code and
// stylesheets loaded when they open (jssize branch): first load 392 KB, total 1101 KB; with
// the charts, the Vanishing chapter and the model file's parser out of core (wasmsize
// branch): first load 240 KB, 376 KB with the charts module the default chapter's charts
// needed, total 1139 KB. Now that those two charts are drawn in JS (jscharts branch), the
// charts module is not part of the first load: 240.5 KB, total 1111 KB (docs/sizes.md).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const FIRST_BUDGET = 255 * 1024;
export const TOTAL_BUDGET = 1150 * 1024;
const args = process.argv.slice(2);

const chunksFile = join(root, 'dist', 'web', 'chunks.json');
const chunks = existsSync(chunksFile) ? JSON.parse(readFileSync(chunksFile, 'utf8')) : { first: [], chapters: {}, styles: [] };
const FIRST = [
  'dist/web/index.html',
  'dist/web/www/main.js',
  ...chunks.first.map((f) => `dist/web/${f}`),
  'dist/web/www/style.css',
  'dist/web/www/worker.js',
  'www/fonts/rnn-lab-sans.woff2',
  'www/fonts/rnn-lab-sans-bold.woff2',
  'www/fonts/rnn-lab-mono.woff2',
  'www/pkg/core.js',
  'www/pkg/core_bg.wasm',
];
const pkg = join(root, 'www', 'pkg');
const CHARTS = ['www/pkg/charts.js', 'www/pkg/charts_bg.wasm'];
const LATER = [
  ...CHARTS,
  ...[...new Set(Object.values(chunks.chapters).flat())].sort().map((f) => `dist/web/${f}`),
  ...chunks.styles.map((f) => `dist/web/${f}`),
  ...(existsSync(pkg) ? readdirSync(pkg).filter((n) => /\.(js|wasm)$/.test(n) && !/^(core|charts)[._]/.test(n)).sort().map((n) => `www/pkg/${n}`) : []),
];

function measure(file) {
  const p = join(root, file);
  if (!existsSync(p)) return { file, missing: true, bytes: 0, gzip: 0 };
  const buf = readFileSync(p);
  return { file, bytes: buf.length, gzip: file.endsWith('.woff2') ? buf.length : gzipSync(buf, { level: 9 }).length };
}

const first = FIRST.map(measure);
const later = LATER.map(measure);
const sum = (rows, k) => rows.reduce((a, r) => a + r[k], 0);
const firstLoad = { bytes: sum(first, 'bytes'), gzip: sum(first, 'gzip') };
const total = { bytes: firstLoad.bytes + sum(later, 'bytes'), gzip: firstLoad.gzip + sum(later, 'gzip') };
const missing = [
  ...[...first, ...later.filter((r) => CHARTS.includes(r.file))].filter((r) => r.missing).map((r) => r.file),
  ...(existsSync(chunksFile) ? [] : ['dist/web/chunks.json']),
];
const wasm = first.find((r) => r.file === 'www/pkg/core_bg.wasm');
const modules = ['core', ...new Set(LATER.filter((f) => f.startsWith('www/pkg/')).map((f) => f.match(/pkg\/([^._]+)/)[1]))].map((name) => {
  const rows = [...first, ...later].filter((r) => r.file.startsWith(`www/pkg/${name}.`) || r.file.startsWith(`www/pkg/${name}_bg.`));
  return { name, bytes: sum(rows, 'bytes'), gzip: sum(rows, 'gzip') };
});
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

if (args.includes('--json')) {
  console.log(JSON.stringify({
    first_load: firstLoad, total, wasm, modules, missing, first_files: FIRST, later_files: LATER,
    budget_first_gzip: FIRST_BUDGET, budget_total_gzip: TOTAL_BUDGET,
    files: [...first, ...later],
  }));
} else if (args.includes('--short')) {
  console.log(missing.length ? `sizes: not built (${missing.join(', ')} missing)` :
    `sizes: first load ${kb(firstLoad.gzip)} gzipped (budget ${kb(FIRST_BUDGET)}), core wasm ${kb(wasm.gzip)}; ` +
    `all chapters ${kb(total.gzip)} (budget ${kb(TOTAL_BUDGET)}); modules ${modules.map((m) => `${m.name} ${kb(m.gzip)}`).join(', ')}`);
} else {
  const w = Math.max(...[...first, ...later].map((r) => r.file.length), 12);
  const line = (r) => console.log(`${r.file.padEnd(w)}  ${String(r.bytes).padStart(10)}  ${String(r.gzip).padStart(10)}${r.missing ? '  (missing)' : ''}`);
  console.log(`${'file'.padEnd(w)}  ${'bytes'.padStart(10)}  ${'gzipped'.padStart(10)}`);
  console.log('first load (the default chapter, its charts drawn in JS):');
  first.forEach(line);
  line({ file: 'first load', ...firstLoad });
  console.log('loaded when a chapter opens or once the page is idle (the charts module, each chapter\'s code and module):');
  later.forEach(line);
  line({ file: 'total', ...total });
  console.log(`first load ${kb(firstLoad.gzip)} gzipped (budget ${kb(FIRST_BUDGET)}); every chapter ${kb(total.gzip)} (budget ${kb(TOTAL_BUDGET)})`);
}
if (missing.length) {
  console.error(`sizes: ${missing.join(', ')} missing: run ./scripts/build`);
  process.exitCode = 1;
} else if (firstLoad.gzip > FIRST_BUDGET || total.gzip > TOTAL_BUDGET) {
  console.error(`sizes: over budget: first load ${kb(firstLoad.gzip)} (budget ${kb(FIRST_BUDGET)}), total ${kb(total.gzip)} (budget ${kb(TOTAL_BUDGET)})`);
  process.exitCode = 1;
}
