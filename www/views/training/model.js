// The training chapter's choice of model: the app's word model (app.word), or a text-mode
// Model of its own (Lab.text: min-char-rnn on the built-in paragraph or a pasted text).
// Both are www/model.js Models, so training, Run/Pause, "diverged", iterations per second
// and the memo of numbers are theirs; this file only picks which one is shown and keeps
// the text model's settings in step with the page's.
import { Model } from '../../model.js';

/** Bytes of UTF-8: what the text model accepts (the engine refuses more, with a message). */
export const MAX_TEXT_BYTES = 100 * 1024;

export class TrainingModel {
  constructor(app) {
    this.app = app;
    this.paragraph = app.wasm.Lab.training_paragraph();
    /** The pasted text, or null for the built-in paragraph (text is not put in the URL). */
    this.pasted = null;
    /** The text Model, made when text mode is first shown. */
    this.text = null;
    this.textKey = null;
    /** Settings applied to the text model in place (no rebuild). */
    this.applied = {};
    this.truncationKey = null;
    /** How long the chapter's last render took (ms). */
    this.renderMs = 0;
  }

  get mode() {
    return this.app.state.data;
  }

  /** The text trained on in text mode. */
  textOf() {
    return this.pasted ?? this.paragraph;
  }

  /** The text model's settings, from the app state. */
  textSettings(text = this.textOf()) {
    const s = this.app.state;
    return {
      text, hidden: s.thidden, seq: s.tseq, seed: s.seed, act: s.act,
      opt: s.opt, lr: s.lr, clip: s.clip, clipc: s.clipc, scale: 0.01,
    };
  }

  /** The Model the views show: the app's word model, or the text model. */
  model() {
    if (this.mode !== 'text') return this.app.word;
    this.ensureText();
    return this.text ?? this.app.word;
  }

  /** The shown model's wasm handle (for reads). */
  lab() {
    return this.model().handle;
  }

  /** A key that changes whenever the shown model's numbers change. */
  version() {
    const m = this.model();
    return `${m.name}${m.id}/${m.version}`;
  }

  /** Memoised per model version: `get('status', () => lab.status())`. */
  get(key, fn) {
    return this.model().get(`training:${key}`, fn);
  }

  status() {
    return this.get('status', () => this.lab().status());
  }

  trace() {
    return this.get('trace', () => this.lab().trace());
  }

  info() {
    return this.get('info', () => this.lab().training_info());
  }

  get running() {
    return this.model().running;
  }

  get busy() {
    return this.model().busy;
  }

  get diverged() {
    return this.model().diverged;
  }

  get rate() {
    return this.model().rate;
  }

  /** Builds (or rebuilds) the text model when its model settings changed. */
  ensureText() {
    const o = this.textSettings();
    const key = JSON.stringify([o.text.length, o.text.slice(0, 64), o.hidden, o.seq, o.seed, o.act, this.pasted !== null]);
    if (this.text && key === this.textKey) return;
    this.textKey = key;
    const spec = { ctor: 'text', settings: o };
    try {
      if (this.text) this.text.rebuild(spec);
      else this.text = new Model(this.app, spec, { name: 'text' });
      this.applied = { opt: o.opt, lr: o.lr, clip: o.clip, clipc: o.clipc };
      this.truncationKey = null;
    } catch (e) {
      // Keep the old model (if any) and say why; the same settings are not retried.
      this.app.notice(`${e.message}. The text model was kept as it was.`, 'error');
    }
  }

  /** Applies optimiser, learning rate and clipping to the text model without a reset. */
  syncText() {
    if (!this.text) return;
    const s = this.app.state;
    const patch = {};
    for (const k of ['opt', 'lr', 'clip', 'clipc']) if (this.applied[k] !== s[k]) patch[k] = s[k];
    if (!Object.keys(patch).length) return;
    Object.assign(this.applied, patch);
    try {
      this.text.mutate('configure', [patch]);
    } catch (e) {
      this.app.notice(`${e.message}. The text model kept its previous setting.`, 'error');
    }
  }

  /** Truncated BPTT for training the shown model: k1 = 0 means full BPTT. */
  syncTruncation() {
    const { k1, k2 } = this.app.state;
    const m = this.model();
    const key = [m.id, m.generation, k1, k2].join('|');
    if (key === this.truncationKey) return;
    this.truncationKey = key;
    try {
      m.mutate('training_set_truncation', k1 > 0 ? [k1, k2 > 0 ? k2 : undefined] : [undefined, undefined]);
    } catch (e) {
      this.app.notice(`${e.message}. Training keeps full BPTT.`, 'error');
      m.mutate('training_set_truncation', [undefined, undefined]);
    }
  }

  syncAll() {
    if (this.mode === 'text') this.syncText();
    this.syncTruncation();
  }

  /** Uses `text` (pasted) for text mode. Returns { ok, error }; the old model stays on refusal. */
  usePasted(text) {
    const bytes = new TextEncoder().encode(text).length;
    let error = null;
    if (text.length === 0) error = 'The text is empty: paste some text, or use the built-in paragraph';
    else if (bytes > MAX_TEXT_BYTES) error = `The text is ${(bytes / 1024).toFixed(1)} KB; at most 100 KB can be trained on`;
    if (!error) {
      try {
        // Try it on a scratch handle first, so a refusal keeps the running model.
        this.app.wasm.Lab.text(this.textSettings(text)).free();
      } catch (e) {
        error = e.message;
      }
    }
    if (error) {
      this.app.notice(`${error}. The text model was kept as it was.`, 'error');
      return { ok: false, error };
    }
    this.text?.cancel();
    this.pasted = text;
    this.app.requestRender();
    return { ok: true, error: null };
  }

  useParagraph() {
    this.text?.cancel();
    this.pasted = null;
    this.app.requestRender();
  }

  /** Fresh weights from the seed: iteration 0, the diverged flag cleared. */
  fresh() {
    if (this.mode === 'text') {
      this.text?.mutate('reset', [this.app.state.seed], { replaces: true });
    } else {
      this.app.reset(this.app.state.seed);
    }
    this.truncationKey = null;
  }

  /** Trains n iterations of the shown model; resolves with the last report. */
  async train(n) {
    this.syncAll();
    const r = await this.model().train(n);
    if (r?.error && !this.model().diverged) this.app.notice(r.error, 'error');
    return r;
  }

  /** Run: train until paused. */
  run() {
    this.syncAll();
    this.model().run();
  }

  pause() {
    this.model().pause();
  }

  toggle() {
    if (this.running) this.pause();
    else this.run();
  }
}
