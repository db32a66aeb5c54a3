// The app's state as ONE declarative table of URL-hash properties, used both to parse
// a hash (or a patch from the controls / window.rnnLab.set) and to serialise the state
// back into the hash. Parsing is strict and never throws: unknown keys are ignored,
// out-of-range numbers are clamped, bad choices fall back to the default, and every such
// correction is returned as a sentence the page shows in a notice.
//
// A row: { name, type: 'int'|'float'|'enum'|'bool'|'text', default, min, max, options,
//          maxLength, engine, label, history }
//   engine: true  → the setting goes to the wasm Lab (Lab.configure); the Lab may refuse it.
//   label         → the control's visible label (www/views/controls.js builds controls from rows).
//   history       → how a change of the row goes into the browser's history (Back/Forward,
//                   www/shell/hash-sync.js): 'push', a discrete choice (a chapter, a word, a
//                   size, a seed, a preset, a card: Back undoes it), or 'replace', a
//                   continuous one (the step cursor, a count that training moves) that only
//                   rewrites the current entry. A slider row is 'push': while it is dragged
//                   the entry is replaced, and one entry is pushed when the drag ends.
//                   Every row says which (tests/e2e/history.test.mjs checks it).
// Chapter modules add their own rows here (keep names short: they are URL keys).

/** Longest word or text accepted from the URL or the word field. */
export const MAX_TEXT = 64;
/**
 * Longest pasted text a link carries: this many characters of deflate-raw + base64url
 * (www/shell/text-link.js), about 4.5 KB compressed. A longer text goes in a model file.
 */
export const MAX_LINK_TEXT = 6000;
/** Most training iterations a link replays (Model.train's own cap). */
export const MAX_LINK_ITERATIONS = 1000000;

