// Recap, part 3: word2vec. (a) The training windows of "The cat sat on floor" with window
// 2, stepped one position at a time, for CBOW and skip-gram (recap_windows). (b) W (V × N)
// and W′ (N × V) of a model of that one sentence (V = 5, N = 3) as heatmaps, and
// Wᵀx_cat = v_cat with its numbers. (c) CBOW or skip-gram trained live on the built-in
// corpus (Word2VecLab, Adam, batches of 64): the loss, every word in 2-D, the nearest
// neighbours of a word from W, W′ or their average. (d) Sentence vectors as averages.
import { el, fmt, fmtVec, math } from '../common.js';
import { Chart } from '../charts.js';
import { drawLossChart } from '../../charts/loss.js';
import { control, syncAll } from '../controls.js';
import { Model } from '../../model.js';
import { drawVectors } from './draw.js';
import { drawHeatmap } from './heatmap.js';
import { PacedModel } from './pace.js';
import { button, buttons, changed, part, throttled } from './ui.js';

/** The lecture's sentence and window. */
export const SENTENCE = 'The cat sat on floor';
const WINDOW = 2;
/** N of the one-sentence model whose matrices are drawn. */
const SLIDE_N = 3;
/** Words always labelled in the 2-D picture (when in the vocabulary). */
const LANDMARKS = ['man', 'woman', 'king', 'queen', 'boy', 'girl', 'prince', 'princess', 'cat', 'dog', 'bread', 'forest'];
/** Seconds per position while the windows play. */
const PLAY_MS = 1200;

/** Each App's parts of this section, made in its mount (no state shared between pages). */
const uiOf = new WeakMap();

export function word2vecModel(app) {
  const ui = uiOf.get(app);
  return ui.paced;
}

function stepsPerEpoch(app) {
  const ui = uiOf.get(app);
  const h = ui.paced.handle;
  return h ? Math.ceil(h.examples() / 64) : 1;
}

function more(app, epochs) {
  const ui = uiOf.get(app);
  app.setState({ rwit: Math.min(app.state.rwit + epochs * stepsPerEpoch(app), 20000) });
  return ui.paced.settled();
}

// ---- (a) the windows ----------------------------------------------------------------

function go(app, pos) {
  const ui = uiOf.get(app);
  const n = ui.windows.words.length;
  app.setState({ rwpos: ((pos % n) + n) % n });
}

function togglePlay(app) {
  const ui = uiOf.get(app);
  // Moved on by the app's one frame loop, not a timer of its own.
  if (app.animating('recap-windows')) app.stopAnimation('recap-windows');
  else app.animate('recap-windows', PLAY_MS, () => go(app, app.state.rwpos + 1));
  const on = app.animating('recap-windows');
  ui.play.setAttribute('aria-pressed', String(on));
  ui.play.textContent = on ? 'Pause' : 'Play';
}

function chips(words, roles) {
  return el('span', { class: 'recap-chips' }, words.map((w, i) =>
    el('span', { class: `chip ${roles[i] ?? ''}`.trim() }, w, roles[i] ? el('span', { class: 'sr-only', text: ` (${roles[i]})` }) : null)));
}

function renderWindows(app) {
  const ui = uiOf.get(app);
  const w = ui.windows;
  const t = Math.min(app.state.rwpos, w.words.length - 1);
  if (!changed(ui, 'windowsKey', t)) return;
  const cbow = w.cbow[t];
  const sg = w.skip_gram[t];
  const roles = (inputs, targets) => w.words.map((_, i) => (inputs.includes(i) ? 'input' : targets.includes(i) ? 'target' : ''));
  const name = (i) => w.words[i];
  ui.where.textContent = `Position ${t + 1} of ${w.words.length}: “${w.words[t]}”`;
  ui.cbowRow.replaceChildren(chips(w.words, roles(cbow.inputs, [cbow.target])),
    el('span', { class: 'recap-pairs', id: 'recap-cbow-pairs', text: `[${cbow.inputs.map(name).join(', ')}] → ${name(cbow.target)}` }));
  ui.sgRow.replaceChildren(chips(w.words, roles([sg.input], sg.targets)),
    el('span', { class: 'recap-pairs', id: 'recap-sg-pairs', text: `${sg.targets.map((j) => `${name(sg.input)} → ${name(j)}`).join(', ')} (${sg.targets.length} examples)` }));
}

