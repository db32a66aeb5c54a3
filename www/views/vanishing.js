// Chapter "Vanishing and exploding gradients".
// This module is the chapter's opening (www/shell/chapters.js): what the page needs before the
// chapter's code arrives. Its body, www/views/vanishing/body.js, is imported when the chapter first
// opens (a chunk of its own in the served build, scripts/bundle.mjs).
import { el } from './common.js';

export default {
  id: 'vanishing',
  title: 'Vanishing gradients',
  // Its engine module: the Lab again, as VanishingLab, with the analysis (www/engine.js).
  engine: 'vanishing',
  // Its own model and controls: the model settings bar of the other chapters is hidden here.
  settingsBar: false,

  /** The opening text: painted before the engine is ready (see shell/chapter-nav.js). */
  intro() {
    return [
      el('h2', { id: 'vanishing-title', text: 'Vanishing and exploding gradients' }),
      el('p', { class: 'lead' },
        'A long-range task in the spirit of “I live in France … I speak fluent French”: at the last step the network must answer with the key (a or b) it saw d steps earlier; ',
        'in between come only filler symbols x, y, z, and the question mark asks for the answer. Every curve below is computed by the engine from this very model.'),
    ];
  },

  styles: ['views/vanishing/vanishing.css'],
  body: () => import('./vanishing/body.js'),
};
