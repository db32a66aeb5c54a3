//! One optimiser and one training loop for every [`Model`]: the update rules
//! of [`crate::engine::optim`] on the model's flat θ, mini-batches drawn in a
//! seeded order, an epoch counter and a bounded loss history.
//!
//! ```text
//! each step:  B = next `batch` indices of a seeded permutation of 0..N
//!             g = ∇ (1/|B|) Σ_{i∈B} ℓ_i(θ);   if ‖g‖ > c: g ← c·g/‖g‖   (c = 0: off)
//!             θ ← rule(θ, g)        (nothing changes if the result is not finite)
//! ```
//!
//! The loss history holds one entry per step until it is full
//! ([`LOSS_HISTORY`] entries); then neighbours are pooled in pairs and each
//! entry stands for twice as many steps (its mean loss), so hours of training
//! keep the whole run's curve in constant memory:
//!
//! ```text
//! losses[i] = mean of ℓ over steps i·s + 1 ..= (i + 1)·s,   s = loss_stride() ∈ {1, 2, 4, …}
//! ```

use super::Model;
use crate::engine::error::{EngineError, Result};
use crate::engine::optim::rules::{adagrad, adam, momentum, sgd};
use crate::engine::optim::{OptimizerConfig, OptimizerKind};
use crate::engine::rng::Rng;
use serde::Serialize;

#[path = "trainer_state.rs"]
mod state;
pub use state::TrainerState;

/// Most entries [`Trainer::losses`] holds (even): past it, neighbours are
/// pooled in pairs. The chapters' runs (a few thousand steps) never reach it,
/// so there the history is the loss of every step.
pub const LOSS_HISTORY: usize = 8192;

/// An optimiser over one flat parameter vector, with its memory.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatOptimizer {
    config: OptimizerConfig,
    /// [v] momentum, [m] Adagrad, [m, v] Adam, [] SGD; each θ-sized.
    state: Vec<Vec<f64>>,
    next_state: Vec<Vec<f64>>,
    next_params: Vec<f64>,
    steps: u64,
}

impl FlatOptimizer {
    /// A fresh optimiser (zero memory) for `len` parameters.
    pub fn new(config: OptimizerConfig, len: usize) -> Result<Self> {
        config.validate()?;
        let n = match config.kind {
            OptimizerKind::Sgd => 0,
            OptimizerKind::Momentum | OptimizerKind::Adagrad => 1,
            OptimizerKind::Adam => 2,
        };
        Ok(Self {
            config,
            state: vec![vec![0.0; len]; n],
            next_state: vec![vec![0.0; len]; n],
            next_params: vec![0.0; len],
            steps: 0,
        })
    }

    pub fn config(&self) -> &OptimizerConfig {
        &self.config
    }

    /// Accepted steps so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// One update θ ← rule(θ, g). If any new number is NaN/Inf nothing
    /// changes and `false` is returned.
    pub fn step(&mut self, theta: &mut Vec<f64>, g: &[f64]) -> bool {
        let cfg = self.config;
        let lr = cfg.learning_rate;
        let out = &mut self.next_params;
        let ok = match cfg.kind {
            OptimizerKind::Sgd => sgd(theta, g, out, lr),
            OptimizerKind::Momentum => momentum(
                theta,
                g,
                &self.state[0],
                &mut self.next_state[0],
                out,
                lr,
                cfg.momentum,
            ),
            OptimizerKind::Adagrad => adagrad(
                theta,
                g,
                &self.state[0],
                &mut self.next_state[0],
                out,
                lr,
                cfg.eps,
            ),
            OptimizerKind::Adam => {
                let t = (self.steps + 1) as f64;
                let (c1, c2) = (1.0 - libm::pow(cfg.beta1, t), 1.0 - libm::pow(cfg.beta2, t));
                let (m1, v1) = self.next_state.split_at_mut(1);
                adam(
                    theta,
                    g,
                    out,
                    &self.state[0],
                    &mut m1[0],
                    &self.state[1],
                    &mut v1[0],
                    lr,
                    cfg.beta1,
                    cfg.beta2,
                    cfg.eps,
                    c1,
                    c2,
                )
            }
        };
        if ok {
            std::mem::swap(theta, &mut self.next_params);
            std::mem::swap(&mut self.state, &mut self.next_state);
            self.steps += 1;
        }
        ok
    }
}

/// What one [`Trainer::step`] did.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrainStep {
    /// Steps taken so far (this one included).
    pub step: u64,
    /// Completed passes over the examples.
    pub epoch: u64,
    /// Mean loss of the batch before the update.
    pub loss: f64,
    /// ‖g‖ before clipping.
    pub grad_norm: f64,
    pub clipped: bool,
}

/// Trains a [`Model`]: seeded mini-batches, one optimiser, a loss history.
#[derive(Debug, Clone)]
pub struct Trainer {
    optimizer: FlatOptimizer,
    /// Examples per step; 0 = all of them (full batch).
    batch: usize,
    /// Clip the gradient to this global norm (0: no clipping).
    clip_norm: f64,
    rng: Rng,
    order: Vec<usize>,
    cursor: usize,
    epoch: u64,
    grad: Vec<f64>,
    /// Mean loss of each run of [`Trainer::loss_stride`] steps, oldest first
    /// (the loss of every step until [`LOSS_HISTORY`] steps); see the module doc.
    pub losses: Vec<f64>,
    /// Most entries of `losses` before they are pooled (even, ≥ 2).
    loss_capacity: usize,
    /// Steps per entry of `losses`.
    loss_stride: u64,
    /// Sum and count of the steps not yet in `losses` (fewer than the stride).
    pending: (f64, u64),
    last_loss: Option<f64>,
}

