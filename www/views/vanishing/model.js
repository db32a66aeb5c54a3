// The vanishing-gradient chapter's models: two www/model.js Models of its own (the other
// chapters' model is never touched), both built from the chapter's URL state by
// VanishingLab.vanishing(settings) (the Lab of the chapter's own engine module, www/pkg/vanishing):
//   - `init`: the weights as initialised (W_hh rescaled to the λ1 of the slider);
//   - `trained`: the same start, trained `vit` iterations (in the worker), so the
//     session's histories feed the training charts.
// The state → model map is a pure function: opening the same URL replays the same
// iterations and gives the same weights. `vit` counts the iterations asked for, so a
// run that diverged diverges again, at the same iteration, when the link is opened.
import { Model } from '../../model.js';
import { prop } from '../../state.js';
import { downloadModel, parseModelFile } from '../../shell/model-file.js';

/** The sequences of the long-range task (8 filler patterns, each with key a and with b). */
export const TASK_COUNT = 16;

/** The engine settings the state describes, and notes on what was adjusted. */
export function chapterSettings(state, paragraph) {
  const notes = [];
  const source = state.vsrc === 'task' ? 'task' : 'text';
  let length = state.vlen;
  let text = '';
  if (state.vsrc === 'task') {
    if (length < state.vd + 2) {
      notes.push(`T = ${length} is shorter than d + 2, so T = ${state.vd + 2} is used`);
      length = state.vd + 2;
    }
  } else {
    text = state.vsrc === 'word' ? state.word : paragraph;
    const n = [...text].length;
    if (n < 2) {
      notes.push('the word is too short for a sequence, so the long-range task is used');
      return chapterSettings({ ...state, vsrc: 'task' }, paragraph);
    }
    if (length > n - 1) {
      notes.push(`the text has ${n} characters, so T = ${n - 1} is used`);
      length = n - 1;
    }
  }
  return {
    settings: {
      source, text, loss: state.vloss, distance: state.vd, length, hidden: state.vh, act: state.vact,
      init: state.vinit, lambda1: state.vl1, seed: state.vseed, lr: state.vlr, clip: state.vclip, clipc: state.vclipc,
    },
    notes,
  };
}

export class VanishingModel {
  constructor(app) {
    this.app = app;
    this.paragraph = app.wasm.Lab.training_paragraph?.() ?? '';
    /** The two Models (null until the first settings the engine accepts). */
    this.initModel = null;
    this.trainedModel = null;
    /** JSON of the settings the models were built from. */
    this.key = null;
    this.settings = null;
    this.notes = [];
    this.error = null;
    /** Iterations asked of `trained` so far (≤ state.vit). */
    this.done = 0;
  }

  /** The wasm handles the charts read. */
  get init() {
    return this.initModel?.handle ?? null;
  }

  get trained() {
    return this.trainedModel?.handle ?? null;
  }

  /** Bumps when the trained model's numbers change. */
  get version() {
    return this.trainedModel?.version ?? 0;
  }

  /** Bumps when the models are rebuilt. */
  get generation() {
    return this.trainedModel?.generation ?? 0;
  }

  get running() {
    return Boolean(this.trainedModel?.active);
  }

  /** The engine's message if training diverged. */
  get diverged() {
    return this.trainedModel?.diverged?.message ?? null;
  }

  /** Brings the models in line with the state: rebuild if a setting changed, then train up to vit. */
  sync() {
    const state = this.app.state;
    const { settings, notes } = chapterSettings(state, this.paragraph);
    const key = JSON.stringify(settings);
    if (key !== this.key) this.rebuild(settings, key, notes);
    if (this.trainedModel && !this.diverged && this.done < state.vit) this.trainTo(state.vit);
  }

