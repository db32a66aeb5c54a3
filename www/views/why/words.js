// "Exercise 2, live": the four next-word models of the lecture's three solutions plus the
// RNN, trained on the page on one split of the built-in corpus (NextWordHandle). For each:
// what it reads, its size, its loss curve, its test accuracy; for a prefix, its top 5; and
// each failure made visible: the probes (a clue at a distance training never showed), the
// bag-of-words order pair (one vector for two sentences) and the very large window's size.
import { el, fmt } from '../common.js';
import { Chart } from '../charts.js';
import { control, sync, syncAll } from '../controls.js';
import { bar } from './autocomplete.js';

/** The models in the engine's order, with how the page names them. */
export const MODELS = ['window', 'bag_of_words', 'large_window', 'rnn'];
export function modelName(summary) {
  switch (summary.model) {
    case 'window': return `Fixed window (N = ${summary.window})`;
    case 'bag_of_words': return 'Bag of words';
    case 'large_window': return `Very large window (N = ${summary.window})`;
    default: return 'RNN';
  }
}
const READS = {
  window: 'the last N words, one one-hot each, side by side',
  bag_of_words: 'how often each word occurred so far, in any order',
  large_window: 'the last N words as one-hots (padding before the start)',
  rnn: 'one word per step; its memory carries the rest',
};

const pct = (a) => `${fmt(100 * a.value, 1)} % (${a.correct}/${a.total})`;

export function wordsSection(app, ui) {
  const w = {};
  ui.words = w;
  w.controls = el('div', { class: 'why-controls' },
    control(app, 'wn', { id: 'why-wn' }), control(app, 'wl', { id: 'why-wl' }), control(app, 'wt', { id: 'why-wt' }));
  w.more = el('button', {
    type: 'button', id: 'why-words-more', class: 'primary', text: 'Train 400 more steps each',
    on: { click: () => app.setState({ wt: Math.min(app.state.wt + 400, 20000) }) },
  });
  w.status = el('p', { class: 'readout', id: 'why-words-status', 'aria-live': 'polite' });
  w.tbody = el('tbody');
  w.table = el('table', { class: 'why-table', id: 'why-models' },
    el('caption', { id: 'why-models-caption', text: 'The four models, trained on the same sentences' }),
    el('thead', {}, el('tr', {}, ['Model', 'Reads', 'Input size', 'Parameters', 'Steps', 'Last loss', 'Test accuracy', 'Probe accuracy']
      .map((t) => el('th', { scope: 'col', text: t })))),
    w.tbody);
  w.loss = new Chart(app, {
    id: 'why-words-loss', title: 'Next-word models: training loss', draw: 'draw_why_curves_chart',
    caption: 'Mean −log p of the next word over each step’s batch, for the four models.',
  });
  w.prefix = el('input', {
    type: 'text', id: 'why-prefix', autocomplete: 'off', spellcheck: 'false', maxlength: 300,
    'aria-describedby': 'why-prefix-message', dataset: { prop: 'wp' },
  });
  w.prefix.addEventListener('input', () => app.setState({ wp: w.prefix.value }));
  w.examples = el('select', { id: 'why-prefix-examples' });
  w.examples.addEventListener('change', () => {
    if (w.examples.value) app.setState({ wp: w.examples.value });
  });
  w.message = el('p', { class: 'note', id: 'why-prefix-message', 'aria-live': 'polite' });
  w.predictions = el('div', { class: 'why-predictions', id: 'why-predictions' });
  w.reads = el('div', { class: 'why-reads', id: 'why-reads' });
  return el('section', { class: 'why-part', id: 'why-words', 'aria-labelledby': 'why-words-title' },
    el('h3', { id: 'why-words-title', text: '3. Exercise 2, live: four ways to predict the next word' }),
    el('p', {}, 'Given “This morning I took the dog for a”, what is the next word? The lecture offers three feed-forward answers. ',
      'Here they are, beside an RNN, all four learning from the same few hundred short sentences (every fifth one is kept aside for the test). ',
      'Words are tokens: lower case, punctuation apart, <s> at the start.'),
    w.controls,
    el('div', { class: 'buttons' }, w.more),
    w.status,
    el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'why-models-caption' }, w.table),
    w.loss.figure,
    el('h4', { id: 'why-prefix-title', text: 'Your prefix, and each model’s next word' }),
    el('div', { class: 'why-prefix-row' },
      el('div', { class: 'field' }, el('label', { for: 'why-prefix', text: 'Prefix' }), w.prefix),
      el('div', { class: 'field' }, el('label', { for: 'why-prefix-examples', text: 'or pick one' }), w.examples)),
    w.message,
    w.predictions,
    w.reads,
    failures(app, ui));
}

