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
//   hash-sync.js     the state in the URL hash, both ways
//   keys.js          the keyboard shortcuts
//   model-file.js    model export / import
//   model-reads.js   the model's numbers, memoised per model version (App methods)
import { prop, defineChapters, defaults, validate, parseHash } from './state.js';
import { Notices, Announcer } from './notice.js';
import { Player } from './player.js';
import { Model, FRAME_BUDGET_MS } from './model.js';
import { Trainer } from './trainer.js';
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

export { CHAPTERS };

export class App {
  /** `dom`: {nav, tools, settings, notices, announcer, main}. The engine comes later (start). */
  constructor(dom) {
    /** The wasm module, once start() has it (null while the page paints without it). */
    this.wasm = null;
    this.dom = dom;
    defineChapters(CHAPTERS.map((c) => c.id), CHAPTERS.filter((c) => c.granularity === 'substep').map((c) => c.id));
    this.notices = new Notices(dom.notices);
    this.announcer = new Announcer(dom.announcer);
    this.player = new Player(this);
    /** Every Model of the page (the frame loop ticks them; the worker routes to them). */
    this.models = new Set();
    /** Chapter id → the UI its mount() built (see shell/chapters.js). */
    this.views = new Map();
    this.trainer = new Trainer(this);
    this.renderQueued = false;
    this.frameQueued = false;
    this.frameWaiters = [];
    this.nav = new ChapterNav(this);
    this.settingsBar = new SettingsBar(this);
    this.hash = new HashSync(this);
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
    this.wasm = wasm;
    this.palette = wasm.palette();
    const notes = this.openNotes;
    /** The settings bar's model: the word of the first chapters. */
    this.word = new Model(this, { ctor: 'new', settings: startSettings(this.wasm, this.state, notes) }, { name: 'word' });
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
    this.writeHash(true);
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
   */
  setState(patch) {
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
    for (const [k, v] of Object.entries(values)) if (!prop(k).engine) this.state[k] = v;
    this.clampStep();
    if (this.state.chapter !== chapterBefore) this.nav.show();
    else if (this.state.present !== presentBefore) this.settingsBar.apply();
    this.player.settle();
    this.writeHash();
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

  /** Fresh weights from `seed` (the current one by default): iteration 0. */
  reset(seed = this.state.seed) {
    const { values, notes } = validate({ seed });
    if (notes.length) this.notice(`Changed: ${notes.join('; ')}.`, 'warn');
    if (values.seed === undefined) return false;
    this.word.mutate('reset', [values.seed], { replaces: true });
    this.state.seed = values.seed;
    this.clampStep();
    this.writeHash();
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
    const text = c.describeStep?.(this, this.view()) ?? `Step t = ${this.state.step} of ${this.steps()}, ${this.state.phase} pass.`;
    this.announcer.say(text);
  }

  /** Writes the state into the hash now (`now`) or soon (shell/hash-sync.js). */
  writeHash(now = false) {
    this.hash.write(now);
  }

  /** Asks for a drawing of the current chapter in the next frame. */
  requestRender() {
    this.renderQueued = true;
    this.requestFrame();
  }

  /** Asks for one turn of the frame loop. */
  requestFrame() {
    if (this.frameQueued) return;
    this.frameQueued = true;
    requestAnimationFrame((now) => this.loop(now));
  }

  /**
   * The one frame loop: the player's cursor, then a training slice for each model that
   * trains on the page (none when the worker trains), then the drawing. It keeps turning
   * while anything moves, and stops when all is still.
   */
  loop(now) {
    this.frameQueued = false;
    this.player.tick(now);
    const training = [...this.models].filter((m) => m.active);
    for (const m of training) m.tick(FRAME_BUDGET_MS / training.length);
    if (this.renderQueued) this.renderNow();
    if (this.player.playing || training.length) this.requestFrame();
  }

  /** Draws the current chapter now, and resolves anyone waiting for a frame. */
  renderNow() {
    this.renderQueued = false;
    try {
      this.chapter().render(this, this.view());
    } catch (e) {
      console.error(e);
      this.notice(`Something went wrong while drawing: ${e.message}`, 'error');
    }
    const waiters = this.frameWaiters;
    this.frameWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves after the next render. */
  frame() {
    return new Promise((resolve) => {
      this.frameWaiters.push(resolve);
      this.requestRender();
    });
  }
}

// steps(), trace(), gradients(), status(), lossHistory(n), forwardSnapshot(),
// backwardSnapshot(), snapshot(): the model's numbers, memoised (shell/model-reads.js).
Object.assign(App.prototype, modelReads);
