// The backward pass, stepped from t = T down to 1 on the unrolled diagram of chapter 2
// (www/diagram), with the equation panel of the backward factors, the ‖dL/dh_t‖ bars,
// and each step's share of the shared-weight gradients as small heatmaps beside their
// sum. Data: lab.unrolled_forward / unrolled_backward (the diagram's API) and
// lab.training_contributions(t); this file only lays the numbers out.
import { el, fmt, math, showSymbol } from '../common.js';
import { Chart } from '../charts.js';
import { drawGradBarsChart } from '../../charts/grad-bars.js';
import { DiagramView, matrixEl, vectorEl, numberEl } from '../../diagram/index.js';
import { BACKWARD_SUBSTEPS } from '../../player.js';

/** Heatmaps show at most this many rows and columns (the corner of a larger matrix). */
const MAX_HEAT = 24;

const op = (s) => el('span', { class: 'op', text: s });
const lhs = (s) => el('span', { class: 'lhs' }, math(s));
const expr = (s) => el('span', { class: 'sym-expr' }, math(s));

/** f′ in the lecture's notation, per activation. */
function fPrimeText(act, t) {
  return {
    tanh: `1 − h_${t}²`,
    sigmoid: `h_${t} (1 − h_${t})`,
    relu: `[a_${t} > 0]`,
    identity: '1',
  }[act] ?? `f′(a_${t})`;
}

/** The data the diagram draws, memoised per model version. */
export function diagramData(app) {
  return app.cache['training:diagram'] ??= {
    forward: app.lab.unrolled_forward(),
    backward: app.lab.unrolled_backward(),
  };
}

export function backwardCursor(app) {
  return { phase: app.state.phase, t: app.state.step, substep: app.player.substepName };
}

/**
 * Fills `container` with the backward factors of step cursor.t, as far as the sub-step
 * (rows not reached show their formula only). Every number: <span class="num" data-q>.
 */
