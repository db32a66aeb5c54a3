//! What the chapter shows of [`NextWordLab`]'s four models, as plain data:
//! each model's summary (size, loss curve, test and probe accuracy), its
//! top-5 next words for a typed prefix, what the window and bag-of-words
//! models read, the bag-of-words order pairs and the probes.

use super::{NextWordLab, NextWordModel, Result, TOP_K};
use crate::engine::error::EngineError;
use crate::engine::models::argmax;
use crate::engine::models::next_word::{Accuracy, Suggestion, accuracy, suggestions};
use crate::engine::models::tokens::detokenize;
use serde::Serialize;

/// What the chapter shows for one model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelSummary {
    pub model: NextWordModel,
    /// Words of input the model sees (N for windows; None: all of them).
    pub window: Option<usize>,
    pub input_size: usize,
    pub parameter_count: usize,
    pub steps: u64,
    pub epoch: u64,
    /// Loss of every training step, oldest first; each entry the mean of
    /// `loss_stride` steps (1 until the history is full).
    pub losses: Vec<f64>,
    pub loss_stride: u64,
    pub test_accuracy: Accuracy,
    pub probe_accuracy: Accuracy,
}

/// Each model's next-word suggestions for a typed prefix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrefixPrediction {
    /// The prefix's tokens as the models read them (`<s>` first).
    pub tokens: Vec<String>,
    /// Words not in the vocabulary (read as `<unk>`).
    pub unknown: Vec<String>,
    pub models: Vec<(NextWordModel, Vec<Suggestion>)>,
}

/// The bag-of-words view of an order pair: one vector for two sentences.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderPairView {
    pub a: String,
    pub b: String,
    /// x (word counts, length V) of each prefix.
    pub vector_a: Vec<f64>,
    pub vector_b: Vec<f64>,
    pub identical: bool,
    /// The bag-of-words model's suggestions for each (identical when the vectors are).
    pub bag_a: Vec<Suggestion>,
    pub bag_b: Vec<Suggestion>,
    /// The RNN's, which read the order.
    pub rnn_a: Vec<Suggestion>,
    pub rnn_b: Vec<Suggestion>,
}

/// What a window model reads for a prefix: the concatenated one-hots.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowInput {
    pub window: usize,
    /// D = N·(V + 1).
    pub input_size: usize,
    /// The word in each slot, oldest first (`<pad>` before the start).
    pub slots: Vec<String>,
    /// The index of the 1 of each slot in x.
    pub active: Vec<usize>,
}

/// One probe, and each model's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbeResult {
    pub text: String,
    pub clue: String,
    pub target: String,
    /// Tokens between the clue and the word to predict, plus one.
    pub distance: usize,
    /// Per model: its top word and the probability it gives the right one.
    pub models: Vec<(NextWordModel, String, f64)>,
}

impl NextWordLab {
    /// Input size, parameters, loss curve and accuracies of one model.
    pub fn summary(&self, which: NextWordModel) -> ModelSummary {
        let (window, input_size, parameter_count) = self.size(which);
        let t = self.trainer(which);
        ModelSummary {
            model: which,
            window,
            input_size,
            parameter_count,
            steps: t.steps(),
            epoch: t.epoch(),
            losses: t.losses.clone(),
            loss_stride: t.loss_stride(),
            test_accuracy: accuracy(self.predictor(which), &self.corpus.test),
            probe_accuracy: self.probe_accuracy(which),
        }
    }

    /// Top-1 accuracy on the probes' predicted words.
    pub fn probe_accuracy(&self, which: NextWordModel) -> Accuracy {
        let m = self.predictor(which);
        let probes = &self.corpus.probes;
        let correct = probes
            .iter()
            .filter(|p| argmax(&m.next_distribution(&p.ids[..p.target])) == p.ids[p.target])
            .count();
        Accuracy::new(correct, probes.len())
    }

