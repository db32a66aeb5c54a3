// One card of the "Types of RNN" chapter: one type, its application in the lecture, a
// small unrolled picture, a live example trained by the engine (TypesLab) in the page's
// frame loop, its loss curve, Train / Reset, the accuracy and a typed input with the
// model's prediction. Every number comes from the card's TypesLab.
import { Model } from '../../model.js';
import { MAX_TEXT } from '../../state.js';
import { Chart, fitCanvas } from '../charts.js';
import { drawLossChart } from '../../charts/loss.js';
import { el, fmt, math, showSymbol } from '../common.js';
import { DIAGRAM_HEIGHT, describeDiagram, drawTypesDiagram } from './diagram.js';

/** The settings every card starts from (the selected card's are in the URL). */
export const CARD_DEFAULTS = { seed: 0, hidden: 16, lr: 0.1 };
/** While a card trains, how often it is redrawn (ms). */
const LIVE_REDRAW_MS = 250;
/** Training stops once the stated accuracy is reached, or after this many epochs. */
const MAX_EPOCHS = 300;

/** Our words for each type: name, shape, the lecture's application, this example, the input. */
export const KINDS = {
  one_to_one: {
    title: 'One-to-one',
    shape: 'one input, one output (T = 1)',
    lecture: 'a standard feed-forward network, as in the recap: one input mapped to one output, such as an image to its class. With a single step, W_hh is never used.',
    here: 'a letter goes in; the output says vowel <v> or consonant <c>. Every letter is a training item: a one-hot letter shares nothing with any other, so there is nothing to hold out.',
    label: 'Type a letter',
    unit: 'letters',
  },
  one_to_many: {
    title: 'One-to-many',
    shape: 'one input at t = 1, then outputs with no input',
    lecture: 'image captioning: one image goes in, a sentence comes out word by word.',
    here: 'a class token such as <cat> enters at t = 1 only. The later steps have no input (x_t = 0), so the class must be carried in h_t while the network spells the name.',
    label: 'Type a class: <cat>, <dog>, <cow>, <hen> or <owl>',
    unit: 'names',
  },
  many_to_one: {
    title: 'Many-to-one',
    shape: 'a sequence in, one output at the end',
    lecture: 'sentiment classification: read a whole review, then give one verdict.',
    here: 'short phrases, many with negation (“not good”, “not bad at all”). Every word is read, but only the last step is scored, against <pos> or <neg>. One phrase in five is held out for testing.',
    label: 'Type a phrase',
    unit: 'phrases',
  },
  delayed: {
    title: 'Many-to-many, delayed',
    shape: 'read the whole input, then answer',
    lecture: 'machine translation with an encoder–decoder (Sutskever et al., 2014): the whole sentence is read before the first word of the translation comes out.',
    here: 'a word of up to 3 letters from a, b, c, d, then the delimiter |. After it there is no input, and the network writes the word backwards. One RNN is the encoder (the first steps) and the decoder (the last). One word in five is held out.',
    label: 'Type a word (a, b, c, d; up to 3 letters)',
    unit: 'words reversed exactly',
  },
  synced: {
    title: 'Many-to-many, synced',
    shape: 'an output for every input, at the same step',
    lecture: 'video classification, one label per frame; and the character model of the earlier chapters, which predicts at every step.',
    here: 'every character of a word is tagged vowel <v> or consonant <c>. The letter y depends on where it stands: a consonant at the start (yes), a vowel after it (gym), so h_t has to remember. An apostrophe or a hyphen is left unscored. One word in five is held out.',
    label: 'Type a word',
    unit: 'characters tagged',
  },
};

const pct = (x) => `${fmt(100 * x, 1)}%`;

/** The answer tokens as the card writes them. */
function tokens(list, kind) {
  const joined = list.map(showSymbol);
  return kind === 'one_to_many' || kind === 'delayed' ? joined.join('') : joined.join(' ');
}

