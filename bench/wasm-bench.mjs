// Training speed of the engine as wasm (Node and headless Chromium), in float64 (the
// exact engine) and float32 (the fast training mode), beside native `rnn-lab bench`
// and the shared baselines, numpy and plain JS (copied in bench/baselines/), all under
// one protocol (bench/baselines/README.md) in one command.
//
//   node bench/wasm-bench.mjs [--runs 7] [--target 1.5] [--hidden H --seq S]
//                             [--only native,node,chromium,numpy,js] [--no-build] [--corpus FILE]
//
// Builds first (scripts/build for www/pkg, cargo build --release for the native tool)
// unless --no-build. Prints one JSON line per measurement, then a table of medians:
// config | wasm f64 | wasm f32 | native f64 | numpy | plain JS | f32/f64 | f32/numpy |
// f32/JS (wasm in Node; above 1 means f32 wasm is faster), then wasm/native. numpy is
// skipped, with a note, where python3 or numpy is missing. Writes all figures to
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
const ONLY = new Set(opt('only', 'native,node,chromium,numpy,js').split(','));
const PRECISIONS = ['f64', 'f32'];
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
    for (const precision of PRECISIONS) {
      const run = new pkg.BenchRun(corpus, H, S, precision);
      const res = runProtocol((n) => run.train(n), () => performance.now(), RUNS, TARGET);
      out.push({ impl: `rnn-lab-wasm-${precision}`, precision, platform: `node ${process.version}`, H, seq: S, V: run.vocab_size(), ...res });
      run.free();
      console.log(JSON.stringify(out.at(-1)));
    }
  }
  return out;
}

async function benchChromium() {
  const { startServer, launch } = await import(pathToFileURL(join(ROOT, 'tests', 'e2e', 'harness.mjs')).href);
  const server = await startServer();
  const browser = await launch();
  const out = [];
  try {
    // The server's CSP refuses inline scripts (the app has none); the benchmark injects its
    // protocol function as one, so this page alone runs without the CSP.
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
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
      for (const precision of PRECISIONS) {
        const res = await page.evaluate(({ text, H, S, precision, runs, target }) => {
          const run = new window.benchPkg.BenchRun(text, H, S, precision);
          const r = window.runProtocol((n) => run.train(n), () => performance.now(), runs, target);
          r.V = run.vocab_size();
          run.free();
          return r;
        }, { text: corpus, H, S, precision, runs: RUNS, target: TARGET });
        out.push({ impl: `rnn-lab-wasm-${precision}`, precision, platform: `chromium ${version}`, H, seq: S, ...res });
        console.log(JSON.stringify(out.at(-1)));
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return out;
}

/** A baseline script's JSON line per configuration, or null (with the reason) if it cannot run. */
function benchBaseline(name, command, args) {
  const out = [];
  for (const [H, S] of CONFIGS) {
    const r = spawnSync(command, [...args, '--hidden', String(H), '--seq', String(S), '--runs', String(RUNS),
      '--target', String(TARGET), '--corpus', CORPUS], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
    if (r.status !== 0) throw new Error(`${name} failed (exit ${r.status}): ${r.stderr || r.error}`);
    out.push({ ...JSON.parse(r.stdout.trim().split('\n').pop()), platform: name, H, seq: S });
    console.log(JSON.stringify(out.at(-1)));
  }
  return out;
}

/** Why numpy cannot run here, or null if it can. */
function numpyMissing() {
  const r = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (r.error) return 'python3 not found';
  return r.status === 0 ? null : 'numpy is not installed for python3';
}

if (!argv.includes('--no-build')) build();
const results = { native: [], node: [], chromium: [], numpy: [], js: [] };
const notes = [];
if (ONLY.has('native')) results.native = benchNative();
if (ONLY.has('node')) results.node = await benchNode();
if (ONLY.has('chromium')) results.chromium = await benchChromium();
if (ONLY.has('numpy')) {
  const missing = numpyMissing();
  if (missing) notes.push(`numpy skipped: ${missing}.`);
  else results.numpy = benchBaseline('numpy', 'python3', [join(ROOT, 'bench', 'baselines', 'bench_numpy.py')]);
}
if (ONLY.has('js')) results.js = benchBaseline(`node ${process.version}`, process.execPath, [join(ROOT, 'bench', 'baselines', 'bench_js.cjs')]);

const find = (list, H, S, precision) => list.find((r) => r.H === H && r.seq === S && (!precision || r.precision === precision || !r.precision));
const fmt = (r) => (r ? String(Math.round(r.median)) : '–');
const ratio = (a, b) => (a && b ? `${(a.median / b.median).toFixed(2)}×` : '–');
function table(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

console.log(`\nTraining iterations/s, median of ${RUNS} runs of ~${TARGET} s, one thread ` +
  `(${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'cpu'}); wasm in Node ${process.version}:\n`);
table(['config', 'wasm f64', 'wasm f32', 'native f64', 'numpy', 'plain JS', 'f32/f64', 'f32/numpy', 'f32/JS'],
  CONFIGS.map(([H, S]) => {
    const [w64, w32] = PRECISIONS.map((p) => find(results.node, H, S, p));
    const [nat, np, js] = [results.native, results.numpy, results.js].map((l) => find(l, H, S));
    return [`H=${H}, seq ${S}`, fmt(w64), fmt(w32), fmt(nat), fmt(np), fmt(js), ratio(w32, w64), ratio(w32, np), ratio(w32, js)];
  }));
if (results.chromium.length) {
  console.log('\nwasm in headless Chromium, and wasm/native:\n');
  table(['config', 'f64', 'f32', 'f32/f64', 'f64/native (Node)', 'f64/native (Chromium)'], CONFIGS.map(([H, S]) => {
    const [c64, c32] = PRECISIONS.map((p) => find(results.chromium, H, S, p));
    const nat = find(results.native, H, S);
    return [`H=${H}, seq ${S}`, fmt(c64), fmt(c32), ratio(c32, c64), ratio(find(results.node, H, S, 'f64'), nat), ratio(c64, nat)];
  }));
}

// The goals: f32 ≥ 2× f64 at H=100 and H=256; f32 ≥ 3× numpy at H=100, ≥ 2× at H=256.
const goals = [];
for (const [H, S, vsNumpy] of [[100, 25, 3], [256, 50, 2]]) {
  const [w64, w32] = PRECISIONS.map((p) => find(results.node, H, S, p));
  const np = find(results.numpy, H, S);
  if (w64 && w32) goals.push(`H=${H}: f32/f64 ${ratio(w32, w64)} (goal 2×) ${w32.median >= 2 * w64.median ? 'met' : 'not met'}`);
  if (w32 && np) goals.push(`H=${H}: f32/numpy ${ratio(w32, np)} (goal ${vsNumpy}×) ${w32.median >= vsNumpy * np.median ? 'met' : 'not met'}`);
}
if (goals.length) console.log(`\nGoals: ${goals.join('; ')}.`);
for (const n of notes) console.log(`Note: ${n}`);

mkdirSync(join(ROOT, 'test-output', 'bench'), { recursive: true });
const file = join(ROOT, 'test-output', 'bench', 'wasm-bench.json');
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), runs: RUNS, target: TARGET, notes, ...results }, null, 2));
console.log(`\nwasm-bench: figures written to ${file}`);
