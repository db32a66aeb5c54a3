//! A [`Model`] together with its [`Trainer`]: what a page handle holds for
//! one of the small models (perceptron, MLP, word2vec, text CNN). It adds to
//! the trainer what the page's `Model` class (www/model.js) asks of every
//! handle: `train(n)` with a report of how many steps ran, a `status()`
//! with the step count and whether training diverged, and a loss curve for
//! the loss chart.
//!
//! ```text
//! train(n):   n trainer steps (stops at the first NaN/∞, weights kept)
//! curve:      loss per step, pooled into ≤ max_points buckets (mean per bucket);
//!             smooth_s = 0.9·smooth_{s−1} + 0.1·loss_s,  smooth_1 = loss_1
//! ```

use super::{Model, Trainer};
use crate::engine::error::Result;
use crate::engine::history::LossCurve;
use crate::engine::optim::OptimizerConfig;
use serde::{Deserialize, Serialize};

/// Most training steps one call may run (the page trains in slices).
pub const MAX_STEPS_PER_CALL: usize = 10_000;

/// How a model is trained: the optimiser, the batch size (0: all examples),
/// the clipping norm (0: off) and the seed of the batch order.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrainSetup {
    pub optimizer: OptimizerConfig,
    pub batch: usize,
    pub clip_norm: f64,
    pub seed: u64,
}

/// What one `train(n)` call did.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrainReport {
    /// Steps this call ran.
    pub iterations_run: usize,
    /// Steps taken so far.
    pub iteration: u64,
    /// Completed passes over the examples.
    pub epoch: u64,
    /// The last step's batch loss (None when nothing ran).
    pub loss: Option<f64>,
    /// The last step's ‖g‖ before clipping.
    pub grad_norm: Option<f64>,
}

/// Where training stands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrainStatus {
    pub iteration: u64,
    pub epoch: u64,
    /// The last step's batch loss.
    pub last_loss: Option<f64>,
    /// Whether a step would have produced NaN/∞ (training stopped there).
    pub diverged: bool,
}

/// A model and its trainer.
#[derive(Debug, Clone)]
pub struct Trained<M: Model> {
    model: M,
    setup: TrainSetup,
    trainer: Trainer,
    diverged: bool,
}

impl<M: Model> Trained<M> {
    /// `model` with a fresh trainer; refuses a bad optimiser or a model without examples.
    pub fn new(model: M, setup: TrainSetup) -> Result<Self> {
        let trainer = Self::trainer_for(&model, &setup)?;
        Ok(Self {
            model,
            setup,
            trainer,
            diverged: false,
        })
    }

    fn trainer_for(model: &M, s: &TrainSetup) -> Result<Trainer> {
        Trainer::new(model, s.optimizer, s.batch, s.clip_norm, s.seed)
    }

    pub fn model(&self) -> &M {
        &self.model
    }

    pub fn setup(&self) -> &TrainSetup {
        &self.setup
    }

    /// `n` steps; on NaN/∞ the error says so, the last good weights stay and
    /// [`TrainStatus::diverged`] is set.
    pub fn train(&mut self, n: usize) -> Result<TrainReport> {
        let mut last = None;
        for _ in 0..n {
            match self.trainer.step(&mut self.model) {
                Ok(s) => last = Some(s),
                Err(e) => {
                    self.diverged = true;
                    return Err(e);
                }
            }
        }
        Ok(TrainReport {
            iterations_run: if last.is_some() { n } else { 0 },
            iteration: self.trainer.steps(),
            epoch: self.trainer.epoch(),
            loss: last.map(|s| s.loss),
            grad_norm: last.map(|s| s.grad_norm),
        })
    }

    pub fn status(&self) -> TrainStatus {
        TrainStatus {
            iteration: self.trainer.steps(),
            epoch: self.trainer.epoch(),
            last_loss: self.trainer.last_loss(),
            diverged: self.diverged,
        }
    }