impl Trainer {
    /// A trainer for `model` with `batch` examples per step (0: all), global-norm
    /// clipping at `clip_norm` (0: off), the order of examples drawn from `seed`.
    pub fn new<M: Model>(
        model: &M,
        optimizer: OptimizerConfig,
        batch: usize,
        clip_norm: f64,
        seed: u64,
    ) -> Result<Self> {
        if model.examples() == 0 {
            return Err(EngineError::Invalid(
                "there are no examples to train on".into(),
            ));
        }
        if !(clip_norm.is_finite() && clip_norm >= 0.0) {
            return Err(EngineError::Invalid(format!(
                "the clipping norm must be 0 (off) or positive, got {clip_norm}"
            )));
        }
        let n = model.params().len();
        Ok(Self {
            optimizer: FlatOptimizer::new(optimizer, n)?,
            batch,
            clip_norm,
            rng: Rng::new(seed),
            order: Vec::new(),
            cursor: 0,
            epoch: 0,
            grad: vec![0.0; n],
            losses: Vec::new(),
            loss_capacity: LOSS_HISTORY,
            loss_stride: 1,
            pending: (0.0, 0),
            last_loss: None,
        })
    }

    /// The same trainer with room for `capacity` loss entries (rounded up to
    /// an even number ≥ 2) before pooling, instead of [`LOSS_HISTORY`].
    pub fn with_loss_capacity(mut self, capacity: usize) -> Self {
        self.loss_capacity = capacity.max(2).next_multiple_of(2);
        self
    }

    /// Steps per entry of [`Trainer::losses`] (1 until it first fills).
    pub fn loss_stride(&self) -> u64 {
        self.loss_stride
    }

    /// The loss of the last step taken.
    pub fn last_loss(&self) -> Option<f64> {
        self.last_loss
    }

    /// Adds a step's loss to the history, pooling it in pairs when full.
    fn record_loss(&mut self, loss: f64) {
        self.last_loss = Some(loss);
        // With a stride of 1 this is `loss` to the bit (0 + x, then x / 1).
        self.pending = (self.pending.0 + loss, self.pending.1 + 1);
        if self.pending.1 < self.loss_stride {
            return;
        }
        self.losses.push(self.pending.0 / self.loss_stride as f64);
        self.pending = (0.0, 0);
        if self.losses.len() >= self.loss_capacity {
            self.losses = self
                .losses
                .chunks_exact(2)
                .map(|p| (p[0] + p[1]) / 2.0)
                .collect();
            self.loss_stride *= 2;
        }
    }

    pub fn steps(&self) -> u64 {
        self.optimizer.steps()
    }

    /// Completed passes over the examples (a pass ends with its last example).
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// The next batch of example indices (a fresh seeded permutation each epoch).
    fn next_batch(&mut self, examples: usize) -> Vec<usize> {
        let size = if self.batch == 0 {
            examples
        } else {
            self.batch.min(examples)
        };
        if self.batch == 0 {
            self.epoch += 1;
            return (0..examples).collect();
        }
        let mut out = Vec::with_capacity(size);
        while out.len() < size {
            if self.cursor >= self.order.len() {
                self.order = (0..examples).collect();
                // Fisher–Yates with the seeded generator.
                for i in (1..examples).rev() {
                    let j = (self.rng.next_u64() % (i as u64 + 1)) as usize;
                    self.order.swap(i, j);
                }
                self.cursor = 0;
            }
            out.push(self.order[self.cursor]);
            self.cursor += 1;
            // Counted when the pass ends, not when the next begins: after
            // exactly k passes the count is k.
            if self.cursor == self.order.len() {
                self.epoch += 1;
            }
        }
        out
    }

    /// One step on the next batch. On NaN/Inf the model is unchanged and an
    /// error says so.
    pub fn step<M: Model>(&mut self, model: &mut M) -> Result<TrainStep> {
        let batch = self.next_batch(model.examples());
        let loss = model.loss_and_gradient(&batch, &mut self.grad);
        let norm = self.grad.iter().map(|g| g * g).sum::<f64>().sqrt();
        let clipped = self.clip_norm > 0.0 && norm > self.clip_norm;
        if clipped {
            let s = self.clip_norm / norm;
            self.grad.iter_mut().for_each(|g| *g *= s);
        }
        let mut theta = model.params().to_vec();
        if !loss.is_finite() || !self.optimizer.step(&mut theta, &self.grad) {
            return Err(EngineError::Invalid(format!(
                "training diverged at step {} (the loss or the weights became NaN or infinite); the last good weights are kept",
                self.steps() + 1
            )));
        }
        model.params_mut().copy_from_slice(&theta);
        self.record_loss(loss);
        Ok(TrainStep {
            step: self.steps(),
            epoch: self.epoch,
            loss,
            grad_norm: norm,
            clipped,
        })
    }

    /// `n` steps (at most [`LIMITS`](crate::engine::LIMITS)`.iterations_per_call`);
    /// stops at the first error.
    pub fn train<M: Model>(&mut self, model: &mut M, n: usize) -> Result<Option<TrainStep>> {
        crate::engine::limits::check_iterations(n)?;
        let mut last = None;
        for _ in 0..n {
            last = Some(self.step(model)?);
        }
        Ok(last)
    }
}

// The tests read the trainer's private state (its batches, its loss history).
#[cfg(test)]
#[path = "trainer_tests.rs"]
mod tests;
