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

#[cfg(test)]
mod tests {
    use super::super::{Tensor, check_gradient, gradient_ok, layout};
    use super::*;

    /// Least squares on a line: ℓ_i = ½(w·x_i + b − y_i)², a model small
    /// enough to check the framework itself.
    struct Line {
        tensors: Vec<Tensor>,
        theta: Vec<f64>,
        xs: Vec<f64>,
        ys: Vec<f64>,
        /// Doubles dL/dw: a wrong backward pass the check must catch.
        bug: bool,
    }

    impl Model for Line {
        fn tensors(&self) -> &[Tensor] {
            &self.tensors
        }
        fn params(&self) -> &[f64] {
            &self.theta
        }
        fn params_mut(&mut self) -> &mut [f64] {
            &mut self.theta
        }
        fn examples(&self) -> usize {
            self.xs.len()
        }
        fn loss_and_gradient(&self, batch: &[usize], grad: &mut [f64]) -> f64 {
            grad.fill(0.0);
            let (w, b) = (self.theta[0], self.theta[1]);
            let n = batch.len() as f64;
            let mut loss = 0.0;
            for &i in batch {
                let r = w * self.xs[i] + b - self.ys[i];
                loss += 0.5 * r * r / n;
                grad[0] += r * self.xs[i] / n;
                grad[1] += r / n;
            }
            if self.bug {
                grad[0] *= 2.0;
            }
            loss
        }
    }

    fn line() -> Line {
        let (tensors, len) = layout(&[("w", &[1]), ("b", &[1])]);
        assert_eq!(len, 2);
        let xs: Vec<f64> = (0..20).map(|i| i as f64 / 10.0).collect();
        let ys = xs.iter().map(|x| 3.0 * x - 1.0).collect();
        Line {
            tensors,
            theta: vec![0.0, 0.0],
            xs,
            ys,
            bug: false,
        }
    }

    #[test]
    fn gradient_check_passes_and_catches_a_wrong_gradient() {
        let mut m = line();
        m.theta = vec![0.3, -0.2];
        let checks = check_gradient(&mut m, &[0, 3, 7], 10);
        assert!(gradient_ok(&checks), "{checks:?}");
        assert_eq!(m.theta, vec![0.3, -0.2], "θ is restored");
        m.bug = true;
        let checks = check_gradient(&mut m, &[0, 3, 7], 10);
        assert!(!gradient_ok(&checks));
        assert!(checks[0].max_relative_error > 0.1 && checks[1].max_relative_error < 1e-6);
    }

    #[test]
    fn every_rule_fits_the_line_and_runs_are_reproducible() {
        for kind in [
            OptimizerKind::Sgd,
            OptimizerKind::Momentum,
            OptimizerKind::Adagrad,
            OptimizerKind::Adam,
        ] {
            let lr = if kind == OptimizerKind::Adagrad {
                0.5
            } else {
                0.05
            };
            let run = || {
                let mut m = line();
                let mut t = Trainer::new(&m, OptimizerConfig::new(kind, lr), 4, 0.0, 7).unwrap();
                t.train(&mut m, 3000).unwrap();
                (m.theta, t.losses)
            };
            let (theta, losses) = run();
            assert!((theta[0] - 3.0).abs() < 0.05, "{kind:?}: {theta:?}");
            assert!((theta[1] + 1.0).abs() < 0.05, "{kind:?}: {theta:?}");
            assert_eq!(run(), (theta, losses), "same seed, same bits");
        }
    }

    #[test]
    fn batches_cover_every_example_once_per_epoch() {
        let m = line();
        let mut t = Trainer::new(&m, OptimizerConfig::default(), 5, 0.0, 1).unwrap();
        let mut seen: Vec<usize> = (0..3).flat_map(|_| t.next_batch(20)).collect();
        assert_eq!(t.epoch(), 0, "15 of 20 examples: no pass completed");
        seen.extend(t.next_batch(20));
        assert_eq!(t.epoch(), 1, "the pass ends with its last example");
        seen.sort();
        assert_eq!(seen, (0..20).collect::<Vec<_>>());
        t.next_batch(20);
        assert_eq!(t.epoch(), 1);
    }

    #[test]
    fn the_loss_history_is_bounded_and_pools_neighbours() {
        let opt = OptimizerConfig::new(OptimizerKind::Sgd, 0.05);
        let mut m = line();
        let mut exact = Trainer::new(&m, opt, 3, 0.0, 5).unwrap();
        exact.train(&mut m, 1000).unwrap();
        let every: Vec<f64> = exact.losses.clone();
        assert_eq!((every.len(), exact.loss_stride()), (1000, 1));

        let mut m = line();
        let mut pooled = Trainer::new(&m, opt, 3, 0.0, 5)
            .unwrap()
            .with_loss_capacity(8);
        pooled.train(&mut m, 1000).unwrap();
        // 1000 steps in at most 8 entries: a stride of 128 (7 full entries, the
        // last 104 steps still pending).
        assert_eq!((pooled.loss_stride(), pooled.losses.len()), (128, 7));
        for (i, &l) in pooled.losses.iter().enumerate() {
            let run = &every[i * 128..(i + 1) * 128];
            let mean = run.iter().sum::<f64>() / 128.0;
            assert!(
                (l - mean).abs() < 1e-12 * mean.abs().max(1.0),
                "{i}: {l} vs {mean}"
            );
        }
        assert_eq!(pooled.last_loss(), every.last().copied());
        assert_eq!(pooled.steps(), 1000);

        // The default bound: three times LOSS_HISTORY steps keep at most LOSS_HISTORY.
        let mut m = line();
        let mut long = Trainer::new(&m, opt, 3, 0.0, 5).unwrap();
        for _ in 0..3 * LOSS_HISTORY / 1000 + 1 {
            long.train(&mut m, 1000).unwrap();
        }
        assert!(long.losses.len() <= LOSS_HISTORY, "{}", long.losses.len());
        assert_eq!(long.loss_stride(), 4);
        assert!((long.losses[0] - every[..4].iter().sum::<f64>() / 4.0).abs() < 1e-12);
    }

    #[test]
    fn a_diverging_step_keeps_the_weights() {
        let mut m = line();
        m.ys[0] = f64::NAN;
        let mut t =
            Trainer::new(&m, OptimizerConfig::new(OptimizerKind::Sgd, 0.1), 0, 0.0, 1).unwrap();
        assert!(t.step(&mut m).is_err());
        assert_eq!(m.theta, vec![0.0, 0.0]);
    }
}
