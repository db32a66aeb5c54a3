// The app: ONE state object, the wasm Lab, and the scheduling.
//
// Events change state (setState) → requestRender() → the next animation frame draws
// the current chapter once. The chapters are registered in shell/chapters.js (CHAPTERS,
// re-exported here). The rest of the page lives in www/shell/:
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
import { trainInSlices } from './lab.js';
import { syncAll } from './views/controls.js';
import { CHAPTERS, applyLimits, chapterById } from './shell/chapters.js';
import { engineSettings, startLab } from './shell/start-lab.js';
import { ChapterNav } from './shell/chapter-nav.js';
import { SettingsBar } from './shell/settings-bar.js';
import { HashSync } from './shell/hash-sync.js';
import { bindKeys } from './shell/keys.js';
import { exportModel, importModel } from './shell/model-file.js';
import { modelReads } from './shell/model-reads.js';

export { CHAPTERS };

export class App {
  /** `wasm`: the loaded module; `dom`: {nav, tools, settings, notices, announcer, main}. */
  constructor(wasm, dom) {
    this.wasm = wasm;
    this.dom = dom;
    defineChapters(CHAPTERS.map((c) => c.id));
    this.notices = new Notices(dom.notices);
    this.announcer = new Announcer(dom.announcer);
    this.palette = wasm.palette();
    this.player = new Player(this);
    /** Bumps whenever the model's numbers change; views redraw what depends on them. */
    this.version = 0;
    /** Bumps when the model is rebuilt or reset: a training run of an older one stops. */
    this.generation = 0;
    this.cache = {};
    this.busy = false;
    this.training = Promise.resolve();
    this.renderQueued = false;
    this.frameWaiters = [];
    this.nav = new ChapterNav(this);
    this.settingsBar = new SettingsBar(this);
    this.hash = new HashSync(this);
  }

  // ---- start-up -------------------------------------------------------------------

  /** Reads the hash, creates the Lab, builds the page. Never throws on a bad hash. */
  start(hash) {
    const { values, notes } = parseHash(hash);
    notes.push(...applyLimits(values.chapter ?? defaults().chapter, values));
    this.state = { ...defaults(), ...values };
    this.lab = startLab(this.wasm, this.state, notes);
    this.clampStep();
    this.player.settle();
    this.nav.build();
    this.settingsBar.buildSettings();
    this.settingsBar.buildHeaderTools();
    bindKeys(this);
    window.addEventListener('hashchange', () => this.hash.read());
    // A taller or shorter window changes what fits (presenter mode fits the diagram to it).
    window.addEventListener('resize', () => this.requestRender());
    this.nav.show();
    if (notes.length) this.notice(`Some settings in the address were changed: ${notes.join('; ')}.`, 'warn');
    this.writeHash(true);
    this.renderNow();
  }

  /** The engine rows of a state, as Lab settings. */
  engineSettings(state) {
    return engineSettings(state);
  }

  // ---- state ----------------------------------------------------------------------

  /** The current chapter module. */
  chapter() {
    return chapterById(this.state.chapter);
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
    const enginePatch = {};
    for (const [k, v] of Object.entries(values)) {
      if (prop(k).engine && v !== this.state[k]) enginePatch[k] = v;
    }
    if (Object.keys(enginePatch).length) {
      try {
        const r = this.lab.configure(enginePatch);
        result.rebuilt = r.rebuilt;
        Object.assign(this.state, enginePatch);
        this.modelChanged(r.rebuilt);
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

  /** The model's numbers changed (training, reset, rebuild, import). */
  modelChanged(rebuilt = true) {
    this.version++;
    this.cache = {};
    if (rebuilt) this.generation++;
    this.clampStep();
  }

  /** Fresh weights from `seed` (the current one by default): iteration 0. */
  reset(seed = this.state.seed) {
    const { values, notes } = validate({ seed });
    if (notes.length) this.notice(`Changed: ${notes.join('; ')}.`, 'warn');
    if (values.seed === undefined) return false;
    this.lab.reset(values.seed);
    this.state.seed = values.seed;
    this.modelChanged(true);
    this.writeHash();
    syncAll(this.dom.settings, this.state);
    this.requestRender();
    return true;
  }

  /**
   * Trains n iterations in slices (the page keeps drawing). Resolves with the engine's
   * report plus `diverged`; on divergence the notice says so and the last good weights
   * stay. Runs queue behind each other; a rebuild or reset stops a run.
   */
  train(n) {
    const run = async () => {
      const generation = this.generation;
      this.busy = true;
      this.requestRender();
      try {
        const report = await trainInSlices(this.lab, n, {
          onSlice: () => {
            this.modelChanged(false);
            this.requestRender();
          },
          cancelled: () => generation !== this.generation,
        });
        return { ...(report ?? this.status()), diverged: false, error: null };
      } catch (e) {
        this.modelChanged(false);
        this.notice(e.message, 'error');
        return { ...this.status(), diverged: true, error: e.message };
      } finally {
        this.busy = false;
        this.requestRender();
      }
    };
    const p = this.training.then(run);
    this.training = p.catch(() => {});
    return p;
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
    const text = c.describeStep?.(this) ?? `Step t = ${this.state.step} of ${this.steps()}, ${this.state.phase} pass.`;
    this.announcer.say(text);
  }

  /** Writes the state into the hash now (`now`) or soon (shell/hash-sync.js). */
  writeHash(now = false) {
    this.hash.write(now);
  }

  requestRender() {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => this.renderNow());
  }

  /** Draws the current chapter now, and resolves anyone waiting for a frame. */
  renderNow() {
    this.renderQueued = false;
    try {
      this.chapter().render(this);
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
