// The chapter's words: what the numbers of the current model say, written from the
// engine's analysis (never from the settings alone), plus the fixed explanations.
import { el, fmt, math } from '../common.js';

/** A number in plain or exponent form, with a true minus sign. */
export function num(x, digits = 3) {
  if (x === null || x === undefined) return '–';
  if (!Number.isFinite(x)) return fmt(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(1).replace('-', '\u2212').replace('e', '·10^').replace('+', '');
  return fmt(x, digits);
}

/** 10^v for a log10 value, written as a power of ten or a number. */
export function pow10(v) {
  if (v === -Infinity) return '0';
  if (!Number.isFinite(v)) return 'NaN/∞';
  if (v >= 2 && v < 5) return String(Math.round(10 ** v));
  if (v >= -3 && v < 2) return String(Number((10 ** v).toPrecision(3)));
  return `10^${fmt(v, 1)}`;
}

const ACT_NAME = { tanh: 'tanh', sigmoid: 'sigmoid', relu: 'ReLU', identity: 'the identity' };

/**
 * The verdict on the current weights: which side of 1/γ λ1 is on, and what really
 * happened to ‖∂h_T/∂h_k‖ (saturation, spectral radius, real growth). Returns a list of
 * sentences.
 */
export function verdict(a, distance) {
  if (!a) return [];
  const out = [];
  const T = a.steps;
  const n = distance && distance <= T ? distance : T;
  const j = a.jacobian_log10[n - 1];
  const b = a.bound_log10[n - 1];
  const act = ACT_NAME[a.activation] ?? a.activation;
  const sat = a.saturated_fraction;
  if (a.bound_factor < 1) {
    out.push(`γ·λ1 = ${num(a.gamma)} × ${num(a.lambda1)} = ${num(a.bound_factor)} < 1, so λ1 < 1/γ = ${num(a.threshold)}: `
      + `every step back multiplies the gradient by at most ${num(a.bound_factor)}. Vanishing is guaranteed: `
      + `over ${n} steps the bound is ${pow10(b)}, and this model’s ‖∂h_T/∂h_{T−${n}}‖ is ${pow10(j)}.`);
  } else {
    out.push(`γ·λ1 = ${num(a.bound_factor)} ≥ 1, so λ1 ≥ 1/γ = ${num(a.threshold)}: the bound (γλ1)^(T−k) no longer shrinks, `
      + `so exploding becomes possible, but nothing forces it. Over ${n} steps the bound allows ${pow10(b)}; this model has ${pow10(j)}.`);
    if (!Number.isFinite(j) && j !== -Infinity) {
      out.push('The products are not finite: the model exploded.');
    } else if (j <= 0 && sat >= 0.2) {
      out.push(`Instead of exploding, ${act} saturates: ${fmt(100 * sat, 1)} % of the units sit where f′ is nearly 0, which cuts the gradient off.`);
    } else if (j <= 0 && a.spectral_radius < a.threshold) {
      out.push(`It still shrinks: in the long run W_hh^n grows or shrinks like ρ^n, and the spectral radius ρ = ${num(a.spectral_radius)} of W_hh is below 1/γ, although λ1 is not.`);
    } else if (j <= 0) {
      out.push(`It still shrinks, although ρ = ${num(a.spectral_radius)} ≥ 1/γ: the slopes f′(a_t) along the way are below γ (only ${fmt(100 * sat, 1)} % of the units are saturated, but every unit loses a little at each step).`);
    } else if (sat >= 0.2) {
      out.push(`It grows, but far below the bound: ${fmt(100 * sat, 1)} % of the units are saturated (f′ ≈ 0).`);
    } else {
      out.push(`It really grows: ${act} does not saturate here (${fmt(100 * sat, 1)} % saturated units), `
        + 'so a long-range gradient is huge and one SGD step can throw the weights far away.');
    }
  }
  return out;
}

/** The fixed explanations under the charts (our own words). */
export function explanations() {
  // Prose in the lecture's notation (real subscripts); the displayed formulas in mono.
  const p = (...parts) => el('p', {}, ...parts.map((x) => (typeof x === 'string' ? math(x) : x)));
  return el('div', { class: 'vanishing-explain' },
    el('h3', { text: 'Why the gradient vanishes or explodes' }),
    p('Backpropagation through time carries the error from the last step back to step k through a product of one Jacobian per step: ',
      math('∂h_T/∂h_k = Π_{j=k+1..T} diag(f′(a_j)) W_hh', { class: 'math formula' }),
      '. Each factor has norm at most γ·λ1, where λ1 is the largest singular value of W_hh and γ the largest slope of f (1 for tanh, ReLU and the identity, 1/4 for the sigmoid). So ',
      math('‖∂h_T/∂h_k‖ ≤ (γ·λ1)^(T−k)', { class: 'math formula' }), ' (Pascanu, Mikolov & Bengio, 2013).'),
    p('If λ1 < 1/γ the bound shrinks geometrically, and the gradient from far back is guaranteed to vanish: the network cannot learn that the answer depends on a symbol d steps earlier. ',
      'If λ1 > 1/γ the bound grows, which makes exploding possible but does not cause it: the slopes f′ along the way and the eigenvalues of W_hh (its spectral radius ρ ≤ λ1) decide what happens.'),
    p('With tanh or the sigmoid a large W_hh mostly drives the units into saturation, where f′ is nearly 0, and the gradient vanishes anyway. ',
      'The identity and ReLU do not saturate on the positive side: there a large W_hh gives a real explosion, the loss and the gradients overflow to ∞ or NaN, and the app shows an “exploded” badge, draws only the finite values and keeps the last good weights.'),
    p('Clipping by norm rescales the whole gradient g to length c whenever ‖g‖ ≥ c. It keeps the direction and caps the step, which tames explosions; it does nothing for a vanishing gradient.'));
}
