// A Recap model driven by the URL state: a www/model.js Model (trained on the page, in the
// app's frame loop: these models are small) whose settings and number of training steps
// are state rows. `sync()` brings the model in line with the state: it rebuilds the model
// when a setting changed (the engine may refuse: then the old model stays and a notice
// says why) and trains towards the target a few steps per frame, so the student watches
// the numbers move and a link replays the very same steps (same seed, same bits).
import { Model } from '../../model.js';

/** Frames a run to a new target takes at most (a link with many steps replays fast). */
const FRAMES_PER_RUN = 60;

export class PacedModel {
  /**
   * `cls`: the wasm handle class; `settingsOf(state)`: its settings; `target(state)`: the
   * steps asked for (a state row); `pace`: steps per frame at least; `keyOf(state)`: a
   * short string that changes when the settings do (default: the settings as JSON; give
   * one when a setting is long, such as a pasted corpus).
   */
  constructor(app, { name, cls, settingsOf, target = () => 0, pace = 1, keyOf = null }) {
    this.app = app;
    this.name = name;
    this.cls = cls;
    this.settingsOf = settingsOf;
    this.keyOf = keyOf ?? ((state) => JSON.stringify(settingsOf(state)));
    this.target = target;
    this.pace = pace;
    this.model = null;
    this.key = null;
    this.error = null;
    /** Steps handed to the Model so far since the last build. */
    this.asked = 0;
  }

  get handle() {
    return this.model?.handle ?? null;
  }

  get version() {
    return this.model ? `${this.model.generation}.${this.model.version}` : '0';
  }

  get diverged() {
    return this.model?.diverged?.message ?? null;
  }

  /** Memoised per version (see Model.get). */
  get(key, fn) {
    return this.model.get(key, fn);
  }

  status() {
    return this.model.get('status', (h) => h.status());
  }

  /** Rebuilds if the settings changed, then trains a slice towards the target. */
  sync() {
    const state = this.app.state;
    const key = this.keyOf(state);
    const target = this.target(state);
    if (key !== this.key || (this.model && this.asked > target)) this.build(this.settingsOf(state), key);
    if (!this.model || this.diverged || this.model.busy) return;
    const left = target - this.asked;
    if (left > 0) {
      // One rate per run towards a target: at least `pace` steps per frame, at most ~1 s.
      if (this.runTarget !== target) {
        this.runTarget = target;
        this.rate = Math.max(this.pace, Math.ceil(left / FRAMES_PER_RUN));
      }
      const n = Math.min(left, this.rate);
      this.asked += n;
      this.model.train(n);
    }
  }

  build(settings, key) {
    const spec = { cls: this.cls, ctor: 'new', settings };
    try {
      if (this.model) this.model.rebuild(spec);
      else this.model = new Model(this.app, spec, { name: this.name, worker: false });
      this.error = null;
      this.asked = 0;
    } catch (e) {
      // The old model stays, with its steps; say why once per refused setting.
      if (this.error !== e.message) this.app.notice(`${e.message}. The previous model is kept.`, 'error');
      this.error = e.message;
    }
    this.key = key;
  }

  /** Whether the model has run every step the state asks for. */
  atTarget() {
    if (!this.model) return true;
    if (this.diverged) return true;
    return this.asked >= this.target(this.app.state) && !this.model.busy;
  }

  /** Resolves once the steps asked for have run and a frame was drawn. */
  async settled() {
    for (let i = 0; i < 10000 && !this.atTarget(); i++) await this.app.frame();
    await this.model?.settled();
    await this.app.frame();
  }
}