function failures(app, ui) {
  const w = ui.words;
  w.probes = el('tbody');
  w.bagChart = new Chart(app, {
    id: 'why-bag-chart', title: 'Bag of words: the two input vectors', draw: 'draw_why_strips_chart',
    caption: 'x for each prefix: one cell per word of the vocabulary, dark where the word occurs. The two strips are the same.',
  });
  w.pair = el('select', { id: 'why-pair', dataset: { prop: 'wo' } });
  w.pair.addEventListener('change', () => app.setState({ wo: Number(w.pair.value) }));
  w.bagVerdict = el('p', { class: 'why-verdict', id: 'why-bag-identical' });
  w.bagTable = el('tbody');
  w.bagAnswers = el('tbody');
  w.large = el('p', { id: 'why-large-sizes' });
  w.probesCaption = el('caption', { id: 'why-probes-caption' });
  return el('div', { class: 'why-failures' },
    el('section', { class: 'why-failure', id: 'why-probe', 'aria-labelledby': 'why-probe-title' },
      el('h4', { id: 'why-probe-title', text: 'The window cannot see the clue, and a position learned does not carry over' }),
      el('p', {}, 'In training, “france” comes some words before “french”; in these test sentences it comes at a distance never seen with that country. ',
        'A window has one weight per (position, word): the weight for “china, 7 words back” was never trained. The RNN applies the same weights at every step, so what it learned about a country carries over. ',
        'The bag of words sees the clue too (it counts every word), but it cannot tell order, as the next box shows.'),
      el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'why-probes-caption' },
        el('table', { class: 'why-table', id: 'why-probes' },
          w.probesCaption,
          el('thead', {}, el('tr', {}, ['Sentence', 'Clue', 'Distance', 'Answer', 'Fixed window', 'Bag of words', 'Very large window', 'RNN']
            .map((t) => el('th', { scope: 'col', text: t })))),
          w.probes))),
    el('section', { class: 'why-failure', id: 'why-bag', 'aria-labelledby': 'why-bag-title' },
      el('h4', { id: 'why-bag-title', text: 'Bag of words: two orders, one vector' }),
      el('div', { class: 'field' }, el('label', { for: 'why-pair', text: 'Pair' }), w.pair),
      w.bagVerdict,
      w.bagChart.figure,
      el('div', { class: 'why-two' },
        el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'why-bag-counts-caption' },
          el('table', { class: 'why-table', id: 'why-bag-counts' },
            el('caption', { id: 'why-bag-counts-caption', text: 'The words that occur (every other entry is 0)' }),
            el('thead', {}, el('tr', {}, ['Word', 'Count in A', 'Count in B'].map((t) => el('th', { scope: 'col', text: t })))),
            w.bagTable)),
        el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'why-bag-answers-caption' },
          el('table', { class: 'why-table', id: 'why-bag-answers' },
            el('caption', { id: 'why-bag-answers-caption', text: 'Top 3 next words' }),
            el('thead', {}, el('tr', {}, ['', 'after A', 'after B'].map((t) => el('th', { scope: 'col', text: t })))),
            w.bagAnswers)))),
    el('section', { class: 'why-failure', id: 'why-large', 'aria-labelledby': 'why-large-title' },
      el('h4', { id: 'why-large-title', text: 'The very large window: the input grows with N' }),
      el('p', {}, 'A window of N words reads N one-hot vectors side by side, so its first layer has N times the weights, and nothing it learns at one position is shared with another. ',
        'Change N above and watch the sizes; the RNN reads one word at a time with the same weights, whatever the length.'),
      w.large));
}

const sugList = (items, id) => el('ol', { class: 'why-words-top', id },
  items.map((s) => el('li', {}, el('span', { class: 'why-word', text: s.token }), bar(s.p), el('span', { class: 'num', text: fmt(s.p, 3) }))));