export const PROPS = [
  { name: 'chapter', history: 'push', type: 'enum', default: 'steps', options: ['steps'], label: 'Chapter' },
  { name: 'word', history: 'push', type: 'text', default: 'hello', maxLength: MAX_TEXT, engine: true, label: 'Word' },
  { name: 'hidden', history: 'push', type: 'int', default: 3, min: 1, max: 256, engine: true, label: 'Hidden units H' },
  { name: 'seed', history: 'push', type: 'int', default: 0, min: 0, max: 4294967295, engine: true, label: 'Seed' },
  { name: 'lr', history: 'push', type: 'float', default: 0.1, min: 1e-5, max: 10, engine: true, label: 'Learning rate' },
  {
    name: 'opt', history: 'push', type: 'enum', default: 'adagrad', options: ['sgd', 'momentum', 'adagrad', 'adam'],
    optionLabels: { sgd: 'SGD', momentum: 'Momentum', adagrad: 'Adagrad', adam: 'Adam' },
    engine: true, label: 'Optimiser',
  },
  {
    name: 'act', history: 'push', type: 'enum', default: 'tanh', options: ['tanh', 'sigmoid', 'relu', 'identity'],
    optionLabels: { tanh: 'tanh', sigmoid: 'sigmoid', relu: 'ReLU', identity: 'identity' },
    engine: true, label: 'Activation f',
  },
  { name: 'scale', history: 'push', type: 'float', default: 0.5, min: 0, max: 10, engine: true, label: 'Weight scale' },
  { name: 'bias', history: 'push', type: 'bool', default: false, engine: true, label: 'Biases b_h, b_y' },
  {
    name: 'clip', history: 'push', type: 'enum', default: 'value', options: ['off', 'value', 'norm'],
    optionLabels: { off: 'off', value: 'by value', norm: 'by norm' },
    engine: true, label: 'Gradient clipping',
  },
  { name: 'clipc', history: 'push', type: 'float', default: 5, min: 0.01, max: 1000, engine: true, label: 'Clip threshold c' },
  // The word model's training: iterations from its seed (www/shell/links.js replays them
  // when a link or Back/Forward asks for another count; training rewrites it).
  { name: 'iter', history: 'replace', type: 'int', default: 0, min: 0, max: MAX_LINK_ITERATIONS, label: 'Training iterations' },
  // Presenter mode (large type, high contrast, settings and long paragraphs tucked away).
  { name: 'present', history: 'push', type: 'bool', default: false, label: 'Presenter mode' },
  { name: 'step', history: 'replace', type: 'int', default: 1, min: 1, max: 100000, label: 'Time step t' },
  { name: 'phase', history: 'replace', type: 'enum', default: 'forward', options: ['forward', 'backward'], label: 'Pass' },
  // Chapter "Vanishing and exploding gradients" (www/views/vanishing.js); defaults = its "vanishing" preset.
  {
    name: 'vsrc', history: 'push', type: 'enum', default: 'task', options: ['task', 'word', 'paragraph'],
    optionLabels: { task: 'the long-range task', word: 'the word of the other chapters', paragraph: 'the built-in paragraph' },
    label: 'Sequences',
  },
  { name: 'vd', history: 'push', type: 'int', default: 20, min: 2, max: 100, label: 'Distance d' },
  { name: 'vlen', history: 'push', type: 'int', default: 40, min: 2, max: 200, label: 'Sequence length T' },
  { name: 'vh', history: 'push', type: 'int', default: 16, min: 1, max: 64, label: 'Hidden units H' },
  { name: 'vl1', history: 'push', type: 'float', default: 0.5, min: 0.1, max: 3, label: 'λ1 = σ_max(W_hh)' },
  {
    name: 'vact', history: 'push', type: 'enum', default: 'tanh', options: ['tanh', 'sigmoid', 'relu', 'identity'],
    optionLabels: { tanh: 'tanh (γ = 1)', sigmoid: 'sigmoid (γ = 1/4)', relu: 'ReLU (γ = 1)', identity: 'identity (γ = 1)' },
    label: 'Activation f',
  },
  {
    name: 'vinit', history: 'push', type: 'enum', default: 'gaussian', options: ['gaussian', 'orthogonal'],
    optionLabels: { gaussian: 'Gaussian', orthogonal: 'orthogonal' }, label: 'W_hh drawn as',
  },
  {
    name: 'vloss', history: 'push', type: 'enum', default: 'last', options: ['last', 'per'],
    optionLabels: { last: 'the last step only', per: 'every step' }, label: 'Loss on (text)',
  },
  { name: 'vclip', history: 'push', type: 'bool', default: false, label: 'Clip the gradient norm' },
  { name: 'vclipc', history: 'push', type: 'float', default: 1, min: 0.01, max: 1000, label: 'Clip threshold c' },
  { name: 'vlr', history: 'push', type: 'float', default: 0.05, min: 0.0001, max: 10, label: 'Learning rate (SGD)' },
  { name: 'vseed', history: 'push', type: 'int', default: 0, min: 0, max: 4294967295, label: 'Seed' },
  { name: 'vit', history: 'replace', type: 'int', default: 100, min: 0, max: 100000, label: 'Training iterations' },
  {
    name: 'vw', history: 'push', type: 'enum', default: 'init', options: ['init', 'trained'],
    optionLabels: { init: 'as initialised', trained: 'after training' }, label: 'Weights analysed',
  },
  // Chapter "unrolled" (www/views/unrolled.js): the sub-step within step t, the rolled picture, the zoom.
  { name: 'sub', history: 'replace', type: 'int', default: 0, min: 0, max: 6, label: 'Sub-step' },
  { name: 'rolled', history: 'push', type: 'bool', default: false, label: 'Rolled view' },
  {
    name: 'zoom', history: 'push', type: 'enum', default: 'fit', options: ['fit', '0.75', '1', '1.25', '1.5'],
    optionLabels: { fit: 'fit', 0.75: '75%', 1: '100%', 1.25: '125%', 1.5: '150%' }, label: 'Zoom',
  },
  // Chapter "Why recurrence?" (www/views/why.js): the seed of its models and examples, the
  // training each model has had (a link replays it), the search box, the prefix, the pair.
  { name: 'ws', history: 'push', type: 'int', default: 1, min: 0, max: 4294967295, label: 'Seed' },
  { name: 'wr', history: 'push', type: 'bool', default: false, label: 'Show what came next' },
  { name: 'wa', history: 'replace', type: 'int', default: 3000, min: 0, max: 100000, label: 'Autocomplete training steps' },
  { name: 'wq', history: 'replace', type: 'text', default: 'where is ', maxLength: 80, label: 'Search' },
  { name: 'wb', history: 'push', type: 'int', default: 8, min: 1, max: 16, label: 'Beam width' },
  { name: 'wn', history: 'push', type: 'int', default: 2, min: 1, max: 4, label: 'Fixed window N' },
  { name: 'wl', history: 'push', type: 'int', default: 0, min: 0, max: 65, label: 'Very large window N (0: the longest sentence)' },
  { name: 'wt', history: 'replace', type: 'int', default: 800, min: 0, max: 20000, label: 'Training steps per model' },
  { name: 'wp', history: 'replace', type: 'text', default: 'this morning i took the dog for a', maxLength: 300, label: 'Prefix' },
  { name: 'wo', history: 'push', type: 'int', default: 0, min: 0, max: 99, label: 'Order pair' },
  { name: 'wh', history: 'replace', type: 'int', default: 300, min: 0, max: 10000, label: '“hello” iterations' },
  // Chapter "Types of RNN" (www/views/types.js): the selected card, its seed, H, learning rate and typed example.
  {
    name: 'tk', history: 'push', type: 'enum', default: 'many_to_one', options: ['one_to_one', 'one_to_many', 'many_to_one', 'delayed', 'synced'],
    optionLabels: { one_to_one: 'one-to-one', one_to_many: 'one-to-many', many_to_one: 'many-to-one', delayed: 'many-to-many, delayed', synced: 'many-to-many, synced' },
    label: 'Type of RNN stepped through',
  },
  { name: 'tseed', history: 'push', type: 'int', default: 0, min: 0, max: 4294967295, label: 'Seed' },
  { name: 'th', history: 'push', type: 'int', default: 16, min: 1, max: 64, label: 'Hidden units H' },
  { name: 'tlr', history: 'push', type: 'float', default: 0.1, min: 0.0001, max: 10, label: 'Learning rate (Adagrad)' },
  { name: 'tin', history: 'push', type: 'text', default: '', maxLength: MAX_TEXT, label: 'Typed example' },
  // Chapter "training" (www/views/training.js): what trains, text mode, truncated BPTT, sampling.
  {
    name: 'data', history: 'push', type: 'enum', default: 'word', options: ['word', 'text'],
    optionLabels: { word: 'the word', text: 'a text (min-char-rnn)' }, label: 'Train on',
  },
  { name: 'tseq', history: 'push', type: 'int', default: 25, min: 1, max: 256, label: 'Sequence length T (text)' },
  { name: 'thidden', history: 'push', type: 'int', default: 100, min: 1, max: 256, label: 'Hidden units H (text)' },
  { name: 'k1', history: 'push', type: 'int', default: 0, min: 0, max: 256, label: 'TBPTT k1' },
  { name: 'k2', history: 'push', type: 'int', default: 0, min: 0, max: 256, label: 'TBPTT k2' },
  {
    name: 'tupd', history: 'push', type: 'enum', default: 'chunk', options: ['chunk', 'seq'],
    optionLabels: { chunk: 'after each chunk (as in the lecture)', seq: 'once per sequence' }, label: 'With TBPTT, update W',
  },
  {
    name: 'tprec', history: 'push', type: 'enum', default: 'f64', options: ['f64', 'f32'],
    optionLabels: { f64: 'float64 (exact)', f32: 'float32 (fast)' }, label: 'Precision of training (text)',
  },
  // Text mode's own model: its training iterations, and the pasted text (compressed,
  // www/shell/text-link.js; empty: the built-in paragraph).
  { name: 'titer', history: 'replace', type: 'int', default: 0, min: 0, max: MAX_LINK_ITERATIONS, label: 'Training iterations (text)' },
  { name: 'ttext', history: 'push', type: 'text', default: '', maxLength: MAX_LINK_TEXT, label: 'Pasted text (compressed)' },
  { name: 'temp', history: 'push', type: 'float', default: 1, min: 0.05, max: 5, label: 'Temperature τ' },
  { name: 'slen', history: 'push', type: 'int', default: 100, min: 1, max: 2000, label: 'Sample length' },
  { name: 'sseed', history: 'push', type: 'int', default: 0, min: 0, max: 4294967295, label: 'Sample seed' },
  // Chapter "Recap" (www/views/recap.js): the perceptron, the MLP, word2vec, analogies, the text CNN.
  { name: 'rps', history: 'push', type: 'int', default: 1, min: 0, max: 4294967295, label: 'Cloud seed' },
  {
    name: 'rg', history: 'push', type: 'enum', default: 'sigmoid', options: ['step', 'sigmoid', 'tanh', 'relu'],
    optionLabels: { step: 'step', sigmoid: 'sigmoid', tanh: 'tanh', relu: 'ReLU' }, label: 'Activation g',
  },
  { name: 'rt0', history: 'replace', type: 'float', default: 0, min: -20, max: 20, label: 'θ_0 (bias)' },
  { name: 'rt1', history: 'replace', type: 'float', default: 1, min: -20, max: 20, label: 'θ_1' },
  { name: 'rt2', history: 'replace', type: 'float', default: 1, min: -20, max: 20, label: 'θ_2' },
  { name: 'rpi', history: 'push', type: 'int', default: 0, min: 0, max: 59, label: 'Point' },
  { name: 'rmh', history: 'push', type: 'int', default: 4, min: 2, max: 16, label: 'Hidden units H' },
  {
    name: 'rma', history: 'push', type: 'enum', default: 'tanh', options: ['tanh', 'sigmoid', 'relu', 'identity'],
    optionLabels: { tanh: 'tanh', sigmoid: 'sigmoid', relu: 'ReLU', identity: 'identity' }, label: 'Hidden activation',
  },
  { name: 'rms', history: 'push', type: 'int', default: 1, min: 0, max: 4294967295, label: 'Seed' },
  { name: 'rmit', history: 'replace', type: 'int', default: 0, min: 0, max: 5000, label: 'Training steps' },
  { name: 'rav', history: 'replace', type: 'text', default: '', maxLength: 80, label: 'Analogy vectors' },
  { name: 'rwpos', history: 'replace', type: 'int', default: 2, min: 0, max: 4, label: 'Position' },
  { name: 'rwx', history: 'push', type: 'enum', default: 'cat', options: ['the', 'cat', 'sat', 'on', 'floor'], label: 'Word x' },
  {
    name: 'rwa', history: 'push', type: 'enum', default: 'cbow', options: ['cbow', 'skip-gram'],
    optionLabels: { cbow: 'CBOW', 'skip-gram': 'skip-gram' }, label: 'Architecture',
  },
  { name: 'rwn', history: 'push', type: 'int', default: 10, min: 2, max: 32, label: 'Embedding size N' },
  { name: 'rws', history: 'push', type: 'int', default: 1, min: 0, max: 4294967295, label: 'Seed' },
  { name: 'rwit', history: 'replace', type: 'int', default: 0, min: 0, max: 20000, label: 'Training steps' },
  {
    name: 'rwsrc', history: 'push', type: 'enum', default: 'w', options: ['w', 'w_prime', 'average'],
    optionLabels: { w: 'W (input vectors)', w_prime: 'W′ (output vectors)', average: 'average of W and W′' }, label: 'Word vectors from',
  },
  { name: 'rww', history: 'push', type: 'text', default: 'cat', maxLength: 32, label: 'Word' },
  { name: 'rwa1', history: 'push', type: 'text', default: 'man', maxLength: 32, label: 'a' },
  { name: 'rwa2', history: 'push', type: 'text', default: 'woman', maxLength: 32, label: 'b' },
  { name: 'rwa3', history: 'push', type: 'text', default: 'king', maxLength: 32, label: 'c' },
  { name: 'rs1', history: 'push', type: 'text', default: 'the dog chased the cat', maxLength: 200, label: 'Sentence 1' },
  { name: 'rs2', history: 'push', type: 'text', default: 'the cat chased the dog', maxLength: 200, label: 'Sentence 2' },
  { name: 'rcs', history: 'push', type: 'int', default: 1, min: 0, max: 4294967295, label: 'Seed' },
  { name: 'rcit', history: 'replace', type: 'int', default: 0, min: 0, max: 20000, label: 'Training steps' },
  { name: 'rct', history: 'push', type: 'text', default: 'the movie was not bad at all', maxLength: 200, label: 'Sentence' },
  { name: 'rcf', history: 'push', type: 'int', default: 0, min: 0, max: 11, label: 'Filter' },
  { name: 'rcp', history: 'push', type: 'int', default: 0, min: 0, max: 100, label: 'Position p' },
];

