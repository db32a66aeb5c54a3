// Chapter "Recap": the perceptron, the MLP, word2vec, analogies and a CNN for text.
// This module is the chapter's opening (www/shell/chapters.js): what the page needs before the
// chapter's code arrives. Its body, www/views/recap/body.js, is imported when the chapter first
// opens (a chunk of its own in the served build, scripts/bundle.mjs).
import { el } from './common.js';

export default {
  id: 'recap',
  title: 'Recap',
  // Its models and charts are in the engine module www/pkg/recap (www/engine.js), loaded
  // when the chapter first opens.
  engine: 'recap',
  // Its own models and controls: the word model's settings bar is hidden here.
  settingsBar: false,

  /** The opening text: static, painted before the engine has arrived. */
  intro() {
    return [
      el('h2', { id: 'recap-title', text: 'Recap: perceptron, MLP, word2vec and a CNN for text' }),
      el('p', { class: 'lead' },
        'The building blocks before recurrent networks, each one running here: every number on this page is computed by the same engine that trains the RNN. ',
        'Change a setting or train a model, and copy the address to share exactly what you see.'),
    ];
  },

  styles: ['views/recap/recap.css'],
  body: () => import('./recap/body.js'),
};
