// The training chapter's model: which Lab trains (the word model of the whole app, or a
// second, text-mode Lab made by Lab.training_text), the Run loop that trains inside a
// per-frame time budget, iterations per second, and the "diverged" state.
//
// Both Labs are the same wasm class, so every view asks `model.lab()` and calls the same
// methods (train, loss_history, sample, grad_check, training_timeline, …). Every number
// shown comes from them; nothing here computes math.
import { trainInSlices } from '../../lab.js';

/** Milliseconds of training per animation frame while running: the rest of the 16.7 ms frame draws. */
export const FRAME_BUDGET_MS = 7;
/** Training + drawing aimed at per frame: a frame that drew a lot trains less. */
const FRAME_TARGET_MS = 11;
/** Characters: what the text model accepts (the engine refuses more, with a message). */
export const MAX_TEXT_BYTES = 100 * 1024;

export class TrainingModel {
  constructor(app) {
    this.app = app;
    this.paragraph = app.wasm.Lab.training_paragraph();
    /** The pasted text, or null for the built-in paragraph (text is not put in the URL). */
    this.pasted = null;
    this.textLab = null;
    this.textKey = null;
    this.textVersion = 0;
    this.textCache = {};
    this.applied = {};
    this.running = false;
    /** A Train 1 / Train 100 run is going on. */
    this.busy = false;
    this.raf = 0;
    this.chunk = 1;
    /** { iteration, message } after NaN/Inf; cleared by fresh weights. */
    this.diverged = null;
    this.rate = { windowStart: 0, iterations: 0, perSecond: 0 };
    /** How long the chapter's last render took (ms): the Run loop trains less after a long one. */
    this.renderMs = 0;
    this.lastError = null;
  }

  get mode() {
    return this.app.state.data;
  }

  /** The text trained on in text mode. */
  text() {
    return this.pasted ?? this.paragraph;
  }

  /** The options of the text Lab, from the app state. */
  textOptions() {
    const s = this.app.state;
    return {
      text: this.text(), hidden: s.thidden, seq: s.tseq, seed: s.seed, act: s.act,
      opt: s.opt, lr: s.lr, clip: s.clip, clipc: s.clipc, scale: 0.01,
    };
  }

  /** The Lab the views show: the app's word model, or the text model. */
  lab() {
    if (this.mode !== 'text') return this.app.lab;
    this.ensureText();
    return this.textLab ?? this.app.lab;
  }

  /** A number that changes whenever the shown model's numbers change. */
  version() {
    return this.mode === 'text' ? `text${this.textVersion}` : `word${this.app.version}`;
  }

  /** Memoised per model version: `get('status', () => lab.status())`. */
  get(key, fn) {
    if (this.mode !== 'text') return (this.app.cache[`training:${key}`] ??= fn());
    return (this.textCache[key] ??= fn());
  }

  status() {
    return this.get('status', () => this.lab().status());
  }

  trace() {
    return this.mode === 'text' ? this.get('trace', () => this.lab().trace()) : this.app.trace();
  }

  info() {
    return this.get('info', () => this.lab().training_info());
  }

  /** Builds (or rebuilds) the text Lab when its model settings changed. */
  ensureText() {
    const o = this.textOptions();
    const key = JSON.stringify([o.text.length, o.text.slice(0, 64), o.hidden, o.seq, o.seed, o.act, this.pasted !== null]);
    if (this.textLab && key === this.textKey) return;
    try {
      const lab = this.app.wasm.Lab.training_text(o);
      this.textLab?.free();
      this.textLab = lab;
      this.textKey = key;
      this.applied = { opt: o.opt, lr: o.lr, clip: o.clip, clipc: o.clipc };
      this.truncationKey = null;
      this.lastError = null;
      this.textChanged(true);
    } catch (e) {
      // Keep the old model (if any) and say why; the same settings are not retried.
      this.textKey = key;
      this.lastError = e.message;
      this.app.notice(`${e.message}. The text model was kept as it was.`, 'error');
    }
  }

  /** Applies optimiser, learning rate and clipping to the text Lab without a reset. */
  syncText() {
    if (!this.textLab) return;
    const s = this.app.state;
    const patch = {};
    for (const k of ['opt', 'lr', 'clip', 'clipc']) if (this.applied[k] !== s[k]) patch[k] = s[k];
    if (!Object.keys(patch).length) return;
    try {
      this.textLab.configure(patch);
      Object.assign(this.applied, patch);
      this.textChanged(false);
    } catch (e) {
      Object.assign(this.applied, patch);
      this.app.notice(`${e.message}. The text model kept its previous setting.`, 'error');
    }
  }

  /** Truncated BPTT for training the shown Lab: k1 = 0 means full BPTT. */
  syncTruncation() {
    const { k1, k2 } = this.app.state;
    const lab = this.lab();
    const key = [this.mode, k1, k2, this.mode === 'text' ? this.textKey : this.app.generation].join('|');
    if (key === this.truncationKey) return;
    this.truncationKey = key;
    try {
      if (k1 > 0) lab.training_set_truncation(k1, k2 > 0 ? k2 : undefined);
      else lab.training_set_truncation(undefined, undefined);
    } catch (e) {
      this.app.notice(`${e.message}. Training keeps full BPTT.`, 'error');
      lab.training_set_truncation(undefined, undefined);
    }
  }

