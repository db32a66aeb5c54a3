//! Chapter "Types of RNN": one vanilla cell trained on each of the five
//! built-in examples ([`Example`]), and everything a card shows: the status
//! (loss, accuracy on the training and the held-out items), a step-by-step
//! snapshot of one sequence (a typed one or a built-in one) and the answers
//! to every item.
//!
//! ```text
//! a_t = W_xh x_t + W_hh h_{t−1} + b_h   (x_t = 0 where the input is absent)
//! h_t = tanh(a_t)   y_t = W_hy h_t + b_y   p_t = softmax(y_t)
//! L = Σ over the scored steps of −log p_t[target_t]
//! ```
//! Shapes: `w_xh: [H, V]`, `w_hh: [H, H]`, `w_hy: [V, H]`; V counts the input
//! tokens and the class tokens of the example together.

use crate::engine::clip::Clip;
use crate::engine::error::{EngineError, Result};
use crate::engine::forward::{Trace, argmax};
use crate::engine::history::LossCurve;
use crate::engine::masked::examples::{Example, Item, Metric, TypeKind};
use crate::engine::masked::{
    MaskedSequence, MaskedTrainReport, MaskedTrainer, MaskedTrainerConfig,
};
use crate::engine::models::sentiment::SplitAccuracy;
use crate::engine::optim::{OptimizerConfig, OptimizerKind};
use crate::engine::params::ModelConfig;
use crate::engine::{Activation, MAX_HIDDEN};
use ndarray::Array1;
use serde::{Deserialize, Serialize};

mod snapshot;
pub use snapshot::{Answers, ItemAnswer, TypesSnapshot, TypesStep};

/// Most hidden units a card's model may have (the cards are small).
pub const MAX_TYPES_HIDDEN: usize = 64;
/// The accuracy each example is trained to (its headline metric on its training items).
pub const STATED_ACCURACY: f64 = 1.0;
/// Weights are drawn N(0, 1)·this; biases start at 0.
pub const WEIGHT_SCALE: f64 = 0.3;

/// Everything that defines a card's model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TypesSettings {
    pub kind: TypeKind,
    /// Seed of the weights and of the order the items are visited in.
    pub seed: u64,
    /// H.
    pub hidden: usize,
    /// Adagrad's learning rate.
    pub lr: f64,
}

impl Default for TypesSettings {
    fn default() -> Self {
        Self {
            kind: TypeKind::OneToOne,
            seed: 0,
            hidden: 16,
            lr: 0.1,
        }
    }
}

impl TypesSettings {
    fn trainer_config(&self) -> Result<MaskedTrainerConfig> {
        if self.hidden == 0 || self.hidden > MAX_TYPES_HIDDEN.min(MAX_HIDDEN) {
            return Err(EngineError::HiddenSize {
                got: self.hidden,
                max: MAX_TYPES_HIDDEN,
            });
        }
        Ok(MaskedTrainerConfig {
            model: ModelConfig {
                hidden: self.hidden,
                weight_scale: WEIGHT_SCALE,
                bias: true,
                bias_scale: 0.0,
                activation: Activation::Tanh,
                seed: self.seed,
            },
            optimizer: OptimizerConfig {
                kind: OptimizerKind::Adagrad,
                learning_rate: self.lr,
                ..OptimizerConfig::default()
            },
            clip: Clip::Value(5.0),
            order_seed: self.seed,
            history_capacity: crate::engine::LIMITS.history,
            ..MaskedTrainerConfig::default()
        })
    }
}

/// How well the model does on a set of items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub items: usize,
    /// Items with every scored step right.
    pub items_right: usize,
    pub steps: usize,
    pub steps_right: usize,
    /// The example's headline: steps_right / steps or items_right / items.
    pub accuracy: f64,
    /// Mean L per item.
    pub mean_loss: f64,
}

/// What a card shows under its loss curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypesStatus {
    pub kind: TypeKind,
    pub iteration: u64,
    pub epoch: u64,
    /// Mean L over the last completed epoch (None before one ends).
    pub epoch_loss: Option<f64>,
    pub smooth_loss: f64,
    pub diverged: bool,
    pub metric: Metric,
    pub train: Score,
    /// None where nothing is held out.
    pub test: Option<Score>,
    /// The accuracy the example is trained to on its training items.
    pub stated: f64,
    /// Whether `train.accuracy` has reached it.
    pub reached: bool,
    pub history_len: usize,
}

/// What a card needs to know about its example, besides the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypesInfo {
    pub kind: TypeKind,
    pub vocab: Vec<String>,
    pub outputs: Vec<String>,
    pub train_items: usize,
    pub test_items: usize,
    pub metric: Metric,
    pub stated: f64,
    pub default_input: String,
    /// Every training and held-out text (short lists: the card offers them).
    pub train_texts: Vec<String>,
    pub test_texts: Vec<String>,
}

/// The pooled loss curve with its `smooth_loss` replaced by the mean L of the
/// last `window` iterations (one epoch) at the end of each point's bucket:
/// the session's 0.999 rule barely moves in the few thousand iterations a
/// card trains, while an epoch's mean follows the curve. `losses` is the
/// history the curve was pooled from, buckets as in [`History::loss_curve`].
///
/// [`History::loss_curve`]: crate::engine::History::loss_curve
pub fn epoch_smoothed(
    mut curve: LossCurve,
    losses: &[f64],
    max_points: usize,
    window: usize,
) -> LossCurve {
    let n = losses.len();
    let bucket = n.div_ceil(max_points.max(2)).max(1);
    curve.smooth_loss = (0..curve.iteration.len())
        .map(|k| {
            let end = ((k + 1) * bucket).min(n);
            let start = end.saturating_sub(window.max(1));
            losses[start..end].iter().sum::<f64>() / (end - start) as f64
        })
        .collect();
    curve
}