export function buildBackwardPanel(container, data, cursor) {
  const f = data.forward;
  const b = data.backward;
  const t = cursor.t;
  const T = b.steps;
  const fs = f.per_step[t - 1];
  const bs = b.per_step[t - 1];
  const n = b.norms[t - 1];
  const V = f.vocab;
  const k0 = BACKWARD_SUBSTEPS.indexOf(cursor.substep);
  const active = cursor.phase !== 'backward' ? -1 : k0 < 0 ? BACKWARD_SUBSTEPS.length : k0;
  const target = fs.target_index == null ? 'no target' : `“${showSymbol(fs.target)}”`;
  const rows = {
    dy: () => [lhs(`∂loss_${t}/∂y_${t}`), op('='), expr(`p_${t} − onehot(${target})`), op('='),
      vectorEl(fs.p_t, { q: 'p_t' }), op('−'), vectorEl(fs.x_t.map((_, k) => (k === fs.target_index ? 1 : 0)), { q: 'onehot', digits: 0 }),
      op('='), vectorEl(bs.dy_t, { q: 'dy_t' }),
      el('span', { class: 'note' }, '‖dy‖ = ', numberEl(n.dy, { q: 'dy_norm' }), ` · rows: ${V.map(showSymbol).join(', ')}`)],
    dh: () => [lhs(`dL/dh_${t}`), op('='), expr(`W_hyᵀ dy_${t}`), op('+'),
      expr(t < T ? `W_hhᵀ da_${t + 1}` : `0 (nothing comes from h_${T + 1})`), op('='),
      vectorEl(bs.dh_from_output, { q: 'dh_from_output' }), op('+'), vectorEl(bs.dh_from_next, { q: 'dh_from_next' }),
      op('='), vectorEl(bs.dh_t, { q: 'dh_t' }),
      el('span', { class: 'result-norm' }, math(`‖dL/dh_${t}‖ = `),
        el('strong', { id: 'training-dh-norm', dataset: { value: String(bs.dh_norm), t: String(t) } },
          numberEl(bs.dh_norm, { q: 'dh_norm', cls: 'result' })))],
    da: () => [lhs(`da_${t}`), op('='), expr(`dL/dh_${t} ⊙ f′(a_${t}),  f′ = ${fPrimeText(f.activation, t)}`), op('='),
      vectorEl(bs.dh_t, { q: 'dh_t' }), op('⊙'), vectorEl(bs.f_prime, { q: 'f_prime' }), op('='), vectorEl(bs.da_t, { q: 'da_t' })],
    to_prev: () => [lhs(`to h_${t - 1}`), op(':'), expr(`W_hhᵀ da_${t}`), op('='),
      matrixEl(f.w_hh[0].map((_, j) => f.w_hh.map((r) => r[j])), { q: 'w_hh_t', name: 'W_hhᵀ' }), vectorEl(bs.da_t, { q: 'da_t' }),
      op('='), vectorEl(bs.to_prev, { q: 'to_prev' }),
      el('span', { class: 'note' }, '‖·‖ = ', numberEl(n.to_prev, { q: 'to_prev_norm' }),
        math(t === 1 ? ' reaches h_0 and stops there' : ` joins dL/dh_${t - 1} at the next step`))],
  };
  const formulas = {
    dy: `∂loss_${t}/∂y_${t} = p_${t} − onehot(target)`,
    dh: `dL/dh_${t} = W_hyᵀ dy_${t} + W_hhᵀ da_${t + 1}`,
    da: `da_${t} = dL/dh_${t} ⊙ f′(a_${t})`,
    to_prev: `W_hhᵀ da_${t} → h_${t - 1}`,
  };
  const list = el('ol', { class: 'eq-rows' });
  BACKWARD_SUBSTEPS.forEach((name, k) => {
    const state = k < active ? 'done' : k === active ? 'active' : 'todo';
    const li = el('li', { class: `eq-row ${state}`, dataset: { sub: name } });
    if (state === 'active') li.setAttribute('aria-current', 'step');
    if (state === 'todo') li.append(expr(`${formulas[name]} — ${active < 0 ? 'in the backward pass' : 'next'}`));
    else li.append(...rows[name]());
    list.append(li);
  });
  const general = el('p', { class: 'eq-general' },
    math('dL/dh_t = W_hyᵀ (p_t − onehot) + W_hhᵀ da_{t+1}'),
    math('da_t = dL/dh_t ⊙ f′(a_t)'),
    el('span', { class: 'eq-step', text: cursor.phase === 'backward' ? `now: t = ${t}, going back from T = ${T}` : 'switch the pass to backward to step through it' }));
  container.replaceChildren(general, list);
}

