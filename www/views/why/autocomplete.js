// "Autocomplete: where is|": a character RNN learns a list of search queries on the page;
// on every keystroke the state primed with the typed prefix gives the next-character top 5,
// and a beam search gives the top 5 completions. The student may paste a list of their own
// (the engine refuses a bad one with its reason, and the running model stays).
import { el, fmt, showSymbol } from '../common.js';
import { Chart } from '../charts.js';
import { control, sync, syncAll } from '../controls.js';

/** Characters a completion may add at most (the engine's limit is 80). */
const COMPLETION_CHARS = 60;

export function autocompleteSection(app, ui) {
  const a = {};
  ui.auto = a;
  a.progress = el('progress', { id: 'why-auto-progress', max: 1, value: 0, 'aria-labelledby': 'why-auto-status' });
  a.status = el('p', { class: 'readout', id: 'why-auto-status', 'aria-live': 'polite' });
  a.loss = new Chart(app, {
    id: 'why-auto-loss', title: 'Autocomplete: loss while it learns', draw: 'draw_why_curves_chart',
    caption: 'Mean −log p of the next character, per training step (a batch of 8 queries).',
  });
  a.more = el('button', {
    type: 'button', id: 'why-auto-more', class: 'primary', text: 'Train 1000 more steps',
    on: { click: () => app.setState({ wa: Math.min(app.state.wa + 1000, 100000) }) },
  });
  a.search = el('input', {
    type: 'search', id: 'why-search', autocomplete: 'off', spellcheck: 'false', maxlength: 80,
    'aria-describedby': 'why-search-note', dataset: { prop: 'wq' },
  });
  a.search.addEventListener('input', () => app.setState({ wq: a.search.value }));
  a.note = el('p', { class: 'note', id: 'why-search-note', 'aria-live': 'polite' });
  a.next = el('ol', { class: 'why-next', id: 'why-next-chars', 'aria-label': 'Next character: top 5' });
  a.completions = el('ol', { class: 'why-completions', id: 'why-completions', 'aria-label': 'Completions: top 5' });
  a.controls = el('div', { class: 'why-controls' },
    control(app, 'wa', { id: 'why-auto-steps' }), control(app, 'wb', { id: 'why-beam', hint: 'partial completions kept at each step' }));
  return el('section', { class: 'why-part', id: 'why-autocomplete', 'aria-labelledby': 'why-autocomplete-title' },
    el('h3', { id: 'why-autocomplete-title', text: '2. Autocomplete: “where is|”' }),
    el('p', {}, 'A search box guesses the rest of a query from its first characters. Here a character RNN (the same cell as in the next chapters, ',
      'with 64 hidden units) learns a list of a few hundred queries, right now, on this page. ',
      'Every query is read one character at a time, and the network learns to predict the next one, up to the end of the query (⏎).'),
    el('div', { class: 'why-progress' }, a.progress, a.status),
    el('div', { class: 'why-search-box' },
      el('label', { for: 'why-search', text: 'Type a query' }), a.search, a.note),
    el('div', { class: 'why-suggest' },
      el('div', {}, el('h4', { text: 'Next character' }), a.next),
      el('div', {}, el('h4', { text: 'Top 5 completions (beam search)' }), a.completions)),
    el('p', { class: 'note' }, 'Next character: the network reads the prefix from an empty memory, then gives p(next character). ',
      'Completions: the search keeps the few likeliest partial completions, extends each by one character, and stops at ⏎; the number is log p of the added characters.'),
    el('div', { class: 'buttons' }, a.more),
    a.controls,
    a.loss.figure,
    listEditor(app, ui));
}

function listEditor(app, ui) {
  const a = ui.auto;
  a.listText = el('textarea', {
    id: 'why-list-text', rows: 6, spellcheck: 'false', 'aria-describedby': 'why-list-hint',
    placeholder: 'where is the station\nwhere is my phone\nhow to bake bread',
  });
  a.listFile = el('input', { type: 'file', id: 'why-list-file', accept: '.txt,text/plain' });
  a.listFile.addEventListener('change', async () => {
    const f = a.listFile.files?.[0];
    a.listFile.value = '';
    if (!f) return;
    if (f.size > 5e6) {
      say(a, `That file is ${fmt(f.size / 1e6, 1)} MB; a list can be at most ${fmt(app.wasm.why_limits().list_bytes / 1000, 0)} KB. The current model is kept.`, 'error');
      return;
    }
    useList(app, ui, await f.text());
  });
  a.listMessage = el('p', { class: 'why-message', id: 'why-list-message', role: 'status' });
  const limits = app.wasm.why_limits();
  return el('details', { class: 'why-list', id: 'why-list' },
    el('summary', { text: 'Learn your own list of queries' }),
    el('p', { id: 'why-list-hint', class: 'note',
      text: `One query per line, at most ${fmt(limits.list_bytes / 1000, 0)} KB. Letters are lower-cased; lines without a letter or digit are skipped. A pasted list is not part of the link.` }),
    el('label', { for: 'why-list-text', text: 'Queries' }), a.listText,
    el('div', { class: 'buttons' },
      el('button', { type: 'button', id: 'why-list-use', class: 'primary', text: 'Learn this list', on: { click: () => useList(app, ui, a.listText.value) } }),
      el('label', { for: 'why-list-file', class: 'file-label', text: 'or load a .txt file:' }), a.listFile,
      el('button', { type: 'button', id: 'why-list-builtin', text: 'Back to the built-in list', on: { click: () => useList(app, ui, null) } })),
    a.listMessage);
}