// ---- (b) the matrices ---------------------------------------------------------------

function renderMatrices(app) {
  const ui = uiOf.get(app);
  const m = ui.slide;
  const s = app.state;
  const mats = m.get('matrices', (h) => h.matrices());
  const word = mats.words.includes(s.rwx) ? s.rwx : 'cat';
  const look = m.get(`lookup/${word}`, (h) => h.one_hot_lookup(word));
  const cols = Array.from({ length: SLIDE_N }, (_, k) => String(k + 1));
  ui.wChart.update(`${m.version}/${word}`, {
    title: `W (V × N = ${mats.words.length} × ${SLIDE_N}): one row per word`, rows: mats.w, rowLabels: mats.words, colLabels: cols,
    colTitle: 'dimension', highlightRow: look.index,
  }, `Heatmap of W, ${mats.words.length} rows by ${SLIDE_N} columns; the row of “${word}” is framed.`);
  ui.wpChart.update(`${m.version}/${word}`, {
    title: `W′ (N × V = ${SLIDE_N} × ${mats.words.length}): one column per word`, rows: mats.w_prime, rowLabels: cols, colLabels: mats.words,
    rowTitle: 'dimension', box: { r0: 0, r1: SLIDE_N, c0: look.index, c1: look.index + 1 },
  }, `Heatmap of W′, ${SLIDE_N} rows by ${mats.words.length} columns; the column of “${word}” is framed.`);
  const f = (v) => fmt(v, 2);
  if (!changed(ui, 'lookupKey', `${m.version}/${word}`)) return;
  ui.lookup.replaceChildren(
    el('p', { class: 'recap-formula' }, math(`x_${word} = [${look.x.map((v) => String(v)).join(' ')}]ᵀ  (one-hot: 1 at index ${look.index + 1} of ${look.x.length})`)),
    el('p', { class: 'recap-formula' }, math(`Wᵀ x_${word} = `), el('span', { id: 'recap-lookup-v', text: `[${look.v.map(f).join(', ')}]` }),
      math(` = v_${word}, row ${look.index + 1} of W`)));
  ui.lookupData = look;
}

// ---- (c) training, the 2-D picture, neighbours ------------------------------------------

/** Every word in 2-D, the chosen word and its neighbours labelled. */
function drawProjection(app, near) {
  const ui = uiOf.get(app);
  const p = ui.paced;
  const s = app.state;
  const proj = p.get(`proj/${s.rwsrc}`, (h) => h.projection(s.rwsrc));
  const words = proj.words;
  const index = new Map(words.map((w, i) => [w, i]));
  const hiWord = s.rww.trim().toLowerCase();
  const labels = [...LANDMARKS, hiWord, ...(near ?? []).slice(0, 5).map((n) => n.word)].filter((w) => index.has(w)).map((w) => index.get(w));
  const ex = proj.explained;
  ui.proj.update(`${p.version}/${s.rwsrc}/${hiWord}`, () => ({
    title: `${words.length} words in 2-D`, points: proj.points, words, labels, highlight: index.get(hiWord) ?? -1, square: false,
    xLabel: s.rwn > 2 ? `principal component 1 (${fmt(100 * ex[0], 0)} % of the variance)` : 'dimension 1',
    yLabel: s.rwn > 2 ? `component 2 (${fmt(100 * ex[1], 0)} %)` : 'dimension 2',
  }), `Scatter plot of the ${words.length} word vectors projected to 2-D; labelled: ${labels.map((i) => words[i]).join(', ')}.`);
}

