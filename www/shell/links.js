// Links that carry training. Training is deterministic, so a model's iteration count in
// the address (a state row: `iter` for the word model, `titer` for text mode's) is
// enough to get its weights back bit for bit: fresh weights from the seed, then that
// many iterations with the settings of the address.
//
// A TrainingLink ties one row to one Model, both ways:
//   - the row asks (a link opened, Back/Forward, rnnLab.set): when the model's iteration
//     differs, the model is reset from its seed and retrained to the count (a "replay"),
//     with a progress line if that takes longer than a moment;
//   - the model moves (training, Fresh weights, a rebuild): the row follows, rewriting the
//     current history entry (training is not a step Back should undo one by one).
// The truncated-BPTT settings a model trains with (k1, k2, update per chunk) are applied
// by syncTraining before any training, replays included.
import { el } from '../views/common.js';

/** A replay shorter than this shows no progress line. */
const PROGRESS_AFTER_MS = 300;

/** Model → the truncation key last applied to it. */
const applied = new WeakMap();

/**
 * Applies the state's truncated BPTT (k1, k2; k1 = 0: full BPTT) and when W is updated
 * (`tupd`: after each chunk or once per sequence) to `model` (a word or text Model), in
 * place. A refused setting leaves full BPTT, with a notice.
 */
export function syncTraining(app, model) {
  const { k1, k2, tupd } = app.state;
  const key = [model.id, model.generation, k1, k2, tupd].join('|');
  if (applied.get(model) === key) return;
  applied.set(model, key);
  const patch = { k1: k1 > 0 ? k1 : null, k2: k1 > 0 && k2 > 0 ? k2 : null, update_per_chunk: tupd === 'chunk' };
  try {
    model.mutate('configure', [patch]);
  } catch (e) {
    app.notice(`${e.message}. Training keeps full BPTT.`, 'error');
    model.mutate('configure', [{ k1: null, k2: null }]);
  }
}

/**
 * Says, once per model, that a training setting changed in place after training: a link
 * replays every iteration with the settings it carries, so it would not give these weights.
 */
export function warnMixedTraining(app, model, what) {
  if (!model || model.status().iteration === 0 || model.mixedWarned === model.generation) return;
  model.mixedWarned = model.generation;
  app.notice(`${what} changed after ${model.status().iteration} iterations. A link replays all the iterations with the new setting, so it will not give these exact weights; Save model keeps them.`, 'warn');
}

export class TrainingLink {
  /**
   * `row`: the state row ('iter', 'titer'); `model()`: the Model (or null); `shown()`:
   * whether the model is in use on the page (a count asked for a model not in use waits,
   * without holding rnnLab.settled()); `ready()`: whether it may be replayed now (it may
   * build the model first); `train(n)`: trains it n iterations (a Promise); `what`: the
   * model in words, for the progress line.
   */
  constructor(app, { row, model, shown = () => true, ready = () => true, train, what }) {
    this.app = app;
    this.row = row;
    this.model = model;
    this.shown = shown;
    this.ready = ready;
    this.train = train;
    this.what = what;
    /** A count the state asked for and the model has not been brought to yet, or null. */
    this.target = app.state[row];
    /** { target, start, model } while replaying. */
    this.replaying = null;
  }

  /** The state asks for `n` iterations (a link, Back/Forward, a script). */
  want(n) {
    this.target = n;
    this.app.requestRender();
  }

  /** Whether a replay is going on or about to start. */
  get pending() {
    return this.replaying !== null || (this.target !== null && this.shown());
  }

  /** Called before every render: start a replay, or let the row follow the model. */
  sync() {
    const app = this.app;
    if (this.replaying) {
      this.progress(this.replaying.model);
      return;
    }
    if (this.target !== null) {
      if (!this.ready()) return;
      const m = this.model();
      if (!m) return;
      const target = this.target;
      this.target = null;
      if (m.status().iteration !== target || m.diverged) this.replay(m, target);
      return;
    }
    const m = this.model();
    if (!m?.handle) return;
    const it = m.status().iteration;
    if (app.state[this.row] !== it) {
      app.state[this.row] = it;
      app.writeHash('replace', { now: !m.active });
    }
  }

  /** Fresh weights from the seed, then `target` iterations. */
  async replay(m, target) {
    const app = this.app;
    this.replaying = { target, start: performance.now(), model: m };
    app.state[this.row] = target;
    let r = null;
    try {
      m.mutate('reset', [app.state.seed], { replaces: true });
      if (target > 0) r = await this.train(target);
    } catch (e) {
      app.notice(`The model of the link could not be retrained: ${e.message}`, 'error');
    }
    clearTimeout(this.replaying.timer);
    this.replaying = null;
    app.linkProgress(this.row, null);
    // A new count asked for meanwhile goes next; otherwise the row says what was run
    // (all of it, or less when stopped or diverged).
    if (this.target === null && m.handle) {
      const it = m.status().iteration;
      const stopped = r === null || r?.cancelled;
      if (it !== target && !stopped && !m.diverged) app.notice(`The link asked for ${target} iterations; ${it} were run.`, 'warn');
      app.state[this.row] = it;
      app.writeHash('replace', { now: true });
    }
    app.requestRender();
  }

  /** The progress line of a replay that takes a while. */
  progress(m) {
    const r = this.replaying;
    if (performance.now() - r.start < PROGRESS_AFTER_MS) {
      // Look again in a moment even if nothing else draws.
      if (!r.timer) r.timer = setTimeout(() => this.app.requestRender(), PROGRESS_AFTER_MS + 20);
      return;
    }
    const done = m.status().iteration;
    this.app.linkProgress(this.row, {
      text: `Retraining ${this.what} to the link’s ${r.target.toLocaleString('en')} iterations: ${done.toLocaleString('en')} done…`,
      stop: () => m.cancel(),
    });
  }
}

/** The progress line's element (under the notices), built once. */
export function progressBox(app) {
  if (app.progressBox) return app.progressBox;
  const text = el('span', { class: 'notice-text', id: 'link-progress-text' });
  const stop = el('button', { type: 'button', class: 'small', id: 'link-progress-stop', text: 'Stop' });
  const box = el('div', { class: 'notice notice-info link-progress', id: 'link-progress', role: 'status', hidden: true }, text, ' ', stop);
  app.dom.notices.after(box);
  app.progressBox = { box, text, stop, rows: new Map() };
  return app.progressBox;
}
