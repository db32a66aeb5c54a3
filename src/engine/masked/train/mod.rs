//! Training one model on a set of masked sequences.
//!
//! One iteration = one sequence, from h_0 = 0 (the examples are independent):
//! forward + BPTT (full or truncated, optionally an update per chunk) +
//! clipping + one optimiser step — the very step a text session takes
//! ([`crate::engine::step`]). The sequences are visited in epochs; each
//! epoch's order is a fresh permutation (Fisher–Yates) drawn from
//! `order_seed`, or the given order when `shuffle` is off, so the same
//! config and sequences give the same model, bit for bit.
//!
//! The smooth loss follows the session's rule, `s ← 0.999·s + 0.001·L`, from
//! −ln(1/V)·(mean scored steps per sequence); `epoch_loss` is the mean L of
//! the sequences of the last completed epoch (each measured before its own
//! update), the clearer figure for a handful of examples.

use super::MaskedSequence;
use crate::engine::clip::{Clip, ClipReport};
use crate::engine::error::{EngineError, Result};
use crate::engine::history::{History, HistoryEntry};
use crate::engine::limits::{self, LIMITS};
use crate::engine::optim::{Optimizer, OptimizerConfig};
use crate::engine::params::{ModelConfig, Params};
use crate::engine::rng::Rng;
use crate::engine::session::check_truncation;
use crate::engine::step::{StepSettings, train_step};
use ndarray::Array1;
use serde::{Deserialize, Serialize};

/// Everything that defines a masked trainer (besides its sequences).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MaskedTrainerConfig {
    /// Hidden size, init, activation, seed of the weights.
    pub model: ModelConfig,
    pub optimizer: OptimizerConfig,
    pub clip: Clip,
    /// (k1, k2): truncated BPTT inside each sequence; None: full BPTT.
    pub truncation: Option<(usize, usize)>,
    /// With truncation: one optimiser step after each chunk.
    pub update_per_chunk: bool,
    /// Visit the sequences in a fresh random order each epoch (else as given).
    pub shuffle: bool,
    /// Seed of that order (independent of the weights' seed).
    pub order_seed: u64,
    /// Iterations kept in each history ring.
    pub history_capacity: usize,
}

impl Default for MaskedTrainerConfig {
    /// The session's defaults (H = 3, tanh, Adagrad lr 0.1, clip by value 5),
    /// with biases on: without b_h a step that has no input and starts from
    /// h = 0 could only ever produce h = f(0).
    fn default() -> Self {
        Self {
            model: ModelConfig {
                bias: true,
                ..ModelConfig::default()
            },
            optimizer: OptimizerConfig::default(),
            clip: Clip::Value(5.0),
            truncation: None,
            update_per_chunk: false,
            shuffle: true,
            order_seed: 0,
            history_capacity: 10_000,
        }
    }
}

/// What a call to [`MaskedTrainer::train`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaskedTrainReport {
    pub iterations_run: usize,
    /// Iterations done since the last reset.
    pub iteration: u64,
    /// Completed epochs since the last reset.
    pub epoch: u64,
    /// L of the last iteration's sequence (NaN if none has run yet).
    pub loss: f64,
    /// Mean L over the last completed epoch (None before the first ends).
    pub epoch_loss: Option<f64>,
    pub smooth_loss: f64,
    /// Clipping in the last iteration.
    pub clip: ClipReport,
    /// In how many of the iterations run clipping fired.
    pub clip_fired_count: usize,
    /// ‖dL/dθ‖ of the last iteration, before clipping.
    pub grad_norm: f64,
}

/// One model trained on a set of masked sequences.
#[derive(Debug, Clone)]
pub struct MaskedTrainer {
    config: MaskedTrainerConfig,
    vocab_size: usize,
    sequences: Vec<MaskedSequence>,
    params: Params,
    optimizer: Optimizer,
    /// Draws each epoch's order.
    order_rng: Rng,
    /// The current epoch's order: indices into `sequences`.
    order: Vec<usize>,
    /// How many sequences of the current epoch are done.
    position: usize,
    /// Σ L over the current epoch so far.
    epoch_sum: f64,
    epoch: u64,
    epoch_loss: Option<f64>,
    iteration: u64,
    smooth_loss: f64,
    last_loss: Option<f64>,
    diverged_at: Option<u64>,
    history: History,
}

impl MaskedTrainer {
    /// Validates everything and builds the trainer with fresh weights from
    /// `config.model.seed`, for a vocabulary of `vocab_size` tokens.
    pub fn new(
        config: MaskedTrainerConfig,
        vocab_size: usize,
        sequences: Vec<MaskedSequence>,
    ) -> Result<Self> {
        config.model.validate()?;
        config.optimizer.validate()?;
        config.clip.validate()?;
        check_truncation(config.truncation)?;
        if vocab_size == 0 {
            return Err(EngineError::Invalid(
                "the vocabulary needs at least one token".into(),
            ));
        }
        if sequences.is_empty() {
            return Err(EngineError::Invalid(
                "training needs at least one sequence".into(),
            ));
        }
        for s in &sequences {
            s.check(vocab_size)?;
        }
        if config.history_capacity == 0 {
            return Err(EngineError::Invalid(
                "the history must hold at least 1 iteration".into(),
            ));
        }
        limits::at_most(
            "the history (iterations kept)",
            config.history_capacity,
            LIMITS.history,
        )?;
        let params = Params::init(vocab_size, &config.model)?;
        let optimizer = Optimizer::new(config.optimizer, vocab_size, config.model.hidden)?;
        let mut trainer = Self {
            order_rng: Rng::new(config.order_seed),
            order: Vec::new(),
            position: 0,
            epoch_sum: 0.0,
            epoch: 0,
            epoch_loss: None,
            iteration: 0,
            smooth_loss: 0.0,
            last_loss: None,
            diverged_at: None,
            history: History::new(config.history_capacity),
            config,
            vocab_size,
            sequences,
            params,
            optimizer,
        };
        trainer.start_epoch();
        trainer.smooth_loss = trainer.initial_smooth_loss();
        Ok(trainer)
    }

