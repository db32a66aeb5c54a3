// The numbers of the charts drawn in JS (./frame.js draws with them): tick choice and tick
// labels as plotters and the Rust charts made them (src/web/charts/house.rs), the y range,
// the runs of finite points, and plotters' map of a value onto pixels. No canvas here:
// tests/e2e/charts.test.mjs checks them in Node (the tick choice against plotters itself).

/**
 * Rust's `format!("{v:.d}")`: toFixed, but an exact tie rounds to the even digit (Rust
 * prints 0.125 to 2 places as 0.12, toFixed as 0.13), so the labels read as the Rust
 * charts' did.
 */
export function fixed(v, d) {
  const s = v.toFixed(d);
  const exact = Math.abs(v).toFixed(Math.min(100, d + 60));
  const rest = exact.slice(exact.indexOf('.') + 1 + d);
  if (!/^50*$/.test(rest)) return s;
  // A tie: toFixed went away from zero; Rust keeps the even digit.
  const last = Number(s[s.length - 1]);
  if (last % 2 === 0) return s;
  const step = 10 ** -d;
  return (Math.sign(v) * (Math.abs(v) - step / 2)).toFixed(d);
}

/**
 * A short, readable tick label: 3 significant digits, exponent form for very small or large
 * numbers (house.rs `tick`).
 */
export function tickLabel(v) {
  const a = Math.abs(v);
  if (v === 0) return '0';
  if (!(a >= 1e-3 && a < 1e5)) return v.toExponential(1).replace('e+', 'e');
  if (a >= 100) return fixed(v, 0);
  if (a >= 10) return fixed(v, 1);
  if (a >= 1) return fixed(v, 2);
  return fixed(v, 3);
}

/**
 * Upper end of a y axis starting at 0 for the finite values given: 5% headroom, and 1 when
 * there is nothing finite to show (house.rs `y_top`).
 */
export function yTop(...lists) {
  let max = 0;
  for (const list of lists) for (const v of list) if (Number.isFinite(v) && v > max) max = v;
  return max > 0 ? max * 1.05 : 1;
}

/**
 * Contiguous runs of finite points [[x, y], …], so that a NaN or ∞ breaks the line instead
 * of being drawn as a number.
 */
export function finiteRuns(xs, ys) {
  const runs = [];
  let run = [];
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) {
      run.push([xs[i], ys[i]]);
    } else if (run.length) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length) runs.push(run);
  return runs;
}

/** a − ⌊a/b⌋·b, 0 when within an epsilon of b (plotters' rem_euclid for the key points). */
function remEuclid(a, b) {
  const r = b > 0 ? a - Math.floor(a / b) * b : a - Math.ceil(a / b) * b;
  return Math.abs(r - b) < Number.EPSILON ? 0 : r;
}

/**
 * At most `maxPoints` round values (steps of 1, 2 or 5 × 10^k) in [lo, hi]: plotters'
 * key points of an f64 axis (`compute_f64_key_points`), so that a chart drawn here ticks
 * where the Rust charts did.
 */
export function floatTicks(lo, hi, maxPoints) {
  if (maxPoints === 0) return [];
  const [a, b] = [Math.min(lo, hi), Math.max(lo, hi)];
  if (Math.abs(a - b) < Number.EPSILON) return [a];
  // ln/ln as Rust's f64::log(10.0): log10 would put 1000 in the next decade. The power of
  // ten parsed, as it is correctly rounded (V8's 10 ** -4 is 0.00009999999999999999).
  let scale = Number(`1e${Math.floor(Math.log(b - a) / Math.log(10))}`);
  let granularity = scale / 10;
  if (1 + Math.floor((b - a) / scale) > maxPoints) {
    scale *= 10;
    granularity *= 10;
  }
  for (;;) {
    const old = scale;
    let fits = true;
    for (const next of [2, 5, 10]) {
      let left = a - remEuclid(a, old / next);
      if (left < a) left += old / next;
      const right = b - remEuclid(b, old / next);
      const points = 1 + ((right - left) / old) * next;
      if (Math.round(points) > maxPoints) {
        fits = false;
        break;
      }
      scale = old / next;
    }
    if (!fits) break;
    scale = old / 10;
    granularity /= 10;
  }
  let left = a - remEuclid(a, scale);
  if (left < a) left += scale;
  // Two parts, as plotters: the multiple of the granularity and the rest, rounded to it,
  // so that no tick reads 1.00000000001.
  const base = Math.floor(left / granularity) * granularity;
  let relative = left - base;
  const right = b - remEuclid(b, scale);
  const out = [];
  while (right - relative - base >= -Number.EPSILON) {
    if (Math.round(relative / granularity) * granularity < 0) relative += granularity;
    out.push(relative + base);
    relative += scale;
  }
  return out;
}

/**
 * At most `maxPoints` whole numbers (steps of 1, 2 or 5 × 10^k) in [lo, hi]: plotters' key
 * points of an integer axis (the bar chart's labelled bars).
 */
export function integerTicks(lo, hi, maxPoints) {
  const [a, b] = [Math.min(lo, hi), Math.max(lo, hi)];
  const size = b - a;
  let scale = 1;
  outer: while (Math.ceil(size / scale) > maxPoints) {
    const next = scale * 10;
    for (const candidate of [scale * 2, scale * 5, scale * 10]) {
      scale = candidate;
      if (Math.ceil(size / candidate) < maxPoints) break outer;
    }
    scale = next;
  }
  const out = [];
  for (let v = a + ((scale - (a % scale)) % scale); v <= b - (b % scale); v += scale) out.push(v);
  return out;
}

/** Plotters' map of a value onto pixels `from`..`to` of an f64 axis (the same rounding). */
export function mapLinear(v, lo, hi, from, to) {
  if (hi === lo) return Math.trunc((to - from) / 2);
  const t = (v - lo) / (hi - lo);
  const length = to - from;
  if (length === 0) return to;
  if (!Number.isFinite(t)) return t > 0 ? to : from;
  return length > 0 ? from + Math.floor(length * t + 1e-3) : from + Math.ceil(length * t - 1e-3);
}
