// Chapter "The recurrence, unrolled": the network drawn over time (www/diagram/), the
// forward pass stepped one sub-step at a time with the equations filled in, and two
// Rust charts (hidden-state heatmap, output probabilities) that grow with the steps.
// Every number comes from lab.unrolled_forward() (one call per model change); every
// picture is derived from (that data, the step cursor), so stepping back is exact.
import { el, fmt, math, showSymbol, visible } from '../common.js';
import { Chart } from '../charts.js';
import { playerBar } from '../playerbar.js';
import { prop } from '../../state.js';
import { DiagramView, buildEquationPanel, FORWARD_SUBSTEPS, BACKWARD_SUBSTEPS } from '../../diagram/index.js';
import { RDBU } from '../../diagram/colors.js';
import { scales } from '../../diagram/stages.js';
import { MAX_DRAWN_HIDDEN } from '../unrolled.js';

/** Most iterations "Train to convergence" runs before it gives up. */
const MAX_CONVERGE = 5000;
/** The sub-steps in words, as the player bar and the aria-live region say them. */
export const SUBSTEP_WORDS = {
  w_xh_x: (t) => `W_xh x_${t}`,
  w_hh_h: (t) => `W_hh h_${t - 1}`,
  sum: (t, bias) => `a_${t} = W_hh h_${t - 1} + W_xh x_${t}${bias ? ' + b_h' : ''}`,
  activation: (t, _b, f) => `h_${t} = ${f}(a_${t})`,
  output: (t, bias) => `y_${t} = W_hy h_${t}${bias ? ' + b_y' : ''}`,
  softmax: (t) => `p_${t} = softmax(y_${t})`,
  loss: (t) => `loss_${t} = −log p_${t}[target]`,
  dy: (t) => `∂loss_${t}/∂y_${t} = p_${t} − onehot(target)`,
  dh: (t) => `dL/dh_${t} = W_hyᵀ dy_${t} + W_hhᵀ da_${t + 1}`,
  da: (t) => `da_${t} = dL/dh_${t} ⊙ f′(a_${t})`,
  to_prev: (t) => `W_hhᵀ da_${t} → h_${t - 1}`,
};

/** f as the page writes it in h_t = f(…); identity: no function at all. */
const F_NAMES = { tanh: 'tanh', sigmoid: 'sigmoid', relu: 'ReLU', identity: '' };

/** The recurrence with the model's own f (and b_h when it has biases), in the lecture's notation. */
export function recurrenceText(activation, bias) {
  const inner = `W_hh h_{t−1} + W_xh x_t${bias ? ' + b_h' : ''}`;
  const f = F_NAMES[activation] ?? activation;
  return f ? `h_t = ${f}(${inner})` : `h_t = ${inner}`;
}

/**
 * The lecture's general form h_t = f_W(h_{t−1}, x_t), each part with its name under it
 * (our words), before the form this model uses.
 */
function generalForm() {
  const term = (text, label) => el('span', { class: 'gf-term' }, math(text, { class: 'math gf-math' }), el('span', { class: 'gf-label', text: label }));
  const op = (text) => el('span', { class: 'gf-op', 'aria-hidden': 'true', text });
  return el('div', { class: 'general-form', id: 'unrolled-general' },
    el('p', { class: 'gf-equation', role: 'group', 'aria-label': 'The general form: h_t, the new state, equals f_W, a function with parameters W, of h_{t−1}, the old state, and x_t, the input.' },
      term('h_t', 'new state'), op('='), term('f_W', 'function with parameters W'), op('('),
      term('h_{t−1}', 'old state'), op(','), term('x_t', 'input'), op(')')),
    el('p', { class: 'note gf-note' }, math('Every RNN has this shape: one function f_W, the same at every step, turns the old state and the new input into the new state. The vanilla RNN below chooses f_W: weigh h_{t−1} by W_hh and x_t by W_xh, add, and apply the activation f.')));
}

/** The sub-step in the lecture's notation, for the player bar. */
export function substepText(app, name, t) {
  return SUBSTEP_WORDS[name]?.(t, app.state.bias, app.state.act) ?? name;
}

/** The chapter's data: forward always, backward in the backward pass (cached per model version). */
function chapterData(app) {
  const fwd = (app.cache.unrolledForward ??= app.lab.unrolled_forward());
  if (app.state.phase !== 'backward') return (app.cache.unrolledDataF ??= { forward: fwd });
  const bwd = (app.cache.unrolledBackward ??= app.lab.unrolled_backward());
  return (app.cache.unrolledDataB ??= { forward: fwd, backward: bwd });
}

