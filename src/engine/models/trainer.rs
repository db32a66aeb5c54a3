//! One optimiser and one training loop for every [`Model`]: the update rules
//! of [`crate::engine::optim`] on the model's flat θ, mini-batches drawn in a
//! seeded order, an epoch counter and the loss of every step.
//!
//! ```text
//! each step:  B = next `batch` indices of a seeded permutation of 0..N
//!             g = ∇ (1/|B|) Σ_{i∈B} ℓ_i(θ);   if ‖g‖ > c: g ← c·g/‖g‖   (c = 0: off)
//!             θ ← rule(θ, g)        (nothing changes if the result is not finite)
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
    /// Loss of every step taken, oldest first.
    pub losses: Vec<f64>,
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
        })
    }

    pub fn steps(&self) -> u64 {
        self.optimizer.steps()
    }

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
                if !self.order.is_empty() {
                    self.epoch += 1;
                }
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
        self.losses.push(loss);
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
        let mut seen: Vec<usize> = (0..4).flat_map(|_| t.next_batch(20)).collect();
        seen.sort();
        assert_eq!(seen, (0..20).collect::<Vec<_>>());
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
