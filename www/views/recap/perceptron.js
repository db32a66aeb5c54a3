// Recap, part 1: the perceptron ŷ = g(θ₀ + Σᵢ xᵢθᵢ) on a seeded cloud of two classes.
// Sliders set θ (state rows rt0–rt2), a menu sets g (rg); the engine (PerceptronLab)
// computes the output over the plane, the boundary, the written-out sum of the selected
// point, the accuracy and the loss, and trains: gradient descent in steps one can watch,
// or Rosenblatt's rule for the step function. Trained θ goes back into the URL.
import { el, fmt, math } from '../common.js';
import { Chart } from '../charts.js';
import { drawLossChart } from '../../charts/loss.js';
import { control, syncAll } from '../controls.js';
import { Model } from '../../model.js';
import { COLORS, drawPlane, pointerFrame } from './draw.js';
import { button, buttons, changed, paren, part, slider, throttled } from './ui.js';

/** Cells per side of the output grid. */
const GRID = 60;
/** Gradient steps per frame while "Train" runs (slow enough to watch the line move). */
const STEPS_PER_FRAME = 2;
/** The output's range per g, for the colours (the middle is the class threshold). */
const RANGE = { step: [0, 1], sigmoid: [0, 1], tanh: [-1, 1], relu: [0, 1] };
const G_TEXT = { step: 'step', sigmoid: 'σ', tanh: 'tanh', relu: 'ReLU' };

/** Each App's parts of this section, made in its mount (no state shared between pages). */
const uiOf = new WeakMap();

/** The perceptron's model (null until built). */
export function perceptronModel(app) {
  return uiOf.get(app)?.model ?? null;
}

function thetaOf(state) {
  return [state.rt0, state.rt1, state.rt2];
}

function build(app) {
  const ui = uiOf.get(app);
  const s = app.state;
  const settings = { seed: s.rps, points: 60, activation: s.rg, theta: thetaOf(s) };
  const spec = { cls: 'PerceptronLab', ctor: 'new', settings };
  try {
    if (ui.model) ui.model.rebuild(spec);
    else ui.model = new Model(app, spec, { name: 'perceptron', worker: false });
    ui.seed = s.rps;
    ui.g = s.rg;
    ui.theta = thetaOf(s);
  } catch (e) {
    app.notice(`${e.message}. The perceptron was kept as it was.`, 'error');
    ui.seed = s.rps;
  }
}

/** Brings the model in line with the state, or the state with a trained model. */
function sync(app) {
  const ui = uiOf.get(app);
  const s = app.state;
  if (!ui.model || s.rps !== ui.seed) build(app);
  const m = ui.model;
  if (!m) return;
  if (s.rg !== ui.g) {
    m.mutate('set_activation', [s.rg]);
    ui.g = s.rg;
  }
  const theta = thetaOf(s);
  const engine = m.get('snapshot', (h) => h.snapshot(GRID)).theta;
  if (theta.some((v, i) => v !== ui.theta[i])) {
    // A slider or a link moved θ: the engine takes it (training starts afresh from it).
    try {
      m.mutate('set_theta', theta);
    } catch (e) {
      app.notice(`${e.message}. θ was kept as it was.`, 'error');
    }
    ui.theta = theta;
  } else if (engine.some((v, i) => v !== ui.theta[i])) {
    // Training moved θ: the address follows, so the link shows this very line.
    ui.theta = engine;
    app.setState({ rt0: engine[0], rt1: engine[1], rt2: engine[2] });
  }
  if (ui.pending > 0 && !m.busy && !m.diverged) {
    if (ui.rule) {
      ui.pending = 0;
      ui.lastRule = m.mutate('rule_step', []);
      if (!ui.lastRule) app.notice('Every point is on its side of the line: the perceptron rule has converged.', 'info');
    } else {
      const n = Math.min(ui.pending, STEPS_PER_FRAME);
      ui.pending -= n;
      m.train(n);
    }
  }
  if (ui.pending > 0 || m.busy) app.requestRender();
}

function train(app, n) {
  const ui = uiOf.get(app);
  ui.rule = false;
  ui.lastRule = null;
  ui.pending = n;
  app.requestRender();
  return settle(app);
}

function ruleStep(app) {
  const ui = uiOf.get(app);
  ui.rule = true;
  ui.pending = 1;
  app.requestRender();
  return settle(app);
}

