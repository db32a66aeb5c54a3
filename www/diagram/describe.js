// A cell of the diagram in words, full precision, at a cursor: for the tooltip and the
// canvas's aria-label (see index.js, describeCell).
import { showSymbol } from '../views/common.js';
import { backwardLevel, hiddenQuantity, outputQuantity } from './stages.js';

/**
 * The value of one cell in words, full precision (for the tooltip and aria-label):
 * what it is at this cursor, or that it is not computed yet.
 */
export function describeCell(data, cursor, cell) {
  if (!cell) return '';
  const f = data.forward;
  const full = (v) => String(v).replace('-', '\u2212');
  if (cell.kind === 'h' && cell.t === 0) {
    if (cursor.phase === 'backward' && data.backward && backwardLevel(cursor, 1) >= 4) {
      return `dL/dh_0[${cell.i + 1}] = ${full(data.backward.dh0[cell.i])}`;
    }
    return `h_0[${cell.i + 1}] = ${full(f.h0[cell.i])}`;
  }
  const snap = f.per_step[cell.t - 1];
  if (!snap) return '';
  const s = cell.t;
  if (cell.kind === 'x') {
    const sym = showSymbol(f.vocab[cell.i]);
    return `x_${s}[${sym}] = ${cell.i === snap.input_index ? 1 : 0} (input at t = ${s}: “${showSymbol(snap.input)}”)`;
  }
  if (cursor.phase === 'backward' && data.backward) {
    const b = data.backward.per_step[s - 1];
    const level = backwardLevel(cursor, s);
    if (cell.kind === 'y') {
      return level >= 1 ? `∂loss_${s}/∂y_${s}[${showSymbol(f.vocab[cell.i])}] = ${full(b.dy_t[cell.i])}`
        : `∂loss_${s}/∂y_${s}[${showSymbol(f.vocab[cell.i])}]: not reached yet`;
    }
    if (level >= 3) return `da_${s}[${cell.i + 1}] = ${full(b.da_t[cell.i])}`;
    if (level >= 2) return `dL/dh_${s}[${cell.i + 1}] = ${full(b.dh_t[cell.i])}`;
    return `dL/dh_${s}[${cell.i + 1}]: not reached yet`;
  }
  if (cell.kind === 'h') {
    const q = hiddenQuantity(data, cursor, s);
    const name = { h_t: `h_${s}`, a_t: `a_${s}`, w_hh_h: `(W_hh h_${s - 1})`, w_xh_x: `(W_xh x_${s})` }[q.key];
    if (!q.values) return `h_${s}[${cell.i + 1}]: not computed yet`;
    return `${name}[${cell.i + 1}] = ${full(q.values[cell.i])}`;
  }
  const q = outputQuantity(data, cursor, s);
  const sym = showSymbol(f.vocab[cell.i]);
  if (!q.values) return `y_${s}[${sym}]: not computed yet`;
  const notes = [];
  if (cell.i === snap.target_index) notes.push('target');
  if (q.key === 'p_t' && cell.i === snap.predicted_index) notes.push('predicted');
  const tail = notes.length ? ` (${notes.join(', ')})` : '';
  if (q.key === 'p_t') return `p_${s}[${sym}] = ${full(snap.p_t[cell.i])}; y_${s}[${sym}] = ${full(snap.y_t[cell.i])}${tail}`;
  return `y_${s}[${sym}] = ${full(snap.y_t[cell.i])}${tail}`;
}