function renderTraining(app) {
  const ui = uiOf.get(app);
  const p = ui.paced;
  const s = app.state;
  syncAll(ui.controls, s);
  const training = !p.atTarget();
  if (!p.model || throttled(ui, training)) return;
  // While it trains, the numbers and the 2-D picture take turns (half the drawing in a
  // frame); the frame after training ends draws both.
  ui.turn = training ? ((ui.turn ?? 0) + 1) % 2 : -1;
  const st = p.status();
  const curve = p.get('curve', (h) => h.loss_curve(400));
  if (ui.turn !== 1) ui.loss.update(p.version, { ...curve, title: `${s.rwa === 'cbow' ? 'CBOW' : 'Skip-gram'} loss` }, `Loss over ${st.iteration} steps.`);
  const textKey = `${p.version}/${p.atTarget()}/${p.model.busy}/${s.rww}/${s.rwsrc}`;
  const text = ui.turn !== 1 && changed(ui, 'trainKey', textKey);
  if (text) ui.readout.replaceChildren(
    `Step ${st.iteration} · epoch ${st.epoch}${p.model.busy || !p.atTarget() ? ' (training…)' : ''} · batch loss `,
    el('strong', { id: 'recap-w2v-loss-value', text: st.last_loss == null ? '–' : fmt(st.last_loss, 3) }),
    ` · ln V = ${fmt(Math.log(p.get('words', (h) => h.words()).length), 3)} is the loss of a uniform guess`,
    p.diverged ? ` · ${p.diverged}` : '');
  let near = null;
  let nearError = null;
  try {
    near = p.get(`near/${s.rww}/${s.rwsrc}`, (h) => h.nearest(s.rww, 8, s.rwsrc));
  } catch (e) {
    nearError = e.message;
  }
  ui.near = near;
  if (ui.turn !== 0) drawProjection(app, near);
  if (!text) return;
  const hiWord = s.rww.trim().toLowerCase();
  if (nearError) {
    ui.nearList.replaceChildren(el('p', { class: 'recap-error', role: 'status', text: `${nearError}.` }));
  } else {
    ui.nearList.replaceChildren(
      el('p', {}, `Nearest to “${hiWord}” by cosine:`),
      el('ol', { class: 'recap-ranking', id: 'recap-w2v-nearest' }, near.map((n) => el('li', {}, el('span', { text: n.word }), ` ${fmt(n.score, 3)}`))));
  }
}

// ---- (c′) a pasted corpus ------------------------------------------------------------

/** The engine's caps on a pasted corpus (src/engine/models/tokens.rs MAX_TEXT_BYTES, text.rs MAX_WORDS). */
const CORPUS_LIMITS = 'up to 200 KB and 5 000 different words';
let corpusIds = 0;

function corpusMessage(ui, text, error = false) {
  ui.corpusStatus.replaceChildren(el('p', { class: error ? 'recap-error' : 'note', text }));
}

/**
 * Trains on `text` instead of the built-in corpus (null: back to the built-in one), from
 * step 0. The engine checks the text first (recap_check_corpus): a refusal says why and
 * leaves the running model as it is. Returns whether the text was taken.
 */
function useCorpus(app, text) {
  const ui = uiOf.get(app);
  if (text == null) {
    ui.corpus = null;
    corpusMessage(ui, 'Training on the built-in corpus.');
  } else {
    let summary;
    try {
      summary = app.wasm.recap_check_corpus(text);
    } catch (e) {
      const why = e.message.charAt(0).toUpperCase() + e.message.slice(1);
      corpusMessage(ui, `${why}. The model keeps training on its ${ui.corpus ? 'pasted text' : 'built-in corpus'}.`, true);
      return false;
    }
    ui.corpus = { id: ++corpusIds, text, summary };
    corpusMessage(ui, `Training on your text: ${summary.sentences} sentences, ${summary.words} words, V = ${summary.vocab} different words. `
      + 'A link does not carry a pasted text: it opens the built-in corpus.');
  }
  app.setState({ rwit: 0 });
  app.requestRender();
  return true;
}

