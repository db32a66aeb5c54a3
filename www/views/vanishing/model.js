// The vanishing-gradient chapter's models: two wasm Labs of its own (the other chapters'
// model is never touched), both built from the chapter's URL state by
// Lab.vanishing_setup:
//   - `init`: the weights as initialised (W_hh rescaled to the λ1 of the slider);
//   - `trained`: the same start, trained `vit` iterations with the Lab's own train(n),
//     so the session's histories feed the training charts.
// The state → model map is a pure function: opening the same URL replays the same
// iterations and gives the same weights. `vit` counts the iterations asked for, so a
// run that diverged diverges again, at the same iteration, when the link is opened.
import { trainInSlices } from '../../lab.js';

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
    this.init = null;
    this.trained = null;
    /** JSON of the settings the labs were built from. */
    this.key = null;
    this.settings = null;
    this.notes = [];
    this.error = null;
    /** Iterations asked of `trained` so far (≤ state.vit). */
    this.done = 0;
    /** The engine's message if training diverged. */
    this.diverged = null;
    /** Bumps when the trained lab's numbers change. */
    this.version = 0;
    /** Bumps when the labs are rebuilt (a replay of an older build stops). */
    this.generation = 0;
    this.running = false;
    this.replay = Promise.resolve();
  }

  /** Brings the labs in line with the state: rebuild if a setting changed, then train up to vit. */
  sync() {
    const state = this.app.state;
    const { settings, notes } = chapterSettings(state, this.paragraph);
    const key = JSON.stringify(settings);
    if (key !== this.key) this.rebuild(settings, key, notes);
    if (!this.running && !this.diverged && this.done < state.vit && this.trained) {
      // Start after this frame: the frame that follows a slider move draws the new
      // initial weights at once; the replay's slices come in the frames after it.
      this.running = true;
      const generation = this.generation;
      this.replay = new Promise((resolve) => setTimeout(resolve, 0)).then(() => {
        if (generation !== this.generation) return undefined;
        this.running = false;
        return this.trainTo(this.app.state.vit);
      });
    }
  }

  rebuild(settings, key, notes) {
    let init = null;
    let trained = null;
    try {
      init = new this.app.wasm.Lab();
      init.vanishing_setup(settings);
      trained = new this.app.wasm.Lab();
      trained.vanishing_setup(settings);
    } catch (e) {
      init?.free();
      trained?.free();
      // Keep the model as it was; say why, once per bad setting.
      if (this.error !== e.message) this.app.notice(`${e.message}. The chapter keeps its previous model.`, 'error');
      this.error = e.message;
      this.key = key;
      return;
    }
    this.init?.free();
    this.trained?.free();
    this.init = init;
    this.trained = trained;
    this.key = key;
    this.settings = settings;
    this.notes = notes;
    this.error = null;
    this.done = 0;
    this.diverged = null;
    this.running = false;
    this.generation++;
    this.version++;
  }

  /** Trains the `trained` lab until `target` iterations were asked for (in slices). */
  trainTo(target) {
    const generation = this.generation;
    const lab = this.trained;
    const n = target - this.done;
    if (n <= 0) return this.replay;
    this.running = true;
    this.done = target;
    const run = trainInSlices(lab, n, {
      onSlice: () => {
        if (generation !== this.generation) return;
        this.version++;
        this.app.requestRender();
      },
      cancelled: () => generation !== this.generation,
    })
      .catch((e) => {
        if (generation === this.generation) this.diverged = e.message;
      })
      .finally(() => {
        if (generation === this.generation) {
          this.running = false;
          this.version++;
        }
        this.app.requestRender();
      });
    this.replay = run;
    return run;
  }

  /** The "Train n" buttons: n more iterations, recorded in the URL. */
  trainMore(n) {
    if (this.diverged) {
      this.app.notice('Training diverged (NaN or ∞). Change a setting or press “Start again” to train a fresh model.', 'warn');
      return this.replay;
    }
    this.app.setState({ vit: Math.min(this.app.state.vit + n, 100000) });
    this.sync();
    return this.replay;
  }

  /** The lab whose weights the analysis charts show. */
  analysed() {
    return this.app.state.vw === 'trained' ? this.trained : this.init;
  }

  /** Resolves when the replay/training asked for so far has finished and a frame was drawn. */
  async settled() {
    let r;
    do {
      r = this.replay;
      await r;
    } while (r !== this.replay);
    await this.app.frame();
  }
}
