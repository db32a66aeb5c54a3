// Recap, part 5: Kim's (2014) CNN for text (TextCnnLab), trained live on the built-in
// sentiment phrases (4 of 5 train, 1 of 5 test), beside the many-to-one RNN of "Types of
// RNN" (TypesLab) trained on the same split for as many epochs; both accuracies are the
// engine's. For a typed sentence the engine's trace gives the n × k sentence matrix, each
// filter's feature map c_j[p], the max and the n-gram it came from, the pooled vector z and
// the softmax. One filter at a time slides
// over the words: ◀ / ▶ (or the arrow keys on the focused matrix) move it one position.
import { el, fmt, fmtVec, math } from '../common.js';
import { Chart } from '../charts.js';
import { drawLossChart } from '../../charts/loss.js';
import { control, syncAll } from '../controls.js';
import { drawHeatmap } from './heatmap.js';
import { PacedModel } from './pace.js';
import { button, buttons, changed, part, throttled } from './ui.js';

const PLAY_MS = 900;

/** Each App's parts of this section, made in its mount (no state shared between pages). */
const uiOf = new WeakMap();

/**
 * A text CNN step reads a batch of this many phrases (TextCnnSetup's batch); the RNN reads
 * one phrase per iteration. So `rcit` CNN steps and `rcit × PHRASES_PER_STEP` RNN
 * iterations are the same number of passes over the same 160 training phrases.
 */
const PHRASES_PER_STEP = 16;

/**
 * The many-to-one RNN of "Types of RNN" (TypesLab, kind many_to_one, its defaults: H = 16,
 * tanh, Adagrad) trained beside the CNN on the same split of the same phrases, for the
 * same number of epochs: `{train, test, train_size, test_size}` from the engine, or null
 * before it is built.
 */
export function rnnAccuracyOnSplit(app) {
  const rnn = uiOf.get(app)?.rnn;
  if (!rnn?.model) return null;
  return rnn.get('split', (h) => h.split_accuracy());
}

function more(app, epochs) {
  const ui = uiOf.get(app);
  const per = ui.paced.handle?.steps_per_epoch() ?? 10;
  app.setState({ rcit: Math.min(app.state.rcit + epochs * per, 20000) });
  return ui.paced.settled();
}

/** The selected filter and the position clamped to its feature map. */
function cursor(app, trace) {
  const f = Math.min(app.state.rcf, trace.filters.length - 1);
  const filter = trace.filters[f];
  const p = Math.min(app.state.rcp, filter.feature_map.length - 1);
  return { f, filter, p };
}

function stepPos(app, d) {
  const ui = uiOf.get(app);
  const t = ui.trace;
  if (!t) return;
  const { filter, p } = cursor(app, t);
  const n = filter.feature_map.length;
  app.setState({ rcp: (((p + d) % n) + n) % n });
}

function togglePlay(app) {
  const ui = uiOf.get(app);
  // Moved on by the app's one frame loop, not a timer of its own.
  if (app.animating('recap-cnn-slide')) app.stopAnimation('recap-cnn-slide');
  else app.animate('recap-cnn-slide', PLAY_MS, () => stepPos(app, 1));
  const on = app.animating('recap-cnn-slide');
  ui.play.setAttribute('aria-pressed', String(on));
  ui.play.textContent = on ? 'Pause' : 'Slide';
}

