// The models of "Why recurrence?": three www/model.js Models, each built from the chapter's
// URL state and trained in the training worker (the page's copy imports the states it sends
// back, so the main thread only draws), or, without a worker, in slices of the frame loop;
// the same numbers either way, bit for bit:
//   - `hello`: the window-1 model and the RNN on "hello" (HelloRaceHandle), `wh` iterations;
//   - `auto`: the autocomplete's character RNN (AutocompleteHandle), `wa` steps, on the
//     built-in list or on a list the student pasted (kept here, not in the URL);
//   - `words`: the four next-word models (NextWordHandle), `wt` steps each.
// State → models is a pure function: the same URL replays the same steps and gives the same
// weights. One model trains at a time, the quick ones first (hello, then the autocomplete,
// then the four), so each is ready as soon as it can be; nothing trains while the chapter
// is hidden.
import { Model } from '../../model.js';

export class WhyModels {
  constructor(app, section) {
    this.app = app;
    this.section = section;
    /** A pasted list the engine accepted (null: the built-in one). */
    this.list = null;
    this.keys = { hello: null, auto: null, words: null };
    /** Models whose training stopped on an engine error: not asked again until rebuilt. */
    this.failed = new Set();
    this.hello = this.build('hello', 'HelloRaceHandle', this.helloSettings());
    this.auto = this.build('auto', 'AutocompleteHandle', this.autoSpec());
    this.words = this.build('words', 'NextWordHandle', this.wordSettings());
    // Leaving the chapter stops its training; coming back resumes it (sync, from the state).
    new MutationObserver(() => {
      if (section.hidden) for (const m of this.all()) m.cancel();
    }).observe(section, { attributes: true, attributeFilter: ['hidden'] });
  }

  all() {
    return [this.hello, this.auto, this.words];
  }

  helloSettings(state = this.app.state) {
    return { seed: state.ws };
  }

  autoSpec(state = this.app.state, list = this.list) {
    return { settings: { seed: state.ws }, ...(list === null ? {} : { list }) };
  }

  wordSettings(state = this.app.state) {
    return { window: state.wn, large_window: state.wl, seed: state.ws, hidden: 32, rnn_hidden: 32 };
  }

  build(name, cls, settings) {
    this.keys[name] = JSON.stringify(settings);
    return new Model(this.app, { cls, ctor: 'new', settings }, { name: `why-${name}` });
  }

  /** Rebuilds `model` from `settings` when they changed; the engine may refuse (the old model stays). */
  rebuild(name, settings) {
    const key = JSON.stringify(settings);
    if (key === this.keys[name]) return true;
    const model = this[name];
    this.failed.delete(model);
    try {
      model.rebuild({ cls: model.spec.cls, ctor: 'new', settings });
    } catch (e) {
      this.app.notice(`${e.message}. The model was kept as it was.`, 'error');
      this.keys[name] = key;
      return false;
    }
    this.keys[name] = key;
    return true;
  }

  /**
   * Replaces the autocomplete's list by `text` (null: the built-in list). A list the
   * engine refuses changes nothing: returns { ok: false, error } with the engine's reason.
   */
  useList(text) {
    const spec = this.autoSpec(this.app.state, text);
    try {
      this.auto.rebuild({ cls: 'AutocompleteHandle', ctor: 'new', settings: spec });
    } catch (e) {
      return { ok: false, error: e.message };
    }
    this.list = text;
    this.keys.auto = JSON.stringify(spec);
    this.app.requestRender();
    return { ok: true, error: null };
  }

  /** Brings the models in line with the state, and queues the training still owed. */
  sync() {
    const state = this.app.state;
    this.rebuild('hello', this.helloSettings());
    this.rebuild('auto', this.autoSpec());
    const words = this.wordSettings();
    const key = JSON.stringify(words);
    if (key !== this.keys.words) {
      // Only the models a changed setting touches are rebuilt; the others keep their training.
      try {
        this.words.mutate('configure', [words]);
      } catch (e) {
        this.app.notice(`${e.message}. The models were kept as they were.`, 'error');
      }
      this.keys.words = key;
    }
    // A link asking for less training than a model has had replays it from the start.
    const status = (m) => m.get('progress', (h) => (h.progress ? h.progress() : h.status()));
    if (status(this.hello).iteration > state.wh) this.hello.rebuild(this.hello.spec);
    if (status(this.auto).iteration > state.wa) this.auto.rebuild(this.auto.spec);
    const steps = this.words.get('status', (h) => h.status()).steps;
    if (steps.some((s) => s > state.wt)) this.words.rebuild({ ...this.words.spec, settings: this.words.handle.settings() });
    if (this.section.hidden || this.all().some((m) => m.active)) return;
    const owed = [
      [this.hello, state.wh - status(this.hello).iteration],
      [this.auto, state.wa - status(this.auto).iteration],
      [this.words, 4 * state.wt - this.words.get('status', (h) => h.status()).iteration],
    ].find(([m, n]) => n > 0 && !m.diverged && !this.failed.has(m));
    if (owed) {
      const [m, n] = owed;
      const generation = m.generation;
      m.train(n).then((r) => {
        if (r?.error && m.generation === generation) this.failed.add(m);
      });
    }
  }

  /** Whether model `name` has had all the training the state asks for. */
  ready(name) {
    const state = this.app.state;
    if (name === 'words') {
      const s = this.words.get('status', (h) => h.status());
      return s.steps.every((n) => n >= state.wt);
    }
    const m = this[name];
    const target = name === 'hello' ? state.wh : state.wa;
    return m.get('progress', (h) => (h.progress ? h.progress() : h.status())).iteration >= target;
  }

  /** Resolves when nothing is training or owed, and a frame was drawn. */
  async settled() {
    for (;;) {
      this.sync();
      const active = this.all().filter((m) => m.active);
      if (!active.length) break;
      await Promise.all(active.map((m) => m.settled()));
    }
    await this.app.frame();
  }
}
