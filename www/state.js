// The app's state as ONE declarative table of URL-hash properties, used both to parse
// a hash (or a patch from the controls / window.rnnLab.set) and to serialise the state
// back into the hash. Parsing is strict and never throws: unknown keys are ignored,
// out-of-range numbers are clamped, bad choices fall back to the default, and every such
// correction is returned as a sentence the page shows in a notice.
//
// A row: { name, type: 'int'|'float'|'enum'|'bool'|'text', default, min, max, options,
//          maxLength, engine, label }
//   engine: true  → the setting goes to the wasm Lab (Lab.configure); the Lab may refuse it.
//   label         → the control's visible label (www/views/controls.js builds controls from rows).
// Chapter modules add their own rows here (keep names short: they are URL keys).

/** Longest word or text accepted from the URL or the word field. */
export const MAX_TEXT = 64;

export const PROPS = [
  { name: 'chapter', type: 'enum', default: 'steps', options: ['steps'], label: 'Chapter' },
  { name: 'word', type: 'text', default: 'hello', maxLength: MAX_TEXT, engine: true, label: 'Word' },
  { name: 'hidden', type: 'int', default: 3, min: 1, max: 256, engine: true, label: 'Hidden units H' },
  { name: 'seed', type: 'int', default: 0, min: 0, max: 4294967295, engine: true, label: 'Seed' },
  { name: 'lr', type: 'float', default: 0.1, min: 1e-5, max: 10, engine: true, label: 'Learning rate' },
  {
    name: 'opt', type: 'enum', default: 'adagrad', options: ['sgd', 'momentum', 'adagrad', 'adam'],
    optionLabels: { sgd: 'SGD', momentum: 'Momentum', adagrad: 'Adagrad', adam: 'Adam' },
    engine: true, label: 'Optimiser',
  },
  {
    name: 'act', type: 'enum', default: 'tanh', options: ['tanh', 'sigmoid', 'relu', 'identity'],
    optionLabels: { tanh: 'tanh', sigmoid: 'sigmoid', relu: 'ReLU', identity: 'identity' },
    engine: true, label: 'Activation f',
  },
  { name: 'scale', type: 'float', default: 0.5, min: 0, max: 10, engine: true, label: 'Weight scale' },
  { name: 'bias', type: 'bool', default: false, engine: true, label: 'Biases b_h, b_y' },
  {
    name: 'clip', type: 'enum', default: 'value', options: ['off', 'value', 'norm'],
    optionLabels: { off: 'off', value: 'by value', norm: 'by norm' },
    engine: true, label: 'Gradient clipping',
  },
  { name: 'clipc', type: 'float', default: 5, min: 0.01, max: 1000, engine: true, label: 'Clip threshold c' },
  // Presenter mode (large type, high contrast, settings and long paragraphs tucked away).
  { name: 'present', type: 'bool', default: false, label: 'Presenter mode' },
  { name: 'step', type: 'int', default: 1, min: 1, max: 100000, label: 'Time step t' },
  { name: 'phase', type: 'enum', default: 'forward', options: ['forward', 'backward'], label: 'Pass' },
  // Chapter "Vanishing and exploding gradients" (www/views/vanishing.js); defaults = its "vanishing" preset.
  {
    name: 'vsrc', type: 'enum', default: 'task', options: ['task', 'word', 'paragraph'],
    optionLabels: { task: 'the long-range task', word: 'the word of the other chapters', paragraph: 'the built-in paragraph' },
    label: 'Sequences',
  },
  { name: 'vd', type: 'int', default: 20, min: 2, max: 100, label: 'Distance d' },
  { name: 'vlen', type: 'int', default: 40, min: 2, max: 200, label: 'Sequence length T' },
  { name: 'vh', type: 'int', default: 16, min: 1, max: 64, label: 'Hidden units H' },
  { name: 'vl1', type: 'float', default: 0.5, min: 0.1, max: 3, label: 'λ1 = σ_max(W_hh)' },
  {
    name: 'vact', type: 'enum', default: 'tanh', options: ['tanh', 'sigmoid', 'relu', 'identity'],
    optionLabels: { tanh: 'tanh (γ = 1)', sigmoid: 'sigmoid (γ = 1/4)', relu: 'ReLU (γ = 1)', identity: 'identity (γ = 1)' },
    label: 'Activation f',
  },
  {
    name: 'vinit', type: 'enum', default: 'gaussian', options: ['gaussian', 'orthogonal'],
    optionLabels: { gaussian: 'Gaussian', orthogonal: 'orthogonal' }, label: 'W_hh drawn as',
  },
  {
    name: 'vloss', type: 'enum', default: 'last', options: ['last', 'per'],
    optionLabels: { last: 'the last step only', per: 'every step' }, label: 'Loss on (text)',
  },
  { name: 'vclip', type: 'bool', default: false, label: 'Clip the gradient norm' },
  { name: 'vclipc', type: 'float', default: 1, min: 0.01, max: 1000, label: 'Clip threshold c' },
  { name: 'vlr', type: 'float', default: 0.05, min: 0.0001, max: 10, label: 'Learning rate (SGD)' },
  { name: 'vseed', type: 'int', default: 0, min: 0, max: 4294967295, label: 'Seed' },
  { name: 'vit', type: 'int', default: 100, min: 0, max: 100000, label: 'Training iterations' },
  {
    name: 'vw', type: 'enum', default: 'init', options: ['init', 'trained'],
    optionLabels: { init: 'as initialised', trained: 'after training' }, label: 'Weights analysed',
  },
  // Chapter "unrolled" (www/views/unrolled.js): the sub-step within step t, the rolled picture, the zoom.
  { name: 'sub', type: 'int', default: 0, min: 0, max: 6, label: 'Sub-step' },
  { name: 'rolled', type: 'bool', default: false, label: 'Rolled view' },
  {
    name: 'zoom', type: 'enum', default: 'fit', options: ['fit', '0.75', '1', '1.25', '1.5'],
    optionLabels: { fit: 'fit', 0.75: '75%', 1: '100%', 1.25: '125%', 1.5: '150%' }, label: 'Zoom',
  },
  // Chapter "Why recurrence?" (www/views/why.js): the seed of its models and examples, the
  // training each model has had (a link replays it), the search box, the prefix, the pair.
  { name: 'ws', type: 'int', default: 1, min: 0, max: 4294967295, label: 'Seed' },
  { name: 'wr', type: 'bool', default: false, label: 'Show what came next' },
  { name: 'wa', type: 'int', default: 3000, min: 0, max: 100000, label: 'Autocomplete training steps' },
  { name: 'wq', type: 'text', default: 'where is ', maxLength: 80, label: 'Search' },
  { name: 'wb', type: 'int', default: 8, min: 1, max: 16, label: 'Beam width' },
  { name: 'wn', type: 'int', default: 2, min: 1, max: 4, label: 'Fixed window N' },
  { name: 'wl', type: 'int', default: 0, min: 0, max: 65, label: 'Very large window N (0: the longest sentence)' },
  { name: 'wt', type: 'int', default: 800, min: 0, max: 20000, label: 'Training steps per model' },
  { name: 'wp', type: 'text', default: 'this morning i took the dog for a', maxLength: 300, label: 'Prefix' },
  { name: 'wo', type: 'int', default: 0, min: 0, max: 99, label: 'Order pair' },
  { name: 'wh', type: 'int', default: 300, min: 0, max: 10000, label: '“hello” iterations' },
  // Chapter "training" (www/views/training.js): what trains, text mode, truncated BPTT, sampling.
  {
    name: 'data', type: 'enum', default: 'word', options: ['word', 'text'],
    optionLabels: { word: 'the word', text: 'a text (min-char-rnn)' }, label: 'Train on',
  },
  { name: 'tseq', type: 'int', default: 25, min: 1, max: 256, label: 'Sequence length T (text)' },
  { name: 'thidden', type: 'int', default: 100, min: 1, max: 256, label: 'Hidden units H (text)' },
  { name: 'k1', type: 'int', default: 0, min: 0, max: 256, label: 'TBPTT k1' },
  { name: 'k2', type: 'int', default: 0, min: 0, max: 256, label: 'TBPTT k2' },
  { name: 'temp', type: 'float', default: 1, min: 0.05, max: 5, label: 'Temperature τ' },
  { name: 'slen', type: 'int', default: 100, min: 1, max: 2000, label: 'Sample length' },
  { name: 'sseed', type: 'int', default: 0, min: 0, max: 4294967295, label: 'Sample seed' },
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
