// The app: ONE state object, the models, and the ONE frame loop.
//
// Events change state (setState) → requestRender() → the next animation frame runs the
// loop once: the player's cursor moves (if playing), models training on the page take
// their slice (when there is no worker), then the current chapter draws. Models are
// www/model.js `Model`s (the settings bar's word model is `app.word`); long training
// runs in the worker (www/worker.js, driven by www/trainer.js). The chapters are
// registered in shell/chapters.js (CHAPTERS, re-exported here). The rest of the page
// lives in www/shell/:
//   chapters.js      the chapter registry, in lecture order
//   start-lab.js     the first Lab from the address's settings (with fallbacks)
//   chapter-nav.js   the nav links and the chapter sections
//   settings-bar.js  the model settings bar, presenter mode, "Show settings"
//   hash-sync.js     the state in the URL hash, both ways, and Back/Forward
//   links.js         links that carry training (iter=N: the model retrained on opening)
//   keys.js          the keyboard shortcuts
//   model-file.js    model export / import
//   model-reads.js   the model's numbers, memoised per model version (App methods)
//   engine-modules.js  the engine's wasm modules by chapter (App methods)
import { prop, defineChapters, defaults, validate, parseHash, applyEngineLimits } from './state.js';
import { Notices, Announcer } from './notice.js';
import { Player } from './player.js';
import { Model, isTrap } from './model.js';
import { Trainer } from './trainer.js';
import { CORE } from './engine.js';
import { syncAll } from './views/controls.js';
import { queueCharts, drawQueued } from './views/charts.js';
import { CHAPTERS, applyLimits, chapterById } from './shell/chapters.js';
import { engineSettings, startSettings } from './shell/start-lab.js';
import { ChapterNav } from './shell/chapter-nav.js';
import { SettingsBar } from './shell/settings-bar.js';
import { HashSync } from './shell/hash-sync.js';
import { bindKeys } from './shell/keys.js';
import { exportModel, importModel } from './shell/model-file.js';
import { modelReads } from './shell/model-reads.js';
import { frameLoop } from './shell/frame-loop.js';
import { engineModules } from './shell/engine-modules.js';
import { TrainingLink, progressBox, syncTraining, warnMixedTraining } from './shell/links.js';

export { CHAPTERS };

export class App {
  /** `dom`: {nav, tools, settings, notices, announcer, main}. The engine comes later (start). */
  constructor(dom) {
    /**
     * The engine, once start() has it (null while the page paints without it): every export
     * of the wasm modules loaded so far (www/engine.js), core first; a chapter with
     * `engine: NAME` has its module's exports here once it has mounted.
     */
    this.wasm = null;
    /** Engine module name → the promise of its load (see engineLoad). */
    this.engineLoads = new Map();
    /** Chapter id → the promise of its body's load (see loadChapterBody). */
    this.bodyLoads = new Map();
    /** Export name (a handle class, a function) → the engine module that gave it. */
    this.exportEngine = new Map();
    /** The engine modules in app.wasm. */
    this.engines = new Set();
    /** The load of the charts module, once started (shell/engine-modules.js loadCharts). */
    this.chartsLoad = null;
    /** Whether a chart on the page has waited for the charts module (its failure is then told). */
    this.chartsWanted = false;
    this.dom = dom;
    defineChapters(CHAPTERS.map((c) => c.id), CHAPTERS.filter((c) => c.granularity === 'substep').map((c) => c.id));
    this.notices = new Notices(dom.notices);
    this.announcer = new Announcer(dom.announcer);
    this.player = new Player(this);
    /** Every Model of the page (the frame loop ticks them; the worker routes to them). */
    this.models = new Set();
    /** Chapter animations the frame loop moves on (see animate). */
    this.animations = new Map();
    /** Chapter id → the UI its mount() built (see shell/chapters.js). */
    this.views = new Map();
    this.trainer = new Trainer(this);
    this.renderQueued = false;
    this.frameQueued = false;
    this.frameWaiters = [];
    /** The training slices' times ([{at, ms}]) once rnnLab.debug.recordSlices() asks; else null. */
    this.sliceLog = null;
    this.nav = new ChapterNav(this);
    this.settingsBar = new SettingsBar(this);
    this.hash = new HashSync(this);
    /** The TrainingLinks (shell/links.js): the word model's here, text mode's in its chapter. */
    this.links = [];
  }