  rebuild(settings, key, notes) {
    const spec = { cls: 'VanishingLab', ctor: 'vanishing', settings };
    try {
      // The engine checks the settings once, on a scratch handle, before either model changes.
      this.app.wasm.VanishingLab.vanishing(settings).free();
      if (this.initModel) {
        this.initModel.rebuild(spec);
        this.trainedModel.rebuild(spec);
      } else {
        this.initModel = new Model(this.app, spec, { name: 'vanishing-init' });
        this.trainedModel = new Model(this.app, spec, { name: 'vanishing-trained' });
      }
    } catch (e) {
      // Keep the models as they were; say why, once per bad setting.
      if (this.error !== e.message) this.app.notice(`${e.message}. The chapter keeps its previous model.`, 'error');
      this.error = e.message;
      this.key = key;
      return;
    }
    this.key = key;
    this.settings = settings;
    this.notes = notes;
    this.error = null;
    this.done = 0;
  }

  /** Trains the `trained` model until `target` iterations were asked for. */
  trainTo(target) {
    const n = target - this.done;
    if (n <= 0) return this.trainedModel.settled();
    this.done = target;
    return this.trainedModel.train(n);
  }

  /** The "Train n" buttons: n more iterations, recorded in the URL. */
  trainMore(n) {
    if (this.diverged) {
      this.app.notice('Training diverged (NaN or ∞). Change a setting or press “Start again” to train a fresh model.', 'warn');
      return this.settled();
    }
    this.app.setState({ vit: Math.min(this.app.state.vit + n, 100000) });
    this.sync();
    return this.settled();
  }

  /** Downloads the analysed weights (as initialised, or after training) as a model file. */
  saveFile() {
    const h = this.analysed();
    if (!h) return;
    downloadModel(h, `rnn-lab-vanishing-${this.app.state.vw}-H${this.settings.hidden}.json`);
  }

  /**
   * Loads a model file as the chapter's model: its hidden size and activation, and its
   * weights in both the initial and the trained model (training goes on from them). The
   * file is tried on a scratch handle with the chapter's sequences first: a refused file
   * changes nothing. Returns { ok, error }.
   */
  loadFile(json) {
    const app = this.app;
    const refuse = (error) => {
      app.notice(`${error}. The chapter's model was kept as it was.`, 'error');
      return { ok: false, error };
    };
    const file = parseModelFile(app, json);
    if (!file) return { ok: false, error: 'not a model file' };
    const vh = prop('vh');
    if (!Number.isInteger(file.hidden) || file.hidden < vh.min || file.hidden > vh.max) {
      return refuse(`The model has ${file.hidden} hidden units; this chapter takes ${vh.min} to ${vh.max}`);
    }
    if (!prop('vact').options.includes(file.activation)) return refuse(`The activation must be tanh, sigmoid, relu or identity, got ${String(file.activation).slice(0, 24)}`);
    const patch = { vh: file.hidden, vact: file.activation, vit: 0 };
    const { settings } = chapterSettings({ ...app.state, ...patch }, this.paragraph);
    let scratch = null;
    try {
      scratch = app.wasm.VanishingLab.vanishing(settings);
      scratch.import_params(file);
    } catch (e) {
      return refuse(e.message);
    } finally {
      scratch?.free();
    }
    app.setState(patch, { history: 'push' });
    this.sync();
    try {
      // Iteration 0 and empty histories, then the file's weights.
      for (const m of [this.initModel, this.trainedModel]) {
        m.mutate('reset', [app.state.vseed], { replaces: true });
        m.mutate('import_params', [file], { replaces: true });
      }
    } catch (e) {
      return refuse(e.message);
    }
    this.done = 0;
    app.notice('Model loaded: the charts analyse its weights, and Train goes on from them. A link gives the settings, not these weights: share the file to share them.', 'info');
    return { ok: true, error: null };
  }

  /** The handle whose weights the analysis charts show. */
  analysed() {
    return this.app.state.vw === 'trained' ? this.trained : this.init;
  }

  /** Resolves when the training asked for so far has finished and a frame was drawn. */
  async settled() {
    await this.trainedModel?.settled();
    await this.app.frame();
  }
}
