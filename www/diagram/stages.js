// What each column shows at a cursor: a pure function of (data, cursor). The renderer,
// the hover text and the equation panel all read it, so they can never disagree.
import { FORWARD_SUBSTEPS, BACKWARD_SUBSTEPS } from '../player.js';

/** Forward sub-step names, as the player steps them. */
export const F = Object.fromEntries(FORWARD_SUBSTEPS.map((n, k) => [n, k + 1]));
/** Backward sub-step names. */
export const B = Object.fromEntries(BACKWARD_SUBSTEPS.map((n, k) => [n, k + 1]));

/** How many sub-steps of `names` are done at sub-step `name` (unknown: all of them). */
function doneAt(names, name) {
  const k = names.indexOf(name);
  return k < 0 ? names.length : k + 1;
}

/**
 * Forward level of column s (1..T): the number of forward sub-steps done there
 * (0: nothing computed; FORWARD_SUBSTEPS.length: complete). In the backward pass every
 * column is complete.
 */
export function forwardLevel(cursor, s) {
  const all = FORWARD_SUBSTEPS.length;
  if (cursor.phase === 'backward') return all;
  if (s < cursor.t) return all;
  if (s > cursor.t) return 0;
  return doneAt(FORWARD_SUBSTEPS, cursor.substep);
}

/**
 * Backward level of column s: sub-steps of the backward pass done there (the pass runs
 * t = T → 1, so columns right of t are complete). 0 in the forward pass.
 */
export function backwardLevel(cursor, s) {
  if (cursor.phase !== 'backward') return 0;
  const all = BACKWARD_SUBSTEPS.length;
  if (s > cursor.t) return all;
  if (s < cursor.t) return 0;
  return doneAt(BACKWARD_SUBSTEPS, cursor.substep);
}

/** The active sub-step name at column s, or null (only column cursor.t has one). */
export function activeAt(cursor, s) {
  return s === cursor.t ? cursor.substep : null;
}

/**
 * What the hidden cells of column s (1..T) show in the forward picture:
 * { key, name, values } with key one of w_xh_x, w_hh_h, a_t, h_t, or null (empty).
 */
export function hiddenQuantity(data, cursor, s) {
  const snap = data.forward.per_step[s - 1];
  const level = forwardLevel(cursor, s);
  if (level >= F.activation) return { key: 'h_t', name: `h_${s}`, values: snap.h_t };
  if (level >= F.sum) return { key: 'a_t', name: `a_${s}`, values: snap.a_t };
  if (level >= F.w_hh_h) return { key: 'w_hh_h', name: `W_hh h_${s - 1}`, values: snap.w_hh_h };
  if (level >= F.w_xh_x) return { key: 'w_xh_x', name: `W_xh x_${s}`, values: snap.w_xh_x };
  return { key: null, name: `h_${s}`, values: null };
}

/** What the output cells of column s show: { key: 'p_t'|'y_t'|null, name, values }. */
export function outputQuantity(data, cursor, s) {
  const snap = data.forward.per_step[s - 1];
  const level = forwardLevel(cursor, s);
  if (level >= F.softmax) return { key: 'p_t', name: `p_${s}`, values: snap.p_t };
  if (level >= F.output) return { key: 'y_t', name: `y_${s}`, values: snap.y_t };
  return { key: null, name: `y_${s}`, values: null };
}

/**
 * What the hidden cells of column s (0..T) show in the backward picture:
 * { key: 'dh_t'|'da_t'|null, name, values }. Column 0 (h_0) shows dL/dh_0 once the
 * gradient has reached it.
 */
export function hiddenGradient(data, cursor, s) {
  const bw = data.backward;
  if (!bw || cursor.phase !== 'backward') return { key: null, values: null };
  if (s === 0) {
    return backwardLevel(cursor, 1) >= B.to_prev
      ? { key: 'dh_t', name: 'dL/dh_0', values: bw.dh0 }
      : { key: null, name: 'dL/dh_0', values: null };
  }
  const b = bw.per_step[s - 1];
  const level = backwardLevel(cursor, s);
  if (level >= B.da) return { key: 'da_t', name: `da_${s}`, values: b.da_t };
  if (level >= B.dh) return { key: 'dh_t', name: `dL/dh_${s}`, values: b.dh_t };
  return { key: null, name: `dL/dh_${s}`, values: null };
}

/** Largest |v| over the arrays given (≥ tiny, so it can divide). */
export function maxAbs(arrays) {
  let m = 0;
  for (const a of arrays) for (const v of a) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m > 0 ? m : 1e-12;
}

const scaleCache = new WeakMap();

/**
 * Colour limits of one data object (the largest magnitudes drawn, so the diverging scale
 * uses its whole range): h (±1 for tanh, else the largest |h_t|), pre (the pre-activation
 * terms), y (logits), grad (dh_t and da_t), dy.
 */
export function scales(data) {
  let s = scaleCache.get(data);
  if (s) return s;
  const f = data.forward;
  const steps = f.per_step;
  const bounded = f.activation === 'tanh' || f.activation === 'sigmoid';
  s = {
    h: bounded ? 1 : maxAbs([f.h0, ...steps.map((p) => p.h_t)]),
    pre: maxAbs(steps.flatMap((p) => [p.a_t, p.w_xh_x, p.w_hh_h])),
    y: maxAbs(steps.map((p) => p.y_t)),
  };
  if (data.backward) {
    const b = data.backward.per_step;
    s.grad = maxAbs([data.backward.dh0, ...b.flatMap((p) => [p.dh_t, p.da_t])]);
    s.dy = maxAbs(b.map((p) => p.dy_t));
  }
  scaleCache.set(data, s);
  return s;
}
