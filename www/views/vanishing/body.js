// Chapter "Vanishing and exploding gradients": a long-range task whose answer is a key
// seen d steps earlier, and five charts computed live by the engine from a real model:
// ‖∂loss_T/∂h_t‖ against t, ‖∂h_T/∂h_k‖ against T − k with Pascanu's bound, the singular
// values of W_hh with the threshold 1/γ, and during training the gradient norm per
// parameter and the step × iteration heatmap of ‖dL/dh_t‖. The chapter's model lives in
// two Labs of its own (vanishing/model.js); every number comes from them.
import { el, fmt, math, showSymbol } from '../common.js';
import { Chart, chartScale, fitCanvas } from '../charts.js';
import { control, sync, syncAll } from '../controls.js';
import { prop, serialise } from '../../state.js';
import { VanishingModel } from './model.js';
import { explanations, num, pow10, verdict } from './story.js';
import { modelFileButtons } from '../../shell/model-file.js';
import { checkedCount, MAX_API_ITERATIONS, readOnly } from '../../shell/api-guards.js';

/** Iterations the heatmap shows at most (sampled evenly from the history). */
const HEAT_COLUMNS = 200;
/** While training runs, the training charts are redrawn at most this often. */
const TRAINING_REDRAW_MS = 250;


/** The five presets: settings of the URL rows, from the engine's table. */
function presetStates(app) {
  return app.wasm.VanishingLab.vanishing_presets().map((p) => ({
    name: p.name,
    lesson: p.lesson,
    values: {
      chapter: 'vanishing', vsrc: 'task', vd: p.distance, vlen: p.length, vh: p.hidden, vl1: p.lambda1,
      vact: p.activation, vinit: p.init, vclip: p.clip_norm != null, vclipc: p.clip_norm ?? 1,
      vlr: 0.05, vseed: 0, vit: p.iterations, vw: 'init',
    },
  }));
}

/** The λ1 slider: a range input and its value, committing on every move. */
function lambdaSlider(app, ui) {
  const p = prop('vl1');
  const input = el('input', {
    type: 'range', id: 'vanishing-lambda1', min: p.min, max: p.max, step: 0.01, dataset: { prop: 'vl1' },
    'aria-describedby': 'vanishing-lambda1-value',
  });
  const out = el('output', { id: 'vanishing-lambda1-value', for: 'vanishing-lambda1' });
  // While dragged, the history entry is rewritten; the end of the drag pushes one entry.
  input.addEventListener('input', () => app.setState({ vl1: Number(input.value) }, { history: 'drag' }));
  input.addEventListener('change', () => app.hash.endDrag());
  ui.lambdaOut = out;
  return el('div', { class: 'field field-range' },
    el('label', { for: 'vanishing-lambda1' }, math(`${p.label}: rescales W_hh`)),
    el('div', { class: 'range-row' }, input, out));
}

function presetBar(app, ui) {
  ui.presets = presetStates(app);
  ui.presetLinks = ui.presets.map((p) => el('a', {
    class: 'preset', id: `vanishing-preset-${p.name}`, href: '#', title: p.lesson, dataset: { preset: p.name },
    text: p.name,
  }));
  return el('nav', { class: 'presets', 'aria-label': 'Presets' },
    el('span', { class: 'presets-label', text: 'Presets:' }), ...ui.presetLinks);
}

function trainBar(app, ui) {
  const button = (n) => el('button', {
    type: 'button', class: 'primary', id: `vanishing-train-${n}`, text: `Train ${n}`,
    title: `Train ${n} more iterations with SGD (one sequence each)`,
    on: { click: () => ui.model.trainMore(n) },
  });
  const again = el('button', {
    type: 'button', id: 'vanishing-start-again', text: 'Start again',
    title: 'Back to the initial weights: iteration 0',
    on: { click: () => app.setState({ vit: 0 }, { history: 'push' }) },
  });
  ui.trainReadout = el('p', { class: 'readout', id: 'vanishing-train-readout', 'aria-live': 'polite' });
  return el('div', { class: 'train-bar' },
    el('div', { class: 'buttons', role: 'group', 'aria-label': 'Training' }, button(100), button(1000), again),
    el('div', { class: 'buttons', role: 'group', 'aria-label': 'Model file' },
      ...modelFileButtons('vanishing', { save: () => ui.model.saveFile(), load: (text) => ui.model.loadFile(text) })),
    ui.trainReadout);
}

