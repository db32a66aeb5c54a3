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
use super::next_word::NextToken;
use super::window::{FeedForwardConfig, WindowModel};
use super::word_rnn::{RnnConfig, TokenRnn};
use super::{Model, TrainStep, Trainer};
use crate::engine::error::{EngineError, Result};
use crate::engine::optim::{OptimizerConfig, OptimizerKind};
use crate::engine::session::state::{Reader, bad};
use serde::{Deserialize, Serialize};

#[path = "next_word_schedule.rs"]
mod schedule;
pub use schedule::{CorpusInfo, LabStatus, ModelCurve, PrefixExample, RoundReport};
#[path = "next_word_summary.rs"]
mod summary;
pub use summary::{ModelSummary, OrderPairView, PrefixPrediction, ProbeResult, WindowInput};

/// Steps the chapter trains each model for by default (about 11 epochs of
/// the feed-forward models' batches of 32, 57 of the RNN's batches of 16).
/// Measured natively (CPU time of one core, test profile): window-2 0.5 s,
/// bag 0.5 s, longest window 1.3 s, RNN 3.2 s; 5.5 s for the four.
pub const TRAIN_STEPS: usize = 800;
/// First number of an exported state of the four models.
const STATE_TAG: f64 = 7_402.0;
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

    /// The training state of the four models, end to end (see
    /// `trainer_state`), after a tag. `since`: the steps of the four together
    /// that the other copy has ([`LabStatus::iteration`]); each model sends
    /// the losses of at most the steps taken since, which covers all it lacks.
    /// `light`: without Adam's memory (θ alone is 1/3 of the numbers), to
    /// show the models while another copy trains them.
    pub fn export_state(&self, since: u64, light: bool) -> Vec<f64> {
        let new = self.status().iteration.saturating_sub(since);
        let mut out = vec![STATE_TAG];
        let since = |t: &Trainer| t.steps().saturating_sub(new);
        let (w, b, l, r) = (&self.window, &self.bag, &self.large, &self.rnn);
        w.trainer
            .export_state(&w.model, since(&w.trainer), light, &mut out);
        b.trainer
            .export_state(&b.model, since(&b.trainer), light, &mut out);
        l.trainer
            .export_state(&l.model, since(&l.trainer), light, &mut out);
        r.trainer
            .export_state(&r.model, since(&r.trainer), light, &mut out);
        out
    }

    /// Brings the four models to an exported state of a lab with the same
    /// settings, bit for bit. Everything is checked first: a damaged or
    /// foreign state changes nothing.
    pub fn import_state(&mut self, state: &[f64]) -> Result<()> {
        let mut r = Reader::new(state);
        if r.one("tag")? != STATE_TAG {
            return Err(bad("not a state of the four next-word models"));
        }
        let w = self.window.trainer.read_state(&self.window.model, &mut r)?;
        let b = self.bag.trainer.read_state(&self.bag.model, &mut r)?;
        let l = self.large.trainer.read_state(&self.large.model, &mut r)?;
        let n = self.rnn.trainer.read_state(&self.rnn.model, &mut r)?;
        r.finish()?;
        self.window.trainer.apply_state(&mut self.window.model, w);
        self.bag.trainer.apply_state(&mut self.bag.model, b);
        self.large.trainer.apply_state(&mut self.large.model, l);
        self.rnn.trainer.apply_state(&mut self.rnn.model, n);
        Ok(())
    }
}