function mountCorpus(app, ui) {
  const area = el('textarea', { id: 'recap-w2v-corpus', rows: 4, spellcheck: 'false', 'aria-describedby': 'recap-w2v-corpus-hint recap-w2v-corpus-status' });
  ui.corpusStatus = el('div', { id: 'recap-w2v-corpus-status', role: 'status' });
  return el('details', { class: 'recap-paste', id: 'recap-w2v-paste' },
    el('summary', { text: 'Train on your own text' }),
    el('label', { for: 'recap-w2v-corpus', text: 'Your corpus' }),
    el('p', { class: 'hint', id: 'recap-w2v-corpus-hint', text: `Sentences end at a line break or at . ! ?; ${CORPUS_LIMITS}. Words are runs of letters and digits; the rest is skipped.` }),
    area,
    buttons('Corpus',
      button('recap-w2v-corpus-use', 'Train on this text', () => useCorpus(app, area.value), { primary: true }),
      button('recap-w2v-corpus-builtin', 'Back to the built-in corpus', () => useCorpus(app, null))),
    ui.corpusStatus);
}

// ---- (d) sentence vectors -----------------------------------------------------------

function renderSentences(app) {
  const ui = uiOf.get(app);
  const p = ui.paced;
  const s = app.state;
  syncAll(ui.sentenceControls, s);
  if (!p.model || throttled((ui.sentMemo ??= {}), !p.atTarget())) return;
  if (!changed(ui, 'sentKey', `${p.version}/${s.rs1}/${s.rs2}/${s.rwsrc}`)) return;
  try {
    const pair = p.get(`sent/${s.rs1}/${s.rs2}/${s.rwsrc}`, (h) => h.sentences(s.rs1, s.rs2, s.rwsrc));
    ui.pair = pair;
    const unknown = [...pair.first.unknown, ...pair.second.unknown];
    ui.sentenceOut.replaceChildren(
      el('p', { class: 'recap-formula' }, math('s_1 = '), el('span', { id: 'recap-s1', text: fmtVec(pair.first.vector, 3, 6) })),
      el('p', { class: 'recap-formula' }, math('s_2 = '), el('span', { id: 'recap-s2', text: fmtVec(pair.second.vector, 3, 6) })),
      el('p', { class: 'recap-result' }, 'cos(s₁, s₂) = ', el('strong', { id: 'recap-sentence-cos', text: fmt(pair.cosine, 4) }),
        pair.identical ? ' — the very same vector: the order of the words is lost.' : ' — different words, different vectors.'),
      unknown.length ? el('p', { class: 'note', text: `Left out (not in the corpus): ${unknown.join(', ')}.` }) : '');
  } catch (e) {
    ui.pair = null;
    ui.sentenceOut.replaceChildren(el('p', { class: 'recap-error', role: 'status', text: `${e.message}.` }));
  }
}

