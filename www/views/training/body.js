// Chapter "Training: backpropagation through time". Five parts, each in
// www/views/training/: the backward pass stepped on the unrolled diagram (backward.js),
// training with the optimisers, learning rate and clipping (train.js), text mode and
// truncated BPTT (text.js), sampling (sample.js), and the gradient check (gradcheck.js).
// The model the parts train is chosen in model.js: the word of the settings bar, or a
// text in a second Lab. Every number comes from the wasm Lab.
import { el, fmt } from '../common.js';
import { playerBar } from '../playerbar.js';
import { substepText } from '../unrolled/body.js';
import { TrainingModel } from './model.js';
import { backwardPanel, diagramData } from './backward.js';
import { trainPanel } from './train.js';
import { textPanel } from './text.js';
import { samplePanel } from './sample.js';
import { gradcheckPanel } from './gradcheck.js';
import { checkedCount, MAX_API_ITERATIONS, readOnly } from '../../shell/api-guards.js';

/** While running, how often the pictures follow the model (ms). */
const LIVE_REDRAW_MS = 250;

const section = (id, title, ...body) =>
  el('section', { class: 'training-part', id, 'aria-labelledby': `${id}-title` }, el('h3', { id: `${id}-title`, text: title }), ...body);

export default {
  mount(root, app) {
    const ui = {};
    ui.model = new TrainingModel(app);
    ui.player = playerBar(app, { idPrefix: 'training', substepText: (name, t) => substepText(app, name, t) });
    ui.backward = backwardPanel(app);
    ui.train = trainPanel(app, ui.model);
    ui.text = textPanel(app, ui.model);
    ui.sample = samplePanel(app, ui.model);
    ui.check = gradcheckPanel(app, ui.model);
    root.append(
      section('training-sec-backward', 'The backward pass, step by step',
        el('p', { class: 'note' }, 'The word of the settings bar, with the current weights. Choose the backward pass and step from t = T down to 1; arrow widths follow the real gradient norms.'),
        ui.player.el, ui.backward.el),
      section('training-sec-train', 'Training', ui.train.el),
      section('training-sec-text', 'Text mode and truncated BPTT',
        el('p', { class: 'note' },
          'On a long text the network trains like min-char-rnn: sequences of T characters, the hidden state carried from one to the next. ',
          'Truncated BPTT cuts each sequence into chunks of k steps: the forward pass still carries h across the borders, but the gradient of each chunk stops where the chunk starts.'),
        ui.text.el),
      section('training-sec-sampling', 'Sampling', ui.sample.el),
      section('training-sec-check', 'Gradient check', ui.check.el),
    );
    // This chapter is about the backward pass: start there unless the link says where.
    if (app.state.phase === 'forward' && !/(^|[#&])phase=/.test(location.hash)) app.player.setPhase('backward');
    return ui;
  },

  describeStep(app, ui) {
    const t = app.state.step;
    if (app.state.phase !== 'backward') return `Forward pass, step t = ${t} of ${app.steps()}.`;
    const b = diagramData(app).backward;
    return `Backward pass, step t = ${t} of ${b.steps}, ${substepText(app, app.player.substepName, t)}: ‖dL/dh_${t}‖ = ${fmt(b.norms[t - 1].dh)}.`;
  },

  extendSnapshot(app, snap, ui) {
    if (app.state.chapter !== 'training' || !ui.model) return;
    const status = ui.model.status();
    snap.training = {
      mode: ui.model.mode, iteration: status.iteration, smooth_loss: status.smooth_loss,
      diverged: Boolean(ui.model.diverged), running: ui.model.running,
    };
  },

  /** window.rnnLab.training: what the buttons do, and the Lab each part reads. */
  api(app) {
    const ui = () => app.view('training');
    const m = () => {
      if (!ui()?.model) throw new Error('open the training chapter first (rnnLab.set({chapter: "training"}))');
      return ui().model;
    };
    return {
      lab: () => readOnly(() => m().lab()),
      textLab: () => (m().text?.handle ? readOnly(() => m().text.handle) : null),
      status: () => ({ ...m().lab().status(), mode: m().mode, running: m().running, busy: m().busy, diverged: m().diverged, iterations_per_second: m().rate.perSecond }),
      train: (n = 1) => m().train(checkedCount('train(n): n', n, MAX_API_ITERATIONS)).then(() => app.frame()),
      run: () => m().run(),
      pause: () => m().pause(),
      fresh: () => m().fresh(),
      /** { ok, error }; the text goes into the link (ttext) soon after: await textLinked(). */
      usePasted: (text) => m().usePasted(text, { data: 'text' }),
      useParagraph: () => m().useParagraph({ data: 'text' }),
      /** Resolves with the link's code of the last pasted text ('' if it did not fit). */
      textLinked: () => Promise.resolve(m().pending ?? app.state.ttext).then(async (code) => {
        await app.frame();
        return code;
      }),
      /** The timeline the chapter draws (k1, k2, update per chunk from the state). */
      timeline: () => {
        const { k1, k2, tupd } = app.state;
        return m().lab().training_timeline(k1 > 0 ? k1 : undefined, k1 > 0 && k2 > 0 ? k2 : undefined, tupd === 'chunk');
      },
      revealSample: (k) => {
        ui().sample.reveal(k);
        return app.frame();
      },
    };
  },

  render(app, ui) {
    const t0 = performance.now();
    ui.player.update();
    ui.model.syncAll();
    ui.check.update();
    if (!ui.model.running) {
      ui.backward.update(true);
      ui.train.update(true);
      ui.text.update();
      ui.sample.update();
    } else {
      // While Run trains, the model changes every frame. The readouts follow every frame;
      // the pictures take turns, one per frame at most every LIVE_REDRAW_MS, so a frame
      // never holds more than one redraw on top of its training slice.
      const parts = [() => ui.train.update(true), () => ui.backward.update(true), () => ui.text.update(), () => ui.sample.update()];
      if (t0 - (ui.lastFull ?? 0) >= LIVE_REDRAW_MS / parts.length) {
        ui.lastFull = t0;
        ui.turn = ((ui.turn ?? -1) + 1) % parts.length;
        parts[ui.turn]();
      }
      if (ui.turn !== 0) ui.train.update(false);
      if (ui.turn !== 1) ui.backward.update(false);
    }
    ui.model.renderMs = performance.now() - t0;
  },
};
