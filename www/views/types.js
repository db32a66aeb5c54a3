// Chapter "Types of RNN": one vanilla cell, five shapes of input and output.
// This module is the chapter's opening (www/shell/chapters.js): what the page needs before the
// chapter's code arrives. Its body, www/views/types/body.js, is imported when the chapter first
// opens (a chunk of its own in the served build, scripts/bundle.mjs).
import { el, math } from './common.js';

export default {
  id: 'types',
  title: 'Types of RNN',
  // Its models and charts are in the engine module www/pkg/types (www/engine.js), loaded
  // when the chapter first opens.
  engine: 'types',
  granularity: 'step',
  settingsBar: false,

  /** The opening text: static, painted before the engine has arrived. */
  intro() {
    return [
      el('h2', { id: 'types-title', text: 'Types of RNN' }),
      el('p', { class: 'lead' }, math('So far every step had an input and a target: the character model reads h, e, l, l and is scored against e, l, l, o. '
        + 'The same cell fits problems where inputs or outputs exist only at some steps. An absent input is x_t = 0, so that step runs on memory alone: '
        + 'h_t = tanh(W_hh h_{t−1} + b_h). An output that is not scored is still computed, but adds nothing to the loss L, the sum over the scored steps.')),
    ];
  },

  styles: ['views/types/types.css'],
  body: () => import('./types/body.js'),
};
