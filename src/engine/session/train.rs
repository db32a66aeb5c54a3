//! The training step of a session.
//!
//! One iteration = forward + BPTT (full or truncated) + clipping + one
//! optimiser step, or, with `update_per_chunk`, one step per chunk.
//! The smooth loss starts at −ln(1/V)·(scored steps per sequence) and follows
//! `s ← 0.999·s + 0.001·L`.

use super::Session;
use crate::engine::bptt::{backward, truncated};
use crate::engine::clip::{self, ClipReport};
use crate::engine::error::{EngineError, Result};
use crate::engine::forward::{LossMode, forward};
use crate::engine::history::HistoryEntry;
use crate::engine::limits::check_iterations;
use crate::engine::params::Params;
use ndarray::{Array1, Array2, s};
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

/// What one iteration produced, before it is recorded.
struct Step {
    loss: f64,
    h_last: Array1<f64>,
    grad_norms: [f64; 5],
    dh_norms: Vec<f64>,
    clip: ClipReport,
    fired: bool,
}

fn norm(v: ndarray::ArrayView1<f64>) -> f64 {
    v.dot(&v).sqrt()
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
    /// [`LIMITS`](crate::engine::LIMITS)`.iterations_per_call` (a caller with
    /// more work calls again: the page in slices per frame). On NaN/Inf the
    /// parameters and optimiser memory of the last good iteration are kept
    /// and `Err(Diverged { iteration })` names the iteration that failed;
    /// later calls refuse the same way until [`Session::reset`].
    pub fn train(&mut self, iterations: usize) -> Result<TrainReport> {
        check_iterations(iterations)?;
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
        for _ in 0..iterations {
            let step = match (self.config.truncation, self.config.update_per_chunk) {
                (Some(k), true) => self.iterate_per_chunk(k),
                (t, _) => self.iterate(t),
            };
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

    /// Trains one iteration at a time until `reached(self)` holds or
    /// `max_iterations` have run (checked before each iteration, so a goal
    /// already met runs none). On NaN/Inf: the engine's error, the last good
    /// weights kept.
    pub fn train_until(
        &mut self,
        max_iterations: usize,
        mut reached: impl FnMut(&Session) -> bool,
    ) -> Result<TrainUntil> {
        check_iterations(max_iterations)?;
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
    fn record(&mut self, step: &Step) {
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

    /// Drops the bias gradients when the model has none, then clips.
    /// Returns ‖g‖ per tensor before clipping and the clip report; None if
    /// the gradient is not finite.
    fn clip(&self, grads: &mut Params) -> Option<([f64; 5], ClipReport)> {
        if !self.config.model.bias {
            grads.zero_biases();
        }
        let (norms, report) = self.config.clip.apply_with_norms(grads);
        norms
            .iter()
            .all(|n| n.is_finite())
            .then_some((norms, report))
    }

    /// One iteration with a single update: forward, BPTT (full or truncated),
    /// clip, step. None (and nothing changed) on NaN/Inf.
    fn iterate(&mut self, truncation: Option<(usize, usize)>) -> Option<Step> {
        let trace = self.trace();
        if !trace.loss.is_finite() {
            return None;
        }
        let (mut grads, dh_norms) = match truncation {
            None => {
                let g = backward(&self.params, &trace);
                let norms = g.dh_norms();
                (g.params, norms)
            }
            Some((k1, k2)) => {
                let g = truncated(&self.params, &trace, k1, k2).ok()?;
                let norms = g.dh.rows().into_iter().map(norm).collect();
                (g.params, norms)
            }
        };
        let (grad_norms, clip) = self.clip(&mut grads)?;
        let bias = self.config.model.bias;
        if !self.optimizer.step(&mut self.params, &grads, bias) {
            return None;
        }
        Some(Step {
            loss: trace.loss,
            h_last: trace.last_state(),
            grad_norms,
            dh_norms,
            fired: clip.fired,
            clip,
        })
    }

    /// TBPTT(k1, k2) with an update after each chunk, as min-char-rnn does
    /// across sequences: for each chunk of (up to) k1 losses, steps
    /// f+1..=e (f → e the chunk's losses), the steps max(0, f−(k2−k1))+1..=e
    /// are run forward with the current parameters
    /// from the state reached there, back-propagated (that entering state is
    /// a constant), clipped and applied. The iteration's loss is the sum of
    /// the chunk losses; its gradient norms are those of the summed chunk
    /// gradients before clipping. On NaN/Inf everything is restored.
    fn iterate_per_chunk(&mut self, (k1, k2): (usize, usize)) -> Option<Step> {
        let backup = (self.params.clone(), self.optimizer.clone());
        let step = self.chunks(k1, k2);
        if step.is_none() {
            (self.params, self.optimizer) = backup;
        }
        step
    }

    fn chunks(&mut self, k1: usize, k2: usize) -> Option<Step> {
        let (inputs, targets) = self.sequence();
        let steps = inputs.len();
        let hidden = self.config.model.hidden;
        let activation = self.config.model.activation;
        let bias = self.config.model.bias;
        // states[t] = h_t as the chunk that produced it computed it.
        let mut states = vec![self.h_prev()];
        let mut sum = Params::zeros(self.vocab.len(), hidden);
        let mut dh = Array2::<f64>::zeros((steps + 1, hidden));
        let (mut loss, mut fired, mut clip) = (0.0, false, ClipReport::default());
        let mut loss_from = 0;
        while loss_from < steps {
            let end = loss_from.saturating_add(k1).min(steps);
            let start = loss_from.saturating_sub(k2 - k1);
            let scored: Vec<Option<usize>> = (start..end)
                .map(|t| if t >= loss_from { targets[t] } else { None })
                .collect();
            let tr = forward(
                &self.params,
                activation,
                &inputs[start..end],
                &scored,
                &states[start],
            )
            .ok()?;
            if !tr.loss.is_finite() {
                return None;
            }
            let g = backward(&self.params, &tr);
            for t in loss_from + 1..=end {
                states.push(tr.h.row(t - start).to_owned());
            }
            let mut window = dh.slice_mut(s![start..=end, ..]);
            window += &g.dh;
            if start > 0 {
                // That gradient leaves the chunk and is discarded.
                let mut row = dh.row_mut(start);
                row -= &g.dh.row(0);
            }
            let mut grads = g.params;
            if !self.config.model.bias {
                grads.zero_biases();
            }
            // The iteration's gradient norms are those of the summed chunk gradients.
            sum.add_assign(&grads);
            (_, clip) = self.clip(&mut grads)?;
            fired |= clip.fired;
            if !self.optimizer.step(&mut self.params, &grads, bias) {
                return None;
            }
            loss += tr.loss;
            loss_from = end;
        }
        Some(Step {
            loss,
            h_last: states.pop()?,
            grad_norms: clip::norms(&sum),
            dh_norms: dh.rows().into_iter().map(norm).collect(),
            clip,
            fired,
        })
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
