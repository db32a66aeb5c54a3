// Lighthouse against the served app, mobile and desktop presets: the four category scores
// and the performance metrics behind the first. Run through scripts/lighthouse (which
// installs what is missing and reads CHROME_PATH from .tools/env).
//
// Starts ./scripts/serve on a free port (so it builds first and measures the real server,
// headers included) unless URL is set; runs the lighthouse CLI from node_modules with the
// system Chromium, headless; RUNS=n takes the median of n runs per preset.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'test-output', 'lighthouse');
const RUNS = Math.max(1, Number(process.env.RUNS ?? 1) | 0);
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const METRICS = [
  ['first-contentful-paint', 'FCP'],
  ['largest-contentful-paint', 'LCP'],
  ['total-blocking-time', 'TBT'],
  ['cumulative-layout-shift', 'CLS'],
  ['speed-index', 'SI'],
];
const CHROME_FLAGS = '--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync';

/** ./scripts/serve --port 0 as a child; resolves { url, stop } once it prints its URL. */
function serve() {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'scripts', 'serve'), ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/RNN Lab: (http:\/\/\S+)/);
      if (m) resolve({ url: m[1], stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`scripts/serve exited (${code}) before printing its URL:\n${out}`)));
  });
}

/** One lighthouse run; returns the parsed JSON report (HTML and JSON saved under OUT). */
function lighthouse(url, preset, run) {
  const base = join(OUT, RUNS > 1 ? `${preset}-${run}` : preset);
  const args = [url, '--output=json', '--output=html', `--output-path=${base}`, `--chrome-flags=${CHROME_FLAGS}`, '--quiet'];
  if (preset === 'desktop') args.push('--preset=desktop');
  execFileSync(join(ROOT, 'node_modules', '.bin', 'lighthouse'), args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return JSON.parse(readFileSync(`${base}.report.json`, 'utf8'));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

function summarise(reports) {
  const scores = Object.fromEntries(CATEGORIES.map((c) => [c, median(reports.map((r) => Math.round(r.categories[c].score * 100)))]));
  const metrics = Object.fromEntries(METRICS.map(([id, name]) => [name, median(reports.map((r) => r.audits[id].numericValue))]));
  return { scores, metrics };
}

const fmtMetric = (name, v) => (name === 'CLS' ? v.toFixed(3) : `${(v / 1000).toFixed(2)} s`);

mkdirSync(OUT, { recursive: true });
const server = process.env.URL ? { url: process.env.URL, stop() {} } : await serve();
let version = '';
try {
  const results = {};
  for (const preset of ['mobile', 'desktop']) {
    const reports = [];
    for (let run = 1; run <= RUNS; run++) reports.push(lighthouse(server.url, preset, run));
    version = reports[0].lighthouseVersion;
    results[preset] = summarise(reports);
  }
  console.log(`lighthouse ${version} against ${server.url} (${RUNS > 1 ? `median of ${RUNS} runs` : 'one run'} per preset; reports in test-output/lighthouse/)`);
  for (const [preset, { scores, metrics }] of Object.entries(results)) {
    console.log(`${preset.padEnd(8)} performance ${scores.performance}, accessibility ${scores.accessibility}, ` +
      `best practices ${scores['best-practices']}, SEO ${scores.seo}`);
    console.log(`${''.padEnd(8)} ${METRICS.map(([, n]) => `${n} ${fmtMetric(n, metrics[n])}`).join(' · ')}`);
  }
} finally {
  server.stop();
}
