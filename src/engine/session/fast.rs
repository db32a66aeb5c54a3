//! Training a session in the f32 fast mode ([`crate::engine::fast`]): the
//! same sequences, carried state, history and divergence rule as the exact
//! engine, with the iteration itself in f32.

use super::Session;
use super::train::TrainReport;
use crate::engine::error::{EngineError, Result};
use crate::engine::fast::{FastSettings, FastTrainer, Precision};
use crate::engine::step::Step;
use ndarray::Array1;

impl Session {
    /// Whether `train` runs in f32: the fast mode is on and BPTT is full
    /// (truncated BPTT has only the exact engine).
    pub fn trains_in_f32(&self) -> bool {
        self.config.precision == Precision::Float32 && self.config.truncation.is_none()
    }

    /// `iterations` f32 iterations (see [`Session::train`]); the parameters
    /// and optimiser memory are written back (exactly, widened) at the end,
    /// also when an iteration diverges (then as they were before it).
    pub(super) fn train_f32(&mut self, iterations: usize, report: &mut TrainReport) -> Result<()> {
        let step = self.step_settings();
        let settings = FastSettings {
            activation: step.activation,
            bias: step.bias,
            clip: step.clip,
            optimizer: *self.optimizer.config(),
        };
        let mut fast = match self.fast.take() {
            Some(mut f) => {
                f.load(&self.params, &self.optimizer, settings);
                f
            }
            None => Box::new(FastTrainer::new(&self.params, &self.optimizer, settings)),
        };
        let mut outcome = Ok(());
        let mut h0 = Vec::with_capacity(self.config.model.hidden);
        for _ in 0..iterations {
            let (inputs, targets) = self.sequence();
            h0.clear();
            h0.extend(self.h_prev().iter().map(|&v| v as f32));
            let Some(s) = fast.step(&inputs, &targets, &h0) else {
                let iteration = self.iteration + 1;
                self.diverged_at = Some(iteration);
                outcome = Err(EngineError::Diverged { iteration });
                break;
            };
            let total = s.grad_norms.iter().map(|n| n * n).sum::<f64>().sqrt();
            self.record(&Step {
                loss: s.loss,
                h_last: Array1::from_iter(s.h_last.iter().map(|&v| f64::from(v))),
                grad_norms: s.grad_norms,
                dh_norms: s.dh_norms,
                clip: s.clip,
                fired: s.clip.fired,
            });
            report.iterations_run += 1;
            report.clip = s.clip;
            report.clip_fired_count += s.clip.fired as usize;
            report.grad_norm = total;
        }
        // Nothing accepted (a first iteration that diverged): the f64 weights stay unrounded.
        if report.iterations_run > 0 {
            fast.store(&mut self.params, &mut self.optimizer)?;
        }
        self.fast = Some(fast);
        report.iteration = self.iteration;
        report.loss = self.last_loss.unwrap_or(f64::NAN);
        report.smooth_loss = self.smooth_loss;
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::clip::Clip;
    use crate::engine::params::Params;
    use crate::engine::session::SessionConfig;
    use crate::engine::{OptimizerConfig, OptimizerKind};

    fn session(lr: f64) -> Session {
        Session::new(SessionConfig {
            text: "the quick brown fox jumps over the lazy dog. ".repeat(4),
            seq_len: Some(12),
            precision: Precision::Float32,
            optimizer: OptimizerConfig::new(OptimizerKind::Adam, lr),
            ..Default::default()
        })
        .unwrap()
    }

    #[test]
    fn slices_reach_the_same_bits_as_one_call() {
        let (mut one, mut sliced) = (session(0.01), session(0.01));
        one.train(40).unwrap();
        for n in [1, 14, 25] {
            sliced.train(n).unwrap();
        }
        assert_eq!(one.params(), sliced.params());
        assert_eq!(one.optimizer(), sliced.optimizer());
        assert_eq!(one.h_prev(), sliced.h_prev());
        assert_eq!(
            one.history().slice(None, None),
            sliced.history().slice(None, None)
        );
        assert_eq!(one.optimizer().steps(), 40);
    }

    #[test]
    fn divergence_keeps_the_last_good_weights() {
        let mut s = session(0.01);
        s.train(3).unwrap();
        // Finite in f64, but W_hy h overflows f32: the next iteration diverges.
        let mut p = s.params().clone();
        p.w_hy.fill(1e38);
        s.set_params(p.clone()).unwrap();
        assert_eq!(
            s.train(5).unwrap_err(),
            EngineError::Diverged { iteration: 4 }
        );
        assert_eq!(s.params(), &p, "not even rounded to f32");
        assert_eq!(s.iteration(), 3);
        assert!(s.train(1).is_err(), "refuses until reset");
        s.reset(1);
        assert!(s.train(2).is_ok());
    }

    /// One iteration in each precision from the same weights, clipping as `clip`.
    /// Plain SGD: a clipped gradient moves the weights less (Adam's and Adagrad's first
    /// steps, about lr·g/|g|, would hide a missing clamp).
    fn one_iteration(clip: Clip, precision: Precision) -> (TrainReport, Params) {
        let mut s = Session::new(SessionConfig {
            text: "the quick brown fox jumps over the lazy dog. ".repeat(4),
            seq_len: Some(12),
            precision,
            clip,
            optimizer: OptimizerConfig::new(OptimizerKind::Sgd, 0.5),
            ..Default::default()
        })
        .unwrap();
        let report = s.train(1).unwrap();
        (report, s.params().clone())
    }

    #[test]
    fn clipping_fires_and_clips_as_the_exact_engine() {
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-5 * b.abs().max(1e-3);
        // Thresholds under the first gradients (so clipping fires) and far above them.
        for clip in [
            Clip::Value(0.01),
            Clip::Value(1e3),
            Clip::Norm(0.05),
            Clip::Norm(1e3),
            Clip::Off,
        ] {
            let (exact, p64) = one_iteration(clip, Precision::Float64);
            let (fast, p32) = one_iteration(clip, Precision::Float32);
            let big = matches!(clip, Clip::Value(c) | Clip::Norm(c) if c < 1.0);
            assert_eq!(
                exact.clip.fired, big,
                "{clip:?}: the thresholds are chosen to fire or not"
            );
            assert_eq!(fast.clip.fired, exact.clip.fired, "{clip:?}");
            assert!(
                close(fast.clip.norm_before, exact.clip.norm_before),
                "{clip:?}"
            );
            assert!(
                close(fast.clip.norm_after, exact.clip.norm_after),
                "{clip:?}"
            );
            assert!(exact.clip.norm_after <= exact.clip.norm_before * (1.0 + 1e-12));
            for (a, b) in p32.slices().iter().zip(p64.slices()) {
                for (&x, &y) in a.iter().zip(b.iter()) {
                    let tolerance = 1e-5 * y.abs() + 1e-6;
                    assert!((x - y).abs() <= tolerance, "{clip:?}: {x} vs {y}");
                }
            }
        }
    }

    #[test]
    fn truncation_trains_in_f64() {
        let mut s = session(0.01);
        s.set_truncation(Some((4, 4))).unwrap();
        assert!(!s.trains_in_f32());
        s.train(2).unwrap();
        assert!(s.params().w_hh.iter().any(|&w| w != w as f32 as f64));
    }
}
