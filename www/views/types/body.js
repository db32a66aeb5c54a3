// Chapter "Types of RNN": one vanilla cell, five shapes of input and output. Exercise 3
// as a question with an answer to open, then five cards (www/views/types/card.js), one
// per type, each with its own TypesLab trained in the page's frame loop. The player's
// step controls move through the selected card's example; that card, its seed, H,
// learning rate and typed input are in the URL (tk, tseed, th, tlr, tin).
import { el, fmt, math, showSymbol } from '../common.js';
import { playerBar } from '../playerbar.js';
import { CARD_DEFAULTS, Card, KINDS } from './card.js';

/** The five cards of each App (made on first use: the player may ask for T before mount). */
const cardsOf = new WeakMap();

/** The five cards (made on first use: the player may ask for T before the chapter is mounted). */
function cards(app) {
  if (!cardsOf.has(app)) {
    const made = {};
    for (const kind of Object.keys(KINDS)) made[kind] = new Card(app, kind, { select: (card, patch) => select(app, card, patch) });
    cardsOf.set(app, made);
  }
  return cardsOf.get(app);
}

/** Makes `card` the selected one, with its settings and text in the URL (plus `patch`). */
function select(app, card, patch) {
  const s = card.settings;
  const tin = card.text === card.info.default_input ? '' : card.text;
  app.setState({ tk: card.kind, tseed: s.seed, th: s.hidden, tlr: s.lr, tin, ...patch });
}

/**
 * The selected card, brought in line with the state (the URL, a control, rnnLab.set):
 * its settings and its text. A refusal keeps the card as it was and says why.
 */
function selected(app) {
  const card = cards(app)[app.state.tk];
  const want = { seed: app.state.tseed, hidden: app.state.th, lr: app.state.tlr };
  try {
    card.apply(want);
  } catch (e) {
    app.notice(`${e.message}. The ${card.meta.title} model was kept as it was.`, 'error');
    Object.assign(app.state, { tseed: card.settings.seed, th: card.settings.hidden, tlr: card.settings.lr });
    app.writeHash();
  }
  const text = app.state.tin === '' ? card.info.default_input : app.state.tin;
  if (text !== card.text) {
    const r = card.check(text);
    if (r.ok) {
      card.text = text;
      card.message = '';
    } else {
      // A link (or a script) with text this model cannot read: say so, keep the card's.
      app.notice(`The ${card.meta.title} example “${text.slice(0, 40)}” could not be read: ${r.error}`, 'warn');
      app.state.tin = card.text === card.info.default_input ? '' : card.text;
      app.writeHash();
    }
  }
  return card;
}

function describe(app) {
  const card = selected(app);
  const snap = card.snapshot();
  const t = Math.min(app.state.step, snap.steps);
  const s = snap.per_step[t - 1];
  const input = s.input == null ? 'no input' : `input “${showSymbol(s.input)}”`;
  const out = s.target != null ? `target “${showSymbol(s.target)}”, loss ${fmt(s.loss_t, 3)}` : s.read ? 'the answer is read here' : 'not scored';
  return `${card.meta.title}, step t = ${t} of ${snap.steps}: ${input}; predicts “${showSymbol(s.predicted)}”; ${out}.`;
}

function exercise() {
  const item = (name, text) => el('li', {}, el('strong', { text: `${name}: ` }), math(text));
  return el('section', { class: 'types-exercise', 'aria-labelledby': 'types-exercise-title' },
    el('h3', { id: 'types-exercise-title', text: 'Exercise 3: types of RNN' }),
    el('p', {}, math('The character model reads one character at every step and is scored at every step: many inputs, many outputs. '
      + 'Which other pairings of input and output sequences can you think of, and what would each be good for?')),
    el('details', { class: 'types-answer-box', id: 'types-exercise-answer' },
      el('summary', { text: 'Show an answer' }),
      el('ul', {},
        item('One-to-one', 'one input, one output, a single step: an ordinary feed-forward net (image → class).'),
        item('One-to-many', 'one input, then a sequence out: image captioning.'),
        item('Many-to-one', 'a sequence in, one output at the end: sentiment classification of a review.'),
        item('Many-to-many, delayed', 'the whole input first, then the output sequence: translation with an encoder–decoder.'),
        item('Many-to-many, synced', 'an output at every input step: labelling every frame of a video, or the character model itself.')),
      el('p', {}, math('All five are the same cell h_t = tanh(W_hh h_{t−1} + W_xh x_t + b_h): only which x_t are present and which y_t are scored changes.'))));
}

