// Training speed of the engine as wasm (Node and headless Chromium) beside native
// `rnn-lab bench`, under the protocol of the shared baselines (bench/README.md).
//
//   node bench/wasm-bench.mjs [--runs 7] [--target 1.5] [--hidden H --seq S]
//                             [--only native,node,chromium] [--no-build] [--corpus FILE]
//
// Builds first (scripts/build for www/pkg, cargo build --release for the native tool)
// unless --no-build. Prints one JSON line per measurement, then a table of medians with
// the ratio wasm/native (above 1 means wasm is faster). Writes all figures to
// test-output/bench/wasm-bench.json. A benchmark, not a test: it never fails on speed.
import { readFileSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def;
};
const RUNS = Number.parseInt(opt('runs', '7'), 10);
const TARGET = Number.parseFloat(opt('target', '1.5'));
const ONLY = new Set(opt('only', 'native,node,chromium').split(','));
const CORPUS = opt('corpus', join(ROOT, 'tests', 'data', 'corpus.txt'));
const CONFIGS = argv.includes('--hidden') || argv.includes('--seq')
  ? [[Number.parseInt(opt('hidden', '100'), 10), Number.parseInt(opt('seq', '25'), 10)]]
  : [[32, 25], [100, 25], [256, 50]];
if (!(RUNS > 0) || !(TARGET > 0)) {
  console.error('wasm-bench: --runs and --target must be above 0');
  process.exit(2);
}
if (!existsSync(CORPUS)) {
  console.error(`wasm-bench: corpus not found: ${CORPUS} (use --corpus FILE)`);
  process.exit(2);
}
const corpus = readFileSync(CORPUS, 'utf8');

/**
 * The protocol, shared by every implementation: ~0.5 s warm-up in steps of 10
 * iterations, then N calibrated so one run lasts ~target s, then `runs` timed runs of
 * N iterations; training continues across runs. Self-contained: it is also sent into
 * the browser page as source text.
 */