function chart(app, id, title, caption) {
  return new Chart(app, { id, title, caption, draw: () => {} });
}

export default {
  mount(root, app) {
    const ui = {};
    ui.model = new VanishingModel(app);
    ui.charts = {
      past: chart(app, 'vanishing-past', 'Gradient reaching the past, ‖∂loss_T/∂h_t‖ against t',
        '‖∂loss_T/∂h_t‖ from BPTT of the last step’s loss loss_T (blue, log scale) and its bound ‖∂loss_T/∂h_T‖·(γλ1)^(T−t) (dashed vermillion). The grey line marks the key.'),
      chain: chart(app, 'vanishing-chain', 'Jacobian products ‖∂h_T/∂h_k‖ against T − k',
        'Spectral norm of ∂h_T/∂h_k for every k (blue, log scale) under the bound (γλ1)^(T−k) (dashed vermillion). Above the level 1 the gradient grows with distance; below it, it shrinks.'),
      spectrum: chart(app, 'vanishing-spectrum', 'Singular values of W_hh',
        'Bars: all singular values of W_hh; λ1 is the first. Black line: the threshold 1/γ. Dashed blue: the spectral radius ρ.'),
      norms: chart(app, 'vanishing-norms', 'Gradient norm of each parameter during training',
        '‖dL/dθ‖ of W_xh, W_hh and W_hy at every iteration, before clipping (log scale); a vermillion tick at the top where clipping fired.'),
      heat: chart(app, 'vanishing-heat', '‖dL/dh_t‖ per time step and iteration',
        'Each column is one iteration, each row a time step t; the colour is ‖dL/dh_t‖ on a log scale (viridis). Dark rows at small t: the gradient does not reach the start.'),
    };
    ui.badge = el('p', { class: 'exploded-badge', id: 'vanishing-exploded', role: 'status', hidden: true });
    ui.notes = el('p', { class: 'note', id: 'vanishing-notes' });
    ui.sequence = el('p', { class: 'sequence', id: 'vanishing-sequence' });
    ui.readout = el('p', { class: 'readout', id: 'vanishing-readout' });
    ui.verdict = el('div', { class: 'verdict-box', id: 'vanishing-verdict', 'aria-live': 'polite' });
    // The word the other chapters train on, editable here when it is the chosen sequence.
    ui.word = control(app, 'word', {
      id: 'vanishing-word', label: 'Word (shared with the other chapters)', hint: `2–${prop('word').maxLength} characters`,
    });
    ui.controls = el('div', { class: 'vanishing-controls' },
      el('fieldset', {}, el('legend', { text: 'Task' }),
        el('div', { class: 'fields' }, control(app, 'vsrc', { id: 'vanishing-vsrc' }), ui.word, control(app, 'vd', { id: 'vanishing-vd' }),
          control(app, 'vlen', { id: 'vanishing-vlen' }), control(app, 'vloss', { id: 'vanishing-vloss' }))),
      el('fieldset', {}, el('legend', { text: 'Model' }),
        el('div', { class: 'fields' }, lambdaSlider(app, ui), control(app, 'vact', { id: 'vanishing-vact' }),
          control(app, 'vinit', { id: 'vanishing-vinit' }), control(app, 'vh', { id: 'vanishing-vh' }),
          control(app, 'vseed', { id: 'vanishing-vseed' }))));
    ui.weights = control(app, 'vw', { id: 'vanishing-vw' });
    root.append(
      el('p', { class: 'note' },
        'Each sequence starts with the previous sequence’s answer, a distractor: the right answer is always the last a or b before “?”. ',
        'This chapter has its own model and settings, below; the other chapters’ model is not changed here.'),
      presetBar(app, ui),
      ui.controls,
      ui.notes,
      ui.sequence,
      ui.badge,
      ui.readout,
      ui.verdict,
      el('div', { class: 'weights-row' }, ui.weights),
      el('div', { class: 'charts' }, ui.charts.past.figure, ui.charts.chain.figure, ui.charts.spectrum.figure),
      el('h3', { id: 'vanishing-training-title', text: 'During training' }),
      el('p', { class: 'note' },
        'Plain SGD, one sequence per iteration, the loss on the last step only. With a short distance the loss falls to 0; with a long one it stalls near ln 2 ≈ 0.69, a coin toss, ',
        'because the gradient from the answer never reaches the key. With the identity and λ1 > 1 the gradient explodes; clipping keeps the steps finite.'),
      el('div', { class: 'vanishing-controls' },
        el('fieldset', {}, el('legend', { text: 'Training' }),
          el('div', { class: 'fields' }, control(app, 'vlr', { id: 'vanishing-vlr' }), control(app, 'vclip', { id: 'vanishing-vclip' }),
            control(app, 'vclipc', { id: 'vanishing-vclipc' })))),
      trainBar(app, ui),
      el('div', { class: 'charts' }, ui.charts.norms.figure, ui.charts.heat.figure),
      explanations(),
    );
    ui.drawn = { analysis: null, training: null };
    ui.analysis = null;
    ui.training = null;
    return ui;
  },

  render(app, ui) {
    const m = ui.model;
    m.sync();
    const state = app.state;
    syncAll(ui.controls, state);
    ui.word.hidden = state.vsrc !== 'word';
    sync(ui.weights.querySelector('select'), state.vw);
    ui.lambdaOut.textContent = fmt(state.vl1, 2);
    for (const [i, a] of ui.presetLinks.entries()) {
      a.href = `#${serialise({ ...state, ...ui.presets[i].values })}`;
      const on = Object.entries(ui.presets[i].values).every(([k, v]) => state[k] === v);
      if (on) a.setAttribute('aria-current', 'true');
      else a.removeAttribute('aria-current');
    }
    ui.notes.textContent = m.notes.length ? `Note: ${m.notes.join('; ')}.` : '';
    ui.notes.hidden = !m.notes.length;
    if (!m.init) return;
    const distance = m.settings.source === 'task' ? m.settings.distance : 0;
    const analysed = m.analysed();
    // Redraw only what changed: the analysed weights, or the training history.
    const aKey = `${m.generation}/${state.vw}/${state.vw === 'trained' ? m.version : 0}`;
    const tKey = `${m.generation}/${m.version}`;
    const need = (names, key, which) => {
      const out = {};
      for (const n of names) {
        const resized = fitCanvas(ui.charts[n].canvas);
        if (resized || ui.drawn[which] !== key) out[n] = ui.charts[n].canvas;
      }
      return out;
    };
    const aCanvases = need(['past', 'chain', 'spectrum'], aKey, 'analysis');
    // While training runs, the training charts follow at most every TRAINING_REDRAW_MS.
    const now = performance.now();
    const throttled = m.running && ui.drawn.training?.startsWith(`${m.generation}/`) && now - ui.trainingDrawnAt < TRAINING_REDRAW_MS;
    const tCanvases = throttled ? {} : need(['norms', 'heat'], tKey, 'training');
    if (throttled && !ui.redrawTimer) {
      ui.redrawTimer = setTimeout(() => {
        ui.redrawTimer = 0;
        app.requestRender();
      }, TRAINING_REDRAW_MS);
    }
    const scale = chartScale();
    // Until the charts module is here, the numbers are computed (the text needs them) and
    // the charts wait: their keys stay unset, so they are drawn when it arrives.
    const drawing = app.hasCharts();
    if (!drawing) {
      for (const c of [aCanvases, tCanvases]) for (const k of Object.keys(c)) delete c[k];
    }
    try {
      if (Object.keys(aCanvases).length || !ui.analysis || !drawing) {
        ui.analysis = analysed.vanishing_analysis();
        ui.sequenceView = analysed.vanishing_sequence();
        const past = { analysis: ui.analysis, key_distance: distance };
        if (aCanvases.past) app.wasm.draw_vanishing_past(aCanvases.past, past, scale);
        if (aCanvases.chain) app.wasm.draw_vanishing_chain(aCanvases.chain, past, scale);
        if (aCanvases.spectrum) app.wasm.draw_vanishing_spectrum(aCanvases.spectrum, ui.analysis, scale);
        ui.drawn.analysis = drawing ? aKey : null;
      }
      if (Object.keys(tCanvases).length || !ui.training || !drawing) {
        const t = m.trained.vanishing_training(HEAT_COLUMNS);
        if (tCanvases.norms) app.wasm.draw_vanishing_norms(tCanvases.norms, t.view, scale);
        if (tCanvases.heat) app.wasm.draw_vanishing_heatmap(tCanvases.heat, t.view, scale);
        const { view, ...summary } = t;
        ui.training = { training: summary, diverged: m.trained.status().diverged, iteration: m.trained.status().iteration };
        ui.drawn.training = drawing ? tKey : null;
        ui.trainingDrawnAt = now;
      }
    } catch (e) {
      ui.drawn.analysis = ui.drawn.training = null;
      app.notice(`A chart could not be drawn: ${e.message}`, 'error');
      console.error(e);
      return;
    }
    this.describe(app, ui);
  },

  /** Text, badge and chart labels from the numbers just drawn. */
  describe(app, ui) {
    const m = ui.model;
    const a = ui.analysis;
    const t = ui.training;
    const seq = ui.sequenceView;
    const keyStep = m.settings.source === 'task' ? m.settings.length - m.settings.distance : null;
    const chars = seq.input_chars.map((c, s) => el(s + 1 === keyStep ? 'mark' : 'span', { text: showSymbol(c) }));
    const p = seq.answer == null ? null : seq.p_last[seq.vocab.indexOf(seq.answer)];
    ui.sequence.replaceChildren(
      el('span', { class: 'seq-label', text: `The sequence (T = ${a.steps}${keyStep ? `, key at t = ${keyStep}` : ''}): ` }),
      el('span', { class: 'seq-chars' }, ...chars),
      seq.answer == null ? '' : el('span', { class: 'seq-answer', text: ` → answer ${showSymbol(seq.answer)}` }),
      seq.predicted == null ? '' : el('span', { text: `; the ${app.state.vw === 'trained' ? 'trained' : 'initial'} network says ${showSymbol(seq.predicted)}${p == null ? '' : ` (p = ${fmt(p, 3)} for the answer)`}.` }));
    ui.readout.replaceChildren(
      math('λ1 = σ_max(W_hh) = '), el('strong', { id: 'vanishing-lambda1-shown', text: fmt(a.lambda1, 4) }),
      ` · γ = ${num(a.gamma)} · 1/γ = ${num(a.threshold)} · γλ1 = `, el('strong', { text: num(a.bound_factor) }),
      ' · spectral radius ρ = ', el('span', { id: 'vanishing-rho-shown', text: fmt(a.spectral_radius, 4) }),
      ' · saturated units ', el('span', { id: 'vanishing-saturated', text: `${fmt(100 * a.saturated_fraction, 1)} %` }),
      ` · loss L = ${num(a.loss)}`);
    ui.verdict.replaceChildren(...verdict(a, m.settings.source === 'task' ? m.settings.distance : null).map((s) => el('p', { class: 'verdict' }, math(s))));
    const exploded = a.exploded || Boolean(m.diverged) || t.diverged;
    ui.badge.hidden = !exploded;
    if (exploded) {
      const where = a.exploded ? `not finite: ${a.non_finite.join(', ')}` : 'training produced NaN or ∞';
      ui.badge.textContent = `Exploded — ${where}. The charts show only the finite values; the last good weights are kept.`;
    }
    const it = t.iteration;
    const tr = t.training;
    // math(): powers of ten ("10^142.5") as superscripts.
    ui.trainReadout.replaceChildren(math(`Iteration ${it}${m.running ? ' (training…)' : ''}`
      + (tr?.recent_loss != null ? ` · mean loss of the last ${Math.min(100, tr.held)}: ${num(tr.recent_loss)}` : '')
      + (tr?.recent_loss != null && m.settings.source === 'task' ? ' (ln 2 = 0.693 is a coin toss)' : '')
      + (tr ? ` · clipping fired in ${tr.clip_fired_total} of ${tr.held}` : '')
      + (tr?.peak_grad_log10 != null ? ` · largest ‖dL/dθ‖ ${pow10(tr.peak_grad_log10)}` : '')
      + (m.diverged ? ' · diverged: training stopped' : '')));
    const n = a.steps;
    const d = m.settings.source === 'task' ? m.settings.distance : n;
    const label = (c, text) => c.canvas.setAttribute('aria-label', text);
    label(ui.charts.past, `Log-scale line chart of ‖∂loss_T/∂h_t‖ for t = 0 to ${n}: ${pow10(a.dh_log10[n])} at t = T and ${pow10(a.dh_log10[0])} at t = 0.`);
    label(ui.charts.chain, `Log-scale line chart of ‖∂h_T/∂h_k‖ against T − k from 1 to ${n}: ${pow10(a.jacobian_log10[d - 1])} at distance ${d}; bound ${pow10(a.bound_log10[d - 1])}.`);
    label(ui.charts.spectrum, `Bar chart of the ${a.singular_values.length} singular values of W_hh, largest ${fmt(a.lambda1, 3)}; threshold 1/γ = ${num(a.threshold)}; spectral radius ${fmt(a.spectral_radius, 3)}.`);
    label(ui.charts.norms, tr?.held ? `Log-scale chart of the gradient norm of each parameter over ${tr.held} iterations; clipping fired ${tr.clip_fired_total} times.` : 'Gradient norms per parameter: no training yet.');
    label(ui.charts.heat, tr?.held ? `Heatmap of ‖dL/dh_t‖ for t = 0 to ${n} over ${tr.columns} iterations, log colour scale.` : 'Heatmap: no training yet.');
  },

  /** window.rnnLab.vanishing: the chapter's numbers, straight from the engine. */
  api(app) {
    const ui = () => app.view('vanishing') ?? {};
    const m = () => ui().model;
    const ready = () => {
      if (!ui().model) throw new Error('open the chapter first: rnnLab.set({chapter: "vanishing"})');
      return ui().model;
    };
    return {
      /** The chapter's two models, read-only: {init, trained}. */
      lab: () => ({ init: readOnly(() => ready().init), trained: readOnly(() => ready().trained) }),
      analysis: () => ready().analysed().vanishing_analysis(),
      initialAnalysis: () => ready().init.vanishing_analysis(),
      trainedAnalysis: () => ready().trained.vanishing_analysis(),
      training: (columns = HEAT_COLUMNS) => ready().trained.vanishing_training(columns).view,
      sequence: () => ready().analysed().vanishing_sequence(),
      status: () => ({ ...ready().trained.status(), diverged: m().diverged, running: m().running, asked: m().done }),
      shown: () => ({ analysis: ui().analysis, training: ui().training }),
      presets: () => ui().presets?.map((p) => ({ name: p.name, hash: `#${serialise({ ...app.state, ...p.values })}` })),
      settled: () => ready().settled(),
      train: (n = 100) => ready().trainMore(checkedCount('train(n): n', n, MAX_API_ITERATIONS)).then(() => ready().settled()),
    };
  },
};
