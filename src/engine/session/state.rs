//! A session's training state as one flat list of numbers, so that a copy of
//! the session elsewhere (the page, while a Web Worker trains) can be brought
//! to exactly the same state, bit for bit, without re-running the training.
//!
//! What training changes, and so what the state holds: the five parameter
//! tensors, the optimiser's memory and step count, the data pointer, the
//! carried state h, the iteration count, the smooth and last losses, where
//! training diverged, and the history entries newer than a given iteration.
//! The settings (text, sizes, optimiser kind, clipping, truncation) are not
//! in it: both copies are built and configured the same way.
//!
//! ```text
//! [MAGIC, iteration, pointer, smooth_loss, last_loss | NaN, diverged_at | −1,
//!  optimiser steps, memory tensors m, H, P = #parameters,
//!  θ (P numbers), memory (m·P), h_prev (H),
//!  n entries, then per entry: iteration, loss, smooth_loss, 5 grad norms,
//!  total grad norm, clip fired (0/1), len(dh), ‖dL/dh_t‖ (len numbers)]
//! ```
//! Every number is an f64; counts are whole numbers below 2^53, exact in f64.

use super::Session;
use crate::engine::error::{EngineError, Result};
use crate::engine::history::HistoryEntry;
use crate::engine::limits::LIMITS;
use crate::engine::params::Params;

/// First number of every state: a format tag and version.
const MAGIC: f64 = 7_401.0;

pub(crate) fn bad(what: &str) -> EngineError {
    EngineError::Invalid(format!("the training state is damaged ({what})"))
}

/// Reads numbers off the front of a slice (also the models' states,
/// `engine::models::trainer`).
pub(crate) struct Reader<'a> {
    rest: &'a [f64],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(state: &'a [f64]) -> Self {
        Self { rest: state }
    }

    /// Errors if numbers are left over.
    pub(crate) fn finish(&self) -> Result<()> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(bad("numbers left over"))
        }
    }

    pub(crate) fn take(&mut self, n: usize, what: &str) -> Result<&'a [f64]> {
        if self.rest.len() < n {
            return Err(bad(what));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    pub(crate) fn one(&mut self, what: &str) -> Result<f64> {
        Ok(self.take(1, what)?[0])
    }

    /// A whole number in 0..=max (a count below 2^53: exact in f64).
    pub(crate) fn whole(&mut self, what: &str, max: f64) -> Result<f64> {
        let v = self.one(what)?;
        if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= max.min(9_007_199_254_740_992.0) {
            Ok(v)
        } else {
            Err(bad(what))
        }
    }

    /// A size or index in 0..=max.
    pub(crate) fn count(&mut self, what: &str, max: usize) -> Result<usize> {
        Ok(self.whole(what, max as f64)? as usize)
    }
}

fn flat(p: &Params) -> impl Iterator<Item = f64> + '_ {
    p.slices().into_iter().flat_map(|s| s.iter().copied())
}

fn fill(p: &mut Params, values: &[f64]) {
    let mut at = 0;
    for s in p.slices_mut() {
        s.copy_from_slice(&values[at..at + s.len()]);
        at += s.len();
    }
}

impl Session {
    /// The training state, with the history entries of iterations after
    /// `history_since` (0: all held).
    pub fn export_state(&self, history_since: u64) -> Vec<f64> {
        let params = self.params.slices().iter().map(|s| s.len()).sum::<usize>();
        let memory = self.optimizer.state();
        let mut out = vec![
            MAGIC,
            self.iteration as f64,
            self.pointer as f64,
            self.smooth_loss,
            self.last_loss.unwrap_or(f64::NAN),
            self.diverged_at.map_or(-1.0, |i| i as f64),
            self.optimizer.steps() as f64,
            memory.len() as f64,
            self.config.model.hidden as f64,
            params as f64,
        ];
        out.extend(flat(&self.params));
        for m in memory {
            out.extend(flat(m));
        }
        out.extend(self.h_prev.iter().copied());
        let h = &self.history;
        // Only the entries newer than `history_since` (iterations only grow
        // in a history), read in place: a frame's export copies what it sends.
        let older = h
            .iteration
            .iter()
            .take_while(|&&it| it <= history_since)
            .count();
        out.push((h.len() - older) as f64);
        let rows = h
            .iteration
            .iter()
            .zip(h.loss.iter())
            .zip(h.smooth_loss.iter())
            .zip(h.grad_norms.iter())
            .zip(h.grad_norm_total.iter())
            .zip(h.dh_norms.iter())
            .zip(h.clip_fired.iter())
            .skip(older);
        for ((((((&it, &loss), &smooth), grads), &total), dh), &fired) in rows {
            out.extend([it as f64, loss, smooth]);
            out.extend(grads);
            out.extend([total, if fired { 1.0 } else { 0.0 }, dh.len() as f64]);
            out.extend(dh);
        }
        out
    }

