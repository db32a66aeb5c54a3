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

    #[test]
    fn truncation_trains_in_f64() {
        let mut s = session(0.01);
        s.set_truncation(Some((4, 4))).unwrap();
        assert!(!s.trains_in_f32());
        s.train(2).unwrap();
        assert!(s.params().w_hh.iter().any(|&w| w != w as f32 as f64));
    }
}