export class Card {
  /** `chapter`: { select(card, patch), app }. */
  constructor(app, kind, chapter) {
    this.app = app;
    this.kind = kind;
    this.chapter = chapter;
    this.meta = KINDS[kind];
    this.settings = { ...CARD_DEFAULTS };
    this.model = new Model(app, this.spec(this.settings), { name: `types-${kind}`, worker: false });
    this.info = this.model.handle.info();
    /** The text the card shows (the engine could read it). */
    this.text = this.info.default_input;
    this.training = false;
    this.trainMsg = '';
    this.message = '';
    this.lastRun = null;
  }

  get id() {
    return `types-${this.kind.replaceAll('_', '-')}`;
  }

  spec(s) {
    return { cls: 'TypesLab', ctor: 'new', settings: { kind: this.kind, seed: s.seed, hidden: s.hidden, lr: s.lr } };
  }

  /** Brings the model to settings `s`: a new model for H or lr, fresh weights for the seed. Throws the engine's refusal. */
  apply(s) {
    if (s.hidden !== this.settings.hidden || s.lr !== this.settings.lr) {
      this.model.rebuild(this.spec(s));
      this.settings = { ...s };
      this.trainMsg = '';
    } else if (s.seed !== this.settings.seed) {
      this.model.mutate('reset', [s.seed], { replaces: true });
      this.settings = { ...s };
      this.trainMsg = '';
    }
  }

  status() {
    return this.model.status();
  }

  /** The engine's step-by-step numbers for `text` (memoised per model version). */
  snapshot(text = this.text) {
    return this.model.get(`snap:${text}`, (h) => h.snapshot(text));
  }

  lossCurve() {
    return this.model.get('loss', (h) => h.loss_history(300));
  }

  answers() {
    return this.model.get('answers', (h) => h.answers(this.kind === 'one_to_many' ? 5 : 4));
  }

  /** Reads `text` with the engine: { ok, error, snapshot }; never changes the model. */
  check(text) {
    const n = [...String(text)].length;
    if (n > MAX_TEXT) return { ok: false, error: `That is ${n} characters; type at most ${MAX_TEXT}.` };
    try {
      return { ok: true, snapshot: this.model.handle.snapshot(String(text)) };
    } catch (e) {
      return { ok: false, error: `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}.` };
    }
  }

  /** Shows the model's prediction for typed `text`; a refusal is shown in the card. */
  predict(text) {
    const r = this.check(text);
    this.message = r.ok ? '' : r.error;
    if (r.ok) this.chapter.select(this, { tin: text === this.info.default_input ? '' : text });
    else this.app.requestRender();
    return r;
  }

  /** Trains until the stated accuracy on the training items (or MAX_EPOCHS epochs). */
  async trainToStated() {
    if (this.training) return this.lastRun;
    this.training = true;
    this.trainMsg = 'Training…';
    this.app.requestRender();
    const n = this.info.train_items;
    const chunk = Math.max(50, 5 * n);
    const start = performance.now();
    let ran = 0;
    let error = null;
    do {
      const r = await this.model.train(chunk);
      if (!r || r.cancelled) break;
      if (r.error) {
        error = r.error;
        break;
      }
      ran += r.iterations_run;
    } while (!this.status().reached && ran < MAX_EPOCHS * n);
    const seconds = (performance.now() - start) / 1000;
    const s = this.status();
    this.training = false;
    if (error) this.trainMsg = `Stopped: ${error}.`;
    else if (s.reached) this.trainMsg = `Reached ${pct(s.stated)} on the training items: ${ran} iterations in ${fmt(seconds, 1)} s.`;
    else if (ran > 0) this.trainMsg = `Not there after ${ran} iterations: try another seed, more hidden units or another learning rate.`;
    else this.trainMsg = '';
    this.lastRun = { ran, seconds, reached: s.reached, iteration: s.iteration, error };
    this.app.requestRender();
    return this.lastRun;
  }