/** The row of `name`, or undefined. */
export function prop(name) {
  return PROPS.find((p) => p.name === name);
}

/** Sets the chapter choices to the registered chapters (the first is the default). */
export function defineChapters(ids, substepIds = []) {
  const p = prop('chapter');
  p.options = [...ids];
  if (!ids.includes(p.default)) p.default = ids[0];
  // The sub-step only means something (and is only put in links) where the player moves
  // by sub-steps.
  prop('sub').chapters = [...substepIds];
}

/**
 * Takes the engine's limits (wasm `limits()`, src/engine/limits.rs) as the ranges of the
 * rows that feed the engine, so that a field, a link and the engine agree on one number.
 */
export function applyEngineLimits(limits) {
  const cap = (name, key, value) => {
    const p = prop(name);
    if (p && Number.isFinite(value)) p[key] = value;
  };
  cap('word', 'maxLength', limits.word_chars);
  cap('hidden', 'max', limits.hidden);
  cap('thidden', 'max', limits.hidden);
  cap('tseq', 'max', limits.seq);
  cap('k1', 'max', limits.seq);
  cap('k2', 'max', limits.seq);
  const slen = prop('slen');
  if (slen) slen.max = Math.min(slen.max, limits.sample_length);
}

/** A fresh state object with every default. */
export function defaults() {
  return Object.fromEntries(PROPS.map((p) => [p.name, p.default]));
}

