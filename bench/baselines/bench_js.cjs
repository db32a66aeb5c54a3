'use strict';
// Speed benchmark: plain JS (rnn.js, typed-array loops), same protocol as bench_numpy.py.
// Usage: node bench_js.js --hidden 100 --seq 25 [--runs 7] [--target 1.5] [--f32]
const fs = require('fs');
const path = require('path');
const R = require('./rnn.cjs');

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf('--' + name); return i >= 0 ? args[i + 1] : def; };
const H = parseInt(opt('hidden', '100'), 10);
const S = parseInt(opt('seq', '25'), 10);
const RUNS = parseInt(opt('runs', '7'), 10);
const TARGET = parseFloat(opt('target', '1.5'));
const F32 = args.includes('--f32');
const corpus = opt('corpus', path.join(__dirname, 'corpus.txt'));

const text = fs.readFileSync(corpus, 'utf8');
const chars = Array.from(new Set(text)).sort();
const ix = new Map(chars.map((c, i) => [c, i]));
const data = Int32Array.from(Array.from(text, (c) => ix.get(c)));
const V = chars.length;
const m = R.createModel(V, H, S, { seed: 0, scale: 0.01, arrayType: F32 ? Float32Array : Float64Array });
const h = new Float64Array(H);
let p = 0;
let lastLoss = 0;

function iterate(n) {
  for (let it = 0; it < n; it++) {
    if (p + S + 1 > data.length) { p = 0; h.fill(0); }
    lastLoss = R.trainStep(m, data.subarray(p, p + S), data.subarray(p + 1, p + S + 1), h, h, 0.1);
    p += S;
  }
}

const now = () => Number(process.hrtime.bigint()) / 1e9;
let t0 = now();
let nWarm = 0;
while (now() - t0 < 0.5) { iterate(10); nWarm += 10; }
const N = Math.max(20, Math.floor(nWarm / (now() - t0) * TARGET));
const res = [];
for (let r = 0; r < RUNS; r++) {
  const t = now();
  iterate(N);
  res.push(N / (now() - t));
}
const sorted = res.slice().sort((a, b) => a - b);
const med = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
const r2 = (x) => Math.round(x * 100) / 100;
console.log(JSON.stringify({ impl: F32 ? 'js-float32array' : 'js-float64array', node: process.version, H, seq: S, V,
  iters_per_run: N, runs: res.map(r2), median: r2(med), min: r2(sorted[0]), max: r2(sorted[sorted.length - 1]), last_loss: lastLoss }));