  /** Uses `text` (pasted) for text mode. Returns { ok, error }; the old model stays on refusal. */
  usePasted(text) {
    const bytes = new TextEncoder().encode(text).length;
    let error = null;
    if (text.length === 0) error = 'The text is empty: paste some text, or use the built-in paragraph';
    else if (bytes > MAX_TEXT_BYTES) error = `The text is ${(bytes / 1024).toFixed(1)} KB; at most 100 KB can be trained on`;
    if (!error) {
      try {
        // Try it on a scratch Lab first, so a refusal keeps the running model.
        this.app.wasm.Lab.training_text({ ...this.textOptions(), text }).free();
      } catch (e) {
        error = e.message;
      }
    }
    if (error) {
      this.app.notice(`${error}. The text model was kept as it was.`, 'error');
      return { ok: false, error };
    }
    this.pause();
    this.pasted = text;
    this.diverged = null;
    this.app.requestRender();
    return { ok: true, error: null };
  }

  useParagraph() {
    this.pause();
    this.pasted = null;
    this.diverged = null;
    this.app.requestRender();
  }

  textChanged(rebuilt) {
    this.textVersion++;
    this.textCache = {};
    if (rebuilt) this.diverged = null;
  }

  /** After training changed the shown model. */
  changed() {
    if (this.mode === 'text') this.textChanged(false);
    else this.app.modelChanged(false);
    this.app.requestRender();
  }

  /** Fresh weights from the seed: iteration 0, the diverged flag cleared. */
  fresh() {
    this.pause();
    this.diverged = null;
    if (this.mode === 'text') {
      this.textLab?.reset(this.app.state.seed);
      this.truncationKey = null;
      this.textChanged(true);
      this.app.requestRender();
    } else {
      this.app.reset(this.app.state.seed);
      this.truncationKey = null;
    }
  }

  fail(e) {
    const status = this.lab().status();
    this.diverged = status.diverged ? { iteration: status.iteration + 1, message: e.message } : null;
    if (!status.diverged) this.app.notice(e.message, 'error');
    this.running = false;
    this.changed();
  }

  countRate(n) {
    const now = performance.now();
    const r = this.rate;
    if (!r.windowStart) r.windowStart = now;
    r.iterations += n;
    const dt = now - r.windowStart;
    if (dt >= 250) {
      r.perSecond = (r.iterations * 1000) / dt;
      r.windowStart = now;
      r.iterations = 0;
    }
  }

  /** Trains n iterations in slices (the page keeps drawing); resolves with the last report. */
  async train(n) {
    if (this.diverged) return null;
    this.syncAll();
    const lab = this.lab();
    const mode = this.mode;
    const t0 = performance.now();
    let before = this.status().iteration;
    this.busy = true;
    try {
      const report = await trainInSlices(lab, n, {
        budgetMs: FRAME_BUDGET_MS,
        onSlice: (r) => {
          if (r) {
            this.countRate(r.iteration - before);
            before = r.iteration;
          }
          this.changed();
        },
        cancelled: () => this.mode !== mode || lab !== this.lab(),
      });
      if (!this.rate.perSecond && report) this.rate.perSecond = (n * 1000) / Math.max(1, performance.now() - t0);
      return report;
    } catch (e) {
      this.fail(e);
      return null;
    } finally {
      this.busy = false;
      this.app.requestRender();
    }
  }

  syncAll() {
    if (this.mode === 'text') this.syncText();
    this.syncTruncation();
  }

  /** Run: train inside FRAME_BUDGET_MS of every animation frame until paused. */
  run() {
    if (this.running || this.diverged) return;
    this.running = true;
    this.rate = { windowStart: 0, iterations: 0, perSecond: this.rate.perSecond };
    const tick = () => {
      if (!this.running) return;
      this.syncAll();
      const lab = this.lab();
      const start = performance.now();
      // The page was drawn just before this callback, in the same frame.
      const budget = Math.max(1, Math.min(FRAME_BUDGET_MS, FRAME_TARGET_MS - (this.renderMs ?? 0)));
      let done = 0;
      try {
        while (performance.now() - start < budget) {
          const t0 = performance.now();
          const r = lab.train(this.chunk);
          done += r.iterations_run;
          const dt = performance.now() - t0;
          // Aim at ~1.5 ms per call: few boundary crossings, a fine-grained budget.
          if (dt < 0.75) this.chunk = Math.min(this.chunk * 2, 4096);
          else if (dt > 3 && this.chunk > 1) this.chunk = Math.max(1, this.chunk >> 1);
        }
      } catch (e) {
        this.countRate(done);
        this.fail(e);
        return;
      }
      this.countRate(done);
      this.changed();
      this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
    this.app.requestRender();
  }

  pause() {
    if (!this.running) return;
    this.running = false;
    cancelAnimationFrame(this.raf);
    this.app.requestRender();
  }

  toggle() {
    if (this.running) this.pause();
    else this.run();
  }
}