/// A card's model: one example and the trainer of one vanilla RNN on it.
#[derive(Debug, Clone)]
pub struct TypesModel {
    settings: TypesSettings,
    example: Example,
    trainer: MaskedTrainer,
}

impl TypesModel {
    pub fn new(settings: TypesSettings) -> Result<Self> {
        let example = Example::new(settings.kind);
        let sequences = example.train.iter().map(|it| it.sequence.clone()).collect();
        let trainer =
            MaskedTrainer::new(settings.trainer_config()?, example.vocab.len(), sequences)?;
        Ok(Self {
            settings,
            example,
            trainer,
        })
    }

    pub fn settings(&self) -> &TypesSettings {
        &self.settings
    }

    pub fn example(&self) -> &Example {
        &self.example
    }

    pub fn trainer(&self) -> &MaskedTrainer {
        &self.trainer
    }

    /// `n` iterations, one training item each.
    pub fn train(&mut self, n: usize) -> Result<MaskedTrainReport> {
        self.trainer.train(n)
    }

    /// Fresh weights and order from `seed`, iteration 0.
    pub fn reset(&mut self, seed: u64) {
        self.settings.seed = seed;
        self.trainer.reset(seed);
    }

    fn trace(&self, seq: &MaskedSequence) -> Result<Trace> {
        let h0 = Array1::zeros(self.settings.hidden);
        seq.forward(self.trainer.params(), Activation::Tanh, &h0)
    }

    fn score(&self, items: &[Item]) -> Result<Score> {
        let (mut items_right, mut steps, mut steps_right, mut loss) = (0, 0, 0, 0.0);
        for it in items {
            let trace = self.trace(&it.sequence)?;
            let scored = trace.scored_steps();
            let right = trace
                .targets
                .iter()
                .zip(trace.p.rows())
                .filter(|(t, p)| **t == Some(argmax(*p)))
                .count();
            steps += scored;
            steps_right += right;
            items_right += usize::from(right == scored);
            loss += trace.loss;
        }
        let n = items.len();
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        Ok(Score {
            items: n,
            items_right,
            steps,
            steps_right,
            accuracy: match self.example.metric {
                Metric::Steps => ratio(steps_right, steps),
                Metric::Sequences => ratio(items_right, n),
            },
            mean_loss: if n == 0 { 0.0 } else { loss / n as f64 },
        })
    }

    pub fn status(&self) -> Result<TypesStatus> {
        let t = &self.trainer;
        let train = self.score(&self.example.train)?;
        let test = if self.example.test.is_empty() {
            None
        } else {
            Some(self.score(&self.example.test)?)
        };
        Ok(TypesStatus {
            kind: self.settings.kind,
            iteration: t.iteration(),
            epoch: t.epoch(),
            epoch_loss: t.epoch_loss(),
            smooth_loss: t.smooth_loss(),
            diverged: t.diverged(),
            metric: self.example.metric,
            reached: train.accuracy >= STATED_ACCURACY,
            train,
            test,
            stated: STATED_ACCURACY,
            history_len: t.history().len(),
        })
    }
    /// The loss curve, at most `max_points` points (see [`epoch_smoothed`]).
    pub fn loss_curve(&self, max_points: usize) -> LossCurve {
        let history = self.trainer.history();
        epoch_smoothed(
            history.loss_curve(max_points),
            &history.loss.to_vec(),
            max_points,
            self.example.train.len(),
        )
    }

    /// The headline accuracy on the training and on the held-out items, in
    /// the text CNN's terms (many-to-one: the fraction of phrases right on
    /// the split the CNN shares, [`sentiment_split`]); None where nothing is
    /// held out.
    ///
    /// [`sentiment_split`]: crate::engine::models::sentiment::sentiment_split
    pub fn split_accuracy(&self) -> Result<Option<SplitAccuracy>> {
        if self.example.test.is_empty() {
            return Ok(None);
        }
        let (train, test) = (
            self.score(&self.example.train)?,
            self.score(&self.example.test)?,
        );
        Ok(Some(SplitAccuracy {
            train: train.accuracy,
            test: test.accuracy,
            train_size: train.items,
            test_size: test.items,
        }))
    }

    fn token(&self, i: usize) -> String {
        self.example.vocab.token(i).unwrap_or_default().to_string()
    }

    pub fn info(&self) -> TypesInfo {
        let ex = &self.example;
        let texts = |items: &[Item]| items.iter().map(|it| it.text.clone()).collect();
        TypesInfo {
            kind: ex.kind,
            vocab: ex.vocab.tokens().to_vec(),
            outputs: ex.outputs.iter().map(|&o| self.token(o)).collect(),
            train_items: ex.train.len(),
            test_items: ex.test.len(),
            metric: ex.metric,
            stated: STATED_ACCURACY,
            default_input: ex.default_input.to_string(),
            train_texts: texts(&ex.train),
            test_texts: texts(&ex.test),
        }
    }
}
