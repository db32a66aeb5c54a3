// Chapter "Why recurrence?": why a feed-forward network is not enough for sequences.
// This module is the chapter's opening (www/shell/chapters.js): what the page needs before the
// chapter's code arrives. Its body, www/views/why/body.js, is imported when the chapter first
// opens (a chunk of its own in the served build, scripts/bundle.mjs).
import { el } from './common.js';

export default {
  id: 'why',
  title: 'Why recurrence?',
  // Its models and charts are in the engine module www/pkg/why (www/engine.js), loaded
  // when the chapter first opens.
  engine: 'why',
  // Its own models and controls: the word model's settings bar is hidden here.
  settingsBar: false,

  /** The opening text: static, painted before the engine has arrived. */
  intro() {
    return [
      el('h2', { id: 'why-title', text: 'Why recurrence?' }),
      el('p', { class: 'lead' },
        'A feed-forward network maps one input of a fixed size to one output. Sequences do not fit that mould: ',
        'their length varies, their order matters, and what helps at one position should help at every other. ',
        'This chapter tries the feed-forward ways first, on the lecture’s examples, and shows where each breaks.'),
    ];
  },

  styles: ['views/why/why.css'],
  body: () => import('./why/body.js'),
};