export default {
  /** T of the selected card's example: the player's steps here. */
  steps(app) {
    return selected(app).snapshot().steps;
  },

  /** window.rnnLab.snapshot() here: the selected card's engine numbers at step t. */
  snapshot(app) {
    const card = selected(app);
    const snap = card.snapshot();
    const t = Math.min(app.state.step, snap.steps);
    return {
      chapter: 'types', kind: card.kind, t, steps: snap.steps, phase: 'forward',
      settings: { ...card.settings }, text: card.text, step: snap.per_step[t - 1], sequence: snap, status: card.status(),
    };
  },

  mount(section, app) {
    const ui = {};
    const all = cards(app);
    ui.player = playerBar(app, { idPrefix: 'types' });
    // One pass here (forward): the pass chooser has nothing to choose.
    ui.player.el.querySelector('#types-phase')?.closest('.field')?.setAttribute('hidden', '');
    if (app.state.phase !== 'forward') app.player.setPhase('forward');
    ui.selectedName = el('p', { class: 'types-selected', id: 'types-selected' });
    section.append(
      exercise(),
      el('div', { class: 'types-player' }, ui.selectedName, ui.player.el),
      el('p', { class: 'types-legend' }, 'In the pictures: solid boxes are inputs that enter and outputs that are scored; ',
        el('span', { class: 'types-dashed', text: 'dashed' }), ' boxes are absent inputs (x', el('sub', { text: 't' }), ' = 0) and outputs that are not scored. ',
        'Each h', el('sub', { text: 't' }), ' cell is one hidden unit, blue below 0 and red above. Train a card, then type your own example.'),
      el('div', { class: 'types-cards' }, ...Object.values(all).map((c) => c.mount())),
    );
    return ui;
  },

  describeStep(app) {
    return describe(app);
  },

  render(app, ui) {
    const card = selected(app);
    ui.player.update();
    ui.selectedName.replaceChildren('Stepping through: ', el('strong', { text: card.meta.title }), ` (“${card.kind === 'delayed' ? `${card.text}|` : card.text}”)`);
    for (const c of Object.values(cards(app))) c.render(c === card ? app.state.step : null);
  },

  /** window.rnnLab.types: the chapter's state, the selected card's snapshot, and the buttons' actions. */
  api(app) {
    const card = (kind) => {
      const c = cards(app)[kind ?? app.state.tk];
      if (!c) throw new Error(`no card ${JSON.stringify(kind)}: one of ${Object.keys(KINDS).join(', ')}`);
      return c;
    };
    const drawn = async (v) => {
      await app.frame();
      return v;
    };
    return {
      kinds: () => Object.keys(KINDS),
      defaults: () => ({ ...CARD_DEFAULTS }),
      state: () => ({
        selected: app.state.tk,
        step: app.state.step,
        cards: Object.fromEntries(Object.values(cards(app)).map((c) => [c.kind, {
          settings: { ...c.settings }, text: c.text, iteration: c.status().iteration, training: c.training, message: c.message,
        }])),
      }),
      snapshot: (kind) => card(kind).snapshot(),
      status: (kind) => card(kind).status(),
      /**
       * The many-to-one card's accuracy on the sentiment split the Recap's text CNN shares:
       * `{train, test, train_size, test_size}` from the engine.
       */
      manyToOneAccuracy: () => card('many_to_one').model.get('split', (h) => h.split_accuracy()),
      info: (kind) => card(kind).info,
      /** What the card shows in its DOM (for tests): the prediction, the status line, the step line. */
      shown: (kind) => {
        const c = card(kind);
        return {
          prediction: c.predEl?.textContent ?? '', answer: c.predEl?.dataset.answer ?? '', status: c.statusEl?.textContent ?? '',
          message: c.msgEl?.textContent ?? '', step: c.stepEl?.hidden ? null : { text: c.stepEl.textContent, ...c.stepEl.dataset },
        };
      },
      select: (kind) => drawn(select(app, card(kind), {})),
      predict: (kind, text) => {
        const r = card(kind).predict(text);
        return drawn({ ok: r.ok, error: r.error ?? null });
      },
      train: async (kind) => {
        const run = await card(kind).trainToStated();
        await app.frame();
        return { ...run, status: card(kind).status() };
      },
      trainIterations: async (kind, n) => {
        const r = await card(kind).model.train(n);
        await app.frame();
        return r;
      },
      reset: (kind) => drawn(card(kind).reset()),
    };
  },
};
