// Chapter "Why recurrence?": why a feed-forward network is not enough for sequences.
//   1. sequences are everywhere (why/sequences.js): a sentence, a heartbeat, a sound;
//   2. autocomplete "where is|" (why/autocomplete.js): a character RNN learns a query list live;
//   3. Exercise 2 live (why/words.js, why/hello.js): fixed window, bag of words, very large
//      window and the RNN on next-word prediction, their failures, and the "hello" ambiguity;
//   4. Exercise 1 and the four motivations (why/closing.js).
// Its models (why/models.js) are built from the URL state and trained in the training worker
// (on the page without one); every number shown comes from them (engine::models, through
// src/web/why.rs).
import { WhyModels } from './models.js';
import { sequencesSection, renderSequences } from './sequences.js';
import { autocompleteSection, renderAutocomplete, useList } from './autocomplete.js';
import { wordsSection, renderWords } from './words.js';
import { helloSection, renderHello } from './hello.js';
import { closingSection, renderClosing } from './closing.js';

/**
 * While a model trains, the tables and charts that read all of it follow at most this often:
 * such a frame takes longer than 16.7 ms on a slow machine, and at 2 a second they are under
 * 5% of the frames (the other frames update the progress and status lines only).
 */
const REDRAW_MS = 500;

/** The chapter's rows of the state, for window.rnnLab.why.state(). */
const ROWS = ['ws', 'wr', 'wa', 'wq', 'wb', 'wn', 'wl', 'wt', 'wp', 'wo', 'wh'];

export default {
  mount(root, app) {
    const ui = { drawnAt: 0, charts: [] };
    /** Queues chart.update(key, data, label) for the end of this frame's render. */
    ui.chart = (chart, ...args) => ui.charts.push([chart, args]);
    ui.models = new WhyModels(app, root);
    const words = wordsSection(app, ui);
    words.append(helloSection(app, ui));
    // Below the opening text (intro), which the shell put in `root` before the engine arrived.
    root.append(
      sequencesSection(app, ui),
      autocompleteSection(app, ui),
      words,
      closingSection(app, ui));
    return ui;
  },

  render(app, ui) {
    ui.models.sync();
    // While training, the parts that read every number are redrawn every REDRAW_MS.
    const now = performance.now();
    const training = ui.models.all().some((m) => m.active);
    const heavy = !training || now - ui.drawnAt >= REDRAW_MS;
    if (heavy) ui.drawnAt = now;
    else if (!ui.redrawTimer) {
      ui.redrawTimer = setTimeout(() => {
        ui.redrawTimer = 0;
        app.requestRender();
      }, REDRAW_MS);
    }
    // The charts of the models draw last (ui.chart), after every change to the page's text:
    // sizing a canvas reads the layout, and one layout per frame is enough.
    ui.charts = [];
    renderSequences(app, ui);
    renderAutocomplete(app, ui, heavy);
    renderWords(app, ui, heavy);
    renderHello(app, ui, heavy);
    renderClosing(app, ui);
    for (const [chart, args] of ui.charts) chart.update(...args);
    ui.charts = [];
  },

  extendSnapshot(app, snap, ui) {
    const m = ui.models;
    snap.why = {
      autocomplete: m.auto.get('progress', (h) => h.progress()),
      words: m.words.get('status', (h) => h.status()),
      hello: m.hello.get('progress', (h) => h.status()),
    };
  },

  /** window.rnnLab.why: the chapter's state, its handles' numbers, and what the page shows. */
  api(app) {
    const ui = () => {
      const v = app.view('why');
      if (!v) throw new Error('open the chapter first: rnnLab.set({chapter: "why"})');
      return v;
    };
    const models = () => ui().models;
    return {
      state: () => Object.fromEntries(ROWS.map((k) => [k, app.state[k]])),
      /** Resolves when every model has had the training the state asks for and a frame was drawn. */
      settled: () => models().settled(),
      ready: () => ({ autocomplete: models().ready('auto'), words: models().ready('words'), hello: models().ready('hello') }),
      examples: () => app.wasm.why_sequence_examples(app.state.ws),
      autocomplete: {
        status: () => models().auto.handle.status(),
        prime: (prefix = app.state.wq) => models().auto.handle.prime(prefix),
        complete: (prefix = app.state.wq, width = app.state.wb, chars = 60) => models().auto.handle.complete(prefix, width, chars),
        list: () => models().auto.handle.list_text(),
        /** Pastes a list, as the "Learn this list" button does: { ok, error }. */
        useList: (text) => useList(app, ui(), text),
      },
      words: {
        status: () => models().words.handle.status(),
        summaries: () => models().words.handle.summaries(),
        predict: (prefix = app.state.wp) => models().words.handle.predict(prefix),
        orderPair: (i = app.state.wo) => models().words.handle.order_pair(i),
        probes: () => models().words.handle.probes(),
        settings: () => models().words.handle.settings(),
      },
      hello: () => models().hello.handle.snapshot(),
      /** What the page shows now (the numbers it last drew). */
      shown: () => ({
        autocomplete: ui().auto.shown ?? null,
        words: ui().words.shown ?? null,
        prediction: ui().words.shownPrediction ?? null,
        pair: ui().words.shownPair ?? null,
        probes: ui().words.shownProbes ?? null,
        hello: ui().hello.shown ?? null,
        examples: ui().examples ?? null,
        played: ui().played ?? 0,
      }),
    };
  },
};
