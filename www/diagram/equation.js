// The equation panel: the forward step t in the lecture's notation with the engine's
// numbers filled in, one row per sub-step, as far as the cursor has gone. DOM text only
// (textContent); every number is a <span class="num" data-q data-i [data-j]> showing the
// rounded value, with the full value in its title. A pure function of (data, cursor).
import { el, fmt, math, showSymbol } from '../views/common.js';
import { FORWARD_SUBSTEPS } from '../player.js';

/** Decimals shown: matrices are compact, vectors and results a little finer. */
export const DIGITS = { matrix: 2, vector: 3, scalar: 3 };
/** A matrix is shown whole up to this many rows and columns, else its corner and "…". */
const MAX_ROWS = 8;
const MAX_COLS = 10;
/** Vectors longer than this are written as a row (…)ᵀ instead of a column. */
const MAX_COLUMN = 8;

const full = (v) => String(v).replace('-', '\u2212');

/** One number: rounded text, full value in the title. */
export function numberEl(v, { q, i, j, digits = DIGITS.scalar, cls = '' } = {}) {
  const dataset = { q: q ?? '', digits: String(digits) };
  if (i !== undefined) dataset.i = String(i);
  if (j !== undefined) dataset.j = String(j);
  return el('span', { class: `num ${cls}`.trim(), text: fmt(v, digits), title: full(v), dataset });
}

/**
 * A matrix [rows][cols] in brackets. opts: q (data-q), digits, name (for the title),
 * pickCol (a column to highlight: the one x_t selects).
 */
export function matrixEl(m, { q, digits = DIGITS.matrix, name = q, pickCol } = {}) {
  const rows = m.length;
  const cols = rows ? m[0].length : 0;
  const shownRows = rows > MAX_ROWS ? MAX_ROWS - 1 : rows;
  const shownCols = cols > MAX_COLS ? MAX_COLS - 1 : cols;
  const grid = el('span', { class: 'mat-grid', style: `grid-template-columns: repeat(${shownCols + (cols > shownCols ? 1 : 0)}, auto)` });
  for (let i = 0; i < shownRows; i++) {
    for (let j = 0; j < shownCols; j++) grid.append(numberEl(m[i][j], { q, i, j, digits, cls: j === pickCol ? 'pick' : '' }));
    if (cols > shownCols) grid.append(el('span', { class: 'more', text: '…' }));
  }
  if (rows > shownRows) for (let j = 0; j < shownCols + (cols > shownCols ? 1 : 0); j++) grid.append(el('span', { class: 'more', text: '⋮' }));
  const shape = `${name}: ${rows} × ${cols}${rows > shownRows || cols > shownCols ? ' (corner shown)' : ''}`;
  return el('span', { class: 'mat', title: shape }, grid);
}

/** A vector as a column (short) or as a row written (…)ᵀ (long). opts: q, digits, pick. */
export function vectorEl(v, { q, digits = DIGITS.vector, pick } = {}) {
  const column = v.length <= MAX_COLUMN;
  const box = el('span', { class: column ? 'vec vec-col' : 'vec vec-row' });
  v.forEach((x, i) => box.append(numberEl(x, { q, i, digits, cls: i === pick ? 'pick' : '' })));
  return column ? box : el('span', { class: 'vec-t' }, box, el('span', { class: 'sup', text: 'ᵀ' }));
}

/** A labelled symbol vector (x_t, p_t) : one column with the symbol beside each entry. */
function symbolVector(v, vocab, { q, digits, pick, target }) {
  const box = el('span', { class: 'vec vec-sym' });
  if (v.length > MAX_COLUMN + 1) {
    // Long vocabularies wrap into several columns of at most MAX_COLUMN + 1 entries.
    const perCol = Math.ceil(v.length / Math.ceil(v.length / (MAX_COLUMN + 1)));
    box.classList.add('wide');
    box.style.gridTemplateRows = `repeat(${perCol}, auto)`;
  }
  v.forEach((x, i) => {
    const cls = [i === pick ? 'pick' : '', i === target ? 'target' : ''].join(' ').trim();
    box.append(el('span', { class: `sym-row ${cls}`.trim() },
      el('span', { class: 'sym', text: showSymbol(vocab[i]) }), numberEl(x, { q, i, digits })));
  });
  return box;
}

const op = (s) => el('span', { class: 'op', text: s });
const lhs = (s) => el('span', { class: 'lhs' }, math(s));
/** A formula in the lecture's notation (real subscripts); `tail`: plain text after it. */
const expr = (s, tail = '') => el('span', { class: 'sym-expr' }, math(s), tail);

/** f's name as the lecture writes it. */
function fname(act) {
  return { tanh: 'tanh', sigmoid: 'σ', relu: 'ReLU', identity: 'id' }[act] ?? act;
}

/**
 * Fills `container` with the equations of step cursor.t (forward pass). Rows after the
 * active sub-step show their formula only; in the backward pass all rows are filled.
 */
