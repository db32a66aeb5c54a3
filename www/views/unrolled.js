// Chapter "The recurrence, unrolled".
// This module is the chapter's opening (www/shell/chapters.js): what the page needs before the
// chapter's code arrives. Its body, www/views/unrolled/body.js, is imported when the chapter first
// opens (a chunk of its own in the served build, scripts/bundle.mjs).
import { el, math } from './common.js';

/** The diagram is drawn for up to this many hidden units at full size. */
export const MAX_DRAWN_HIDDEN = 16;

export default {
  id: 'unrolled',
  title: 'Unrolled',
  granularity: 'substep',
  /** Hidden size 1–16 here: the picture gives every unit a readable cell. */
  limits: { hidden: MAX_DRAWN_HIDDEN },

  /** The opening text: painted before the engine is ready (see shell/chapter-nav.js). */
  intro() {
    return [
      el('h2', { id: 'unrolled-title', text: 'The recurrence, unrolled' }),
      el('p', { class: 'lead' },
        math('One cell, drawn once per time step: x_t comes in through W_xh, the memory h_{t−1} through W_hh, and W_hy turns h_t into scores y_t for the next character. '),
        'Same colour, same matrix, at every step.'),
    ];
  },

  styles: ['diagram/diagram.css'],
  body: () => import('./unrolled/body.js'),
};