/** Shows a value in a notice: text quoted, numbers as written. */
function show(v) {
  return typeof v === 'string' ? `“${v.length > 24 ? `${v.slice(0, 24)}…` : v}”` : String(v);
}

/** Formats a number for the hash: shortest exact form. */
function numText(v) {
  return String(v);
}

/**
 * Validates one raw value (a string from the URL, or a native value from a control or
 * a script) against row `p`. Returns { value, note } where `note` (if any) says what
 * was corrected; `value` is undefined when the value is refused and nothing should change.
 * A value that cannot be read at all (not a number, not an option) becomes the default
 * only on a fresh load (`keep: false`); later (`keep: true`: a field, a hash typed after
 * training) it is refused and the current value stays, so no model is lost to a typo.
 */
export function check(p, raw, { keep = false } = {}) {
  const fallback = (why) => (keep
    ? { value: undefined, note: `${p.name}: ${why}; kept as it was` }
    : { value: p.default, note: `${p.name}: ${why}; using ${show(p.default)}` });
  switch (p.type) {
    case 'int':
    case 'float': {
      const v = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(v)) return fallback(`${show(raw)} is not a number`);
      if (p.type === 'int' && !Number.isInteger(v)) return fallback(`${show(raw)} is not a whole number`);
      if (v < p.min) return { value: p.min, note: `${p.name} ${numText(v)} is below the minimum; using ${numText(p.min)}` };
      if (v > p.max) return { value: p.max, note: `${p.name} ${numText(v)} is above the maximum; using ${numText(p.max)}` };
      return { value: v };
    }
    case 'enum': {
      const v = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
      if (p.options.includes(v)) return { value: v };
      return fallback(`${show(String(raw))} is not one of ${p.options.join(', ')}`);
    }
    case 'bool': {
      if (raw === true || raw === false) return { value: raw };
      const v = String(raw).trim().toLowerCase();
      if (['1', 'true', 'on', 'yes'].includes(v)) return { value: true };
      if (['0', 'false', 'off', 'no'].includes(v)) return { value: false };
      return fallback(`${show(String(raw))} is not on or off`);
    }
    case 'text': {
      if (typeof raw !== 'string') return { value: undefined, note: `${p.name}: not text; kept as it was` };
      if ([...raw].length > p.maxLength) {
        return { value: undefined, note: `${p.name}: at most ${p.maxLength} characters, got ${[...raw].length}; kept as it was` };
      }
      return { value: raw };
    }
    default:
      return { value: undefined, note: `${p.name}: unknown setting type` };
  }
}