async function settle(app) {
  const ui = uiOf.get(app);
  for (let i = 0; i < 10000 && (ui.pending > 0 || ui.model?.busy); i++) await app.frame();
  await app.frame();
}

function selectAt(app, ev) {
  const ui = uiOf.get(app);
  const pts = ui.model?.get('points', (h) => h.points());
  if (!pts) return;
  const box = { x_min: -3, x_max: 3, y_min: -3, y_max: 3 };
  const { f, X, Y } = pointerFrame(ui.chart.canvas, ev, box);
  let best = -1;
  let bestD = 20 * 20;
  pts.x.forEach((p, i) => {
    const d = (f.px(p[0]) - X) ** 2 + (f.py(p[1]) - Y) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  if (best >= 0) app.setState({ rpi: best });
}

export function mountPerceptron(app) {
  const ui = {};
  uiOf.set(app, ui);
  const theta = (k, id) => slider(app, `rt${k}`, { id, min: -5, max: 5, step: 0.05, format: (v) => fmt(v, 2) });
  ui.sliders = [theta(0, 'recap-theta0'), theta(1, 'recap-theta1'), theta(2, 'recap-theta2')];
  ui.chart = new Chart(app, {
    id: 'recap-perceptron-plane', title: 'Perceptron output over the plane', draw: drawPlane, className: 'recap-square',
    caption: 'Background: ŷ over the plane (blue towards class 1, vermillion towards class 0). Black line: the decision boundary. Circles are class 1, squares class 0; the ringed point is the one written out below. Click a point to select it.',
  });
  ui.chart.canvas.addEventListener('click', (ev) => selectAt(app, ev));
  ui.loss = new Chart(app, {
    id: 'recap-perceptron-loss', title: 'Perceptron loss during training', draw: drawLossChart,
    caption: 'Mean loss over all points at each gradient step since θ was last set (cross-entropy for σ, squared error for tanh and ReLU, the perceptron criterion for the step).',
  });
  ui.sum = el('div', { class: 'recap-sum', id: 'recap-perceptron-sum', 'aria-live': 'polite' });
  ui.readout = el('p', { class: 'readout', id: 'recap-perceptron-readout' });
  ui.ruleButton = button('recap-perceptron-rule', 'Perceptron rule: 1 update', () => ruleStep(app), {
    title: 'Rosenblatt’s rule: the next misclassified point moves θ by ±(1, x₁, x₂)',
  });
  ui.controls = el('div', { class: 'recap-controls' },
    el('fieldset', {}, el('legend', { text: 'Weights θ' }), el('div', { class: 'fields' }, ui.sliders.map((s) => s.field))),
    el('fieldset', {}, el('legend', { text: 'Neuron and data' }),
      el('div', { class: 'fields' }, control(app, 'rg', { id: 'recap-g' }), control(app, 'rps', { id: 'recap-cloud-seed' }),
        control(app, 'rpi', { id: 'recap-point', label: 'Selected point (0–59)' }))));
  ui.pending = 0;
  return part('perceptron', 'The perceptron',
    el('p', { class: 'equation' }, math('ŷ = g(θ_0 + Σ_i x_i θ_i) = g(θ_0 + x_1θ_1 + x_2θ_2)')),
    el('p', { class: 'lead' },
      math('One neuron: each input x_i is weighed by θ_i, the bias θ_0 is added, and the activation g turns the sum into the output ŷ. '),
      'With two inputs every point of the plane gets an output; the points where the sum sits exactly at g’s threshold form a straight line, the decision boundary. ',
      'Move the sliders to turn and shift it, or let training find it. With the step function, the perceptron rule is offered too.'),
    ui.controls,
    el('div', { class: 'train-bar' },
      buttons('Perceptron training',
        button('recap-perceptron-train1', 'Train 1 step', () => train(app, 1), { primary: true }),
        button('recap-perceptron-train100', 'Train 100 steps', () => train(app, 100), { primary: true }),
        ui.ruleButton,
        button('recap-perceptron-stop', 'Stop', () => { ui.pending = 0; })),
      ui.readout),
    el('div', { class: 'charts' }, ui.chart.figure, el('div', {}, ui.sum, ui.loss.figure)));
}

/** The selected point's sum, written out from the engine's numbers. */
function writeSum(x, g, app) {
  const ui = uiOf.get(app);
  const t = x.terms;
  const f2 = (v) => fmt(v, 2);
  const f3 = (v) => fmt(v, 3);
  const cls = (c) => `class ${c}`;
  const verdict = x.label == null ? '' : x.label === x.class ? ' ✓ right' : ' ✗ wrong';
  ui.sum.replaceChildren(
    el('p', { class: 'recap-sum-title' }, `Point ${ui.point}: x = (${f2(x.x[0])}, ${f2(x.x[1])}), true ${cls(x.label)}`),
    el('p', { class: 'recap-formula' }, math(
      `a = θ_0 + x_1θ_1 + x_2θ_2 = ${f2(x.theta0)} + ${paren(f2(t[0].x))}·${paren(f2(t[0].theta))} + ${paren(f2(t[1].x))}·${paren(f2(t[1].theta))}`)),
    el('p', { class: 'recap-formula' }, math(
      `  = ${f2(x.theta0)} + ${paren(f3(t[0].product))} + ${paren(f3(t[1].product))} = `), el('strong', { id: 'recap-perceptron-a', text: f3(x.a) })),
    el('p', { class: 'recap-formula' }, math(`ŷ = ${G_TEXT[g]}(${f3(x.a)}) = `), el('strong', { id: 'recap-perceptron-yhat', text: f3(x.output) }),
      ` → predicted ${cls(x.class)}`, el('span', { class: x.label === x.class ? 'right' : 'wrong', text: verdict })));
}

export function renderPerceptron(app) {
  const ui = uiOf.get(app);
  sync(app);
  const m = ui.model;
  if (!m) return;
  const s = app.state;
  syncAll(ui.controls, s);
  ui.sliders.forEach((sl, k) => sl.sync(s[`rt${k}`]));
  ui.ruleButton.hidden = s.rg !== 'step';
  if (throttled(ui, ui.pending > 0 || m.busy)) return;
  const snap = m.get('snapshot', (h) => h.snapshot(GRID));
  const pts = m.get('points', (h) => h.points());
  const point = Math.min(s.rpi, pts.x.length - 1);
  ui.point = point;
  const [lo, hi] = RANGE[snap.activation];
  ui.chart.update(`${m.generation}.${m.version}/${point}`, () => ({
    title: `ŷ = ${G_TEXT[snap.activation]}(θ₀ + x₁θ₁ + x₂θ₂)`, grid: snap.grid, lo, hi, points: pts, boundary: snap.boundary,
    selected: point,
  }), `The plane from −3 to 3 with ${pts.x.length} points of two classes, coloured by the perceptron's output; the boundary ${snap.boundary ? 'crosses the plot' : 'lies outside the plot'}; accuracy ${fmt(100 * snap.accuracy, 1)} %.`);
  const curve = m.get('curve', (h) => h.loss_curve(400));
  ui.loss.update(`${m.generation}.${m.version}`, { ...curve, title: 'Perceptron loss' }, `Loss over ${m.status().iteration} training steps.`);
  const key = `${m.generation}.${m.version}/${point}/${ui.lastRule?.index}/${Boolean(m.diverged)}`;
  if (!changed(ui, 'textKey', key)) return;
  writeSum(m.get(`explain${point}`, (h) => h.explain(point)), snap.activation, app);
  const st = m.status();
  const rule = ui.lastRule;
  ui.readout.replaceChildren(
    'Accuracy ', el('strong', { id: 'recap-perceptron-accuracy', text: `${fmt(100 * snap.accuracy, 1)} %` }),
    ' · loss ', el('span', { id: 'recap-perceptron-loss-value', text: fmt(snap.loss, 4) }),
    ` · ${st.iteration} gradient step${st.iteration === 1 ? '' : 's'} since θ was set`,
    rule ? ` · rule: point ${rule.index} moved θ from (${rule.theta_before.map((v) => fmt(v, 2)).join(', ')}) to (${rule.theta_after.map((v) => fmt(v, 2)).join(', ')})` : '',
    m.diverged ? ` · ${m.diverged.message}` : '');
}

export function perceptronApi(app) {
  // Made before the chapter is mounted: read this page's parts when called.
  const ui = new Proxy({}, { get: (_, k) => uiOf.get(app)?.[k] });
  return {
    model: () => ui.model,
    snapshot: () => ui.model.get('snapshot', (h) => h.snapshot(GRID)),
    points: () => ui.model.get('points', (h) => h.points()),
    explain: (i) => ui.model.handle.explain(i ?? ui.point),
    status: () => ui.model.status(),
    train: (n) => train(ui.model.app, n),
    ruleStep: () => ruleStep(ui.model.app),
    colors: () => ({ ...COLORS }),
  };
}