    /// Brings this session to an exported state (of a session built and
    /// configured the same way). History entries newer than this session's
    /// newest are appended. Everything is checked before anything changes:
    /// a damaged or mismatched state changes nothing.
    pub fn import_state(&mut self, state: &[f64]) -> Result<()> {
        let mut r = Reader { rest: state };
        if r.one("tag")? != MAGIC {
            return Err(bad("not a training state"));
        }
        let iteration = r.whole("iteration", f64::INFINITY)? as u64;
        let pointer = r.count("pointer", self.data.len())?;
        let smooth_loss = r.one("smooth loss")?;
        let last = r.one("last loss")?;
        let diverged = r.one("diverged")?;
        let steps = r.whole("optimiser steps", f64::INFINITY)? as u64;
        let moments = r.count("memory", 2)?;
        let hidden = r.count("hidden size", self.config.model.hidden)?;
        let n = r.count("parameters", usize::MAX)?;
        let own = self.params.slices().iter().map(|s| s.len()).sum::<usize>();
        if hidden != self.config.model.hidden || n != own || moments != self.optimizer.state().len()
        {
            return Err(bad("it belongs to a model of another size or optimiser"));
        }
        let theta = r.take(n, "parameters")?;
        if !theta.iter().all(|v| v.is_finite()) {
            return Err(bad("parameters that are not finite numbers"));
        }
        let memory: Vec<&[f64]> = (0..moments)
            .map(|_| r.take(n, "optimiser memory"))
            .collect::<Result<_>>()?;
        let h_prev = r.take(hidden, "hidden state")?;
        let entries = r.count("history length", state.len())?;
        let held = self.history.iteration.last().copied().unwrap_or(0);
        // The other copy was reset (its count is behind ours): its history starts again.
        let restarted = iteration < held;
        let newest = if restarted { 0 } else { held };
        let mut add = Vec::with_capacity(entries.min(self.history.capacity()));
        for _ in 0..entries {
            let head = r.take(3, "history")?;
            let norms = r.take(5, "history")?;
            let tail = r.take(2, "history")?;
            // ‖dL/dh_t‖ for t = 0..T: at most the sequence limit + 1 numbers.
            let len = r.count("history", LIMITS.seq + 1)?;
            let dh = r.take(len, "history")?;
            let e = HistoryEntry {
                iteration: head[0] as u64,
                loss: head[1],
                smooth_loss: head[2],
                grad_norms: norms.try_into().expect("5 numbers"),
                grad_norm_total: tail[0],
                dh_norms: dh.to_vec(),
                clip_fired: tail[1] != 0.0,
            };
            if e.iteration > newest {
                add.push(e);
            }
        }
        if !r.rest.is_empty() {
            return Err(bad("numbers left over"));
        }
        // All read and checked: apply.
        fill(&mut self.params, theta);
        let mut mem = self.optimizer.state().to_vec();
        for (m, values) in mem.iter_mut().zip(memory) {
            fill(m, values);
        }
        self.optimizer.set_state(mem)?;
        self.optimizer.set_steps(steps);
        self.h_prev
            .iter_mut()
            .zip(h_prev)
            .for_each(|(a, &b)| *a = b);
        self.iteration = iteration;
        self.pointer = pointer;
        self.smooth_loss = smooth_loss;
        self.last_loss = (!last.is_nan()).then_some(last);
        self.diverged_at = (diverged >= 0.0).then_some(diverged as u64);
        if restarted {
            self.history.clear();
        }
        for e in add {
            self.history.push(e);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::session::{Session, SessionConfig};
    use crate::engine::settings::RnnSettings;

    fn text_session() -> Session {
        let s = RnnSettings {
            hidden: 12,
            seq: 10,
            ..RnnSettings::text_mode()
        };
        Session::new(s.session_config().unwrap()).unwrap()
    }

    #[test]
    fn a_replica_synced_in_pieces_is_the_trained_session_bit_for_bit() {
        let mut trainer = text_session();
        let mut replica = text_session();
        let mut reference = text_session();
        let mut since = 0;
        for chunk in [1, 7, 30, 2] {
            trainer.train(chunk).unwrap();
            replica.import_state(&trainer.export_state(since)).unwrap();
            since = trainer.iteration();
        }
        reference.train(40).unwrap();
        for s in [&replica, &trainer] {
            assert_eq!(s.params(), reference.params());
            assert_eq!(s.optimizer(), reference.optimizer());
            assert_eq!(s.history(), reference.history());
            assert_eq!(
                (s.iteration(), s.pointer(), s.h_prev()),
                (40, reference.pointer(), reference.h_prev())
            );
            assert_eq!(s.smooth_loss().to_bits(), reference.smooth_loss().to_bits());
        }
        // Training on from the replica gives what training on from the trainer gives.
        replica.train(5).unwrap();
        reference.train(5).unwrap();
        assert_eq!(replica.params(), reference.params());
    }

    #[test]
    fn a_reset_elsewhere_restarts_the_history_and_damage_changes_nothing() {
        let mut trainer = Session::new(SessionConfig::default()).unwrap();
        let mut replica = Session::new(SessionConfig::default()).unwrap();
        trainer.train(20).unwrap();
        replica.import_state(&trainer.export_state(0)).unwrap();
        trainer.reset(3);
        trainer.train(2).unwrap();
        replica.import_state(&trainer.export_state(0)).unwrap();
        assert_eq!(replica.history().len(), 2);
        assert_eq!(replica.params(), trainer.params());

        let good = trainer.export_state(0);
        let before = (replica.params().clone(), replica.iteration());
        let mut damaged = good.clone();
        damaged.pop();
        for bad in [
            vec![],
            vec![1.0, 2.0],
            damaged,
            [good.clone(), vec![0.0]].concat(),
        ] {
            assert!(replica.import_state(&bad).is_err());
            assert_eq!((replica.params().clone(), replica.iteration()), before);
        }
        let other = Session::new(SessionConfig {
            text: "hello world".into(),
            ..SessionConfig::default()
        });
        assert!(
            other.unwrap().import_state(&good).is_err(),
            "another vocabulary"
        );
    }
}
