// Chapter "Training: backpropagation through time".
// This module is the chapter's opening (www/shell/chapters.js): what the page needs before the
// chapter's code arrives. Its body, www/views/training/body.js, is imported when the chapter first
// opens (a chunk of its own in the served build, scripts/bundle.mjs).
import { el, math } from './common.js';

export default {
  id: 'training',
  title: 'Training (BPTT)',
  granularity: 'substep',

  /** The opening text: painted before the engine is ready (see shell/chapter-nav.js). */
  intro() {
    return [
      el('h2', { id: 'training-title', text: 'Training: backpropagation through time' }),
      el('p', { class: 'lead' }, math(
        'To learn, the network needs to know how the loss changes with every weight. Backpropagation through time runs the unrolled network backwards: '
        + 'from the last step to the first, each step’s error enters at its output, flows down into h_t, and is passed back through W_hh to the step before. '
        + 'Because W_xh, W_hh and W_hy are the same at every step, their gradient is the sum of one contribution per step.')),
    ];
  },

  styles: ['diagram/diagram.css', 'views/training/training.css'],
  body: () => import('./training/body.js'),
};
