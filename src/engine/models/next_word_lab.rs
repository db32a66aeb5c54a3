//! Exercise 2, live: four next-word models trained on the same split of the
//! built-in corpus, side by side, and everything the chapter shows about
//! them as plain data.
//!
//! 1. fixed window of N preceding words (N = 1..4);
//! 2. bag of words (counts of all preceding words);
//! 3. very large window (N up to the longest context of the corpus);
//! 4. the vanilla RNN on word tokens (h_0 = 0 per sentence).
//!
//! Every model reports the same numbers: input size, parameter count, the
//! loss of every training step (mean −log p of the next word over the
//! step's batch), top-1 accuracy on the test sentences and on the probes.

use super::bag_of_words::BagOfWords;
use super::corpus::Corpus;
use super::next_word::{Accuracy, NextToken, Suggestion, accuracy, suggestions};
use super::tokens::detokenize;
use super::window::{FeedForwardConfig, WindowModel};
use super::word_rnn::{RnnConfig, TokenRnn};
use super::{Model, TrainStep, Trainer, argmax};
use crate::engine::error::{EngineError, Result};
use crate::engine::optim::{OptimizerConfig, OptimizerKind};
use serde::{Deserialize, Serialize};

#[path = "next_word_schedule.rs"]
mod schedule;
pub use schedule::{CorpusInfo, LabStatus, ModelCurve, PrefixExample, RoundReport};

/// Steps the chapter trains each model for by default (about 11 epochs of
/// the feed-forward models' batches of 32, 57 of the RNN's batches of 16).
/// Measured natively (CPU time of one core, test profile): window-2 0.5 s,
/// bag 0.5 s, longest window 1.3 s, RNN 3.2 s; 5.5 s for the four.
pub const TRAIN_STEPS: usize = 800;
/// Suggestions shown per model.
pub const TOP_K: usize = 5;

/// Which of the four models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NextWordModel {
    Window,
    BagOfWords,
    LargeWindow,
    Rnn,
}

impl NextWordModel {
    pub const ALL: [Self; 4] = [Self::Window, Self::BagOfWords, Self::LargeWindow, Self::Rnn];
}

/// The chapter's settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NextWordSettings {
    /// N of the fixed window, 1..=4.
    pub window: usize,
    /// N of the very large window; 0 = the corpus's longest context.
    pub large_window: usize,
    /// Hidden tanh units of the three feed-forward models (0 = none).
    pub hidden: usize,
    /// H of the RNN.
    pub rnn_hidden: usize,
    pub seed: u64,
}

impl Default for NextWordSettings {
    /// Window of 2 (the lecture's "given these 2 words"), the longest
    /// window, 32 hidden units everywhere, seed 1.
    fn default() -> Self {
        Self {
            window: 2,
            large_window: 0,
            hidden: 32,
            rnn_hidden: 32,
            seed: 1,
        }
    }
}

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
    /// Loss of every training step, oldest first.
    pub losses: Vec<f64>,
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

#[derive(Debug, Clone)]
struct Trained<M> {
    model: M,
    trainer: Trainer,
}

fn trained<M: Model>(model: M, lr: f64, batch: usize, seed: u64) -> Result<Trained<M>> {
    let opt = OptimizerConfig::new(OptimizerKind::Adam, lr);
    let trainer = Trainer::new(&model, opt, batch, 5.0, seed)?;
    Ok(Trained { model, trainer })
}

/// The four models on the built-in corpus.
#[derive(Debug, Clone)]
pub struct NextWordLab {
    settings: NextWordSettings,
    corpus: Corpus,
    window: Trained<WindowModel>,
    bag: Trained<BagOfWords>,
    large: Trained<WindowModel>,
    rnn: Trained<TokenRnn>,
}

impl NextWordLab {
    /// Fresh models from `settings` (nothing trained yet).
    pub fn new(settings: NextWordSettings) -> Result<Self> {
        if !(1..=4).contains(&settings.window) {
            return Err(EngineError::Invalid(format!(
                "the fixed window must be 1 to 4 words, got {}",
                settings.window
            )));
        }
        let corpus = Corpus::builtin();
        let v = corpus.vocab.len();
        let seed = settings.seed;
        let ff = |window| FeedForwardConfig {
            window,
            hidden: settings.hidden,
            seed,
            ..Default::default()
        };
        let large_n = match settings.large_window {
            0 => corpus.longest_context(),
            n => n,
        };
        let train = corpus.train.clone();
        let rnn_cfg = RnnConfig {
            hidden: settings.rnn_hidden,
            seed,
            ..Default::default()
        };
        Ok(Self {
            window: trained(
                WindowModel::new(ff(settings.window), v, train.clone())?,
                0.01,
                32,
                seed,
            )?,
            bag: trained(BagOfWords::new(ff(0), v, train.clone())?, 0.01, 32, seed)?,
            large: trained(
                WindowModel::new(ff(large_n), v, train.clone())?,
                0.01,
                32,
                seed,
            )?,
            rnn: trained(TokenRnn::new(rnn_cfg, v, train)?, 0.01, 16, seed)?,
            settings,
            corpus,
        })
    }

    pub fn settings(&self) -> &NextWordSettings {
        &self.settings
    }

    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    fn predictor(&self, which: NextWordModel) -> &dyn NextToken {
        match which {
            NextWordModel::Window => &self.window.model,
            NextWordModel::BagOfWords => &self.bag.model,
            NextWordModel::LargeWindow => &self.large.model,
            NextWordModel::Rnn => &self.rnn.model,
        }
    }

    fn trainer(&self, which: NextWordModel) -> &Trainer {
        match which {
            NextWordModel::Window => &self.window.trainer,
            NextWordModel::BagOfWords => &self.bag.trainer,
            NextWordModel::LargeWindow => &self.large.trainer,
            NextWordModel::Rnn => &self.rnn.trainer,
        }
    }

    /// `steps` training steps of one model (a slice the page runs per frame).
    pub fn train(&mut self, which: NextWordModel, steps: usize) -> Result<Option<TrainStep>> {
        match which {
            NextWordModel::Window => self.window.trainer.train(&mut self.window.model, steps),
            NextWordModel::BagOfWords => self.bag.trainer.train(&mut self.bag.model, steps),
            NextWordModel::LargeWindow => self.large.trainer.train(&mut self.large.model, steps),
            NextWordModel::Rnn => self.rnn.trainer.train(&mut self.rnn.model, steps),
        }
    }

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
            test_accuracy: accuracy(self.predictor(which), &self.corpus.test),
            probe_accuracy: self.probe_accuracy(which),
        }
    }

    /// (N of a window, input size, parameter count) of one model.
    fn size(&self, which: NextWordModel) -> (Option<usize>, usize, usize) {
        match which {
            NextWordModel::Window => {
                let m = &self.window.model;
                (Some(m.config().window), m.input_size(), m.parameter_count())
            }
            NextWordModel::BagOfWords => (
                None,
                self.bag.model.input_size(),
                self.bag.model.parameter_count(),
            ),
            NextWordModel::LargeWindow => {
                let m = &self.large.model;
                (Some(m.config().window), m.input_size(), m.parameter_count())
            }
            NextWordModel::Rnn => (
                None,
                self.rnn.model.input_size(),
                self.rnn.model.parameter_count(),
            ),
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
