// The app: ONE state object, the wasm Lab, the chapters, and the scheduling.
//
// Events change state (setState) → requestRender() → the next animation frame draws
// the current chapter once. Chapters are modules in www/views/ exporting
//   { id, title, mount(sectionEl, app), render(app), granularity?, describeStep?(app),
//     settingsBar? }
// and are registered in CHAPTERS below, in lecture order. `settingsBar: false` hides the
// model settings bar on a chapter that has its own model and controls (default: shown).
import { PROPS, prop, defineChapters, defaults, validate, parseHash, serialise } from './state.js';
import { Notices, Announcer } from './notice.js';
import { Player } from './player.js';
import { trainInSlices } from './lab.js';
import { control, syncAll } from './views/controls.js';
import { el } from './views/common.js';
import steps from './views/steps.js';
import unrolled from './views/unrolled.js';
import training from './views/training.js';
import vanishing from './views/vanishing.js';

/** The chapters, in lecture order. A chapter helper adds its import above and its module here. */
export const CHAPTERS = [steps, unrolled, training, vanishing];

/** Settings shown in the bar under the header; the rest sit under "More settings". */
const MAIN_SETTINGS = ['word', 'hidden', 'seed', 'lr', 'opt', 'act'];
const MORE_SETTINGS = ['scale', 'bias', 'clip', 'clipc'];
/** At most one hash write per this many ms (browsers throttle history.replaceState). */
const HASH_WRITE_MS = 200;

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
    this.sections = new Map();
    this.hashTimer = 0;
  }

  // ---- start-up -------------------------------------------------------------------

  /** Reads the hash, creates the Lab, builds the page. Never throws on a bad hash. */
  start(hash) {
    const { values, notes } = parseHash(hash);
    this.state = { ...defaults(), ...values };
    try {
      this.lab = new this.wasm.Lab(this.engineSettings(this.state));
    } catch (e) {
      // Refused (e.g. an empty word): first put back the default word only, then, if the
      // engine still refuses, every engine setting.
      const d = defaults();
      try {
        this.lab = new this.wasm.Lab(this.engineSettings({ ...this.state, word: d.word }));
        notes.push(`word: ${e.message}; using “${d.word}”`);
        this.state.word = d.word;
      } catch {
        notes.push(`the engine refused them (${e.message}), so the model uses the defaults`);
        for (const p of PROPS) if (p.engine) this.state[p.name] = d[p.name];
        this.lab = new this.wasm.Lab(this.engineSettings(this.state));
      }
    }
    this.clampStep();
    this.player.settle();
    this.buildNav();
    this.buildSettings();
    this.buildHeaderTools();
    this.bindKeys();
    window.addEventListener('hashchange', () => this.fromHash());
    // A taller or shorter window changes what fits (presenter mode fits the diagram to it).
    window.addEventListener('resize', () => this.requestRender());
    this.showChapter();
    if (notes.length) this.notice(`Some settings in the address were changed: ${notes.join('; ')}.`, 'warn');
    this.writeHash(true);
    this.renderNow();
  }

  /** The engine rows of a state, as Lab settings. */
  engineSettings(state) {
    return Object.fromEntries(PROPS.filter((p) => p.engine).map((p) => [p.name, state[p.name]]));
  }

  buildNav() {
    this.navLinks = new Map();
    const items = CHAPTERS.map((c) => {
      const a = el('a', { href: `#chapter=${c.id}`, text: c.title, dataset: { chapter: c.id } });
      a.addEventListener('click', (ev) => {
        ev.preventDefault();
        this.setState({ chapter: c.id });
      });
      this.navLinks.set(c.id, a);
      return el('li', {}, a);
    });
    this.dom.nav.replaceChildren(el('ul', {}, items));
  }

  buildSettings() {
    const main = MAIN_SETTINGS.map((n) => control(this, n, n === 'word' ? { hint: `2–${prop('word').maxLength} characters` } : {}));
    const more = el('details', { class: 'more-settings' },
      el('summary', { text: 'More settings' }),
      el('div', { class: 'fields' }, MORE_SETTINGS.map((n) => control(this, n))));
    this.dom.settings.replaceChildren(el('div', { class: 'fields' }, main), more);
  }

  /** The presenter-mode toggle and, in presenter mode, the button that shows the settings. */
  buildHeaderTools() {
    this.presentButton = el('button', {
      type: 'button', id: 'present-toggle', class: 'small', 'aria-pressed': 'false', text: 'Presenter mode',
      title: 'Large type and high contrast for a projector; settings and long explanations tucked away (key P)',
      on: { click: () => this.setState({ present: !this.state.present }) },
    });
    this.settingsButton = el('button', {
      type: 'button', id: 'show-settings', class: 'small', 'aria-expanded': 'false', 'aria-controls': this.dom.settings.id,
      text: 'Show settings', on: { click: () => this.toggleSettings() },
    });
    this.settingsShown = false;
    this.dom.tools.replaceChildren(this.settingsButton, this.presentButton);
  }

  /** In presenter mode the settings bar is hidden until this asks for it. */
  toggleSettings(show = !this.settingsShown) {
    this.settingsShown = show;
    this.applyPresent();
    if (show) this.dom.settings.querySelector('input, select')?.focus();
  }

  /** Puts the page in (or out of) presenter mode, as state.present says. */
  applyPresent() {
    const on = this.state.present;
    const root = document.documentElement;
    root.classList.toggle('present', on);
    this.presentButton.setAttribute('aria-pressed', String(on));
    const barUsed = this.chapter().settingsBar !== false;
    this.settingsButton.hidden = !on || !barUsed;
    const shown = !on || this.settingsShown;
    this.settingsButton.setAttribute('aria-expanded', String(on && this.settingsShown));
    this.settingsButton.textContent = this.settingsShown ? 'Hide settings' : 'Show settings';
    this.dom.settings.hidden = !barUsed || !shown;
  }

  bindKeys() {
    document.addEventListener('keydown', (ev) => {
      if (ev.defaultPrevented || ev.altKey || ev.ctrlKey || ev.metaKey) return;
      const target = ev.target;
      const tag = target?.tagName ?? '';
      const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(tag) || target?.isContentEditable;
      if (typing) return;
      const activates = /^(BUTTON|A|SUMMARY)$/.test(tag);
      let handled = true;
      switch (ev.key) {
        case 'ArrowRight': this.player.step(1); break;
        case 'ArrowLeft': this.player.step(-1); break;
        case 'Home': this.player.home(); break;
        case 'End': this.player.end(); break;
        case 'p':
        case 'P': this.setState({ present: !this.state.present }); break;
        case ' ':
          if (activates) handled = false;
          else this.player.toggle();
          break;
        default: handled = false;
      }
      if (handled) ev.preventDefault();
    });
  }

  fromHash() {
    const { values, notes } = parseHash(location.hash);
    if (notes.length) this.notice(`Some settings in the address were changed: ${notes.join('; ')}.`, 'warn');
    const patch = {};
    for (const [k, v] of Object.entries(values)) if (this.state[k] !== v) patch[k] = v;
    if (Object.keys(patch).length) this.setState(patch);
  }

  // ---- state ----------------------------------------------------------------------

  /** The current chapter module. */
  chapter() {
    return CHAPTERS.find((c) => c.id === this.state.chapter) ?? CHAPTERS[0];
  }

  /**
   * Changes settings, as the controls do. Values are checked against the state table
   * (clamped with a notice); engine settings go to the Lab, which rebuilds the model when
   * a model setting changed. If the engine refuses, the old model and values stay and a
   * notice says why. Returns { ok, error, notes, rebuilt }.
   */
  setState(patch) {
    const { values, notes } = validate(patch);
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
    if (this.state.chapter !== chapterBefore) this.showChapter();
    else if (this.state.present !== presentBefore) this.applyPresent();
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

  /** Downloads the model as JSON. */
  exportModel() {
    const text = JSON.stringify(this.lab.params(), null, 1);
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = el('a', { href: url, download: `rnn-lab-${this.state.word.slice(0, 16)}-H${this.state.hidden}.json` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  /**
   * Loads a model file's text. The file is first tried on a scratch Lab with the file's
   * word, hidden size, activation and biases, so a bad file leaves the running model as
   * it was; then those settings are applied and the weights loaded. Returns { ok, error }.
   */
  importModel(text) {
    let file;
    try {
      file = JSON.parse(text);
    } catch (e) {
      this.notice(`This is not a valid model file: ${e.message}. The model was kept as it was.`, 'error');
      return { ok: false, error: e.message };
    }
    const settings = {
      word: typeof file?.text === 'string' ? file.text : this.state.word,
      hidden: Number.isInteger(file?.hidden) ? file.hidden : this.state.hidden,
      act: typeof file?.activation === 'string' ? file.activation : this.state.act,
      bias: typeof file?.bias === 'boolean' ? file.bias : this.state.bias,
    };
    let scratch = null;
    try {
      scratch = new this.wasm.Lab({ ...this.engineSettings(this.state), ...settings });
      scratch.import_params(text);
    } catch (e) {
      this.notice(`${e.message}. The model was kept as it was.`, 'error');
      return { ok: false, error: e.message };
    } finally {
      scratch?.free();
    }
    const r = this.setState(settings);
    if (!r.ok) return r;
    try {
      this.lab.import_params(text);
    } catch (e) {
      this.notice(`${e.message}. The weights were not loaded.`, 'error');
      return { ok: false, error: e.message };
    }
    this.modelChanged(true);
    this.requestRender();
    this.notice('Model loaded.', 'info');
    return { ok: true, error: null };
  }

  // ---- data (memoised per model version) ------------------------------------------

  steps() {
    return (this.cache.steps ??= this.lab.steps());
  }

  trace() {
    return (this.cache.trace ??= this.lab.trace());
  }

  gradients() {
    return (this.cache.gradients ??= this.lab.gradients());
  }

  status() {
    return (this.cache.status ??= this.lab.status());
  }

  lossHistory(maxPoints) {
    const key = `loss${maxPoints}`;
    return (this.cache[key] ??= this.lab.loss_history(maxPoints));
  }

  /** The forward snapshot at the current step. */
  forwardSnapshot() {
    const key = `fwd${this.state.step}`;
    return (this.cache[key] ??= this.lab.forward_snapshot(this.state.step));
  }

  /** The backward snapshot at the current step. */
  backwardSnapshot() {
    const key = `bwd${this.state.step}`;
    return (this.cache[key] ??= this.lab.backward_snapshot(this.state.step));
  }

  /**
   * The engine's numbers at the current step, for window.rnnLab: the forward snapshot,
   * plus `backward` in the backward pass; chapters with `extendSnapshot(app, snap)` add theirs.
   */
  snapshot() {
    const snap = { ...this.forwardSnapshot(), phase: this.state.phase, substep: this.player.substep, substep_name: this.player.substepName };
    if (this.state.phase === 'backward') snap.backward = this.backwardSnapshot();
    for (const c of CHAPTERS) c.extendSnapshot?.(this, snap);
    return snap;
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

  showChapter() {
    const c = this.chapter();
    if (!this.sections.has(c.id)) {
      const section = el('section', { class: 'chapter', id: `chapter-${c.id}`, 'aria-labelledby': `${c.id}-title` });
      this.dom.main.append(section);
      c.mount(section, this);
      this.sections.set(c.id, section);
    }
    for (const [id, section] of this.sections) section.hidden = id !== c.id;
    for (const [id, a] of this.navLinks) {
      if (id === c.id) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    // The settings bar only where its model is the one on the page (see applyPresent).
    this.applyPresent();
    document.body.dataset.chapter = c.id;
    document.title = `${c.title} · RNN Lab`;
  }

  /** Writes the state into the hash now (`now`) or within HASH_WRITE_MS. */
  writeHash(now = false) {
    const write = () => {
      this.hashTimer = 0;
      const hash = `#${serialise(this.state)}`;
      if (location.hash !== hash) history.replaceState(null, '', hash);
      for (const [id, a] of this.navLinks ?? []) a.href = `#${serialise({ ...this.state, chapter: id })}`;
    };
    if (now) {
      clearTimeout(this.hashTimer);
      write();
    } else if (!this.hashTimer) {
      this.hashTimer = setTimeout(write, HASH_WRITE_MS);
    }
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