function say(a, text, kind = 'info') {
  a.listMessage.textContent = text;
  a.listMessage.dataset.kind = kind;
}

/** Hands a pasted list to the engine; a refusal keeps the running model and says why. */
export function useList(app, ui, text) {
  const a = ui.auto;
  const r = ui.models.useList(text);
  if (!r.ok) {
    say(a, `This list was not used: ${r.error}. The current model keeps learning its list.`, 'error');
    return r;
  }
  const info = ui.models.auto.status().list;
  const skipped = info.dropped ? ` ${info.dropped} line${info.dropped === 1 ? '' : 's'} without a letter or digit ${info.dropped === 1 ? 'was' : 'were'} skipped.` : '';
  say(a, text === null
    ? `Back to the built-in list: ${info.queries} queries.`
    : `Learning your list: ${info.queries} queries, ${info.symbols.length - 1} different characters.${skipped}`);
  return r;
}

/** The prefix as the model reads it, with the characters it skipped marked. */
function readNote(primed) {
  if (!primed.skipped.length) return `Read as “${primed.read}”.`;
  const chars = primed.skipped.map((c) => `“${showSymbol(c)}”`).join(', ');
  return `The list never uses ${chars}: ${primed.skipped.length === 1 ? 'it is' : 'they are'} skipped. Read as “${primed.read}”.`;
}

/** A bar as long as probability p (drawn by CSS from --p). */
export function bar(p) {
  const span = el('span', { class: 'why-bar', 'aria-hidden': 'true' });
  span.style.setProperty('--p', String(p));
  return span;
}

export function renderAutocomplete(app, ui, heavy) {
  const a = ui.auto;
  const m = ui.models.auto;
  const state = app.state;
  syncAll(a.controls, state);
  if (document.activeElement !== a.search) sync(a.search, state.wq);
  const p = m.get('progress', (h) => h.progress());
  const done = p.iteration >= state.wa;
  a.progress.max = Math.max(1, state.wa);
  a.progress.value = Math.min(p.iteration, state.wa);
  // The full status (with every loss) only on a heavy frame; the list and sizes do not change in between.
  if (heavy || a.info?.generation !== m.generation) a.info = { ...m.get('status', (h) => h.status()), generation: m.generation };
  const info = a.info;
  a.status.textContent = `${done ? 'Ready' : 'Learning'}: step ${p.iteration} of ${state.wa}`
    + (p.loss == null ? '' : ` · loss ${fmt(p.loss, 3)} per character`)
    + ` · ${info.list.queries} queries, ${info.list.symbols.length} symbols (a one-hot input of size ${info.input_size}), ${info.parameter_count} parameters`;
  a.status.dataset.ready = done ? '1' : '0';
  if (!heavy && a.shownVersion !== undefined && !a.loss.stale) return;
  ui.chart(a.loss, `${m.generation}/${m.version}`, {
    series: [{ name: 'loss per character', values: info.losses, step: info.loss_stride }], title: 'Autocomplete: loss while it learns',
    x_desc: 'training step', y_desc: 'loss',
  }, `Line chart of the autocomplete's loss over ${info.steps} steps${info.losses.length ? `, now ${fmt(info.losses.at(-1), 3)}` : ''}.`);
  const key = `${m.generation}/${m.version}/${state.wq}/${state.wb}`;
  if (a.shownKey === key) return;
  let primed;
  let found;
  try {
    primed = m.get(`prime:${state.wq}`, (h) => h.prime(state.wq));
    found = m.get(`complete:${state.wq}:${state.wb}`, (h) => h.complete(state.wq, state.wb, COMPLETION_CHARS));
  } catch (e) {
    a.note.textContent = `${e.message}.`;
    a.note.dataset.kind = 'error';
    a.shownKey = key;
    return;
  }
  a.note.textContent = readNote(primed);
  a.note.dataset.kind = primed.skipped.length ? 'warn' : 'info';
  a.next.replaceChildren(...primed.next.map((c) => el('li', {},
    el('span', { class: 'why-sym', text: c.end ? '⏎ (end)' : `“${showSymbol(c.symbol)}”` }),
    bar(c.p),
    el('span', { class: 'num', text: fmt(c.p, 3) }))));
  a.completions.replaceChildren(...found.items.map((c) => el('li', {},
    el('span', { class: 'why-query' }, found.read, el('strong', { text: c.completion }), c.finished ? '' : '…'),
    el('span', { class: 'num', text: `log p ${fmt(c.log_prob, 2)}` }))));
  a.shown = { primed, completions: found, status: p };
  a.shownKey = key;
  a.shownVersion = m.version;
}