export function renderWords(app, ui, heavy) {
  const w = ui.words;
  const m = ui.models.words;
  const state = app.state;
  syncAll(w.controls, state);
  if (document.activeElement !== w.prefix) sync(w.prefix, state.wp);
  const status = m.get('status', (h) => h.status());
  const done = status.steps.every((n) => n >= state.wt);
  w.status.textContent = `${done ? 'Trained' : 'Training'}: steps ${status.steps.map((n) => `${Math.min(n, state.wt)}`).join(', ')} of ${state.wt} each`
    + (done || ui.models.ready('auto') ? '' : ' (after the autocomplete has learned its list)');
  w.status.dataset.ready = done ? '1' : '0';
  if (!heavy && w.shownVersion !== undefined && !w.loss.stale && !w.bagChart.stale) return;
  if (!w.examples.options.length) {
    w.examples.append(el('option', { value: '', text: 'Examples…' }),
      ...m.get('examples', (h) => h.examples()).map((e) => el('option', { value: e.prefix, text: `${e.prefix} (${e.label})` })));
  }
  // While the four train, only their sizes and losses are read; the accuracies (about 0.1 s
  // to measure) and the probes once training stops.
  const training = m.active;
  const summaries = training ? m.get('curves', (h) => h.curves()) : m.get('summaries', (h) => h.summaries());
  const v = `${m.generation}/${m.version}`;
  if (w.tableKey !== `${v}/${training}`) {
    renderTable(w, summaries);
    if (!training) renderProbes(ui, m);
    w.probesCaption.textContent = training && !w.shownProbes
      ? 'Probes: measured when training stops'
      : 'Probes: each model’s top word (✓ right, ✗ wrong) and p(right word)';
    w.tableKey = `${v}/${training}`;
  }
  // The chart redraws on new numbers or a resize (its data is read only then).
  ui.chart(w.loss, v, () => ({
    series: summaries.map((s) => ({ name: modelName(s), values: s.losses, step: s.loss_stride })),
    title: 'Next-word models: training loss', x_desc: 'training step', y_desc: 'loss',
  }), `Line chart of the training loss of the four models: ${summaries.map((s) => `${modelName(s)} ${s.losses.length ? fmt(s.losses.at(-1), 2) : 'not trained'}`).join('; ')}.`);
  if (w.prefixKey !== `${v}/${state.wp}`) {
    renderPrefix(app, ui, summaries);
    w.prefixKey = `${v}/${state.wp}`;
  }
  // The pair's answers follow the training when it stops (its vectors do not change).
  const pairKey = `${m.generation}/${app.state.wo}/${training ? 'training' : m.version}`;
  if (w.pairKey !== pairKey || w.bagChart.stale) {
    renderPair(app, ui, m);
    w.pairKey = pairKey;
  }
  w.shown = { summaries, status };
  w.shownVersion = m.version;
}

function renderTable(w, summaries) {
  w.tbody.replaceChildren(...summaries.map((s) => el('tr', { dataset: { model: s.model } },
    el('th', { scope: 'row', text: modelName(s) }),
    el('td', { class: 'why-reads-cell', text: READS[s.model] }),
    el('td', { class: 'num', text: s.input_size }),
    el('td', { class: 'num', text: s.parameter_count }),
    el('td', { class: 'num', text: s.steps }),
    el('td', { class: 'num', text: s.losses.length ? fmt(s.losses.at(-1), 3) : '–' }),
    el('td', { class: 'num why-test-acc', text: s.test_accuracy ? pct(s.test_accuracy) : 'after training' }),
    el('td', { class: 'num why-probe-acc', text: s.probe_accuracy ? pct(s.probe_accuracy) : 'after training' }))));
  const [win, , large, rnn] = summaries;
  w.large.textContent = `Fixed window N = ${win.window}: input ${win.input_size}, ${win.parameter_count} parameters. `
    + `Very large window N = ${large.window}: input ${large.input_size}, ${large.parameter_count} parameters. `
    + `RNN: input ${rnn.input_size} per step, ${rnn.parameter_count} parameters, for a sentence of any length.`;
}