  /** Fresh weights from the card's seed: iteration 0. */
  reset() {
    this.model.mutate('reset', [this.settings.seed], { replaces: true });
    this.trainMsg = '';
  }

  // ---- DOM ---------------------------------------------------------------------------

  mount() {
    const id = this.id;
    const m = this.meta;
    this.canvas = el('canvas', { class: 'types-diagram', id: `${id}-diagram`, role: 'img', 'aria-label': m.title });
    this.selectBtn = el('button', {
      type: 'button', class: 'types-select', id: `${id}-select`, 'aria-pressed': 'false', text: 'Step through this one',
      title: 'Let the step controls above move through this example', on: { click: () => this.chapter.select(this, {}) },
    });
    this.stepEl = el('p', { class: 'types-step', id: `${id}-step`, hidden: true });
    this.input = el('input', { type: 'text', id: `${id}-input`, autocomplete: 'off', spellcheck: 'false', value: this.text });
    const form = el('form', { class: 'types-try', on: { submit: (ev) => { ev.preventDefault(); this.predict(this.input.value); } } },
      el('label', { for: this.input.id }, math(m.label)),
      el('span', { class: 'types-try-row' }, this.input, el('button', { type: 'submit', id: `${id}-predict`, text: 'Predict' })));
    this.predEl = el('p', { class: 'types-prediction', id: `${id}-prediction`, 'aria-live': 'polite' });
    this.msgEl = el('p', { class: 'types-message', id: `${id}-message`, role: 'status' });
    this.answersEl = el('ul', { class: 'types-answers', id: `${id}-answers` });
    this.trainBtn = el('button', { type: 'button', class: 'primary', id: `${id}-train`, text: 'Train', on: { click: () => this.trainToStated() } });
    const resetBtn = el('button', { type: 'button', id: `${id}-reset`, text: 'Reset', title: 'Fresh weights from the seed (iteration 0)', on: { click: () => this.reset() } });
    this.statusEl = el('p', { class: 'types-status', id: `${id}-status` });
    this.trainMsgEl = el('p', { class: 'types-train-msg', id: `${id}-train-msg`, 'aria-live': 'polite' });
    this.fields = {};
    const field = (key, prop, label, attrs) => {
      const input = el('input', { type: 'number', id: `${id}-${key}`, ...attrs });
      input.addEventListener('change', () => this.chapter.select(this, { [prop]: input.value === '' ? NaN : Number(input.value) }));
      this.fields[key] = input;
      return el('div', { class: 'field' }, el('label', { for: input.id }, math(label)), input);
    };
    const settings = el('details', { class: 'types-settings' }, el('summary', { text: 'Settings' }),
      el('div', { class: 'types-fields' },
        field('seed', 'tseed', 'Seed', { min: 0, step: 1, inputmode: 'numeric' }),
        field('hidden', 'th', 'Hidden units H', { min: 1, max: 64, step: 1, inputmode: 'numeric' }),
        field('lr', 'tlr', 'Learning rate (Adagrad)', { min: 0.0001, max: 10, step: 'any', inputmode: 'decimal' })));
    this.chart = new Chart(this.app, {
      id: `${id}-loss`, title: `Loss, ${m.title}`, draw: drawLossChart, className: 'types-loss',
      caption: 'L of each training item (its scored steps only), and its mean over the last epoch (the smooth line).',
    });
    this.el = el('article', { class: 'types-card', id, 'aria-labelledby': `${id}-title` },
      el('header', { class: 'types-head' },
        el('h3', { id: `${id}-title`, text: m.title }),
        el('p', { class: 'types-shape', text: m.shape }),
        this.selectBtn),
      el('p', { class: 'types-lecture' }, el('strong', { text: 'In the lecture: ' }), math(m.lecture)),
      el('p', { class: 'types-here' }, el('strong', { text: 'Here: ' }), math(m.here)),
      el('div', { class: 'types-body' },
        el('div', { class: 'types-left' }, this.canvas, this.stepEl, form, this.msgEl, this.predEl, this.answersEl),
        el('div', { class: 'types-right' },
          el('div', { class: 'buttons', role: 'group', 'aria-label': `Train ${m.title}` }, this.trainBtn, resetBtn),
          this.statusEl, this.trainMsgEl, settings, this.chart.figure)));
    return this.el;
  }

