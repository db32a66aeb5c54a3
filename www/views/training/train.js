// Training: Train 1 / Train 100 / Run–Pause, the optimiser, the learning rate on a log
// slider (changeable while running, without a reset), clipping, the loss curve with the
// clipping markers, iteration count and iterations per second, and the two messages a
// student must not miss: "converged" (predicts e, l, l, o) and "diverged".
import { el, fmt, showSymbol } from '../common.js';
import { Chart } from '../charts.js';
import { drawLossChart } from '../../charts/loss.js';
import { control } from '../controls.js';
import { prop } from '../../state.js';
import { modelFileButtons } from '../../shell/model-file.js';

/** Points of the loss curve drawn at most (the Lab pools longer histories); fewer while running. */
const LOSS_POINTS = 600;
const LIVE_LOSS_POINTS = 300;
/** While running, the loss chart is redrawn at most this often (drawing costs frame time). */
const RUN_REDRAW_MS = 250;

/** lr shown with 3 significant digits. */
export function lrText(lr) {
  return Number(lr).toPrecision(3).replace(/\.?0+e/, 'e').replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

export function trainPanel(app, model) {
  const ui = {};
  const button = (id, text, title, action, cls = '') =>
    el('button', { type: 'button', id, class: cls, text, title, on: { click: action } });
  ui.train1 = button('training-train-1', 'Train 1', 'One iteration: forward, BPTT, clip, update', () => model.train(1), 'primary');
  ui.train100 = button('training-train-100', 'Train 100', '100 iterations', () => model.train(100), 'primary');
  ui.run = button('training-run', '▶ Run', 'Train continuously until paused', () => model.toggle());
  ui.fresh = button('training-fresh', 'Fresh weights', 'New random weights from the seed; iteration 0', () => model.fresh());

  // The learning rate on a log scale: slider value = log10(lr).
  const lrRow = prop('lr');
  ui.lrSlider = el('input', {
    type: 'range', id: 'training-lr-slider', min: Math.log10(lrRow.min), max: Math.log10(lrRow.max), step: 0.01,
    'aria-describedby': 'training-lr-value',
  });
  ui.lrValue = el('output', { id: 'training-lr-value', for: 'training-lr-slider' });
  ui.lrSlider.addEventListener('input', () => {
    const lr = Number(lrText(10 ** Number(ui.lrSlider.value)));
    // While dragged, the history entry is rewritten; the end of the drag pushes one entry.
    app.setState({ lr }, { history: 'drag' });
  });
  ui.lrSlider.addEventListener('change', () => app.hash.endDrag());
  ui.lrNumber = el('input', { type: 'text', id: 'training-lr', inputmode: 'decimal', autocomplete: 'off', size: 8 });
  ui.lrNumber.addEventListener('change', () => {
    const v = Number(ui.lrNumber.value.trim());
    if (!Number.isFinite(v) || v <= 0) {
      app.notice(`The learning rate must be a number above 0, got “${ui.lrNumber.value.slice(0, 24)}”. It stays ${lrText(app.state.lr)}`, 'error');
      ui.lrNumber.value = lrText(app.state.lr);
      return;
    }
    app.setState({ lr: v });
  });
  const lrField = el('div', { class: 'field lr-field' },
    el('label', { for: 'training-lr-slider', text: 'Learning rate (log scale)' }),
    el('div', { class: 'lr-row' }, ui.lrSlider, ui.lrValue));
  const lrExact = el('div', { class: 'field' }, el('label', { for: 'training-lr', text: 'Learning rate, exact' }), ui.lrNumber);

  ui.iteration = el('strong', { id: 'training-iteration' });
  ui.rate = el('span', { id: 'training-rate' });
  ui.loss = el('span', { id: 'training-loss' });
  ui.smooth = el('span', { id: 'training-smooth-loss' });
  ui.clip = el('span', { id: 'training-clip' });
  ui.verdict = el('p', { id: 'training-verdict', class: 'verdict', role: 'status' });
  ui.diverged = el('div', { id: 'training-diverged', class: 'diverged', role: 'alert', hidden: true });
  ui.chart = new Chart(app, {
    id: 'training-loss-chart', title: 'Loss during training', draw: drawLossChart,
    caption: 'Loss L of each iteration (blue) and the smooth loss 0.999·s + 0.001·L (black). A vermillion tick at the top marks an iteration where clipping fired.',
  });

  const elRoot = el('div', { class: 'training-train' },
    el('div', { class: 'train-bar' },
      el('div', { class: 'buttons', role: 'group', 'aria-label': 'Training' }, ui.train1, ui.train100, ui.run, ui.fresh),
      // The shown model's file: the word's, or in text mode the text model with its text.
      el('div', { class: 'buttons', role: 'group', 'aria-label': 'Model file' },
        ...modelFileButtons('training', { save: () => model.saveFile(), load: (text) => model.loadFile(text) }))),
    el('div', { class: 'fields' },
      control(app, 'data', { id: 'training-data' }),
      control(app, 'opt', { id: 'training-opt' }),
      lrField, lrExact,
      control(app, 'clip', { id: 'training-clip-kind' }),
      control(app, 'clipc', { id: 'training-clipc' })),
    el('p', { class: 'readout', id: 'training-readout' },
      'Iteration ', ui.iteration, ' · ', ui.rate, ' · loss ', ui.loss, ' · smooth loss ', ui.smooth, ' · ', ui.clip),
    ui.diverged,
    ui.verdict,
    el('div', { class: 'charts one' }, ui.chart.figure));

  let lastChart = 0;
  /** `full`: false on the frames of a run that only update the readouts. */
  function update(full = true) {
    const s = app.state;
    const status = model.status();
    const running = model.running;
    ui.run.textContent = running ? '⏸ Pause' : '▶ Run';
    ui.run.setAttribute('aria-pressed', String(running));
    for (const b of [ui.train1, ui.train100, ui.run]) b.setAttribute('aria-disabled', String(Boolean(model.diverged)));
    if (document.activeElement !== ui.lrSlider) ui.lrSlider.value = String(Math.log10(s.lr));
    ui.lrValue.textContent = `lr = ${lrText(s.lr)}`;
    if (document.activeElement !== ui.lrNumber) ui.lrNumber.value = lrText(s.lr);

    ui.iteration.textContent = String(status.iteration);
    ui.rate.textContent = running || model.rate.perSecond ? `${Math.round(model.rate.perSecond)} iterations/s` : 'not running';
    ui.loss.textContent = fmt(status.last_loss ?? status.loss);
    ui.smooth.textContent = fmt(status.smooth_loss);
    const h = model.get('lastHistory', () => model.lab().history(Math.max(0, status.history_len - 1)));
    const fired = h.clip_fired?.[0];
    ui.clip.textContent = status.iteration === 0 ? 'no clipping yet' : `‖g‖ = ${fmt(h.grad_norm_total?.[0] ?? NaN)}${fired ? ', clipped' : ''}`;

    if (model.diverged) {
      ui.diverged.hidden = false;
      const m = model.diverged.message;
      ui.diverged.textContent = `${m.charAt(0).toUpperCase()}${m.slice(1)}. Lower the learning rate or turn clipping on, then press Fresh weights.`;
    } else {
      ui.diverged.hidden = true;
      ui.diverged.textContent = '';
    }
    if (!full) return;
    ui.verdict.textContent = verdict(app, model);

    const now = performance.now();
    if (!running || now - lastChart >= RUN_REDRAW_MS || ui.chart.key === null) {
      const points = running ? LIVE_LOSS_POINTS : LOSS_POINTS;
      const key = `${model.version()}/${points}`;
      if (key !== ui.chart.key || running) lastChart = now;
      const history = model.get(`loss${points}`, () => model.lab().loss_history(points));
      const n = history.iteration.length;
      const clipped = history.clip_fired.filter(Boolean).length;
      ui.chart.update(key, history, n
        ? `Loss curve over ${status.iteration} iterations: latest loss ${fmt(history.loss[n - 1])}, smooth loss ${fmt(history.smooth_loss[n - 1])}; clipping fired in ${clipped} of ${n} points.`
        : 'Loss curve: no training yet.');
    }
  }
  return { el: elRoot, update, ui };
}

/** What the model predicts, and whether that is the whole target sequence. */
function verdict(app, model) {
  const trace = model.trace();
  const T = trace.steps;
  const right = trace.predicted.filter((k, s) => k === trace.targets[s]).length;
  if (model.mode === 'text') {
    return `On the next sequence of ${T} characters it predicts ${right} of ${T} next characters right.`;
  }
  const chars = trace.predicted_chars.map(showSymbol).join(', ');
  const targets = trace.target_chars.map((c) => showSymbol(c ?? '')).join(', ');
  if (right === T) return `Converged: from “${trace.input_chars.map(showSymbol).join('')}” the model predicts ${chars}, exactly the targets.`;
  return `The model predicts ${chars} (${right} of ${T} right); the targets are ${targets}.`;
}