  // ---- start-up -------------------------------------------------------------------

  // The page starts in two steps so that a phone paints the chapter's text while the
  // engine (the wasm, most of the page's bytes) is still on its way: open() needs no
  // engine, start(wasm) needs it.

  /**
   * Reads the hash and builds what needs no engine: the chapter nav, the settings bar, the
   * header tools and the current chapter's opening text (its `intro`). Never throws on a
   * bad hash. Until start(), setState only records values (see there).
   */
  open(hash) {
    const { values, notes } = parseHash(hash);
    notes.push(...applyLimits(values.chapter ?? defaults().chapter, values));
    this.state = { ...defaults(), ...values };
    this.openNotes = notes;
    this.nav.build();
    this.settingsBar.buildSettings();
    this.settingsBar.buildHeaderTools();
    this.nav.show();
  }

  /**
   * With the engine (`wasm`: the initialised module): creates the Lab, mounts the chapter,
   * draws. The first drawing is cut into tasks (the chapter, then each chart: see
   * views/charts.js drawQueued) so that a phone stays responsive; resolves once all is drawn.
   */
  async start(wasm) {
    this.wasm = {};
    this.addEngine(CORE, wasm);
    this.palette = wasm.palette();
    // The chapter opened first may need a module of its own: it mounts once that is here.
    await this.loadChapter(this.chapter());
    const notes = this.openNotes;
    // The engine's limits are the ranges of its rows: what the address asked is checked
    // against them again now that the engine is here.
    applyEngineLimits(wasm.limits());
    const rows = ['word', 'hidden', 'thidden', 'tseq', 'k1', 'k2', 'slen'].filter((k) => k in this.state);
    const capped = validate(Object.fromEntries(rows.map((k) => [k, this.state[k]])), { keep: true });
    Object.assign(this.state, capped.values);
    notes.push(...capped.notes);
    /** The settings bar's model: the word of the first chapters. */
    this.word = new Model(this, { ctor: 'new', settings: startSettings(this.wasm, this.state, notes) }, { name: 'word' });
    // iter=N in the address: the word model is retrained to N iterations (shell/links.js).
    this.links.push(new TrainingLink(this, { row: 'iter', model: () => this.word, train: (n) => this.train(n), what: 'the model' }));
    this.trainer.start();
    this.clampStep();
    this.player.settle();
    syncAll(this.dom.settings, this.state);
    bindKeys(this);
    window.addEventListener('hashchange', () => this.hash.read());
    // A taller or shorter window changes what fits (presenter mode fits the diagram to it).
    window.addEventListener('resize', () => this.requestRender());
    queueCharts();
    this.nav.show();
    if (notes.length) this.notice(`Some settings in the address were changed: ${notes.join('; ')}.`, 'warn');
    this.writeHash('replace', { now: true });
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.renderNow();
    await drawQueued();
  }

  /** The engine rows of a state, as Lab settings. */
  engineSettings(state) {
    return engineSettings(state);
  }

  // ---- the word model (app.word), as the views read it ------------------------------

  /** The word model's wasm handle (read-only use: changes go through the Model). */
  get lab() {
    return this.word.handle;
  }

  /** Bumps whenever the word model's numbers change. */
  get version() {
    return this.word.version;
  }

  /** Bumps when the word model is rebuilt, reset or loaded. */
  get generation() {
    return this.word.generation;
  }

  /** The word model's memo (emptied when its numbers change). */
  get cache() {
    return this.word.cache;
  }

  /** Whether the word model is training. */
  get busy() {
    return this.word.busy;
  }

  // ---- state ----------------------------------------------------------------------

  /** The current chapter module. */
  chapter() {
    return chapterById(this.state.chapter);
  }

  /** The UI the current chapter (or chapter `id`) built in mount; null before. */
  view(id = this.state.chapter) {
    return this.views.get(id) ?? null;
  }

