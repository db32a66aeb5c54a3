// Chapter "Time steps": one table row per time step of the word (input, h_t, p_t,
// predicted and target symbol, loss_t), the current step highlighted; training buttons;
// the loss curve and the per-step gradient norms ‖dL/dh_t‖. Every number comes from the
// wasm Lab (trace, gradients, loss history); nothing is computed here.
import { el, fmt, fmtVec, math, showSymbol, visible } from './common.js';
import { Chart } from './charts.js';
import { drawLossChart } from '../charts/loss.js';
import { drawGradBarsChart } from '../charts/grad-bars.js';
import { playerBar } from './playerbar.js';

/** Above this many symbols, p_t gets two columns (target, predicted) instead of one per symbol. */
const MAX_P_COLUMNS = 10;
/** Points of the loss curve drawn at most (the Lab pools longer histories). */
const LOSS_POINTS = 1500;

function trainBar(app, ui) {
  const busyText = el('span', { class: 'busy', 'aria-hidden': 'true' });
  const trainButton = (n) =>
    el('button', {
      type: 'button', class: 'primary', id: `steps-train-${n}`, text: `Train ${n}`,
      title: `Train ${n} iteration${n === 1 ? '' : 's'} (forward, BPTT, update)`,
      on: { click: () => app.train(n) },
    });
  const fresh = el('button', {
    type: 'button', id: 'steps-fresh', text: 'Fresh weights',
    title: 'New random weights from the seed; iteration 0',
    on: { click: () => app.reset(app.state.seed) },
  });
  const file = el('input', { type: 'file', accept: '.json,application/json', hidden: true, id: 'steps-model-file' });
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    file.value = '';
    if (f) app.importModel(await f.text());
  });
  const save = el('button', { type: 'button', id: 'steps-save-model', text: 'Save model', on: { click: () => app.exportModel() } });
  const load = el('button', { type: 'button', id: 'steps-load-model', text: 'Load model…', on: { click: () => file.click() } });
  ui.loss = el('strong', { id: 'steps-loss-value' });
  ui.iteration = el('span', { id: 'steps-iteration' });
  ui.smooth = el('span', { id: 'steps-smooth-loss' });
  ui.predicted = el('span', { id: 'steps-predicted' });
  ui.busy = busyText;
  const readout = el('p', { class: 'readout', id: 'steps-readout' },
    'Loss L = ', ui.loss, ' · iteration ', ui.iteration, ' · smooth loss ', ui.smooth, ' · ', ui.predicted, ' ', busyText);
  return el('div', { class: 'train-bar' },
    el('div', { class: 'buttons', role: 'group', 'aria-label': 'Training' }, trainButton(1), trainButton(100), fresh, save, load, file),
    readout);
}

function header(trace) {
  const V = trace.vocab.length;
  const th = (text, cls) => el('th', { scope: 'col', class: cls }, math(text));
  const cols = [th('t'), th('input x_t'), th('h_t', 'h-col')];
  if (V <= MAX_P_COLUMNS) {
    for (const c of trace.vocab) cols.push(el('th', { scope: 'col', class: 'p-col' }, math('p_t'), `(${showSymbol(c)})`));
  } else {
    cols.push(th('p_t(target)'), th('p_t(predicted)'));
  }
  cols.push(th('predicted'), th('target'), th('loss_t'));
  return el('tr', {}, cols);
}

function num(value, cls) {
  return el('span', { class: `num ${cls ?? ''}`.trim(), text: fmt(value) });
}

function row(trace, s) {
  const t = s + 1;
  const V = trace.vocab.length;
  const target = trace.targets[s];
  const predicted = trace.predicted[s];
  const p = trace.p[s];
  const cells = [
    el('th', { scope: 'row', class: 'c-t', text: t }),
    el('td', { class: 'c-input sym', text: showSymbol(trace.input_chars[s]) }),
    el('td', { class: 'c-h vec', text: fmtVec(trace.h[t], 3, 6) }),
  ];
  const pCell = (k) => {
    const isTarget = k === target;
    return el('td', { class: `c-p${isTarget ? ' is-target' : ''}`, dataset: { k } },
      num(p[k]), isTarget ? el('span', { class: 'sr-only', text: ' (target)' }) : null);
  };
  if (V <= MAX_P_COLUMNS) {
    for (let k = 0; k < V; k++) cells.push(pCell(k));
  } else {
    cells.push(el('td', { class: 'c-p-target' }, target == null ? '–' : num(p[target])));
    cells.push(el('td', { class: 'c-p-predicted' }, num(p[predicted])));
  }
  const right = target === predicted;
  cells.push(
    el('td', { class: `c-predicted sym ${right ? 'right' : 'wrong'}` },
      el('span', { class: 'sym-char', text: showSymbol(trace.predicted_chars[s]) }),
      el('span', { class: 'mark', 'aria-hidden': 'true', text: right ? ' ✓' : ' ✗' }),
      el('span', { class: 'sr-only', text: right ? ' (right)' : ' (wrong)' })),
    el('td', { class: 'c-target sym', text: target == null ? '–' : showSymbol(trace.target_chars[s]) }),
    el('td', { class: 'c-loss' }, num(trace.losses[s])),
  );
  return el('tr', { dataset: { t } }, cells);
}