function renderPrefix(app, ui, summaries) {
  const w = ui.words;
  const m = ui.models.words;
  const prefix = app.state.wp;
  let pred;
  let reads;
  try {
    pred = m.get(`predict:${prefix}`, (h) => h.predict(prefix));
    reads = m.get(`reads:${prefix}`, (h) => ({
      window: h.window_input(false, prefix), large: h.window_input(true, prefix), bag: Array.from(h.bag_input(prefix)),
    }));
  } catch (e) {
    w.message.textContent = `${e.message}. Showing nothing for this prefix.`;
    w.message.dataset.kind = 'error';
    w.predictions.replaceChildren();
    w.reads.replaceChildren();
    w.shownPrediction = null;
    return;
  }
  const unknown = pred.unknown.map((u) => `“${u}”`).join(', ');
  w.message.textContent = pred.unknown.length
    ? `Not in the training sentences: ${unknown}. Every model reads ${pred.unknown.length === 1 ? 'it' : 'them'} as <unk>, the unknown word.`
    : `The models read: ${pred.tokens.join(' ')}`;
  w.message.dataset.kind = pred.unknown.length ? 'warn' : 'info';
  w.predictions.replaceChildren(...pred.models.map(([model, top], i) => el('div', { class: 'why-card', dataset: { model } },
    el('h5', { text: modelName(summaries[i]) }), sugList(top, `why-pred-${model}`))));
  const vocab = m.get('vocab', (h) => h.vocab());
  const chips = (slots) => slots.map((s) => el('span', { class: s === '<pad>' ? 'why-chip pad' : 'why-chip', text: s }));
  const bagWords = reads.bag.flatMap((c, i) => (c ? [`${vocab[i]} × ${c}`] : []));
  const largeSlots = reads.large.slots;
  const pads = largeSlots.filter((s) => s === '<pad>').length;
  w.reads.replaceChildren(
    el('p', {}, el('strong', { text: `Fixed window (N = ${reads.window.window}) reads: ` }), ...chips(reads.window.slots),
      el('span', { class: 'note', text: ` (x has ${reads.window.input_size} entries, ${reads.window.active.length} of them 1)` })),
    el('p', {}, el('strong', { text: `Very large window (N = ${reads.large.window}) reads: ` }),
      pads ? el('span', { class: 'why-chip pad', text: `<pad> × ${pads}` }) : '', ...chips(largeSlots.slice(pads)),
      el('span', { class: 'note', text: ` (x has ${reads.large.input_size} entries)` })),
    el('p', {}, el('strong', { text: 'Bag of words reads: ' }), bagWords.join(', '),
      el('span', { class: 'note', text: ` (x has ${reads.bag.length} entries)` })));
  w.shownPrediction = { prefix, prediction: pred, reads };
}

function renderProbes(ui, m) {
  const w = ui.words;
  const probes = m.get('probes', (h) => h.probes());
  w.probes.replaceChildren(...probes.map((p) => el('tr', {},
    el('td', { text: p.text }), el('td', { text: p.clue }), el('td', { class: 'num', text: p.distance }), el('td', { text: p.target }),
    ...p.models.map(([, top, prob]) => {
      const right = top === p.target;
      return el('td', { class: right ? 'right' : 'wrong' }, `${top} `, el('span', { 'aria-hidden': 'true', text: right ? '✓' : '✗' }),
        el('span', { class: 'sr-only', text: right ? ' (right)' : ' (wrong)' }), el('span', { class: 'num note', text: ` ${fmt(prob, 2)}` }));
    }))));
  w.shownProbes = probes;
}

function renderPair(app, ui, m) {
  const w = ui.words;
  const count = m.get('pairs', (h) => h.order_pair_count());
  if (w.pair.options.length !== count) {
    w.pair.replaceChildren(...Array.from({ length: count }, (_, i) => {
      const p = m.handle.order_pair(i);
      return el('option', { value: i, text: `${p.a} | ${p.b}` });
    }));
  }
  let i = app.state.wo;
  if (i >= count) {
    app.notice(`There are ${count} order pairs; showing the first.`, 'warn');
    app.setState({ wo: 0 });
    i = 0;
  }
  sync(w.pair, i);
  const pair = m.get(`pair:${i}`, (h) => h.order_pair(i));
  w.bagVerdict.replaceChildren(el('span', { text: 'A: ' }), el('q', { text: pair.a }), el('span', { text: ' · B: ' }), el('q', { text: pair.b }),
    el('strong', { text: pair.identical ? ' → the same vector x, so the same prediction.' : ' → different vectors.' }));
  ui.chart(w.bagChart, `${m.generation}/${i}`, {
    rows: [{ label: 'A', values: pair.vector_a }, { label: 'B', values: pair.vector_b }],
    title: 'Bag of words: the two input vectors', x_desc: 'word index (vocabulary order)',
  }, `Two strips of ${pair.vector_a.length} cells, the input vectors of A and B; ${pair.identical ? 'they are identical' : 'they differ'}.`);
  const vocab = m.get('vocab', (h) => h.vocab());
  w.bagTable.replaceChildren(...pair.vector_a.flatMap((c, k) => (c || pair.vector_b[k]
    ? [el('tr', {}, el('th', { scope: 'row', text: vocab[k] }), el('td', { class: 'num', text: c }), el('td', { class: 'num', text: pair.vector_b[k] }))]
    : [])));
  const top3 = (s) => s.slice(0, 3).map((x) => `${x.token} ${fmt(x.p, 2)}`).join(', ');
  w.bagAnswers.replaceChildren(
    el('tr', {}, el('th', { scope: 'row', text: 'Bag of words' }), el('td', { text: top3(pair.bag_a) }), el('td', { text: top3(pair.bag_b) })),
    el('tr', {}, el('th', { scope: 'row', text: 'RNN' }), el('td', { text: top3(pair.rnn_a) }), el('td', { text: top3(pair.rnn_b) })));
  w.shownPair = pair;
}
