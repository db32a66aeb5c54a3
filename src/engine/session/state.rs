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

/// One history entry of a state, in place.
struct EntryView<'a> {
    iteration: u64,
    /// iteration, loss, smooth loss
    head: &'a [f64],
    /// the 5 gradient norms
    norms: &'a [f64],
    /// total gradient norm, clip fired
    tail: &'a [f64],
    /// ‖dL/dh_t‖ for t = 0..T
    dh: &'a [f64],
}

fn read_entry<'a>(r: &mut Reader<'a>) -> Result<EntryView<'a>> {
    let head = r.take(3, "history")?;
    let norms = r.take(5, "history")?;
    let tail = r.take(2, "history")?;
    // ‖dL/dh_t‖ for t = 0..T: at most the sequence limit + 1 numbers.
    let len = r.count("history", LIMITS.seq + 1)?;
    let dh = r.take(len, "history")?;
    Ok(EntryView {
        iteration: head[0] as u64,
        head,
        norms,
        tail,
        dh,
    })
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
        // Sized exactly, so the frame-by-frame exports allocate the same few sizes.
        let h = &self.history;
        let older = h
            .iteration
            .iter()
            .take_while(|&&it| it <= history_since)
            .count();
        let entry_numbers: usize = h.dh_norms.iter().skip(older).map(|dh| 11 + dh.len()).sum();
        out.reserve_exact(params * (1 + memory.len()) + self.h_prev.len() + 1 + entry_numbers);
        out.extend(flat(&self.params));
        for m in memory {
            out.extend(flat(m));
        }
        out.extend(self.h_prev.iter().copied());
        // Only the entries newer than `history_since` (iterations only grow
        // in a history), read in place: a frame's export copies what it sends.
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
        // Two passes over the entries: check them all, then (after the rest is
        // applied) read them again into the history. No copy of a whole message's
        // entries is held, so memory does not grow with a late, larger message.
        let entries_at = r.rest;
        for _ in 0..entries {
            read_entry(&mut r)?;
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
        let mut again = Reader::new(entries_at);
        for _ in 0..entries {
            let e = read_entry(&mut again).expect("checked above");
            if e.iteration > newest {
                self.history.push(HistoryEntry {
                    iteration: e.iteration,
                    loss: e.head[1],
                    smooth_loss: e.head[2],
                    grad_norms: e.norms.try_into().expect("5 numbers"),
                    grad_norm_total: e.tail[0],
                    dh_norms: e.dh.to_vec(),
                    clip_fired: e.tail[1] != 0.0,
                });
            }
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
            let state = trainer.export_state(since);
            // Sized exactly up front: one allocation a message, of a size the
            // page sees again and again (wasm memory never shrinks).
            assert_eq!(state.capacity(), state.len());
            replica.import_state(&state).unwrap();
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
            // The last entry's ‖dL/dh‖ count made too large: caught by the
            // checking pass, before anything is applied.
            {
                let mut d = good.clone();
                let at = d.len() - 1 - trainer.history().dh_norms.iter().last().unwrap().len();
                d[at] = 1e9;
                d
            },
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
