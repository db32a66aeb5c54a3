// The training chapter's choice of model: the app's word model (app.word), or a text-mode
// Model of its own (Lab.text: min-char-rnn on the built-in paragraph or a pasted text).
// Both are www/model.js Models, so training, Run/Pause, "diverged", iterations per second
// and the memo of numbers are theirs; this file only picks which one is shown and keeps
// the text model's settings in step with the page's. The text model is in the link: its
// iterations (`titer`, a TrainingLink of www/shell/links.js) and a pasted text that fits
// (`ttext`, compressed by www/shell/text-link.js).
import { Model } from '../../model.js';
import { TrainingLink, syncTraining, warnMixedTraining } from '../../shell/links.js';
import { encodeText, decodeText, MAX_LINK_TEXT } from '../../shell/text-link.js';
import { downloadModel, parseModelFile } from '../../shell/model-file.js';
import { prop } from '../../state.js';

/** Bytes of UTF-8: what the text model accepts (the engine refuses more, with a message). */
export const MAX_TEXT_BYTES = 100 * 1024;

export class TrainingModel {
  constructor(app) {
    this.app = app;
    this.paragraph = app.wasm.Lab.training_paragraph();
    /** The pasted text, or null for the built-in paragraph. */
    this.pasted = null;
    /**
     * The `ttext` code the pasted text came from or went to ('' for the paragraph, or for
     * a text too long for a link); a different code in the state is read (decoded).
     */
    this.linked = '';
    /** While a code from the address is being decoded (the text model waits). */
    this.decoding = false;
    /** The pasted text is too long for a link: its compressed size in characters. */
    this.unlinked = 0;
    /** The text Model, made when text mode is first shown. */
    this.text = null;
    this.textKey = null;
    /** Settings applied to the text model in place (no rebuild). */
    this.applied = {};
    /** How long the chapter's last render took (ms). */
    this.renderMs = 0;
    // titer=N in the address: the text model is retrained to N iterations.
    this.link = new TrainingLink(app, {
      row: 'titer',
      model: () => this.text,
      shown: () => this.mode === 'text',
      // The text model first follows the state (a rebuild for other settings or text).
      ready: () => {
        if (this.mode !== 'text') return false;
        this.ensureText();
        return !this.decoding && this.text !== null;
      },
      train: (n) => this.train(n),
      what: 'the text model',
    });
    app.links.push(this.link);
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
      update_per_chunk: s.tupd === 'chunk', precision: s.tprec,
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
    this.readLink();
    if (this.decoding) return;
    const o = this.textSettings();
    const key = JSON.stringify([o.text.length, o.text.slice(0, 64), o.hidden, o.seq, o.seed, o.act, this.pasted !== null]);
    if (this.text && key === this.textKey && o.text === this.builtText) return;
    this.textKey = key;
    this.builtText = o.text;
    const spec = { ctor: 'text', settings: o };
    try {
      if (this.text) this.text.rebuild(spec);
      else this.text = new Model(this.app, spec, { name: 'text' });
      this.applied = { opt: o.opt, lr: o.lr, clip: o.clip, clipc: o.clipc, precision: o.precision };
    } catch (e) {
      // Keep the old model (if any) and say why; the same settings are not retried.
      this.app.notice(`${e.message}. The text model was kept as it was.`, 'error');
    }
  }

  /** Applies optimiser, learning rate, clipping and precision to the text model without a reset. */
  syncText() {
    if (!this.text) return;
    const s = this.app.state;
    const patch = {};
    for (const k of ['opt', 'lr', 'clip', 'clipc']) if (this.applied[k] !== s[k]) patch[k] = s[k];
    if (this.applied.precision !== s.tprec) patch.precision = s.tprec;
    if (!Object.keys(patch).length) return;
    if (!this.link.pending) warnMixedTraining(this.app, this.text, Object.keys(patch).join(', '));
    Object.assign(this.applied, patch);
    try {
      this.text.mutate('configure', [patch]);
    } catch (e) {
      this.app.notice(`${e.message}. The text model kept its previous setting.`, 'error');
    }
  }

  /** Truncated BPTT (k1 = 0: full BPTT) and when W is updated, for training the shown model. */
  syncTruncation() {
    syncTraining(this.app, this.model());
  }

  syncAll() {
    if (this.mode === 'text') this.syncText();
    this.syncTruncation();
  }

  /**
   * A `ttext` in the state that is not the text shown (a link, Back/Forward): decoded,
   * then used; '' is the built-in paragraph. A code that cannot be read changes nothing.
   */
  readLink() {
    const code = this.app.state.ttext;
    if (code === this.linked || this.decoding) return;
    if (code === '') {
      this.linked = '';
      if (!this.unlinked) this.pasted = null;
      return;
    }
    this.decoding = true;
    decodeText(code).then((text) => {
      const r = this.checkText(text);
      if (r.error) throw new Error(r.error);
      this.pasted = text;
      this.unlinked = 0;
    }).catch((e) => {
      this.app.notice(`${e.message}. The text model was kept as it was.`, 'error');
    }).finally(() => {
      this.linked = code;
      this.decoding = false;
      this.app.requestRender();
    });
  }

