// Training speed of the engine as wasm (Node and headless Chromium), in float64 (the
// exact engine) and float32 (the fast training mode), beside native `rnn-lab bench`
// and the shared baselines, numpy and plain JS (copied in bench/baselines/), all under
// one protocol (bench/baselines/README.md) in one command.
//
//   node bench/wasm-bench.mjs [--runs 7] [--target 1.5] [--hidden H --seq S]
//                             [--only native,node,chromium,numpy,js] [--no-build] [--corpus FILE]
//
// Builds first (scripts/build for www/pkg, cargo build --release for the native tool)
// unless --no-build. The wasm variants of one configuration take turns run by run (so
// the machine's load falls on each alike), and their ratios are the medians of the
// run-by-run ratios. Prints one JSON line per measurement, then a table of medians:
// config | wasm f64 | wasm f32 | f32 relaxed | native f64 | numpy | plain JS | f32/f64 |
// relaxed/f64 | f32/numpy | relaxed/numpy | f32/JS (wasm in Node; above 1 means f32
// wasm is faster), then Chromium's and wasm/native. "f32 relaxed" is the relaxed-SIMD
// build (www/pkg-relaxed: fused multiply-add), which the page loads where the browser
// runs it; Node 20 needs --experimental-wasm-relaxed-simd for it, so this script runs
// itself again with that flag when its Node has the flag but not the feature. numpy is
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

/** A function () → v128 of one f32x4.relaxed_madd (as www/engine.js's probe): valid iff relaxed SIMD runs. */
function hasRelaxedSimd() {
  const zero = [0xfd, 0x0c, ...new Array(16).fill(0)];
  const body = [0x00, ...zero, ...zero, ...zero, 0xfd, 0x85, 0x02, 0x0b];
  return WebAssembly.validate(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00,
    0x0a, body.length + 2, 0x01, body.length, ...body]));
}
const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';
if (!hasRelaxedSimd() && !process.env.WASM_BENCH_RELAXED_TRIED) {
  // Node 20: relaxed SIMD behind a flag. The flag adds instructions; it changes nothing else.
  const r = spawnSync(process.execPath, [...process.execArgv, RELAXED_FLAG, ...process.argv.slice(1)],
    { stdio: 'inherit', env: { ...process.env, WASM_BENCH_RELAXED_TRIED: '1' } });
  // Exit code 9: this Node does not know the flag; run on without the relaxed column.
  if (r.status !== 9) process.exit(r.status ?? 1);
}
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
const notes = [];

/**
 * The protocol, shared by every implementation: ~0.5 s warm-up in steps of 10
 * iterations, then N calibrated so one run lasts ~target s, then `runs` timed runs of
 * N iterations; training continues across runs. Self-contained: it is also sent into
 * the browser page as source text.
 */
/**
 * The protocol for several variants at once: each is warmed up for 0.5 s and sized to runs of
 * about `target` seconds, then the timed runs take turns (variant 1, 2, …, 1, 2, …), so a
 * change in the machine's load falls on every variant alike and their ratios hold.
 * `trains[v](n)` trains n iterations of variant v and returns the last loss.
 */
