// Recap, part 2: "multiple perceptrons". XOR-like data that no single line separates, a
// 2-layer MLP trained live (MlpLab, full-batch Adam): the decision regions p(class 1) as
// it learns, each hidden unit's line W1[k]·x + b1[k] = 0 dashed over them. The number of
// steps is a state row (rmit), so a link replays the same training.
import { el, fmt, math } from '../common.js';
import { Chart } from '../charts.js';
import { drawLossChart } from '../../charts/loss.js';
import { control, syncAll } from '../controls.js';
import { COLORS, drawPlane } from './draw.js';
import { PacedModel } from './pace.js';
import { button, buttons, changed, part, throttled } from './ui.js';

const GRID = 60;

/** Each App's parts of this section, made in its mount (no state shared between pages). */
const uiOf = new WeakMap();

/** " + 1.23" or " − 1.23": a term of a written-out sum. */
function signed(v) {
  return v < 0 ? ` − ${fmt(-v, 2)}` : ` + ${fmt(v, 2)}`;
}

export function mlpModel(app) {
  const ui = uiOf.get(app);
  return ui.paced;
}

function more(app, n) {
  const ui = uiOf.get(app);
  app.setState({ rmit: Math.min(app.state.rmit + n, 5000) });
  return ui.paced.settled();
}

export function mountMlp(app) {
  const ui = {};
  uiOf.set(app, ui);
  ui.paced = new PacedModel(app, {
    name: 'mlp', cls: 'MlpLab', pace: 4,
    settingsOf: (s) => ({ config: { hidden: s.rmh, activation: s.rma, output: 'softmax', seed: s.rms } }),
    target: (s) => s.rmit,
  });
  ui.chart = new Chart(app, {
    id: 'recap-mlp-plane', title: 'MLP decision regions', draw: drawPlane, className: 'recap-square',
    caption: 'Background: p(class 1 | x) from the MLP (blue: class 1, vermillion: class 0). Dashed lines: where each hidden unit’s sum W1[k]·x + b1[k] is 0, one colour per unit; the output unit combines these half-planes.',
  });
  ui.loss = new Chart(app, {
    id: 'recap-mlp-loss', title: 'MLP loss during training', draw: drawLossChart,
    caption: 'Mean cross-entropy over the 200 points at each full-batch Adam step (lr 0.05).',
  });
  ui.readout = el('p', { class: 'readout', id: 'recap-mlp-readout', 'aria-live': 'polite' });
  ui.units = el('p', { class: 'recap-units', id: 'recap-mlp-units' });
  ui.controls = el('div', { class: 'recap-controls' },
    el('fieldset', {}, el('legend', { text: 'Network' }),
      el('div', { class: 'fields' }, control(app, 'rmh', { id: 'recap-mlp-hidden' }), control(app, 'rma', { id: 'recap-mlp-act' }),
        control(app, 'rms', { id: 'recap-mlp-seed' }))));
  return part('mlp', 'Multiple perceptrons: the MLP',
    el('p', { class: 'equation' }, math('h = f(W_1 x + b_1)'), math('p = softmax(W_2 h + b_2)')),
    el('p', { class: 'lead' },
      'Here opposite corners share a class (the XOR pattern). A single perceptron draws one line, and one line gets at most about three corners of four right. ',
      'Put several perceptrons side by side, each drawing its own line, and add one more on top that combines their outputs: a multi-layer perceptron. ',
      'Train it and watch the regions bend around the corners.'),
    ui.controls,
    el('div', { class: 'train-bar' },
      buttons('MLP training',
        button('recap-mlp-train100', 'Train 100 steps', () => more(app, 100), { primary: true }),
        button('recap-mlp-train500', 'Train 500 steps', () => more(app, 500), { primary: true }),
        button('recap-mlp-restart', 'Start again', () => app.setState({ rmit: 0 }), { title: 'Back to the initial weights: step 0' })),
      ui.readout),
    el('div', { class: 'charts' }, ui.chart.figure, el('div', {}, ui.units, ui.loss.figure)));
}

export function renderMlp(app) {
  const ui = uiOf.get(app);
  const p = ui.paced;
  p.sync();
  syncAll(ui.controls, app.state);
  if (!p.model || throttled(ui, !p.atTarget())) return;
  const snap = p.get('snapshot', (h) => h.snapshot(GRID));
  const pts = p.get('points', (h) => h.points());
  const st = p.status();
  const lines = snap.hidden_lines.map((l, k) => ({ segment: l.segment, color: COLORS.units[k % COLORS.units.length] }));
  ui.chart.update(p.version, () => ({
    title: `MLP with H = ${lines.length}: p(class 1 | x)`, grid: snap.grid, lo: 0, hi: 1, points: pts, boundary: null, lines,
  }), `The XOR data over the plane, coloured by the MLP's probability of class 1, with ${lines.length} dashed hidden-unit lines; accuracy ${fmt(100 * snap.accuracy, 1)} %.`);
  const curve = p.get('curve', (h) => h.loss_curve(400));
  ui.loss.update(p.version, { ...curve, title: 'MLP loss' }, `Loss over ${st.iteration} steps.`);
  if (!changed(ui, 'textKey', `${p.version}/${p.atTarget()}/${p.model.busy}`)) return;
  ui.readout.replaceChildren(
    `Step ${st.iteration}${p.model.busy || !p.atTarget() ? ' (training…)' : ''} · accuracy `,
    el('strong', { id: 'recap-mlp-accuracy', text: `${fmt(100 * snap.accuracy, 1)} %` }),
    ' · loss ', el('span', { id: 'recap-mlp-loss-value', text: fmt(snap.loss, 4) }),
    p.diverged ? ` · ${p.diverged}` : '');
  ui.units.replaceChildren(el('span', { class: 'recap-units-title', text: 'Hidden units: ' }),
    ...snap.hidden_lines.flatMap((l, k) => [
      el('span', { class: 'swatch', style: `background:${COLORS.units[k % COLORS.units.length]}`, 'aria-hidden': 'true' }),
      math(` h_${k + 1}: ${fmt(l.w[0], 2)}·x_1${signed(l.w[1])}·x_2${signed(l.b)} = 0${l.segment ? '' : ' (outside the plot)'}  `),
    ]));
}

export function mlpApi(app) {
  // Made before the chapter is mounted: read this page's parts when called.
  const ui = new Proxy({}, { get: (_, k) => uiOf.get(app)?.[k] });
  return {
    model: () => ui.paced.model,
    snapshot: () => ui.paced.get('snapshot', (h) => h.snapshot(GRID)),
    status: () => ui.paced.status(),
    train: (n) => more(ui.paced.app, n),
    settled: () => ui.paced.settled(),
  };
}
