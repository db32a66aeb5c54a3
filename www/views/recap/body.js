// Chapter "Recap": what comes before RNNs, computed live by the engine. The perceptron
// ŷ = g(θ₀ + Σ xᵢθᵢ) with sliders, the MLP on XOR-like data, word2vec (the CBOW and
// skip-gram windows, W and W′, training, neighbours, sentence averages), word analogies
// on the slide's vectors and on trained ones, and Kim's CNN for text. Each part is a
// module of www/views/recap/ with its own small models (www/model.js Models trained in
// the frame loop); every setting a link must reproduce is a state row (r…).
import { el } from '../common.js';
import { mountPerceptron, renderPerceptron, perceptronApi } from './perceptron.js';
import { mountMlp, renderMlp, mlpApi } from './mlp.js';
import { mountWord2vec, renderWord2vec, word2vecApi, word2vecModel } from './word2vec.js';
import { mountAnalogy, renderAnalogy, analogyApi } from './analogy.js';
import { mountCnn, renderCnn, cnnApi } from './cnn.js';


function ready(app) {
  if (!app.view('recap')) throw new Error('open the chapter first: rnnLab.set({chapter: "recap"})');
}

export default {
  mount(root, app) {
    root.append(
      el('nav', { class: 'recap-toc', 'aria-label': 'Recap parts' }, el('ul', {},
        [['perceptron', 'Perceptron'], ['mlp', 'MLP'], ['word2vec', 'word2vec'], ['analogy', 'Analogies'], ['cnn', 'CNN for text']]
          .map(([id, text]) => el('li', {}, el('a', { href: `#recap-${id}`, text, on: { click: (ev) => {
            ev.preventDefault();
            document.getElementById(`recap-${id}`)?.scrollIntoView();
          } } }))))),
      mountPerceptron(app),
      mountMlp(app),
      mountWord2vec(app),
      mountAnalogy(app, () => word2vecModel(app)),
      mountCnn(app),
    );
    return {};
  },

  render(app) {
    renderPerceptron(app);
    renderMlp(app);
    renderWord2vec(app);
    renderAnalogy(app);
    renderCnn(app);
  },

  describeStep() {
    return 'Recap chapter: the player steps the RNN of the other chapters.';
  },

  /** window.rnnLab.recap: the chapter's state and the engine's numbers behind what is shown. */
  api(app) {
    const parts = { perceptron: perceptronApi(app), mlp: mlpApi(app), word2vec: word2vecApi(app), analogy: analogyApi(app), cnn: cnnApi(app) };
    const guarded = Object.fromEntries(Object.entries(parts).map(([name, fns]) => [name, Object.fromEntries(
      Object.entries(fns).map(([k, fn]) => [k, (...args) => (ready(app), fn(...args))]))]));
    return {
      ...guarded,
      /** The chapter's settings (its state rows). */
      state: () => Object.fromEntries(Object.entries(app.state).filter(([k]) => /^r[a-z0-9]+$/.test(k) && k !== 'rolled')),
      /** Resolves when every model has run the steps the state asks for, and a frame was drawn. */
      settled: async () => {
        ready(app);
        await parts.mlp.settled();
        await parts.word2vec.settled();
        await parts.cnn.settled();
        await app.frame();
      },
    };
  },
};