function runInterleaved(trains, now, runs, target) {
  const sizes = trains.map((train) => {
    const t0 = now();
    let warm = 0;
    while (now() - t0 < 500) {
      train(10);
      warm += 10;
    }
    return Math.max(20, Math.floor((warm / ((now() - t0) / 1000)) * target));
  });
  const rates = trains.map(() => []);
  const lastLoss = trains.map(() => NaN);
  for (let r = 0; r < runs; r++) {
    trains.forEach((train, v) => {
      const t = now();
      lastLoss[v] = train(sizes[v]);
      rates[v].push(sizes[v] / ((now() - t) / 1000));
    });
  }
  const r2 = (x) => Math.round(x * 100) / 100;
  return rates.map((list, v) => {
    const sorted = list.slice().sort((a, b) => a - b);
    const k = sorted.length;
    const median = k % 2 ? sorted[(k - 1) / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
    return { iters_per_run: sizes[v], runs: list.map(r2), median: r2(median), min: r2(sorted[0]), max: r2(sorted[k - 1]), last_loss: lastLoss[v] };
  });
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

/**
 * What is timed in wasm: precision f64 and f32 from www/pkg, and f32 from the relaxed-SIMD
 * build (www/pkg-relaxed, `precision` 'f32-relaxed') where it is built and `relaxed` runs.
 */
function wasmRuns(relaxed) {
  const runs = PRECISIONS.map((precision) => ({ dir: 'pkg', precision, mode: precision }));
  if (relaxed && existsSync(join(ROOT, 'www', 'pkg-relaxed', 'core_bg.wasm'))) {
    runs.push({ dir: 'pkg-relaxed', precision: 'f32-relaxed', mode: 'f32' });
  }
  return runs;
}

async function benchNode() {
  const pkgs = {};
  const runs = wasmRuns(hasRelaxedSimd());
  if (runs.length === PRECISIONS.length) notes.push('f32 relaxed skipped in Node: no www/pkg-relaxed, or no relaxed SIMD in this Node.');
  for (const { dir } of runs) {
    if (pkgs[dir]) continue;
    // Each build's glue is its own module instance (its own wasm memory).
    pkgs[dir] = await import(`${pathToFileURL(join(ROOT, 'www', dir, 'core.js')).href}?${dir}`);
    pkgs[dir].initSync({ module: readFileSync(join(ROOT, 'www', dir, 'core_bg.wasm')) });
  }
  const out = [];
  for (const [H, S] of CONFIGS) {
    const models = runs.map(({ dir, mode }) => new pkgs[dir].BenchRun(corpus, H, S, mode));
    const results = runInterleaved(models.map((m) => (n) => m.train(n)), () => performance.now(), RUNS, TARGET);
    runs.forEach(({ precision }, v) => {
      out.push({ impl: `rnn-lab-wasm-${precision}`, precision, platform: `node ${process.version}`, H, seq: S, V: models[v].vocab_size(), round_robin: true, ...results[v] });
      console.log(JSON.stringify(out.at(-1)));
    });
    models.forEach((m) => m.free());
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
    await page.addScriptTag({ content: `window.runInterleaved = ${runInterleaved.toString()};` });
    const relaxed = await page.evaluate(`(${hasRelaxedSimd.toString()})()`);
    const runs = wasmRuns(relaxed);
    await page.evaluate(async (dirs) => {
      window.benchPkgs = {};
      for (const dir of dirs) {
        const pkg = await import(`/www/${dir}/core.js`);
        await pkg.default();
        window.benchPkgs[dir] = pkg;
      }
    }, [...new Set(runs.map((r) => r.dir))]);
    const version = browser.version();
    for (const [H, S] of CONFIGS) {
      const results = await page.evaluate(({ text, H, S, variants, runs, target }) => {
        const models = variants.map(({ dir, mode }) => new window.benchPkgs[dir].BenchRun(text, H, S, mode));
        const res = window.runInterleaved(models.map((m) => (n) => m.train(n)), () => performance.now(), runs, target);
        res.forEach((r, v) => {
          r.V = models[v].vocab_size();
        });
        models.forEach((m) => m.free());
        return res;
      }, { text: corpus, H, S, variants: runs.map(({ dir, mode }) => ({ dir, mode })), runs: RUNS, target: TARGET });
      runs.forEach(({ precision }, v) => {
        out.push({ impl: `rnn-lab-wasm-${precision}`, precision, platform: `chromium ${version}`, H, seq: S, round_robin: true, ...results[v] });
        console.log(JSON.stringify(out.at(-1)));
      });
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
/**
 * a's speed over b's: for two wasm variants of one runtime, whose runs took turns, the
 * median of the run-by-run ratios (a load spike hits both runs of a pair); otherwise the
 * ratio of the medians.
 */
function speedRatio(a, b) {
  if (a.round_robin && b.round_robin && a.platform === b.platform && a.runs.length === b.runs.length) {
    const pairs = a.runs.map((x, i) => x / b.runs[i]).sort((x, y) => x - y);
    const k = pairs.length;
    return k % 2 ? pairs[(k - 1) / 2] : (pairs[k / 2 - 1] + pairs[k / 2]) / 2;
  }
  return a.median / b.median;
}
const ratio = (a, b) => (a && b ? `${speedRatio(a, b).toFixed(2)}×` : '–');
function table(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

console.log(`\nTraining iterations/s, median of ${RUNS} runs of ~${TARGET} s, one thread ` +
  `(${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'cpu'}); wasm in Node ${process.version}:\n`);
const VARIANTS = ['f64', 'f32', 'f32-relaxed'];
table(['config', 'wasm f64', 'wasm f32', 'f32 relaxed', 'native f64', 'numpy', 'plain JS', 'f32/f64', 'relaxed/f64', 'f32/numpy', 'relaxed/numpy', 'f32/JS'],
  CONFIGS.map(([H, S]) => {
    const [w64, w32, wr] = VARIANTS.map((p) => find(results.node, H, S, p));
    const [nat, np, js] = [results.native, results.numpy, results.js].map((l) => find(l, H, S));
    return [`H=${H}, seq ${S}`, fmt(w64), fmt(w32), fmt(wr), fmt(nat), fmt(np), fmt(js), ratio(w32, w64), ratio(wr, w64),
      ratio(w32, np), ratio(wr, np), ratio(w32, js)];
  }));
if (results.chromium.length) {
  console.log('\nwasm in headless Chromium, and wasm/native:\n');
  table(['config', 'f64', 'f32', 'f32 relaxed', 'f32/f64', 'relaxed/f64', 'relaxed/numpy', 'f64/native (Node)', 'f64/native (Chromium)'], CONFIGS.map(([H, S]) => {
    const [c64, c32, cr] = VARIANTS.map((p) => find(results.chromium, H, S, p));
    const nat = find(results.native, H, S);
    return [`H=${H}, seq ${S}`, fmt(c64), fmt(c32), fmt(cr), ratio(c32, c64), ratio(cr, c64), ratio(cr, find(results.numpy, H, S)),
      ratio(find(results.node, H, S, 'f64'), nat), ratio(c64, nat)];
  }));
}

// The goals: f32 ≥ 2× f64 at H=100 and H=256; f32 ≥ 3× numpy at H=100, ≥ 2× at H=256;
// for each f32 build, in each runtime measured.
const goals = [];
for (const [where, list] of [['Node', results.node], ['Chromium', results.chromium]]) {
  for (const [H, S, vsNumpy] of [[100, 25, 3], [256, 50, 2]]) {
    const w64 = find(list, H, S, 'f64');
    const np = find(results.numpy, H, S);
    for (const variant of ['f32', 'f32-relaxed']) {
      const w32 = find(list, H, S, variant);
      if (w64 && w32) goals.push(`${where} H=${H} ${variant}/f64 ${ratio(w32, w64)} (goal 2×) ${speedRatio(w32, w64) >= 2 ? 'met' : 'not met'}`);
      if (w32 && np) goals.push(`${where} H=${H} ${variant}/numpy ${ratio(w32, np)} (goal ${vsNumpy}×) ${w32.median >= vsNumpy * np.median ? 'met' : 'not met'}`);
    }
  }
}
if (goals.length) console.log(`\nGoals:\n- ${goals.join('\n- ')}`);
for (const n of notes) console.log(`Note: ${n}`);

mkdirSync(join(ROOT, 'test-output', 'bench'), { recursive: true });
const file = join(ROOT, 'test-output', 'bench', 'wasm-bench.json');
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), runs: RUNS, target: TARGET, notes, ...results }, null, 2));
console.log(`\nwasm-bench: figures written to ${file}`);