  /**
   * Changes settings, as the controls do. Values are checked against the state table
   * (clamped with a notice); engine settings go to the Lab, which rebuilds the model when
   * a model setting changed. If the engine refuses, the old model and values stay and a
   * notice says why. Returns { ok, error, notes, rebuilt }.
   * `history`: how the change goes into the browser's history (shell/hash-sync.js); by
   * default 'push' if a changed row is marked so in the state table, else 'replace'.
   * `fromAddress`: the patch is the address's (a link, Back/Forward).
   */
  setState(patch, { history, fromAddress = false } = {}) {
    const before = this.hash.hash();
    const { values, notes } = validate(patch);
    // A chapter's limits apply to what changes here, not to the model already shown.
    const changed = Object.keys(values).filter((k) => values[k] !== this.state[k]);
    notes.push(...applyLimits(values.chapter ?? this.state.chapter, values, changed));
    const result = { ok: true, error: null, notes, rebuilt: false };
    if (notes.length) this.notice(`Changed: ${notes.join('; ')}.`, 'warn');
    if (!this.word) {
      // Before the engine (between open and start): the values wait in the state, and
      // start() builds the model from them; a new chapter shows its opening text.
      const before = { ...this.state };
      Object.assign(this.state, values);
      if (this.state.chapter !== before.chapter || this.state.present !== before.present) this.nav.show();
      syncAll(this.dom.settings, this.state);
      return result;
    }
    const enginePatch = {};
    for (const [k, v] of Object.entries(values)) {
      if (prop(k).engine && v !== this.state[k]) enginePatch[k] = v;
    }
    if (Object.keys(enginePatch).length) {
      try {
        const r = this.word.mutate('configure', [enginePatch]);
        result.rebuilt = r.rebuilt;
        if (!r.rebuilt && !fromAddress) warnMixedTraining(this, this.word, Object.keys(enginePatch).map((k) => prop(k).label).join(', '));
        Object.assign(this.state, enginePatch);
        this.clampStep();
      } catch (e) {
        result.ok = false;
        result.error = e.message;
        this.notice(`${e.message}. The model was kept as it was.`, 'error');
      }
    }
    const chapterBefore = this.state.chapter;
    const presentBefore = this.state.present;
    const moved = new Set(Object.keys(enginePatch).filter(() => result.ok));
    for (const [k, v] of Object.entries(values)) {
      if (prop(k).engine) continue;
      if (this.state[k] !== v) moved.add(k);
      this.state[k] = v;
    }
    // A rebuilt model starts at iteration 0, unless the patch says which count it has.
    if (result.rebuilt && !('iter' in values)) this.state.iter = 0;
    for (const link of this.links) if (link.row in values) link.want(values[link.row]);
    this.clampStep();
    if (this.state.chapter !== chapterBefore) this.nav.show();
    else if (this.state.present !== presentBefore) this.settingsBar.apply();
    this.player.settle();
    const push = [...moved].some((k) => prop(k).history === 'push');
    this.writeHash(history ?? (push ? 'push' : 'replace'), { before });
    syncAll(this.dom.settings, this.state);
    this.requestRender();
    return result;
  }

  /** Keeps t within 1..T after the word changed. */
  clampStep() {
    const T = this.steps();
    if (this.state.step > T) this.state.step = T;
    if (this.state.step < 1) this.state.step = 1;
  }

  /** The word model's numbers changed outside a Model call. */
  modelChanged(rebuilt = true) {
    this.word.changed(rebuilt);
    this.clampStep();
  }

  /** Fresh weights from `seed` (the current one by default): iteration 0 (a new history entry). */
  reset(seed = this.state.seed) {
    const { values, notes } = validate({ seed });
    if (notes.length) this.notice(`Changed: ${notes.join('; ')}.`, 'warn');
    if (values.seed === undefined) return false;
    const before = this.hash.hash();
    this.word.mutate('reset', [values.seed], { replaces: true });
    this.state.seed = values.seed;
    this.state.iter = 0;
    this.clampStep();
    this.writeHash('push', { before });
    syncAll(this.dom.settings, this.state);
    this.requestRender();
    return true;
  }

