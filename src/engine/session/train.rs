//! The training step of a session.
//!
//! One iteration = forward + BPTT (full or truncated) + clipping + one
//! optimiser step, or, with `update_per_chunk`, one step per chunk
//! ([`crate::engine::step`], shared with the masked trainer).
//! The smooth loss starts at −ln(1/V)·(scored steps per sequence) and follows
//! `s ← 0.999·s + 0.001·L`.

use super::Session;
use crate::engine::clip::ClipReport;
use crate::engine::error::{EngineError, Result};
use crate::engine::forward::LossMode;
use crate::engine::history::HistoryEntry;
use crate::engine::limits::{check_iterations_at, max_iterations_per_call};
use crate::engine::step::{Step, StepSettings, train_step};
use serde::Serialize;

/// What a call to [`Session::train`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainReport {
    pub iterations_run: usize,
    /// Iterations done since the last reset.
    pub iteration: u64,
    /// L of the last iteration (NaN if none has run yet).
    pub loss: f64,
    pub smooth_loss: f64,
    /// Clipping in the last iteration (its last chunk, with per-chunk updates).
    pub clip: ClipReport,
    /// In how many of the iterations run clipping fired.
    pub clip_fired_count: usize,
    /// ‖dL/dθ‖ of the last iteration, before clipping.
    pub grad_norm: f64,
}

/// What [`Session::train_until`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrainUntil {
    pub iterations_run: usize,
    pub iteration: u64,
    /// L of the sequence shown, with the weights after the run.
    pub loss: f64,
    /// Whether the goal was met.
    pub reached: bool,
}

impl Session {
    /// The smooth loss before any iteration: −ln(1/V) per scored step.
    pub(super) fn initial_smooth_loss(&self) -> f64 {
        let scored = match self.config.loss_mode {
            LossMode::PerStep => self.seq_steps(),
            LossMode::LastStep => 1,
        };
        -(1.0 / self.vocab.len() as f64).ln() * scored as f64
    }

    /// Runs `iterations` training iterations, at most
    /// [`Session::max_iterations_per_call`] (a caller with more work calls
    /// again: the page in slices per frame). On NaN/Inf the
    /// parameters and optimiser memory of the last good iteration are kept
    /// and `Err(Diverged { iteration })` names the iteration that failed;
    /// later calls refuse the same way until [`Session::reset`].
    pub fn train(&mut self, iterations: usize) -> Result<TrainReport> {
        check_iterations_at(
            iterations,
            self.seq_steps(),
            self.params.hidden(),
            self.vocab.len(),
        )?;
        if let Some(iteration) = self.diverged_at {
            return Err(EngineError::Diverged { iteration });
        }
        let mut report = TrainReport {
            iterations_run: 0,
            iteration: self.iteration,
            loss: self.last_loss.unwrap_or(f64::NAN),
            smooth_loss: self.smooth_loss,
            clip: ClipReport::default(),
            clip_fired_count: 0,
            grad_norm: f64::NAN,
        };
        if self.trains_in_f32() {
            self.train_f32(iterations, &mut report)?;
            return Ok(report);
        }
        let settings = self.step_settings();
        for _ in 0..iterations {
            let (inputs, targets) = self.masked_sequence();
            let h0 = self.h_prev();
            let step = train_step(
                &mut self.params,
                &mut self.optimizer,
                &settings,
                &inputs,
                &targets,
                &h0,
            );
            let Some(step) = step else {
                let iteration = self.iteration + 1;
                self.diverged_at = Some(iteration);
                return Err(EngineError::Diverged { iteration });
            };
            self.record(&step);
            report.iterations_run += 1;
            report.clip = step.clip;
            report.clip_fired_count += step.fired as usize;
            report.grad_norm = step.grad_norms.iter().map(|n| n * n).sum::<f64>().sqrt();
        }
        report.iteration = self.iteration;
        report.loss = self.last_loss.unwrap_or(f64::NAN);
        report.smooth_loss = self.smooth_loss;
        Ok(report)
    }

    /// The most iterations one [`Session::train`] call accepts at this
    /// model's size: [`max_iterations_per_call`] for T = the sequence's
    /// steps, H and V (10 000 for "hello"; 13 at H = V = T = 256).
    pub fn max_iterations_per_call(&self) -> usize {
        max_iterations_per_call(self.seq_steps(), self.params.hidden(), self.vocab.len())
    }

    /// Trains one iteration at a time until `reached(self)` holds or
    /// `max_iterations` have run (checked before each iteration, so a goal
    /// already met runs none). On NaN/Inf: the engine's error, the last good
    /// weights kept.
    pub fn train_until(
        &mut self,
        max_iterations: usize,
        mut reached: impl FnMut(&Session) -> bool,
    ) -> Result<TrainUntil> {
        check_iterations_at(
            max_iterations,
            self.seq_steps(),
            self.params.hidden(),
            self.vocab.len(),
        )?;
        let mut run = 0;
        let mut done = reached(self);
        while run < max_iterations && !done {
            self.train(1)?;
            run += 1;
            done = reached(self);
        }
        Ok(TrainUntil {
            iterations_run: run,
            iteration: self.iteration,
            loss: self.trace().loss,
            reached: done,
        })
    }

    /// Accepts an iteration: counters, pointer, carried state, smooth loss, history.
    pub(super) fn record(&mut self, step: &Step) {
        let (p, _) = self.window();
        self.pointer = p + self.seq_steps();
        self.h_prev.assign(&step.h_last);
        self.iteration += 1;
        self.smooth_loss = 0.999 * self.smooth_loss + 0.001 * step.loss;
        self.last_loss = Some(step.loss);
        self.history.push(HistoryEntry {
            iteration: self.iteration,
            loss: step.loss,
            smooth_loss: self.smooth_loss,
            grad_norms: step.grad_norms,
            grad_norm_total: step.grad_norms.iter().map(|n| n * n).sum::<f64>().sqrt(),
            dh_norms: step.dh_norms.clone(),
            clip_fired: step.fired,
        });
    }

    /// The settings [`train_step`] reads, from the session's config.
    pub(super) fn step_settings(&self) -> StepSettings {
        StepSettings {
            activation: self.config.model.activation,
            bias: self.config.model.bias,
            clip: self.config.clip,
            truncation: self.config.truncation,
            update_per_chunk: self.config.update_per_chunk,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::session::SessionConfig;

    #[test]
    fn biases_stay_zero_when_off() {
        let mut s = Session::new(SessionConfig::default()).unwrap();
        s.train(50).unwrap();
        assert!(
            s.params()
                .b_h
                .iter()
                .chain(&s.params().b_y)
                .all(|&v| v == 0.0)
        );
        assert!(s.gradients().params.b_y.iter().all(|&v| v == 0.0));
    }
}