function cursorOf(app) {
  return { phase: app.state.phase, t: app.state.step, substep: app.player.substepName };
}

function stepWords(app, cursor) {
  const f = chapterData(app).forward;
  const names = cursor.phase === 'backward' ? BACKWARD_SUBSTEPS : FORWARD_SUBSTEPS;
  const k = names.indexOf(cursor.substep);
  const what = SUBSTEP_WORDS[cursor.substep]?.(cursor.t, f.bias, f.activation) ?? cursor.substep;
  return `Step t = ${cursor.t} of ${f.steps}, ${cursor.phase} pass, sub-step ${k + 1} of ${names.length}: ${what}.`;
}

/** Trains until every step predicts its target with p ≥ 0.9 (or MAX_CONVERGE iterations). */
async function trainToConvergence(app, ui) {
  ui.trainMsg.textContent = 'Training…';
  const r = await app.train(MAX_CONVERGE, { until: 'converged' });
  // The picture and the status line show the trained model before the message says so.
  await app.frame();
  if (r.cancelled) {
    ui.trainMsg.textContent = '';
    return { ...r, converged: false };
  }
  if (r.error) {
    ui.trainMsg.textContent = '';
    return { ...r, converged: false };
  }
  const total = r.iterations_run;
  ui.trainMsg.textContent = r.reached
    ? total === 0 ? 'Already learnt: every step predicts its target with p ≥ 0.9.'
      : `Learnt after ${total} more iterations (iteration ${r.iteration}): every step predicts its target with p ≥ 0.9; L = ${fmt(r.loss)}.`
    : `Not learnt after ${total} iterations (L = ${fmt(r.loss)}); try another seed or more hidden units.`;
  return { ...r, converged: r.reached };
}

function legendEl(ui) {
  ui.legendLo = el('span', { class: 'legend-lo' });
  ui.legendHi = el('span', { class: 'legend-hi' });
  const bar = el('span', { class: 'legend-bar', style: `background: linear-gradient(to right, ${RDBU.join(', ')})` });
  return el('p', { class: 'diagram-legend' },
    el('span', { class: 'legend-item' }, 'h cells: ', ui.legendLo, bar, ui.legendHi),
    el('span', { class: 'legend-item' }, el('span', { class: 'key key-x', 'aria-hidden': 'true' }), 'active input'),
    el('span', { class: 'legend-item' }, el('span', { class: 'key key-target', 'aria-hidden': 'true' }), 'target'),
    el('span', { class: 'legend-item' }, el('span', { class: 'key-tri', 'aria-hidden': 'true', text: '◀' }), 'arg max (prediction)'),
    el('span', { class: 'legend-item' }, el('span', { class: 'key key-glow', 'aria-hidden': 'true' }), 'this sub-step'),
    el('span', { class: 'legend-item hint-keys', text: 'Hover a cell, or focus the picture and use ↑/↓, to read its value.' }));
}

function controlsBar(app, ui) {
  ui.rolled = el('button', {
    type: 'button', id: 'unrolled-rolled', 'aria-pressed': 'false', text: 'Rolled view',
    title: 'Fold the chain back into one cell with a loop (and back)',
    on: {
      click: () => {
        app.setState({ rolled: !app.state.rolled });
        // The button says its state at once, not a frame later.
        ui.rolled.setAttribute('aria-pressed', app.state.rolled ? 'true' : 'false');
      },
    },
  });
  const zoomProp = prop('zoom');
  ui.zoom = el('select', { id: 'unrolled-zoom', on: { change: () => app.setState({ zoom: ui.zoom.value }) } },
    zoomProp.options.map((o) => el('option', { value: o, text: zoomProp.optionLabels?.[o] ?? o })));
  const converge = el('button', {
    type: 'button', class: 'primary', id: 'unrolled-converge', text: 'Train to convergence',
    title: 'Train (forward, BPTT, update) until every step predicts its target with p ≥ 0.9',
    on: { click: () => trainToConvergence(app, ui) },
  });
  const fresh = el('button', {
    type: 'button', id: 'unrolled-fresh', text: 'Fresh weights',
    title: 'Back to the random weights of the seed (iteration 0)',
    on: { click: () => { app.reset(app.state.seed); ui.trainMsg.textContent = ''; } },
  });
  ui.trainMsg = el('span', { class: 'train-msg', id: 'unrolled-train-msg' });
  return el('div', { class: 'unrolled-controls' },
    el('div', { class: 'buttons', role: 'group', 'aria-label': 'Picture' }, ui.rolled,
      el('span', { class: 'field field-inline' }, el('label', { for: ui.zoom.id, text: 'Zoom' }), ui.zoom)),
    el('div', { class: 'buttons', role: 'group', 'aria-label': 'Weights' }, converge, fresh),
    ui.trainMsg);
}