  /**
   * Trains the word model n iterations (in the worker, or in slices on the page: the page
   * keeps drawing). Resolves with the engine's report plus `diverged`; on divergence the
   * notice says so and the last good weights stay. Runs queue; a rebuild or reset stops one.
   */
  async train(n, options) {
    syncTraining(this, this.word);
    const r = await this.word.train(n, options);
    if (r?.error) this.notice(r.error, 'error');
    return r ?? { ...this.status(), diverged: false, error: null, cancelled: true };
  }

  /** Downloads the model as JSON (shell/model-file.js). */
  exportModel() {
    exportModel(this);
  }

  /** Loads a model file's text; a bad file changes nothing (shell/model-file.js). Returns { ok, error }. */
  importModel(text) {
    return importModel(this, text);
  }

  // ---- page -----------------------------------------------------------------------

  notice(text, kind = 'info') {
    return this.notices.show(text, kind);
  }

  announceStep() {
    const c = this.chapter();
    if (!this.view()) return; // the chapter waits for its engine module
    const text = c.describeStep?.(this, this.view()) ?? `Step t = ${this.state.step} of ${this.steps()}, ${this.state.phase} pass.`;
    this.announcer.say(text);
  }

  /**
   * Writes the state into the address (shell/hash-sync.js): `mode` 'replace' (soon, or
   * `now`), 'push' (a new history entry; `before`: the hash the current entry keeps) or
   * 'drag' (a slider moving; hash.endDrag() pushes its one entry).
   */
  writeHash(mode = 'replace', { now = false, before = null } = {}) {
    this.hash.write(mode, { now, before });
  }

  /** Shows (info: { text, stop }) or hides (null) the progress line of a link's retraining. */
  linkProgress(row, info) {
    const p = progressBox(this);
    if (info) p.rows.set(row, info);
    else p.rows.delete(row);
    const shown = [...p.rows.values()];
    p.box.hidden = shown.length === 0;
    p.text.textContent = shown.map((i) => i.text).join(' ');
    p.stop.onclick = () => shown.forEach((i) => i.stop());
  }

  /** Resolves when no link is retraining and no model is training, after a frame. */
  async settled() {
    for (let i = 0; i < 100000; i++) {
      const busy = this.links.some((l) => l.pending) || [...this.models].some((m) => m.busy);
      if (!busy) break;
      await Promise.all([...this.models].map((m) => m.settled()));
      await this.frame();
    }
    await this.frame();
  }

  /**
   * Something threw where nobody caught it (window 'error' / 'unhandledrejection', a
   * drawing, a training slice). A trap of the engine (a Rust panic) leaves the handle that
   * trapped unusable: every model whose handle no longer answers is rebuilt from its
   * settings, and the notice says so honestly. Anything else is shown as it is.
   */
  fault(error) {
    console.error(error);
    if (!isTrap(error)) {
      this.notice(`Something went wrong: ${error?.message ?? error}`, 'error');
      return;
    }
    const rebuilt = [...this.models].filter((m) => m.recover());
    this.notice(rebuilt.length
      ? `The engine stopped on an internal error (a bug, not your input). The model${rebuilt.length > 1 ? 's were' : ' was'} rebuilt from ${rebuilt.length > 1 ? 'their' : 'its'} settings with fresh weights; training since the last reset was lost.`
      : `The engine stopped on an internal error (a bug, not your input): ${error?.message ?? error}. The models still answer and were kept.`, 'error');
    this.clampStep();
    this.requestRender();
  }

}

// steps(), trace(), gradients(), status(), lossHistory(n), forwardSnapshot(),
// backwardSnapshot(), snapshot(): the model's numbers, memoised (shell/model-reads.js).
Object.assign(App.prototype, modelReads);

// requestRender(), requestFrame(), loop(now), animate(key, interval, step),
// stopAnimation(key), animating(key), renderNow(), frame(): the one frame loop
// (shell/frame-loop.js).
Object.assign(App.prototype, frameLoop);

// addEngine, engineOf, hasEngine, loadChapterEngine, loadChapterBody, loadChapter, chapterLoading: the engine's wasm
// modules in app.wasm (shell/engine-modules.js).
Object.assign(App.prototype, engineModules);