export function buildEquationPanel(container, data, cursor) {
  const f = data.forward;
  const t = cursor.t;
  const s = f.per_step[t - 1];
  const V = f.vocab;
  const fn = fname(f.activation);
  const bias = f.bias;
  // Index of the active row; past the end when the whole step is shown (backward pass).
  const k0 = FORWARD_SUBSTEPS.indexOf(cursor.substep);
  const active = cursor.phase === 'backward' || k0 < 0 ? FORWARD_SUBSTEPS.length : k0;
  const rows = {
    w_xh_x: () => (V.length <= MAX_COLS
      ? [lhs(`W_xh x_${t}`), op('='),
        matrixEl(f.w_xh, { q: 'w_xh', name: 'W_xh', pickCol: s.input_index }),
        symbolVector(s.x_t, V, { q: 'x_t', digits: 0, pick: s.input_index }), op('='),
        vectorEl(s.w_xh_x, { q: 'w_xh_x' }),
        el('span', { class: 'note' }, 'the column of ', math('W_xh'), ` for “${showSymbol(s.input)}”`)]
      // With many symbols only the column that the one-hot x_t picks is shown.
      : [lhs(`W_xh x_${t}`), op('='), expr('W_xh', `[:, “${showSymbol(s.input)}”]`), op('='),
        vectorEl(s.w_xh_x, { q: 'w_xh_x' }),
        el('span', { class: 'note' }, math(`x_${t}`), ` is one-hot (1 at “${showSymbol(s.input)}”, ${V.length} symbols), so the product is that column of `, math('W_xh'))]),
    w_hh_h: () => [lhs(`W_hh h_${t - 1}`), op('='),
      matrixEl(f.w_hh, { q: 'w_hh', name: 'W_hh' }), vectorEl(s.h_prev, { q: 'h_prev' }), op('='),
      vectorEl(s.w_hh_h, { q: 'w_hh_h' })],
    sum: () => [lhs(`a_${t}`), op('='), expr(`W_hh h_${t - 1} + W_xh x_${t}${bias ? ' + b_h' : ''}`), op('='),
      vectorEl(s.w_hh_h, { q: 'w_hh_h' }), op('+'), vectorEl(s.w_xh_x, { q: 'w_xh_x' }),
      ...(bias ? [op('+'), vectorEl(s.b_h, { q: 'b_h' })] : []), op('='), vectorEl(s.a_t, { q: 'a_t' })],
    activation: () => [lhs(`h_${t}`), op('='), expr(`${fn}(a_${t})`), op('='),
      vectorEl(s.h_t, { q: 'h_t' })],
    output: () => [lhs(`y_${t}`), op('='), expr(`W_hy h_${t}${bias ? ' + b_y' : ''}`), op('='),
      matrixEl(f.w_hy, { q: 'w_hy', name: 'W_hy' }), vectorEl(s.h_t, { q: 'h_t' }),
      ...(bias ? [op('+'), vectorEl(s.b_y, { q: 'b_y' })] : []), op('='),
      symbolVector(s.y_t, V, { q: 'y_t', digits: DIGITS.vector })],
    softmax: () => {
      const verdict = s.target_index == null ? 'no target at this step'
        : s.correct ? 'right' : 'wrong';
      return [lhs(`p_${t}`), op('='), expr(`softmax(y_${t})`), op('='),
        symbolVector(s.p_t, V, { q: 'p_t', digits: DIGITS.vector, pick: s.predicted_index, target: s.target_index }),
        el('span', { class: 'verdict' },
          'predicted ', el('strong', { class: 'sym', text: `“${showSymbol(s.predicted)}”` }),
          s.target_index == null ? '' : ' · target ', s.target_index == null ? '' : el('strong', { class: 'sym', text: `“${showSymbol(s.target)}”` }),
          ` · ${verdict}`, el('span', { 'aria-hidden': 'true', text: s.target_index == null ? '' : s.correct ? ' ✓' : ' ✗' }))];
    },
    loss: () => {
      if (s.target_index == null) return [lhs(`loss_${t}`), op('='), numberEl(0, { q: 'loss_t' }), el('span', { class: 'note', text: 'no target at this step' })];
      return [lhs(`loss_${t}`), op('='), expr(`−log p_${t}`, `[${showSymbol(s.target)}]`), op('='),
        el('span', { class: 'sym-expr' }, '−log ', numberEl(s.p_t[s.target_index], { q: 'p_t', i: s.target_index, digits: DIGITS.vector })),
        op('='), numberEl(s.loss_t, { q: 'loss_t', cls: 'result' }),
        el('span', { class: 'running' }, 'running total ', math(`loss_1 + … + loss_${t}`), ' = ', numberEl(s.running_loss, { q: 'running_loss', cls: 'result' }),
          ` (all ${f.steps} steps: L = `, numberEl(f.loss, { q: 'loss' }), ')')];
    },
  };
  const formulas = {
    w_xh_x: `W_xh x_${t}`,
    w_hh_h: `W_hh h_${t - 1}`,
    sum: `a_${t} = W_hh h_${t - 1} + W_xh x_${t}${bias ? ' + b_h' : ''}`,
    activation: `h_${t} = ${fn}(a_${t})`,
    output: `y_${t} = W_hy h_${t}${bias ? ' + b_y' : ''}`,
    softmax: `p_${t} = softmax(y_${t})`,
    loss: `loss_${t} = −log p_${t}[target]`,
  };
  const list = el('ol', { class: 'eq-rows' });
  FORWARD_SUBSTEPS.forEach((name, k) => {
    const state = k < active ? 'done' : k === active ? 'active' : 'todo';
    const li = el('li', { class: `eq-row ${state}`, dataset: { sub: name } });
    if (state === 'active') li.setAttribute('aria-current', 'step');
    if (state === 'todo') li.append(el('span', { class: 'sym-expr todo-text' }, math(formulas[name]), ' — next'));
    else li.append(...rows[name]());
    list.append(li);
  });
  const general = el('p', { class: 'eq-general' },
    math(`h_t = ${fn}(W_hh h_{t−1} + W_xh x_t${bias ? ' + b_h' : ''})`),
    math(`y_t = W_hy h_t${bias ? ' + b_y' : ''}`),
    el('span', { class: 'eq-step', text: `now: t = ${t}, input “${showSymbol(s.input)}”` }));
  container.replaceChildren(general, list);
}
