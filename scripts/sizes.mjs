// Page weight: what a browser downloads to run RNN Lab, raw and gzipped (level 9).
// Counts index.html and every file under www/ (the ES modules, CSS, www/pkg wasm + glue):
// an upper bound, since the page may not load every file. Budget: 760 KB gzipped. It was
// 400 KB for the first four chapters; the app's own fonts (35 KB), the reshaped engine
// (~20 KB) and the three new chapters' models and handles (Recap, Types of RNN, Why
// recurrence?: ~230 KB of wasm, ~70 KB of JS) took it here. The size issue aims at 300 KB:
// the chapters' models in modules loaded when their chapter opens (docs/sizes.md).
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const BUDGET = 760 * 1024;
const args = process.argv.slice(2);

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (!name.startsWith('.')) out.push(p);
  }
  return out;
}

const files = [join(root, 'index.html'), ...walk(join(root, 'www'))].filter((p) => existsSync(p));
const rows = files.map((p) => {
  const buf = readFileSync(p);
  return { file: relative(root, p), bytes: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
});
const sum = (k) => rows.reduce((a, r) => a + r[k], 0);
const wasm = rows.find((r) => r.file === join('www', 'pkg', 'rnn_lab_bg.wasm'));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const total = { bytes: sum('bytes'), gzip: sum('gzip') };

if (args.includes('--json')) {
  console.log(JSON.stringify({ wasm, total, budget_gzip: BUDGET, files: rows }));
} else if (args.includes('--short')) {
  console.log(`sizes: wasm ${wasm ? `${kb(wasm.bytes)} (${kb(wasm.gzip)} gzipped)` : 'not built'}; ` +
    `page ${kb(total.bytes)} (${kb(total.gzip)} gzipped, budget ${kb(BUDGET)}) over ${rows.length} files`);
} else {
  const w = Math.max(...rows.map((r) => r.file.length), 5);
  console.log(`${'file'.padEnd(w)}  ${'bytes'.padStart(10)}  ${'gzipped'.padStart(10)}`);
  for (const r of rows.sort((a, b) => b.gzip - a.gzip)) {
    console.log(`${r.file.padEnd(w)}  ${String(r.bytes).padStart(10)}  ${String(r.gzip).padStart(10)}`);
  }
  console.log(`${'total'.padEnd(w)}  ${String(total.bytes).padStart(10)}  ${String(total.gzip).padStart(10)}`);
  console.log(`wasm gzipped: ${wasm ? kb(wasm.gzip) : 'not built'}; page gzipped: ${kb(total.gzip)} (budget ${kb(BUDGET)})`);
}
if (total.gzip > BUDGET) {
  console.error(`sizes: page is ${kb(total.gzip)} gzipped, over the ${kb(BUDGET)} budget`);
  process.exitCode = 1;
}