export function mountCnn(app) {
  const ui = {};
  uiOf.set(app, ui);
  ui.paced = new PacedModel(app, {
    name: 'text-cnn', cls: 'TextCnnLab', pace: 2,
    settingsOf: (s) => ({ config: { seed: s.rcs } }),
    target: (s) => s.rcit,
  });
  ui.rnn = new PacedModel(app, {
    name: 'recap-rnn', cls: 'TypesLab', pace: PHRASES_PER_STEP * 2,
    settingsOf: (s) => ({ kind: 'many_to_one', seed: s.rcs }),
    target: (s) => s.rcit * PHRASES_PER_STEP,
  });
  ui.matrix = new Chart(app, {
    id: 'recap-cnn-matrix', title: 'Sentence matrix', draw: drawHeatmap,
    caption: 'The sentence as an n × k matrix: one row per word, its k = 8 embedding numbers (learned with the rest). The framed rows are the words the chosen filter covers at position p. Focus the matrix and press ← / → to slide it.',
  });
  ui.maps = new Chart(app, {
    id: 'recap-cnn-maps', title: 'Feature maps', draw: drawHeatmap,
    caption: 'One row per filter (4 filters for each width h = 2, 3, 4), one column per position p: c_j[p] = ReLU(F_h[j] · X[p..p+h−1] + b). Black frames: each row’s maximum, which max-pooling keeps; the vermillion frame is the chosen filter at p.',
  });
  ui.loss = new Chart(app, { id: 'recap-cnn-loss', title: 'CNN loss during training', draw: drawLossChart, caption: 'Mean cross-entropy (plus the small L2 penalty) of each batch of 16 training phrases.' });
  for (const c of [ui.matrix, ui.maps]) {
    c.canvas.tabIndex = 0;
    c.canvas.addEventListener('keydown', (ev) => {
      const d = { ArrowLeft: -1, ArrowRight: 1 }[ev.key];
      if (!d) return;
      ev.preventDefault();
      stepPos(app, d);
    });
  }
  ui.play = el('button', { type: 'button', id: 'recap-cnn-play', 'aria-pressed': 'false', text: 'Slide', on: { click: () => togglePlay(app) } });
  ui.filterSelect = el('select', { id: 'recap-cnn-filter', dataset: { prop: 'rcf' } });
  ui.filterSelect.addEventListener('change', () => app.setState({ rcf: Number(ui.filterSelect.value), rcp: 0 }));
  ui.readout = el('p', { class: 'readout', id: 'recap-cnn-readout', 'aria-live': 'polite' });
  ui.versus = el('div', { class: 'recap-versus', id: 'recap-cnn-versus', 'aria-live': 'polite' });
  ui.status = el('div', { class: 'recap-cnn-status', id: 'recap-cnn-status', 'aria-live': 'polite' });
  ui.step = el('div', { class: 'recap-cnn-step', id: 'recap-cnn-step' });
  ui.pool = el('div', { class: 'recap-cnn-pool', id: 'recap-cnn-pool' });
  ui.controls = el('div', { class: 'recap-controls' },
    el('fieldset', {}, el('legend', { text: 'Sentence' }),
      el('div', { class: 'fields' }, control(app, 'rct', { id: 'recap-cnn-text', hint: 'any words; unknown ones read as <unk>, a zero row' }))),
    el('fieldset', {}, el('legend', { text: 'Model' }), el('div', { class: 'fields' }, control(app, 'rcs', { id: 'recap-cnn-seed' }))));
  return part('cnn', 'A CNN for text (Kim, 2014)',
    el('p', { class: 'equation' }, math('c_j[p] = ReLU(F_h[j] · X[p..p+h−1] + b_{h,j})'), math('ẑ_{h,j} = max_p c_j[p]'), math('p = softmax(W z + b)')),
    el('p', { class: 'lead' },
      'A sentence of n words becomes an n × k matrix, one embedding row per word. Filters h words tall and k wide slide down the words one position at a time; ',
      'each gives a feature map, one number per position. Max-over-time pooling keeps each map’s largest number, whatever its position; ',
      'the maxima are concatenated into z and a softmax layer turns z into class probabilities. A filter of width 2 reads two-word phrases such as “not bad”.'),
    ui.controls,
    el('div', { class: 'train-bar' },
      buttons('CNN training',
        button('recap-cnn-train1', 'Train 1 epoch', () => more(app, 1), { primary: true }),
        button('recap-cnn-train20', 'Train 20 epochs', () => more(app, 20), { primary: true }),
        button('recap-cnn-restart', 'Start again', () => app.setState({ rcit: 0 }), { title: 'Back to the initial weights: step 0' })),
      ui.readout),
    ui.versus,
    ui.status,
    el('div', { class: 'train-bar' },
      el('div', { class: 'field' }, el('label', { for: 'recap-cnn-filter', text: 'Filter' }), ui.filterSelect),
      buttons('Filter position',
        button('recap-cnn-prev', '◀ Back', () => stepPos(app, -1)), button('recap-cnn-next', 'Next ▶', () => stepPos(app, 1)), ui.play),
      ui.step),
    el('div', { class: 'charts' }, ui.matrix.figure, ui.maps.figure),
    ui.pool,
    el('div', { class: 'charts' }, ui.loss.figure));
}

const label = (x) => `h = ${x.width}, #${x.index + 1}`;

