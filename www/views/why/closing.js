// Exercise 1 as a question with an answer to reveal, and the lecture's four motivations for
// RNNs, each linked to the place in the app that shows it: a part of this chapter (the link
// scrolls to it) or another chapter (the link opens it with the current settings).
import { el, math } from '../common.js';
import { serialise } from '../../state.js';

/** [motivation, example, [[link text, target]]]: target '#id' is a part of this chapter. */
const MOTIVATIONS = [
  ['Inputs and outputs need not have a fixed length.', 'A query of any length in the search box; a sentence of any length read word by word.',
    [['the autocomplete', '#why-autocomplete'], ['Time steps', 'steps']]],
  ['The order of a sequence is part of its meaning.', 'Two sentences with the same words in another order ask for different next words.',
    [['the bag-of-words pair', '#why-bag']]],
  ['The right amount of context is hard to fix in advance.', 'The clue may be the previous word or the eighth word back.',
    [['the probes', '#why-probe'], ['Vanishing gradients', 'vanishing']]],
  ['What is learned should be shared across positions.', 'A pattern learned at one place in a sequence should help at any other.',
    [['the very large window', '#why-large'], ['Unrolled', 'unrolled']]],
];

export function closingSection(app, ui) {
  ui.motivationLinks = [];
  const link = ([text, target]) => {
    const a = el('a', { href: '#', text, dataset: { target } });
    if (target.startsWith('#')) {
      a.addEventListener('click', (ev) => {
        ev.preventDefault();
        const part = document.getElementById(target.slice(1));
        part?.scrollIntoView({ block: 'start' });
        part?.querySelector('h3, h4')?.focus?.();
      });
    }
    ui.motivationLinks.push(a);
    return a;
  };
  return el('section', { class: 'why-part', id: 'why-closing', 'aria-labelledby': 'why-closing-title' },
    el('h3', { id: 'why-closing-title', text: '4. What the feed-forward networks share' }),
    el('p', { class: 'why-question' }, el('strong', { text: 'Exercise 1. ' }),
      'The perceptron, the multi-layer perceptron and the convolutional network: what do they have in common, and what does that stop them from doing?'),
    el('details', { class: 'why-answer', id: 'why-ex1-answer' },
      el('summary', { text: 'Show an answer' }),
      el('ul', {},
        el('li', {}, el('strong', { text: 'Fixed-size input and output. ' }),
          'Each takes a vector of one length and gives one of one length. A window of N words must choose N; the bag of words must squash any sentence into one vector of counts.'),
        el('li', {}, el('strong', { text: 'No memory across inputs. ' }),
          'Each input is handled on its own: the window-1 model on “hello” cannot know which l it is reading.'),
        el('li', {}, el('strong', { text: 'No sharing across positions. ' }),
          'A window has separate weights for each position, so a clue learned at one distance is unknown at another (the probes).')),
      el('p', {}, 'The RNN answers all three with one cell applied at every step, ', math('h_t = tanh(W_hh h_{t−1} + W_xh x_t)'),
        ': any length, a memory ', math('h_t'), ', and the same weights ', math('W_xh, W_hh, W_hy'), ' at every position.')),
    el('h3', { id: 'why-motivations-title', text: 'Why recurrent networks' }),
    el('ol', { class: 'why-motivations', id: 'why-motivations' },
      MOTIVATIONS.map(([claim, example, links]) => el('li', {},
        el('strong', { text: claim }), ' ', example, ' See ',
        ...links.flatMap((l, i) => [i ? ' and ' : '', link(l)]), '.'))));
}

/** Links to other chapters carry the current settings. */
export function renderClosing(app, ui) {
  for (const a of ui.motivationLinks) {
    const t = a.dataset.target;
    a.href = t.startsWith('#') ? `#${serialise(app.state)}` : `#${serialise({ ...app.state, chapter: t })}`;
  }
}