    /// Replaces the parameters: shapes must match, every number must be
    /// finite, and biases must be zero when the model has none. Clears the
    /// optimiser's memory and the diverged flag.
    pub fn set_params(&mut self, params: Params) -> Result<()> {
        params.check_shapes(self.vocab_size, self.config.model.hidden)?;
        if !params.all_finite() {
            return Err(EngineError::Invalid(
                "the parameters contain NaN or infinite numbers".into(),
            ));
        }
        if !self.config.model.bias && params.b_h.iter().chain(&params.b_y).any(|&v| v != 0.0) {
            return Err(EngineError::Shape {
                field: "b_h, b_y".into(),
                message: "this model has no biases, so they must be all zeros".into(),
            });
        }
        self.params = params;
        self.optimizer.reset();
        self.diverged_at = None;
        Ok(())
    }

    /// Fresh weights from `seed`, fresh optimiser memory and order, iteration
    /// and epoch 0, histories cleared.
    pub fn reset(&mut self, seed: u64) {
        self.config.model.seed = seed;
        // The config was validated when the trainer was made.
        self.params = Params::init(self.vocab_size, &self.config.model)
            .unwrap_or_else(|_| Params::zeros(self.vocab_size, self.config.model.hidden));
        self.optimizer.reset();
        self.order_rng = Rng::new(self.config.order_seed);
        self.start_epoch();
        self.epoch = 0;
        self.epoch_loss = None;
        self.iteration = 0;
        self.smooth_loss = self.initial_smooth_loss();
        self.last_loss = None;
        self.diverged_at = None;
        self.history.clear();
    }

    /// Runs `iterations` iterations (one sequence each). On NaN/Inf the
    /// parameters and optimiser memory of the last good iteration are kept
    /// and `Err(Diverged { iteration })` names the iteration that failed;
    /// later calls refuse the same way until a reset.
    pub fn train(&mut self, iterations: usize) -> Result<MaskedTrainReport> {
        // The work budget at the longest sequence (each iteration trains one).
        let longest = self.sequences.iter().map(|s| s.inputs.len()).max();
        limits::check_iterations_at(
            iterations,
            longest.unwrap_or(1),
            self.config.model.hidden,
            self.params.vocab_size(),
        )?;
        if let Some(iteration) = self.diverged_at {
            return Err(EngineError::Diverged { iteration });
        }
        let settings = StepSettings {
            activation: self.config.model.activation,
            bias: self.config.model.bias,
            clip: self.config.clip,
            truncation: self.config.truncation,
            update_per_chunk: self.config.update_per_chunk,
        };
        let h0 = Array1::zeros(self.config.model.hidden);
        let (mut clip, mut fired_count, mut grad_norm) = (ClipReport::default(), 0, f64::NAN);
        for _ in 0..iterations {
            let seq = &self.sequences[self.next_sequence()];
            let Some(step) = train_step(
                &mut self.params,
                &mut self.optimizer,
                &settings,
                &seq.inputs,
                &seq.targets,
                &h0,
            ) else {
                let iteration = self.iteration + 1;
                self.diverged_at = Some(iteration);
                return Err(EngineError::Diverged { iteration });
            };
            self.iteration += 1;
            self.smooth_loss = 0.999 * self.smooth_loss + 0.001 * step.loss;
            self.last_loss = Some(step.loss);
            let total = step.grad_norms.iter().map(|n| n * n).sum::<f64>().sqrt();
            self.history.push(HistoryEntry {
                iteration: self.iteration,
                loss: step.loss,
                smooth_loss: self.smooth_loss,
                grad_norms: step.grad_norms,
                grad_norm_total: total,
                dh_norms: step.dh_norms,
                clip_fired: step.fired,
            });
            self.epoch_sum += step.loss;
            self.position += 1;
            if self.position == self.sequences.len() {
                self.epoch += 1;
                self.epoch_loss = Some(self.epoch_sum / self.sequences.len() as f64);
                self.start_epoch();
            }
            clip = step.clip;
            fired_count += step.fired as usize;
            grad_norm = total;
        }
        Ok(MaskedTrainReport {
            iterations_run: iterations,
            iteration: self.iteration,
            epoch: self.epoch,
            loss: self.last_loss.unwrap_or(f64::NAN),
            epoch_loss: self.epoch_loss,
            smooth_loss: self.smooth_loss,
            clip,
            clip_fired_count: fired_count,
            grad_norm,
        })
    }

    /// −ln(1/V) per scored step, averaged over the sequences.
    fn initial_smooth_loss(&self) -> f64 {
        let scored: usize = self
            .sequences
            .iter()
            .map(MaskedSequence::scored_steps)
            .sum();
        -(1.0 / self.vocab_size as f64).ln() * scored as f64 / self.sequences.len() as f64
    }

    /// Draws the order of the next epoch and starts it.
    fn start_epoch(&mut self) {
        let n = self.sequences.len();
        self.order = (0..n).collect();
        if self.config.shuffle {
            // Fisher–Yates: position i takes a uniform pick among 0..=i.
            for i in (1..n).rev() {
                let j = ((self.order_rng.uniform() * (i + 1) as f64) as usize).min(i);
                self.order.swap(i, j);
            }
        }
        self.position = 0;
        self.epoch_sum = 0.0;
    }
}

mod readouts;
#[cfg(test)]
mod tests;