/** The two pictures (redrawn only when their key or their size changed). */
function renderCharts(app, t) {
  const ui = uiOf.get(app);
  const { f, filter, p } = cursor(app, t);
  const h = filter.width;
  const rowLabels = t.words.map((w, i) => (t.unknown[i] ? `${w} (unknown)` : w));
  const key = `${ui.paced.version}/${app.state.rct}/${f}/${p}`;
  ui.matrix.update(key, () => ({
    title: `X: n × k = ${t.words.length} × ${t.matrix[0].length}`, rows: t.matrix, rowLabels,
    colLabels: t.matrix[0].map((_, k) => String(k + 1)), colTitle: 'embedding dimension',
    box: { r0: p, r1: Math.min(p + h, t.words.length), c0: 0, c1: t.matrix[0].length },
  }), `Heatmap of the ${t.words.length} × ${t.matrix[0].length} sentence matrix; filter ${label(filter)} covers words ${p + 1} to ${Math.min(p + h, t.words.length)}.`);
  const width = Math.max(...t.filters.map((x) => x.feature_map.length));
  ui.maps.update(key, () => ({
    title: 'Feature maps: one row per filter', rows: t.filters.map((x) => x.feature_map), rowLabels: t.filters.map(label),
    colLabels: Array.from({ length: width }, (_, k) => String(k + 1)), colTitle: 'position p', scale: 'sequential',
    marks: t.filters.map((x, r) => [r, x.start]), box: { r0: f, r1: f + 1, c0: p, c1: p + 1 },
  }), `Heatmap of the feature maps of ${t.filters.length} filters over ${width} positions; each row's maximum is framed.`);
}

function renderTrace(app, t) {
  const ui = uiOf.get(app);
  renderCharts(app, t);
  const { f, filter, p } = cursor(app, t);
  const h = filter.width;
  if (ui.filterSelect.options.length !== t.filters.length) {
    ui.filterSelect.replaceChildren(...t.filters.map((x, i) => el('option', { value: i, text: label(x) })));
  }
  if (ui.filterSelect.value !== String(f)) ui.filterSelect.value = String(f);
  const ngram = t.words.slice(p, p + h);
  ui.step.replaceChildren(
    el('span', {}, `Filter ${label(filter)} at p = ${p + 1} reads “${ngram.join(' ')}”${ngram.length < h ? ' (padded with zero rows)' : ''}: `),
    math(`c[${p + 1}] = `), el('strong', { id: 'recap-cnn-c', text: fmt(filter.feature_map[p], 3) }));
  const cls = t.classes;
  ui.pool.replaceChildren(
    el('p', { class: 'recap-formula' }, 'Max-pooling and concatenation: ', math('z = '), el('span', { id: 'recap-cnn-z', text: fmtVec(t.pooled, 2, 12) })),
    el('p', { class: 'recap-formula' }, 'Softmax: ', ...cls.flatMap((c, i) => [`p(${c}) = `, el('strong', { id: `recap-cnn-p-${c}`, text: fmt(t.probabilities[i], 3) }), i < cls.length - 1 ? ', ' : '']),
      ` → predicted `, el('strong', { id: 'recap-cnn-predicted', text: cls[t.predicted] })),
    el('details', {}, el('summary', { text: 'Where each filter’s maximum came from' }),
      el('table', { class: 'recap-table', id: 'recap-cnn-ngrams' },
        el('thead', {}, el('tr', {}, ['filter', 'max ẑ', 'at p', 'n-gram'].map((x) => el('th', { scope: 'col', text: x })))),
        el('tbody', {}, t.filters.map((x) => el('tr', {}, el('th', { scope: 'row', text: label(x) }), el('td', { class: 'num', text: fmt(x.max, 3) }),
          el('td', { class: 'num', text: String(x.start + 1) }), el('td', { text: x.ngram.join(' ') })))))));
}

/**
 * The CNN beside the many-to-one RNN: the same 160 training phrases, the same number of
 * epochs, the same 40 test phrases; both accuracies from the engine.
 */
function renderVersus(app, cnnStatus, cnnAcc) {
  const ui = uiOf.get(app);
  const rnn = ui.rnn;
  if (!rnn.model) return;
  const rst = rnn.status();
  const racc = rnnAccuracyOnSplit(app);
  ui.rnnAcc = racc;
  const busy = !ui.paced.atTarget() || !rnn.atTarget();
  if (!changed(ui, 'versusKey', `${ui.paced.version}/${rnn.version}/${busy}`)) return;
  const pct = (x) => `${fmt(100 * x, 1)} %`;
  // Passes over the training phrases, from the phrases each has read (the trainers' own
  // epoch counters tick at different moments).
  const passes = (iterations, perIteration) => {
    const e = (iterations * perIteration) / racc.train_size;
    return Number.isInteger(e) ? String(e) : fmt(e, 1);
  };
  const row = (name, id, epochs, a) => el('tr', {},
    el('th', { scope: 'row', text: name }), el('td', { class: 'num', id: `${id}-epoch`, text: epochs }),
    el('td', { class: 'num', id: `${id}-train`, text: pct(a.train) }), el('td', { class: 'num' }, el('strong', { id: `${id}-test`, text: pct(a.test) })));
  ui.versus.replaceChildren(
    el('p', {}, 'Beside it, the many-to-one RNN of “Types of RNN” (', math('h_t = tanh(W_hh h_{t−1} + W_xh x_t + b_h)'),
      `, H = 16, its class read at the last word) trains on the same ${racc.train_size} phrases for the same number of epochs, `,
      `and both are scored on the same ${racc.test_size} test phrases${busy ? ' (training…)' : ''}. `,
      'Its softmax ranges over every token it reads, not only <pos> and <neg>, so before training it seldom names a class at all.'),
    el('table', { class: 'recap-table', id: 'recap-versus-table' },
      el('caption', { text: 'Accuracy on the shared split' }),
      el('thead', {}, el('tr', {}, ['model', 'epochs', `training (${racc.train_size})`, `test (${racc.test_size})`].map((x) => el('th', { scope: 'col', text: x })))),
      el('tbody', {},
        row('CNN (Kim, 2014)', 'recap-versus-cnn', passes(cnnStatus.iteration, PHRASES_PER_STEP), cnnAcc),
        row('RNN, many-to-one', 'recap-versus-rnn', passes(rst.iteration, 1), racc))),
    rnn.diverged ? el('p', { class: 'recap-error', text: `RNN: ${rnn.diverged}` }) : '');
}