  /** Draws the card; `cursor`: the player's step when this card is selected, else null. */
  render(cursor) {
    // While training, the card follows the model a few times a second: each full drawing
    // evaluates every item, which would otherwise take the frame from the training.
    const now = performance.now();
    if (this.model.active && now - (this.lastFull ?? 0) < LIVE_REDRAW_MS) return;
    this.lastFull = now;
    const selected = cursor != null;
    this.el.dataset.selected = selected ? 'true' : 'false';
    this.selectBtn.setAttribute('aria-pressed', selected ? 'true' : 'false');
    this.selectBtn.textContent = selected ? 'Stepping through this one' : 'Step through this one';
    const snap = this.snapshot();
    const t = selected ? Math.max(1, Math.min(cursor, snap.steps)) : null;
    // The picture: redrawn when the numbers, the cursor or the size changed.
    this.canvas.style.height = `${DIAGRAM_HEIGHT}px`;
    const resized = fitCanvas(this.canvas);
    const key = `${this.model.version}|${this.text}|${t}`;
    if (resized || key !== this.drawnKey) {
      drawTypesDiagram(this.canvas, snap, { cursor: t, palette: this.app.palette });
      this.canvas.setAttribute('aria-label', `${this.meta.title}: ${describeDiagram(snap, t)}`);
      this.drawnKey = key;
      this.drawnSnap = snap;
    }
    this.renderStep(snap, t);
    this.renderPrediction(snap);
    this.renderStatus();
    this.chart.update(`${this.model.version}`, () => ({ ...this.lossCurve(), clip_fired: [], title: 'Loss during training' }),
      `Loss curve of the ${this.meta.title} example over ${this.status().iteration} iterations.`);
  }

  renderStep(snap, t) {
    this.stepEl.hidden = t == null;
    if (t == null) return;
    const s = snap.per_step[t - 1];
    const parts = [`t = ${t} of ${snap.steps}`];
    parts.push(s.input == null ? `no input: x_${t} = 0, so h_${t} = tanh(W_hh h_${t - 1} + b_h)` : `input x_${t} = “${showSymbol(s.input)}”`);
    parts.push(`h_${t} = [${s.h_t.slice(0, 4).map((v) => fmt(v, 2)).join(', ')}${s.h_t.length > 4 ? ', …' : ''}]`);
    parts.push(`predicts “${showSymbol(s.predicted)}” (p = ${fmt(s.p_predicted, 3)})`);
    if (this.kind === 'many_to_one') parts.push(`p(<pos>) = ${fmt(s.p_out[0], 3)}`);
    if (s.target != null) parts.push(`target “${showSymbol(s.target)}”: loss_${t} = ${fmt(s.loss_t, 3)} ${s.correct ? '✓' : '✗'}`);
    else if (s.read) parts.push('this output is the answer (no known target to score it)');
    else parts.push(`not scored: no loss at t = ${t}`);
    const key = `${this.model.version}|${this.text}|${t}`;
    if (this.stepEl.dataset.key === key) return;
    this.stepEl.dataset.key = key;
    this.stepEl.dataset.t = String(t);
    this.stepEl.dataset.input = s.input == null ? 'absent' : 'present';
    this.stepEl.dataset.scored = s.target != null ? 'true' : 'false';
    this.stepEl.replaceChildren(math(parts.join(' · ')));
  }