export function mountWord2vec(app) {
  const ui = {};
  uiOf.set(app, ui);
  ui.windows = app.wasm.recap_windows(SENTENCE, WINDOW);
  ui.paced = new PacedModel(app, {
    name: 'word2vec', cls: 'Word2VecLab', pace: 3,
    settingsOf: (s) => ({ config: { architecture: s.rwa, dim: s.rwn, window: WINDOW, seed: s.rws }, ...(ui.corpus ? { corpus: ui.corpus.text } : {}) }),
    keyOf: (s) => `${s.rwa}/${s.rwn}/${s.rws}/${ui.corpus?.id ?? 'built-in'}`,
    target: (s) => s.rwit,
  });
  const pasteBox = mountCorpus(app, ui);
  ui.where = el('p', { class: 'recap-where', id: 'recap-windows-where', 'aria-live': 'polite' });
  ui.cbowRow = el('div', { class: 'recap-window-row', id: 'recap-cbow-row' });
  ui.sgRow = el('div', { class: 'recap-window-row', id: 'recap-sg-row' });
  ui.play = el('button', { type: 'button', id: 'recap-windows-play', 'aria-pressed': 'false', text: 'Play', on: { click: () => togglePlay(app) } });
  ui.wChart = new Chart(app, { id: 'recap-w', title: 'W, the input vectors', draw: drawHeatmap, caption: 'W: one row v_w of N numbers per word (blue positive, vermillion negative). The framed row is the chosen word.' });
  ui.wpChart = new Chart(app, { id: 'recap-w-prime', title: 'W′, the output vectors', draw: drawHeatmap, caption: 'W′: one column v′_w per word; the scores of all words are u = W′ᵀh.' });
  ui.lookup = el('div', { class: 'recap-lookup', id: 'recap-lookup' });
  ui.loss = new Chart(app, { id: 'recap-w2v-loss', title: 'word2vec loss during training', draw: drawLossChart, caption: 'Mean −log p(target) of each batch of 64 examples (full softmax over the vocabulary).' });
  ui.proj = new Chart(app, {
    id: 'recap-w2v-2d', title: 'Word vectors in 2-D', draw: drawVectors,
    caption: 'Every word of the corpus (N > 2: projected on the two directions of largest spread, computed by the engine). Labelled: a few landmark words, the chosen word (vermillion) and its nearest neighbours.',
  });
  ui.readout = el('p', { class: 'readout', id: 'recap-w2v-readout', 'aria-live': 'polite' });
  ui.nearList = el('div', { class: 'recap-near', id: 'recap-w2v-near', 'aria-live': 'polite' });
  ui.sentenceOut = el('div', { class: 'recap-sentences', id: 'recap-sentence-out', 'aria-live': 'polite' });
  ui.controls = el('div', { class: 'recap-controls' },
    el('fieldset', {}, el('legend', { text: 'Model' }),
      el('div', { class: 'fields' }, control(app, 'rwa', { id: 'recap-w2v-arch' }), control(app, 'rwn', { id: 'recap-w2v-n' }),
        control(app, 'rws', { id: 'recap-w2v-seed' }))),
    el('fieldset', {}, el('legend', { text: 'Vectors' }),
      el('div', { class: 'fields' }, control(app, 'rwsrc', { id: 'recap-w2v-src' }), control(app, 'rww', { id: 'recap-w2v-word', hint: 'a word of the corpus' }))));
  ui.sentenceControls = el('div', { class: 'fields recap-sentence-fields' },
    control(app, 'rs1', { id: 'recap-s1-input' }), control(app, 'rs2', { id: 'recap-s2-input' }));
  const xw = control(app, 'rwx', { id: 'recap-x-word', label: 'Word x_w' });
  ui.xw = xw;
  const words = el('section', { class: 'recap-sub', 'aria-labelledby': 'recap-windows-title' },
    el('h4', { id: 'recap-windows-title', text: 'The windows: what predicts what' }),
    el('p', { class: 'lead' },
      `On “${SENTENCE}” with a window of ${WINDOW} words on each side. CBOW averages the vectors of the words around a position and predicts the word in the middle; `,
      'skip-gram does it the other way round: the middle word predicts each of its neighbours, one training example per pair.'),
    el('div', { class: 'train-bar' }, buttons('Window position',
      button('recap-windows-prev', '◀ Previous', () => go(app, app.state.rwpos - 1)),
      button('recap-windows-next', 'Next ▶', () => go(app, app.state.rwpos + 1)), ui.play), ui.where),
    el('div', { class: 'recap-windows' },
      el('p', { class: 'recap-window-label' }, el('strong', { text: 'CBOW' }), ': inputs (blue) → target (green)'), ui.cbowRow,
      el('p', { class: 'recap-window-label' }, el('strong', { text: 'Skip-gram' }), ': input (blue) → targets (green)'), ui.sgRow));
  const matrices = el('section', { class: 'recap-sub', 'aria-labelledby': 'recap-matrices-title' },
    el('h4', { id: 'recap-matrices-title', text: 'The two matrices we learn' }),
    el('p', { class: 'lead' }, math(`A word enters as a one-hot vector x_w of length V. W (V × N) holds one row per word, so Wᵀx_w just picks that row: the word’s vector v_w. The output side W′ (N × V) scores every word against the hidden vector. Here V = 5 and N = ${SLIDE_N}, before any training (random numbers from the seed).`)),
    el('div', { class: 'fields' }, xw),
    ui.lookup,
    el('div', { class: 'charts' }, ui.wChart.figure, ui.wpChart.figure));
  const training = el('section', { class: 'recap-sub', 'aria-labelledby': 'recap-w2v-train-title' },
    el('h4', { id: 'recap-w2v-train-title', text: 'Training on a small corpus' }),
    el('p', { class: 'lead' },
      'A few hundred short sentences about animals, royalty, people, places and food. Words that appear in the same company get similar vectors, ',
      'so after a few epochs the nearest neighbours of “cat” are other animals. Either W, W′ or their average can serve as the word vectors.'),
    ui.controls,
    pasteBox,
    el('div', { class: 'train-bar' },
      buttons('word2vec training',
        button('recap-w2v-train1', 'Train 1 epoch', () => more(app, 1), { primary: true }),
        button('recap-w2v-train10', 'Train 10 epochs', () => more(app, 10), { primary: true }),
        button('recap-w2v-restart', 'Start again', () => app.setState({ rwit: 0 }), { title: 'Back to the initial weights: step 0' })),
      ui.readout),
    el('div', { class: 'charts' }, ui.proj.figure, el('div', {}, ui.nearList, ui.loss.figure)));
  const sentences = el('section', { class: 'recap-sub', 'aria-labelledby': 'recap-sentences-title' },
    el('h4', { id: 'recap-sentences-title', text: 'Sentence vectors' }),
    el('p', { class: 'lead' },
      'The simplest vector for a sentence is the average of its word vectors. But an average does not care about order: ',
      'two sentences with the same words in a different order get the same vector. This is the bag-of-words problem of ',
      el('a', { href: '#chapter=why', id: 'recap-why-link', text: 'Why recurrence?' }), '.'),
    ui.sentenceControls, ui.sentenceOut);
  return part('word2vec', 'word2vec: CBOW and skip-gram', words, matrices, training, sentences);
}