export function renderCnn(app) {
  const ui = uiOf.get(app);
  const pm = ui.paced;
  pm.sync();
  ui.rnn.sync();
  syncAll(ui.controls, app.state);
  const training = !pm.atTarget() || !ui.rnn.atTarget();
  if (!pm.model || throttled(ui, training)) return;
  // While the models train, the numbers and the pictures take turns (half the drawing in
  // a frame); the frame after training ends draws both.
  ui.turn = training ? ((ui.turn ?? 0) + 1) % 2 : -1;
  if (ui.turn !== 1) renderNumbers(app);
  if (ui.turn !== 0) renderPictures(app);
}

/** The readout, the table beside the RNN and the loss curve. */
function renderNumbers(app) {
  const ui = uiOf.get(app);
  const pm = ui.paced;
  const st = pm.status();
  const acc = pm.get('accuracy', (h) => h.accuracy());
  ui.acc = acc;
  if (changed(ui, 'readKey', `${pm.version}/${pm.atTarget()}/${pm.model.busy}`)) ui.readout.replaceChildren(
    `Step ${st.iteration} · epoch ${st.epoch}${pm.model.busy || !pm.atTarget() ? ' (training…)' : ''} · accuracy on the ${acc.train_size} training phrases `,
    el('strong', { id: 'recap-cnn-train-acc', text: `${fmt(100 * acc.train, 1)} %` }),
    `, on the ${acc.test_size} test phrases `, el('strong', { id: 'recap-cnn-test-acc', text: `${fmt(100 * acc.test, 1)} %` }),
    pm.diverged ? ` · ${pm.diverged}` : '');
  renderVersus(app, st, acc);
  const curve = pm.get('curve', (h) => h.loss_curve(400));
  ui.loss.update(pm.version, { ...curve, title: 'CNN loss' }, `Loss over ${st.iteration} steps.`);
}

/** The typed sentence through the CNN: the matrix, the feature maps, the pooling. */
function renderPictures(app) {
  const ui = uiOf.get(app);
  const pm = ui.paced;
  const text = app.state.rct;
  if (!changed(ui, 'traceKey', `${pm.version}/${text}/${app.state.rcf}/${app.state.rcp}`)) {
    if (ui.trace) renderCharts(app, ui.trace);
    return;
  }
  let trace = null;
  try {
    trace = pm.get(`trace/${text}`, (h) => h.trace(text));
  } catch (e) {
    ui.status.replaceChildren(el('p', { class: 'recap-error', role: 'status', text: `${e.message}. The picture still shows the last sentence.` }));
    return;
  }
  const unknown = trace.words.filter((_, i) => trace.unknown[i]);
  ui.status.replaceChildren(unknown.length
    ? el('p', { class: 'note', text: `Not in the training phrases, read as <unk> (a zero row): ${unknown.join(', ')}.` }) : '');
  ui.trace = trace;
  renderTrace(app, trace);
}

export function cnnApi(app) {
  // Made before the chapter is mounted: read this page's parts when called.
  const ui = new Proxy({}, { get: (_, k) => uiOf.get(app)?.[k] });
  return {
    model: () => ui.paced.model,
    status: () => ui.paced.status(),
    accuracy: () => ui.acc,
    trace: () => ui.trace,
    rnnModel: () => ui.rnn.model,
    rnnStatus: () => ui.rnn.status(),
    rnnAccuracy: () => ui.rnnAcc,
    train: (epochs = 1) => more(ui.paced.app, epochs),
    settled: async () => {
      await ui.paced.settled();
      await ui.rnn.settled();
    },
  };
}