export default {
  id: 'steps',
  title: 'Time steps',
  granularity: 'step',

  /** The opening text: painted before the engine is ready (see shell/chapter-nav.js). */
  intro() {
    return [
      el('h2', { id: 'steps-title', text: 'Time steps: reading the word one character at a time' }),
      el('p', { class: 'lead' },
        'At each step t the network takes one character as a one-hot vector ', math('x_t'), ', mixes it with its memory ', math('h_{t−1}'),
        ', and scores every possible next character. ',
        'The same three weight matrices are used at every step. Train it and watch the predictions turn into the target word.'),
    ];
  },

  mount(section, app) {
    const ui = {};
    ui.player = playerBar(app, { idPrefix: 'steps' });
    ui.caption = el('caption', {});
    ui.thead = el('thead');
    ui.tbody = el('tbody');
    ui.total = el('td', { class: 'c-total' });
    ui.totalLabel = el('th', { scope: 'row', class: 'c-total-label' }, math('total loss L = Σ_t loss_t'));
    ui.table = el('table', { class: 'steps-table', id: 'steps-table' }, ui.caption, ui.thead, ui.tbody, el('tfoot', {}, el('tr', {}, ui.totalLabel, ui.total)));
    ui.lossChart = new Chart(app, {
      id: 'loss-chart', title: 'Loss during training', draw: drawLossChart,
      caption: 'Loss L of each training iteration (blue) and the smooth loss (black); a vermillion tick at the top marks an iteration where clipping fired.',
    });
    ui.dhChart = new Chart(app, {
      id: 'dh-chart', title: '‖dL/dh_t‖ per time step', draw: drawGradBarsChart,
      caption: 'How strongly the loss depends on the hidden state h_t, from full BPTT with the current weights. The current step is in vermillion.',
    });
    section.append(
      el('p', { class: 'equation' },
        math('h_t = f(W_hh h_{t−1} + W_xh x_t)'), math('y_t = W_hy h_t'),
        math('p_t = softmax(y_t)'), math('loss_t = −log p_t[target]')),
      ui.player.el,
      el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'steps-table-caption' }, ui.table),
      trainBar(app, ui),
      el('div', { class: 'charts' }, ui.lossChart.figure, ui.dhChart.figure),
    );
    ui.caption.id = 'steps-table-caption';
    ui.tableKey = null;
    return ui;
  },

  /** What the aria-live region says when the step changes. */
  describeStep(app) {
    const snap = app.forwardSnapshot();
    if (!snap) return '';
    const target = snap.target == null ? 'no target' : `target ${showSymbol(snap.target)}`;
    return `Step t = ${snap.t} of ${snap.steps}, ${app.state.phase} pass: input ${showSymbol(snap.input)}, predicted ${showSymbol(snap.predicted)}, ${target}, loss ${fmt(snap.loss_t)}.`;
  },

  render(app, ui) {
    const trace = app.trace();
    const T = trace.steps;
    const t = app.state.step;
    ui.player.update();
    if (ui.tableKey !== app.version) {
      ui.tableKey = app.version;
      ui.caption.textContent = `The word “${visible(app.state.word)}”: T = ${T} steps, vocabulary [${trace.vocab.map(showSymbol).join(', ')}], H = ${app.state.hidden} hidden units with f = ${trace.activation}.`;
      ui.thead.replaceChildren(header(trace));
      ui.tbody.replaceChildren(...trace.inputs.map((_, s) => row(trace, s)));
      ui.totalLabel.colSpan = ui.thead.firstChild.children.length - 1;
      ui.total.replaceChildren(num(trace.loss));
    }
    for (const tr of ui.tbody.children) {
      const current = Number(tr.dataset.t) === t;
      tr.classList.toggle('current', current);
      if (current) tr.setAttribute('aria-current', 'step');
      else tr.removeAttribute('aria-current');
    }
    const status = app.status();
    const right = trace.predicted.filter((k, s) => k === trace.targets[s]).length;
    ui.loss.textContent = fmt(trace.loss);
    ui.iteration.textContent = String(status.iteration);
    ui.smooth.textContent = fmt(status.smooth_loss);
    ui.predicted.textContent = `predicts ${trace.predicted_chars.map(showSymbol).join('')} (${right} of ${T} right)`;
    ui.busy.textContent = app.busy ? '· training…' : '';

    const history = app.lossHistory(LOSS_POINTS);
    const n = history.iteration.length;
    ui.lossChart.update(`${app.version}`, history,
      n ? `Loss curve over ${status.iteration} iterations: latest loss ${fmt(history.loss[n - 1])}, smooth loss ${fmt(history.smooth_loss[n - 1])}.`
        : 'Loss curve: no training yet.');
    const grads = app.gradients();
    const norms = grads.dh_norms.slice(1);
    ui.dhChart.update(`${app.version}/${t}`, {
      values: norms,
      labels: norms.map((_, s) => String(s + 1)),
      highlight: t - 1,
      title: '‖dL/dh_t‖ per time step',
    }, `Bars of ‖dL/dh_t‖ for t = 1 to ${T}: ${norms.map((v) => fmt(v)).join(', ')}.`);
  },
};