export function renderWord2vec(app) {
  const ui = uiOf.get(app);
  const s = app.state;
  ui.paced.sync();
  const slideSettings = { config: { architecture: s.rwa, dim: SLIDE_N, window: WINDOW, seed: s.rws }, corpus: SENTENCE, batch: 0 };
  const key = JSON.stringify(slideSettings);
  if (key !== ui.slideKey) {
    const spec = { cls: 'Word2VecLab', ctor: 'new', settings: slideSettings };
    try {
      if (ui.slide) ui.slide.rebuild(spec);
      else ui.slide = new Model(app, spec, { name: 'word2vec-slide', worker: false });
    } catch (e) {
      app.notice(`${e.message}. The small model was kept.`, 'error');
    }
    ui.slideKey = key;
  }
  syncAll(ui.xw, s);
  renderWindows(app);
  if (ui.slide) renderMatrices(app);
  renderTraining(app);
  renderSentences(app);
}

export function word2vecApi(app) {
  // Made before the chapter is mounted: read this page's parts when called.
  const ui = new Proxy({}, { get: (_, k) => uiOf.get(app)?.[k] });
  return {
    model: () => ui.paced.model,
    slideModel: () => ui.slide,
    windows: () => ui.windows,
    lookup: () => ui.lookupData,
    status: () => ui.paced.status(),
    nearest: () => ui.near,
    sentences: () => ui.pair,
    train: (epochs = 1) => more(ui.paced.app, epochs),
    /** Trains on a pasted text (null: the built-in corpus); false when the engine refused it. */
    useCorpus: (text) => useCorpus(ui.paced.app, text),
    corpus: () => (ui.corpus ? { ...ui.corpus.summary } : null),
    settled: () => ui.paced.settled(),
  };
}