    /// The loss of every step so far, pooled into at most `max_points`
    /// points (at least 2), with the smoothed loss (see the module docs).
    /// After [`LOSS_HISTORY`](super::trainer::LOSS_HISTORY) steps the
    /// trainer's history is already pooled: each entry counts as its stride of
    /// steps.
    pub fn loss_curve(&self, max_points: usize) -> LossCurve {
        let losses = &self.trainer.losses;
        let stride = self.trainer.loss_stride();
        let mut smooth = Vec::with_capacity(losses.len());
        for (i, &l) in losses.iter().enumerate() {
            let s = if i == 0 {
                l
            } else {
                0.9 * smooth[i - 1] + 0.1 * l
            };
            smooth.push(s);
        }
        let n = losses.len();
        let bucket = n.div_ceil(max_points.max(2)).max(1);
        let mut out = LossCurve::default();
        for start in (0..n).step_by(bucket) {
            let end = (start + bucket).min(n);
            out.iteration.push(end as u64 * stride);
            out.loss
                .push(losses[start..end].iter().sum::<f64>() / (end - start) as f64);
            out.smooth_loss.push(smooth[end - 1]);
            out.clip_fired.push(false);
        }
        out
    }

    /// Changes the model through `edit` (θ from sliders, a perceptron-rule
    /// update); if it succeeds, training starts afresh from the new weights
    /// (step 0, no optimiser memory, empty loss curve). On error nothing changes.
    pub fn edit<R>(&mut self, edit: impl FnOnce(&mut M) -> Result<R>) -> Result<R> {
        let r = edit(&mut self.model)?;
        self.trainer = Self::trainer_for(&self.model, &self.setup)?;
        self.diverged = false;
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::models::perceptron::{Perceptron, PerceptronActivation};
    use crate::engine::models::plane::Points;
    use crate::engine::optim::OptimizerKind;

    fn trained() -> Trained<Perceptron> {
        let m = Perceptron::new(
            Points::separable(3, 40).unwrap(),
            PerceptronActivation::Sigmoid,
            1,
        )
        .unwrap();
        let setup = TrainSetup {
            optimizer: OptimizerConfig::new(OptimizerKind::Adam, 0.05),
            batch: 0,
            clip_norm: 0.0,
            seed: 1,
        };
        Trained::new(m, setup).unwrap()
    }

    #[test]
    fn train_reports_steps_and_the_curve_pools_them() {
        let mut t = trained();
        let r = t.train(0).unwrap();
        assert_eq!((r.iterations_run, r.iteration, r.loss), (0, 0, None));
        let r = t.train(7).unwrap();
        assert_eq!((r.iterations_run, r.iteration), (7, 7));
        assert_eq!(t.status().iteration, 7);
        assert_eq!(t.status().last_loss, r.loss);
        let c = t.loss_curve(3);
        assert_eq!(c.iteration, vec![3, 6, 7]);
        let all = t.loss_curve(100);
        assert_eq!(all.loss.len(), 7);
        assert_eq!(all.smooth_loss[0], all.loss[0]);
        let s1 = 0.9 * all.loss[0] + 0.1 * all.loss[1];
        assert!((all.smooth_loss[1] - s1).abs() < 1e-15);
        assert!((c.loss[0] - all.loss[..3].iter().sum::<f64>() / 3.0).abs() < 1e-15);
    }

    #[test]
    fn an_edit_restarts_training_and_a_failed_edit_changes_nothing() {
        let mut t = trained();
        t.train(5).unwrap();
        assert!(t.edit(|m| m.set_theta([f64::NAN, 0.0, 0.0])).is_err());
        assert_eq!(t.status().iteration, 5);
        t.edit(|m| m.set_theta([0.1, 0.2, 0.3])).unwrap();
        assert_eq!(t.status().iteration, 0);
        assert_eq!(t.model().theta(), [0.1, 0.2, 0.3]);
        assert!(t.loss_curve(10).loss.is_empty());
    }
}