function runProtocol(train, now, runs, target) {
  const t0 = now();
  let warm = 0;
  while (now() - t0 < 500) {
    train(10);
    warm += 10;
  }
  const rate = warm / ((now() - t0) / 1000);
  const n = Math.max(20, Math.floor(rate * target));
  const rates = [];
  let lastLoss = NaN;
  for (let r = 0; r < runs; r++) {
    const t = now();
    lastLoss = train(n);
    rates.push(n / ((now() - t) / 1000));
  }
  const sorted = rates.slice().sort((a, b) => a - b);
  const k = sorted.length;
  const median = k % 2 ? sorted[(k - 1) / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
  const r2 = (x) => Math.round(x * 100) / 100;
  return { iters_per_run: n, runs: rates.map(r2), median: r2(median), min: r2(sorted[0]), max: r2(sorted[k - 1]), last_loss: lastLoss };
}

function build() {
  console.error('wasm-bench: building (scripts/build, cargo build --release --bin rnn-lab)');
  execFileSync(join(ROOT, 'scripts', 'build'), { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('cargo', ['build', '--release', '--quiet', '--bin', 'rnn-lab'], { cwd: ROOT, stdio: 'inherit' });
}

function benchNative() {
  const exe = join(ROOT, 'target', 'release', 'rnn-lab');
  const out = [];
  for (const [H, S] of CONFIGS) {
    const r = spawnSync(exe, ['bench', '--hidden', String(H), '--seq', String(S), '--runs', String(RUNS),
      '--target', String(TARGET), '--corpus', CORPUS], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`rnn-lab bench failed (exit ${r.status}): ${r.stderr || r.error}`);
    const line = JSON.parse(r.stdout.trim().split('\n').pop());
    out.push({ ...line, platform: 'native', H, seq: S });
    console.log(JSON.stringify(out.at(-1)));
  }
  return out;
}

async function benchNode() {
  const pkg = await import(pathToFileURL(join(ROOT, 'www', 'pkg', 'core.js')).href);
  pkg.initSync({ module: readFileSync(join(ROOT, 'www', 'pkg', 'core_bg.wasm')) });
  const out = [];
  for (const [H, S] of CONFIGS) {
    const run = new pkg.BenchRun(corpus, H, S);
    const res = runProtocol((n) => run.train(n), () => performance.now(), RUNS, TARGET);
    out.push({ impl: 'rnn-lab-wasm-f64', platform: `node ${process.version}`, H, seq: S, V: run.vocab_size(), ...res });
    run.free();
    console.log(JSON.stringify(out.at(-1)));
  }
  return out;
}

async function benchChromium() {
  const { startServer, launch } = await import(pathToFileURL(join(ROOT, 'tests', 'e2e', 'harness.mjs')).href);
  const server = await startServer();
  const browser = await launch();
  const out = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`chromium: ${e.message}`));
    await page.goto(new URL('bench/page.html', server.url).href);
    await page.addScriptTag({ content: `window.runProtocol = ${runProtocol.toString()};` });
    await page.evaluate(async () => {
      const pkg = await import('/www/pkg/core.js');
      await pkg.default();
      window.benchPkg = pkg;
    });
    const version = browser.version();
    for (const [H, S] of CONFIGS) {
      const res = await page.evaluate(({ text, H, S, runs, target }) => {
        const run = new window.benchPkg.BenchRun(text, H, S);
        const r = window.runProtocol((n) => run.train(n), () => performance.now(), runs, target);
        r.V = run.vocab_size();
        run.free();
        return r;
      }, { text: corpus, H, S, runs: RUNS, target: TARGET });
      out.push({ impl: 'rnn-lab-wasm-f64', platform: `chromium ${version}`, H, seq: S, ...res });
      console.log(JSON.stringify(out.at(-1)));
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return out;
}

if (!argv.includes('--no-build')) build();
const results = { native: [], node: [], chromium: [] };
if (ONLY.has('native')) results.native = benchNative();
if (ONLY.has('node')) results.node = await benchNode();
if (ONLY.has('chromium')) results.chromium = await benchChromium();

// The table: medians (iterations/s), min–max, and wasm/native.
const find = (list, H, S) => list.find((r) => r.H === H && r.seq === S);
const cell = (r, native) => {
  if (!r) return '–';
  const ratio = native ? ` (${(r.median / native.median).toFixed(2)}×)` : '';
  return `${Math.round(r.median)} [${Math.round(r.min)}–${Math.round(r.max)}]${ratio}`;
};
const rows = CONFIGS.map(([H, S]) => {
  const nat = find(results.native, H, S);
  return [`H=${H}, seq ${S}`, cell(nat, null), cell(find(results.node, H, S), nat), cell(find(results.chromium, H, S), nat)];
});
const head = ['config', 'native', 'wasm in Node (wasm/native)', 'wasm in Chromium (wasm/native)'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`\nTraining iterations/s, median [min–max] of ${RUNS} runs of ~${TARGET} s, float64, ` +
  `one thread (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'cpu'}):\n`);
console.log(line(head));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));

// The goal: wasm within 1.5× of native, i.e. wasm/native ≥ 1/1.5.
const verdicts = [];
for (const [H, S] of CONFIGS) {
  const nat = find(results.native, H, S);
  for (const [where, list] of [['Node', results.node], ['Chromium', results.chromium]]) {
    const r = nat && find(list, H, S);
    if (r) verdicts.push(`H=${H}/seq ${S} in ${where}: ${r.median / nat.median >= 1 / 1.5 ? 'within' : 'not within'} 1.5×`);
  }
}
if (verdicts.length) console.log(`\nGoal, wasm within 1.5× of native (wasm/native ≥ 0.67): ${verdicts.join('; ')}.`);

mkdirSync(join(ROOT, 'test-output', 'bench'), { recursive: true });
const file = join(ROOT, 'test-output', 'bench', 'wasm-bench.json');
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), runs: RUNS, target: TARGET, ...results }, null, 2));
console.log(`\nwasm-bench: figures written to ${file}`);