    fn suggest(&self, which: NextWordModel, context: &[usize]) -> Vec<Suggestion> {
        let p = self.predictor(which).next_distribution(context);
        suggestions(&p, TOP_K, |i| self.corpus.vocab.word(i).to_string())
    }

    /// Every model's top-5 next words after `prefix` (unknown words are read
    /// as `<unk>` and listed, never an error; a too-long prefix is).
    pub fn predict(&self, prefix: &str) -> Result<PrefixPrediction> {
        let e = self.corpus.vocab.encode_prefix(prefix)?;
        Ok(PrefixPrediction {
            tokens: self
                .corpus
                .vocab
                .decode(&e.ids)
                .iter()
                .map(|s| s.to_string())
                .collect(),
            unknown: e.unknown,
            models: NextWordModel::ALL
                .iter()
                .map(|&w| (w, self.suggest(w, &e.ids)))
                .collect(),
        })
    }

    /// The input of the fixed window (or, with `large`, the very large one)
    /// for a typed prefix.
    pub fn window_input(&self, large: bool, prefix: &str) -> Result<WindowInput> {
        let m = if large {
            &self.large.model
        } else {
            &self.window.model
        };
        let ids = self.corpus.vocab.encode_prefix(prefix)?.ids;
        let vocab = &self.corpus.vocab;
        Ok(WindowInput {
            window: m.config().window,
            input_size: m.input_size(),
            slots: m
                .slots(&ids)
                .into_iter()
                .map(|w| w.map_or("<pad>".to_string(), |w| vocab.word(w).to_string()))
                .collect(),
            active: m.input_indices(&ids),
        })
    }

    /// The bag-of-words input x (word counts, length V) for a typed prefix.
    pub fn bag_input(&self, prefix: &str) -> Result<Vec<f64>> {
        let ids = self.corpus.vocab.encode_prefix(prefix)?.ids;
        Ok(self.bag.model.input_vector(&ids))
    }

    /// The bag-of-words vectors and suggestions of order pair `i` of the corpus.
    pub fn order_pair(&self, i: usize) -> Result<OrderPairView> {
        let pair = self.corpus.pairs.get(i).ok_or_else(|| {
            EngineError::Invalid(format!(
                "there are {} order pairs, {i} is not one of them",
                self.corpus.pairs.len()
            ))
        })?;
        let a = self.corpus.vocab.encode_prefix(&pair.a)?.ids;
        let b = self.corpus.vocab.encode_prefix(&pair.b)?.ids;
        let (vector_a, vector_b) = (
            self.bag.model.input_vector(&a),
            self.bag.model.input_vector(&b),
        );
        Ok(OrderPairView {
            a: pair.a.clone(),
            b: pair.b.clone(),
            identical: vector_a == vector_b,
            vector_a,
            vector_b,
            bag_a: self.suggest(NextWordModel::BagOfWords, &a),
            bag_b: self.suggest(NextWordModel::BagOfWords, &b),
            rnn_a: self.suggest(NextWordModel::Rnn, &a),
            rnn_b: self.suggest(NextWordModel::Rnn, &b),
        })
    }

    /// Every probe with each model's answer.
    pub fn probes(&self) -> Vec<ProbeResult> {
        let vocab = &self.corpus.vocab;
        self.corpus
            .probes
            .iter()
            .map(|p| {
                let context = &p.ids[..p.target];
                let target = p.ids[p.target];
                let models = NextWordModel::ALL
                    .iter()
                    .map(|&w| {
                        let dist = self.predictor(w).next_distribution(context);
                        (w, vocab.word(argmax(&dist)).to_string(), dist[target])
                    })
                    .collect();
                ProbeResult {
                    text: detokenize(&vocab.decode(&p.ids[1..p.ids.len() - 1])),
                    clue: vocab.word(p.ids[p.clue]).to_string(),
                    target: vocab.word(target).to_string(),
                    distance: p.distance(),
                    models,
                }
            })
            .collect()
    }
}