export function backwardPanel(app) {
  const ui = {};
  ui.diagram = new DiagramView(app, {
    idPrefix: 'training-diagram',
    label: 'The unrolled network with the backward pass',
    describe: (c) => `${c.phase} pass at t = ${c.t}.`,
  });
  ui.equation = el('div', { class: 'equation-panel backward-panel', id: 'training-equation', 'aria-live': 'off' });
  ui.dhChart = new Chart(app, {
    id: 'training-dh-chart', title: '‖dL/dh_t‖ per time step', draw: drawGradBarsChart,
    caption: 'The norm of the total gradient reaching h_t (full BPTT, current weights); the current step in vermillion.',
  });
  ui.heat = new Chart(app, {
    id: 'training-contrib-chart', title: 'Per-step contributions to dW and their sum', draw: 'draw_heatmaps_chart',
    className: 'heatmaps',
    caption: 'Row 1: step t’s term (da_t x_tᵀ, da_t h_{t−1}ᵀ, dy_t h_tᵀ). Row 2: the terms of steps t…T added so far. Row 3 (framed): the sum over all steps, the gradient the optimiser uses. Blue < 0 < red, one scale per matrix.',
  });
  ui.sum = el('div', { class: 'dw-sum', id: 'training-dwhh-sum', tabindex: '0', role: 'region', 'aria-label': 'dW_hh, the sum over all steps' });
  ui.sumNote = el('p', { class: 'note', id: 'training-sum-check' });
  const key = el('p', { class: 'diagram-legend', id: 'training-diagram-key' },
    math('A “·” in a cell: the gradient has not reached it yet (the pass runs from t = T back to 1). '
      + 'Row dL/dh holds dL/dh_t, and da_t once its column is labelled so.'));
  const root = el('div', { class: 'training-backward' },
    ui.diagram.el,
    key,
    ui.equation,
    el('div', { class: 'charts' }, ui.dhChart.figure),
    el('div', { class: 'charts one' }, ui.heat.figure),
    el('div', { class: 'dw-sum-box' },
      el('h4', {}, math('dW_hh = Σ_t da_t h_{t−1}ᵀ, the sum over all steps')), ui.sum, ui.sumNote));

  let panelKey = null;
  let drawKey = null;
  /** `full`: false while training runs between the frames that redraw everything. */
  function update(full = true) {
    if (!full && `${app.version}` !== ui.version) return;
    ui.version = `${app.version}`;
    const data = diagramData(app);
    const cursor = backwardCursor(app);
    // The diagram is redrawn only when something it shows changed (it is the largest canvas).
    const d = ui.diagram;
    // Presenter mode: the picture fits in three quarters of the window (the player bar above it).
    const fitHeight = app.state.present ? Math.round(window.innerHeight * 0.75) : false;
    const dKey = JSON.stringify([app.version, cursor, d.scroller.scrollLeft, d.scroller.clientWidth, d.hover, d.keyFocus, d.rolled,
      Math.round(d.morph() * 1000), window.devicePixelRatio, fitHeight]);
    if (dKey !== drawKey) {
      drawKey = dKey;
      d.render(data, cursor, { palette: app.palette, fitHeight });
    }
    const key = `${app.version}/${cursor.phase}/${cursor.t}/${cursor.substep}`;
    if (key !== panelKey) {
      panelKey = key;
      buildBackwardPanel(ui.equation, data, cursor);
    }
    const T = data.backward.steps;
    const t = cursor.t;
    const norms = data.backward.norms.map((x) => x.dh);
    ui.dhChart.update(`${app.version}/${t}`, {
      values: norms, labels: norms.map((_, s) => String(s + 1)), highlight: t - 1, title: '‖dL/dh_t‖ per time step',
    }, `Bars of ‖dL/dh_t‖ for t = 1 to ${T}: ${norms.map((v) => fmt(v)).join(', ')}.`);

    const c = app.cache[`training:contrib${t}`] ??= app.lab.training_contributions(t, MAX_HEAT);
    const panels = [];
    const titles = [
      [`da_${t} x_${t}ᵀ`, `da_${t} h_${t - 1}ᵀ`, `dy_${t} h_${t}ᵀ`],
      [`Σ s=${t}…${T} (W_xh)`, `Σ s=${t}…${T} (W_hh)`, `Σ s=${t}…${T} (W_hy)`],
      ['dW_xh = Σ all', 'dW_hh = Σ all', 'dW_hy = Σ all'],
    ];
    const cropped = (k) => (c.shape[k][0] > MAX_HEAT || c.shape[k][1] > MAX_HEAT ? ` (corner ${MAX_HEAT}×${MAX_HEAT})` : '');
    [c.step, c.so_far, c.gradient].forEach((mats, r) => mats.forEach((m, k) => panels.push({
      title: titles[r][k] + cropped(k), matrix: m, row_labels: c.row_labels[k], col_labels: c.col_labels[k].map(showSymbol),
      scale: c.max_abs[k], emphasis: r === 2,
    })));
    ui.heat.update(`${app.version}/${t}`, { panels, columns: 3 },
      `Heatmaps of step ${t}’s contributions to dW_xh, dW_hh, dW_hy, the sums over steps ${t} to ${T}, and the full sums.`);
    const sumKey = `${app.version}`;
    if (ui.sum.dataset.key !== sumKey) {
      ui.sum.dataset.key = sumKey;
      ui.sum.replaceChildren(matrixEl(c.gradient[1], { q: 'dw_hh_sum', name: 'dW_hh', digits: 4 }));
      if (c.shape[1][0] > MAX_HEAT) ui.sum.append(el('span', { class: 'note', text: ` (the first ${MAX_HEAT} rows and columns of ${c.shape[1][0]})` }));
      const err = c.sum_error[1];
      const how = err === 0 ? 'exactly' : `to within ${err.toExponential(1).replace('-', '\u2212')} (rounding)`;
      ui.sumNote.replaceChildren(math(`This is the engine’s gradient dL/dW_hh; adding the ${T} per-step terms gives it ${how}.`));
    }
  }
  return { el: root, update, ui };
}