  renderPrediction(snap) {
    this.msgEl.textContent = this.message;
    this.msgEl.hidden = !this.message;
    if (document.activeElement !== this.input && this.input.value !== this.text && !this.message) this.input.value = this.text;
    const key = `${this.model.version}|${this.text}`;
    if (this.predEl.dataset.key === key) return;
    this.predEl.dataset.key = key;
    const shownIn = this.kind === 'delayed' ? `${snap.text}|` : snap.text;
    const answer = tokens(snap.answer, this.kind);
    let verdict = '';
    if (snap.correct != null) verdict = snap.correct ? ' ✓' : ` ✗ (right: ${tokens(snap.expected, this.kind)})`;
    else verdict = ' (a new phrase: there is no label to compare with)';
    const lines = [el('span', { class: 'types-pred-main' }, 'Prediction: “', shownIn, '” → ', el('strong', { class: 'types-answer', text: answer }), verdict)];
    if (this.kind === 'many_to_one') {
      const words = snap.per_step.map((s) => `${s.input} ${fmt(s.p_out[0], 2)}`).join(' · ');
      lines.push(el('span', { class: 'types-pred-extra' }, 'p(<pos>) after each word: ', words));
    }
    if (this.kind === 'synced') {
      const pairs = snap.per_step.map((s) => `${s.input}:${s.read ? s.predicted : '–'}`).join(' ');
      lines.push(el('span', { class: 'types-pred-extra' }, 'Tags: ', pairs));
    }
    if (snap.skipped.length) {
      lines.push(el('span', { class: 'types-skipped' }, `Skipped (the model has no input for them): ${snap.skipped.map((w) => `“${showSymbol(w)}”`).join(', ')}`));
    }
    this.predEl.replaceChildren(...lines.flatMap((l, i) => (i ? [el('br'), l] : [l])));
    this.predEl.dataset.answer = answer;
    // A few items and the model's answers (held-out ones where there are some).
    const a = this.answers();
    const items = a.test.length ? a.test : a.train;
    const head = a.test.length ? 'Held-out examples' : 'Training items';
    this.answersEl.replaceChildren(
      el('li', { class: 'types-answers-head', text: `${head}:` }),
      ...items.map((it) => el('li', {}, `“${it.text}” → ${tokens(it.answer, this.kind)} `,
        el('span', { class: it.correct ? 'right' : 'wrong', text: it.correct ? '✓' : `✗ (${tokens(it.expected, this.kind)})` }))));
  }

  renderStatus() {
    const s = this.status();
    const m = this.meta;
    const score = (sc) => (s.metric === 'steps' ? `${sc.steps_right} of ${sc.steps}` : `${sc.items_right} of ${sc.items}`);
    const parts = [`Iteration ${s.iteration}`];
    parts.push(s.epoch_loss == null ? 'L: –' : `L = ${fmt(s.epoch_loss, 3)} (mean over the last epoch)`);
    parts.push(`training: ${pct(s.train.accuracy)} (${score(s.train)} ${m.unit})`);
    if (s.test) parts.push(`held out: ${pct(s.test.accuracy)} (${score(s.test)})`);
    parts.push(s.reached ? `✓ at the stated ${pct(s.stated)}` : `stated: ${pct(s.stated)} on the training items`);
    if (this.model.diverged) parts.push('diverged: reset to go on');
    const text = parts.join(' · ');
    if (this.statusEl.textContent !== text) this.statusEl.textContent = text;
    this.statusEl.dataset.trainAccuracy = String(s.train.accuracy);
    this.statusEl.dataset.testAccuracy = s.test ? String(s.test.accuracy) : '';
    this.statusEl.dataset.iteration = String(s.iteration);
    this.trainMsgEl.textContent = this.trainMsg;
    this.trainBtn.setAttribute('aria-disabled', this.training ? 'true' : 'false');
    for (const [key, input] of Object.entries(this.fields)) {
      if (document.activeElement !== input && input.value !== String(this.settings[key])) input.value = String(this.settings[key]);
    }
  }
}