  /** Refusals of a text, in words: { error } (null if the engine takes it). */
  checkText(text) {
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
    return { error };
  }

  /**
   * Puts the pasted text in the link (compressed), with `patch` (e.g. data: 'text'), as
   * one history entry; a text too long for a link is not put in it, and the page says so.
   * Resolves with the code ('' when it does not fit).
   */
  async linkText(text, patch = {}) {
    let code = '';
    try {
      code = await encodeText(text);
    } catch (e) {
      this.app.notice(`The text could not be put in the link (${e.message}); save the model file to share it.`, 'warn');
    }
    if (this.pasted !== text) return ''; // another text came meanwhile
    if (code.length > MAX_LINK_TEXT) {
      this.unlinked = code.length;
      this.app.notice(`This text is too long for a link (${code.length.toLocaleString('en')} characters compressed, at most ${MAX_LINK_TEXT.toLocaleString('en')}): the link names the built-in paragraph. To share this text and its model, use Save model.`, 'warn');
      code = '';
    } else {
      this.unlinked = 0;
    }
    this.linked = code;
    this.app.setState({ ...patch, ttext: code }, { history: 'push' });
    return code;
  }

  /** Uses `text` (pasted) for text mode. Returns { ok, error }; the old model stays on refusal. */
  usePasted(text, patch = {}) {
    const { error } = this.checkText(text);
    if (error) {
      this.app.notice(`${error}. The text model was kept as it was.`, 'error');
      return { ok: false, error };
    }
    this.text?.cancel();
    this.pasted = text;
    // Until linkText settles, the state's code stays the old one: not to be read back.
    this.linked = this.app.state.ttext;
    this.pending = this.linkText(text, patch);
    this.app.requestRender();
    return { ok: true, error: null };
  }

  useParagraph(patch = {}) {
    this.text?.cancel();
    this.pasted = null;
    this.unlinked = 0;
    this.linked = '';
    this.app.setState({ ...patch, ttext: '' });
    this.app.requestRender();
  }

  /** Downloads the shown model's file (the word model's, or text mode's with its text). */
  saveFile() {
    if (this.mode !== 'text') {
      this.app.exportModel();
      return;
    }
    this.ensureText();
    if (!this.text) return;
    downloadModel(this.text.handle, `rnn-lab-text-H${this.app.state.thidden}.json`);
  }

  /**
   * Loads a model file into the shown model: the word model's import, or in text mode the
   * file's text, hidden size and activation with its weights. The file is tried on a
   * scratch handle first: a refused file changes nothing. Resolves with { ok, error }.
   */
  async loadFile(json) {
    if (this.mode !== 'text') return this.app.importModel(json);
    const app = this.app;
    const refuse = (error) => {
      app.notice(`${error}. The model was kept as it was.`, 'error');
      return { ok: false, error };
    };
    const file = parseModelFile(app, json);
    if (!file) return { ok: false, error: 'not a model file' };
    if (typeof file.text !== 'string') return refuse('This is not a valid model file: it has no text');
    const hidden = prop('thidden');
    if (!Number.isInteger(file.hidden) || file.hidden < hidden.min || file.hidden > hidden.max) {
      return refuse(`The model has ${file.hidden} hidden units; text mode takes ${hidden.min} to ${hidden.max}`);
    }
    if (!prop('act').options.includes(file.activation)) return refuse(`The activation must be tanh, sigmoid, relu or identity, got ${String(file.activation).slice(0, 24)}`);
    const settings = { ...this.textSettings(file.text), hidden: file.hidden, act: file.activation };
    let scratch = null;
    try {
      scratch = app.wasm.Lab.text(settings);
      scratch.import_params(file);
    } catch (e) {
      return refuse(e.message);
    } finally {
      scratch?.free();
    }
    // Accepted: the text, the sizes and the weights, as one history entry.
    this.text?.cancel();
    this.pasted = file.text === this.paragraph ? null : file.text;
    const patch = { data: 'text', thidden: file.hidden, act: file.activation };
    if (this.pasted === null) this.useParagraph(patch);
    else await this.linkText(this.pasted, patch);
    this.ensureText();
    if (!this.text) return refuse('The text model could not be built');
    try {
      // Iteration 0, then the file's weights.
      this.text.mutate('reset', [app.state.seed], { replaces: true });
      this.text.mutate('import_params', [file], { replaces: true });
    } catch (e) {
      app.notice(`${e.message}. The weights were not loaded.`, 'error');
      return { ok: false, error: e.message };
    }
    app.notice('Model loaded. A link gives its settings and text, not these weights: share the file to share them.', 'info');
    return { ok: true, error: null };
  }

  /** Fresh weights from the seed: iteration 0, the diverged flag cleared (a history entry). */
  fresh() {
    if (this.mode === 'text') {
      const before = this.app.hash.hash();
      this.text?.mutate('reset', [this.app.state.seed], { replaces: true });
      this.app.state.titer = 0;
      this.app.writeHash('push', { before });
    } else {
      this.app.reset(this.app.state.seed);
    }
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