/**
 * Validates a patch (an object of raw values) against the table. Unknown keys are
 * ignored. Returns { values, notes }: the accepted values and the corrections made.
 */
export function validate(patch, { keep = true } = {}) {
  const values = {};
  const notes = [];
  for (const [key, raw] of Object.entries(patch ?? {})) {
    const p = prop(key);
    if (!p || raw === undefined) continue;
    const { value, note } = check(p, raw, { keep });
    if (note) notes.push(note);
    if (value !== undefined) values[key] = value;
  }
  return { values, notes };
}

/**
 * Parses a location hash ("#word=hello&hidden=3…") into { values, notes }.
 * Never throws: a malformed hash gives no values and, if it was not empty, a note.
 */
export function parseHash(hash, { keep = false } = {}) {
  const text = String(hash ?? '').replace(/^#/, '');
  if (!text) return { values: {}, notes: [] };
  let params;
  try {
    params = new URLSearchParams(text);
  } catch {
    return { values: {}, notes: ['the address could not be read; using the defaults'] };
  }
  const raw = {};
  for (const [k, v] of params) if (prop(k) && !(k in raw)) raw[k] = v;
  return validate(raw, { keep });
}

/**
 * Serialises a state into a hash (without "#"), in table order: the chapter and every
 * value that differs from its default (so links stay short as chapters add rows).
 */
export function serialise(state) {
  const params = new URLSearchParams();
  for (const p of PROPS) {
    const v = state[p.name];
    if (v === undefined || (v === p.default && p.name !== 'chapter')) continue;
    if (p.chapters && !p.chapters.includes(state.chapter)) continue;
    params.set(p.name, p.type === 'bool' ? (v ? '1' : '0') : String(v));
  }
  return params.toString();
}