export default {
  mount(section, app) {
    const ui = {};
    ui.view = new DiagramView(app, {
      idPrefix: 'unrolled',
      label: 'The RNN unrolled over time',
      describe: (cursor) => stepWords(app, cursor),
    });
    ui.player = playerBar(app, { idPrefix: 'unrolled', substepText: (name, t) => substepText(app, name, t) });
    ui.word = el('p', { class: 'unrolled-word', id: 'unrolled-word' });
    // The model's own recurrence: its f (and biases), filled in by render.
    ui.form = el('p', { class: 'equation', id: 'unrolled-form' });
    ui.formKey = null;
    ui.hiddenNote = el('p', { class: 'hint', id: 'unrolled-hidden-note', hidden: true });
    ui.status = el('p', { class: 'readout', id: 'unrolled-status' });
    ui.eq = el('div', { class: 'eq-panel', id: 'unrolled-equations' });
    ui.backNote = el('p', { class: 'hint', hidden: true, text: 'In the backward pass the picture shows the gradients flowing from t = T back to 1 (arrow widths follow ‖·‖; a “·” marks a cell the gradient has not reached yet); the equations below are the forward ones of this step. Chapter 3 steps through the backward equations.' });
    ui.hiddenChart = new Chart(app, {
      id: 'unrolled-hidden-chart', title: 'Hidden state h_t, units × time', draw: 'draw_hidden_heatmap_chart',
      caption: 'Each column is h_t, filled in as the steps are computed; blue below 0, red above, the current step framed.',
    });
    ui.probChart = new Chart(app, {
      id: 'unrolled-probs-chart', title: 'Output probabilities p_t, symbols × time', draw: 'draw_output_probs_chart',
      caption: 'Each column is p_t (darker: more probable); the target is framed and a dot marks the predicted symbol.',
    });
    section.append(
      generalForm(),
      ui.form,
      ui.word, ui.hiddenNote,
      ui.player.el,
      ui.view.el,
      legendEl(ui),
      controlsBar(app, ui),
      ui.status,
      el('h3', { class: 'eq-title', id: 'unrolled-eq-title', text: 'The equations of this step, with the numbers' }),
      ui.backNote,
      ui.eq,
      el('div', { class: 'charts' }, ui.hiddenChart.figure, ui.probChart.figure),
    );
    ui.eq.setAttribute('aria-labelledby', 'unrolled-eq-title');
    ui.eqKey = null;
    ui.wordKey = null;
    return ui;
  },

  describeStep(app, ui) {
    const cursor = cursorOf(app);
    const f = chapterData(app).forward;
    const s = f.per_step[cursor.t - 1];
    let tail = ` Input “${showSymbol(s.input)}”.`;
    if (cursor.phase === 'forward' && cursor.substep === 'softmax') tail += ` Predicted “${showSymbol(s.predicted)}”${s.target == null ? '' : `, target “${showSymbol(s.target)}”`}.`;
    if (cursor.phase === 'forward' && cursor.substep === 'loss') tail += ` loss_${cursor.t} = ${fmt(s.loss_t)}, running total ${fmt(s.running_loss)}.`;
    return `${stepWords(app, cursor)}${tail}`;
  },

  /** window.rnnLab.snapshot() in this chapter: the picture's own state, for tests and scripts. */
  extendSnapshot(app, snap, ui) {
    if (app.state.chapter !== 'unrolled' || !ui.view) return;
    const g = ui.view.geometry();
    const t = app.state.step;
    const centers = (kind, col, n) => (g ? Array.from({ length: n }, (_, i) => g.cellCenter(kind, col, i)) : []);
    const f = chapterData(app).forward;
    snap.unrolled = {
      rolled: app.state.rolled,
      zoom: app.state.zoom,
      focus: ui.view.focusedCell(),
      focus_text: ui.view.describeFocus(),
      /** Page coordinates of the cell centres of column t and of h_0 (for pointer tests). */
      cells: {
        y: centers('y', t, f.vocab.length),
        h: centers('h', t, f.hidden),
        x: centers('x', t, f.vocab.length),
        h0: centers('h', 0, f.hidden),
      },
      scroll_x: g?.scrollX ?? 0,
    };
  },

  render(app, ui) {
    const data = chapterData(app);
    const f = data.forward;
    const cursor = cursorOf(app);
    const T = f.steps;
    ui.player.update();

    if (ui.wordKey !== app.version) {
      ui.wordKey = app.version;
      const sym = f.vocab.map(showSymbol).join(', ');
      const ins = f.per_step.map((s) => showSymbol(s.input)).join(',');
      const outs = f.per_step.map((s) => (s.target == null ? '–' : showSymbol(s.target))).join(',');
      ui.word.textContent = `Word “${visible(f.word)}”: vocabulary [${sym}] (V = ${f.vocab.length}); inputs ${ins} → targets ${outs}; T = ${T} steps, H = ${f.hidden} hidden units, ${f.activation}${f.bias ? ', with biases' : ', no biases'}.`;
      ui.hiddenNote.hidden = f.hidden <= MAX_DRAWN_HIDDEN;
      ui.hiddenNote.textContent = `This picture is made for up to ${MAX_DRAWN_HIDDEN} hidden units; the model from the other chapters has H = ${f.hidden}, so the cells are drawn small. Set H to ${MAX_DRAWN_HIDDEN} or less to read them.`;
      const sc = scales(data);
      ui.legendLo.textContent = fmt(-sc.h, 2);
      ui.legendHi.textContent = fmt(sc.h, 2);
    }

    const formKey = `${f.activation}/${f.bias}`;
    if (ui.formKey !== formKey) {
      ui.formKey = formKey;
      ui.form.replaceChildren(math(recurrenceText(f.activation, f.bias)), math(`y_t = W_hy h_t${f.bias ? ' + b_y' : ''}`),
        f.activation === 'identity' ? el('span', { class: 'note', text: '(f is the identity)' }) : '');
    }

    ui.rolled.setAttribute('aria-pressed', app.state.rolled ? 'true' : 'false');
    if (ui.zoom.value !== app.state.zoom) ui.zoom.value = app.state.zoom;
    ui.view.render(data, cursor, { rolled: app.state.rolled, zoom: app.state.zoom, palette: app.palette, fitHeight: app.state.present });

    const eqKey = `${app.version}/${cursor.phase}/${cursor.t}/${cursor.substep}`;
    // One costly piece of work per frame (the panel or one chart), so Play stays smooth:
    // a chart whose turn has not come yet asks for another frame.
    let heavy = 0;
    if (ui.eqKey !== eqKey) {
      ui.eqKey = eqKey;
      buildEquationPanel(ui.eq, data, cursor);
      ui.backNote.hidden = cursor.phase !== 'backward';
      heavy++;
    }

    const right = f.per_step.filter((s) => s.correct).length;
    const scored = f.per_step.filter((s) => s.target != null).length;
    ui.status.textContent = `Iteration ${f.iteration} · L = ${fmt(f.loss)} · predicts “${f.per_step.map((s) => showSymbol(s.predicted)).join('')}” (${right} of ${scored} right)${f.converged ? ' · learnt' : ''}${app.busy ? ' · training…' : ''}`;

    // The charts fill in with the steps: h_t once the activation is done, p_t after softmax.
    const k = FORWARD_SUBSTEPS.indexOf(cursor.substep);
    const done = (name) => (cursor.phase === 'backward' ? T : k >= FORWARD_SUBSTEPS.indexOf(name) ? cursor.t : cursor.t - 1);
    const shownH = done('activation');
    const shownP = done('softmax');
    const inputs = f.per_step.map((s) => showSymbol(s.input));
    const charts = [
      [ui.hiddenChart, `${app.version}/${shownH}/${cursor.t}`, () => ({
        h: f.per_step.map((s) => s.h_t), shown: shownH, current: cursor.t, scale: scales(data).h, input_chars: inputs,
      }), `Heatmap of the hidden state: ${f.hidden} units by ${T} steps, filled for t = 1 to ${shownH}; step ${cursor.t} framed.`],
      [ui.probChart, `${app.version}/${shownP}/${cursor.t}`, () => ({
        p: f.per_step.map((s) => s.p_t), vocab: f.vocab.map(showSymbol), targets: f.per_step.map((s) => s.target_index),
        predicted: f.per_step.map((s) => s.predicted_index), shown: shownP, current: cursor.t, input_chars: inputs,
      }), `Output probabilities for ${f.vocab.length} symbols by ${T} steps, filled for t = 1 to ${shownP}; step ${cursor.t} framed.`],
    ];
    for (const [chart, key, chartData, label] of charts) {
      if (heavy > 0 && chart.key !== key) {
        app.requestRender();
        continue;
      }
      if (chart.update(key, chartData, label)) heavy++;
    }
  },
};
