//! A [`Trainer`] and its model as one flat list of numbers, so that a copy
//! elsewhere (the page, while the Web Worker trains) can be brought to
//! exactly the same state, bit for bit, without re-running the training.
//! The same idea as the session's state (`engine::session::state`), for the
//! models beside the RNN; the handles of "Why recurrence?" put one or more of
//! these end to end.
//!
//! ```text
//! [steps, epoch, cursor, rng (4 words, spare flag, spare bits: each 64-bit
//!  word as two 32-bit halves), len(order), order, m memory tensors, P,
//!  θ (P numbers), memory (m·P), loss stride, pending sum, pending count,
//!  last loss | NaN, losses_from, n, losses[losses_from..+n]]
//! ```
//!
//! Only the losses from `losses_from` on are sent (the other copy has the
//! older ones) while there is one entry per step; once the history is pooled
//! (a stride above 1, see [`super::LOSS_HISTORY`]) all its entries are sent,
//! since pooling rewrites them. A light state has no optimiser memory (m = 0): enough to
//! show the model (θ, losses, counters), not to train on from it exactly;
//! importing one keeps the copy's own memory. Reading checks everything and returns a [`TrainerState`];
//! nothing changes until [`Trainer::apply_state`], so a state made of several
//! parts can be checked whole before any part is applied.

use super::{Model, Trainer};
use crate::engine::error::Result;
use crate::engine::rng::Rng;
use crate::engine::session::state::{Reader, bad};

/// A checked state, borrowed from the numbers it was read from.
#[derive(Debug)]
pub struct TrainerState<'a> {
    steps: u64,
    epoch: u64,
    cursor: usize,
    rng: Rng,
    order: &'a [f64],
    theta: &'a [f64],
    memory: Vec<&'a [f64]>,
    stride: u64,
    pending: (f64, u64),
    last_loss: Option<f64>,
    losses_from: usize,
    losses: &'a [f64],
}

fn push_u64(out: &mut Vec<f64>, v: u64) {
    out.push((v >> 32) as f64);
    out.push((v & 0xFFFF_FFFF) as f64);
}

fn read_u64(r: &mut Reader, what: &str) -> Result<u64> {
    let hi = r.whole(what, u32::MAX as f64)? as u64;
    let lo = r.whole(what, u32::MAX as f64)? as u64;
    Ok(hi << 32 | lo)
}

impl Trainer {
    /// Appends the state of this trainer and `model` to `out`, with the losses
    /// of the steps after `since` (the other copy has the earlier ones; 0:
    /// all); `light`: without the optimiser's memory.
    pub fn export_state<M: Model>(&self, model: &M, since: u64, light: bool, out: &mut Vec<f64>) {
        let theta = model.params();
        let memory: &[Vec<f64>] = if light { &[] } else { &self.optimizer.state };
        let from = if self.loss_stride == 1 {
            (since as usize).min(self.losses.len())
        } else {
            0
        };
        out.reserve(16 + self.order.len() + theta.len() * (1 + memory.len()) + self.losses.len());
        out.extend([self.steps() as f64, self.epoch as f64, self.cursor as f64]);
        let (words, spare) = self.rng.words();
        for w in words {
            push_u64(out, w);
        }
        out.push(if spare.is_some() { 1.0 } else { 0.0 });
        push_u64(out, spare.unwrap_or(0));
        out.push(self.order.len() as f64);
        out.extend(self.order.iter().map(|&i| i as f64));
        out.extend([memory.len() as f64, theta.len() as f64]);
        out.extend_from_slice(theta);
        for m in memory {
            out.extend_from_slice(m);
        }
        out.extend([
            self.loss_stride as f64,
            self.pending.0,
            self.pending.1 as f64,
            self.last_loss.unwrap_or(f64::NAN),
        ]);
        out.extend([from as f64, (self.losses.len() - from) as f64]);
        out.extend_from_slice(&self.losses[from..]);
    }

    /// Reads and checks a state of a trainer and model built the same way as
    /// these (same sizes, optimiser and examples). Changes nothing.
    pub(crate) fn read_state<'a, M: Model>(
        &self,
        model: &M,
        r: &mut Reader<'a>,
    ) -> Result<TrainerState<'a>> {
        let steps = r.whole("steps", f64::INFINITY)? as u64;
        let epoch = r.whole("epoch", f64::INFINITY)? as u64;
        let examples = model.examples();
        let cursor = r.count("cursor", examples)?;
        let words = [
            read_u64(r, "generator")?,
            read_u64(r, "generator")?,
            read_u64(r, "generator")?,
            read_u64(r, "generator")?,
        ];
        let has_spare = r.count("generator", 1)? == 1;
        let spare = read_u64(r, "generator")?;
        let n = r.count("order", examples)?;
        let order = r.take(n, "order")?;
        if !(n == 0 || n == examples)
            || !order
                .iter()
                .all(|&i| i >= 0.0 && i.fract() == 0.0 && i < examples as f64)
        {
            return Err(bad("a batch order of another data set"));
        }
        let moments = r.count("optimiser memory", 2)?;
        let p = r.count("parameters", usize::MAX)?;
        let light = moments == 0;
        if !(light || moments == self.optimizer.state.len()) || p != model.params().len() {
            return Err(bad("it belongs to a model of another size or optimiser"));
        }
        let theta = r.take(p, "parameters")?;
        if !theta.iter().all(|v| v.is_finite()) {
            return Err(bad("parameters that are not finite numbers"));
        }
        let memory = (0..moments)
            .map(|_| r.take(p, "optimiser memory"))
            .collect::<Result<Vec<_>>>()?;
        let stride = r.whole("loss stride", f64::INFINITY)? as u64;
        let pending_sum = r.one("losses")?;
        let pending_count = r.whole("losses", f64::INFINITY)? as u64;
        let last_loss = r.one("losses")?;
        let losses_from = r.count("losses", self.losses.len())?;
        let count = r.count("losses", usize::MAX)?;
        let losses = r.take(count, "losses")?;
        let entries = (losses_from + count) as u64;
        if !stride.is_power_of_two()
            || (stride > 1 && losses_from > 0)
            || pending_count >= stride
            || entries.checked_mul(stride).map(|n| n + pending_count) != Some(steps)
        {
            return Err(bad("a loss history that does not match its steps"));
        }
        Ok(TrainerState {
            steps,
            epoch,
            cursor,
            rng: Rng::from_words(words, has_spare.then_some(spare)),
            order,
            theta,
            memory,
            stride,
            pending: (pending_sum, pending_count),
            last_loss: (!last_loss.is_nan()).then_some(last_loss),
            losses_from,
            losses,
        })
    }

    /// Brings this trainer and `model` to a state [`Trainer::read_state`] checked.
    pub(crate) fn apply_state<M: Model>(&mut self, model: &mut M, s: TrainerState) {
        model.params_mut().copy_from_slice(s.theta);
        for (m, values) in self.optimizer.state.iter_mut().zip(&s.memory) {
            m.copy_from_slice(values);
        }
        self.optimizer.steps = s.steps;
        self.epoch = s.epoch;
        self.cursor = s.cursor;
        self.rng = s.rng;
        self.order.clear();
        self.order.extend(s.order.iter().map(|&i| i as usize));
        self.losses.truncate(s.losses_from);
        self.losses.extend_from_slice(s.losses);
        self.loss_stride = s.stride;
        self.pending = s.pending;
        self.last_loss = s.last_loss;
    }

    /// Reads, checks and applies a state that is nothing but this trainer's.
    pub fn import_state<M: Model>(&mut self, model: &mut M, state: &[f64]) -> Result<()> {
        let mut r = Reader::new(state);
        let s = self.read_state(model, &mut r)?;
        r.finish()?;
        self.apply_state(model, s);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::models::window::{FeedForwardConfig, WindowModel};
    use crate::engine::optim::{OptimizerConfig, OptimizerKind};

    fn model() -> (WindowModel, Trainer) {
        let seqs = vec![vec![0, 1, 2, 3, 1], vec![0, 2, 3], vec![0, 3, 3, 1, 2, 1]];
        let cfg = FeedForwardConfig {
            window: 2,
            hidden: 4,
            ..Default::default()
        };
        let m = WindowModel::new(cfg, 4, seqs).unwrap();
        let opt = OptimizerConfig::new(OptimizerKind::Adam, 0.05);
        let t = Trainer::new(&m, opt, 3, 5.0, 9).unwrap();
        (m, t)
    }

    #[test]
    fn a_copy_synced_in_pieces_trains_on_exactly_like_the_original() {
        let (mut m, mut t) = model();
        let (mut cm, mut ct) = model();
        let mut since = 0;
        for chunk in [1, 4, 9, 2] {
            t.train(&mut m, chunk).unwrap();
            let mut state = Vec::new();
            t.export_state(&m, since, false, &mut state);
            ct.import_state(&mut cm, &state).unwrap();
            since = t.steps();
        }
        assert_eq!((cm.params(), &ct.losses), (m.params(), &t.losses));
        assert_eq!((ct.steps(), ct.epoch()), (16, t.epoch()));
        // Mid-epoch, with the order and the generator: the next steps agree bit for bit.
        t.train(&mut m, 7).unwrap();
        ct.train(&mut cm, 7).unwrap();
        assert_eq!((cm.params(), &ct.losses), (m.params(), &t.losses));
    }

    #[test]
    fn a_damaged_or_foreign_state_changes_nothing() {
        let (mut m, mut t) = model();
        t.train(&mut m, 5).unwrap();
        let mut good = Vec::new();
        t.export_state(&m, 0, false, &mut good);
        let (mut cm, mut ct) = model();
        ct.train(&mut cm, 1).unwrap();
        let before = (cm.params().to_vec(), ct.losses.clone());
        let mut nan = good.clone();
        nan[40] = f64::NAN;
        let mut short = good.clone();
        short.pop();
        for bad in [vec![], short, nan, [good.clone(), vec![0.0]].concat()] {
            assert!(ct.import_state(&mut cm, &bad).is_err());
            assert_eq!((cm.params().to_vec(), ct.losses.clone()), before);
        }
        // Losses newer than the copy has, with a gap before them: refused.
        let mut newer = Vec::new();
        t.export_state(&m, 3, false, &mut newer);
        assert!(ct.import_state(&mut cm, &newer).is_err());
        ct.import_state(&mut cm, &good).unwrap();
        assert_eq!(ct.losses, t.losses);
    }

    #[test]
    fn a_light_state_shows_the_model_and_keeps_the_copys_memory() {
        let (mut m, mut t) = model();
        let (mut cm, mut ct) = model();
        t.train(&mut m, 6).unwrap();
        let (mut light, mut full) = (Vec::new(), Vec::new());
        t.export_state(&m, 0, true, &mut light);
        t.export_state(&m, 0, false, &mut full);
        assert_eq!(
            full.len() - light.len(),
            2 * m.params().len(),
            "Adam's m and v"
        );
        ct.import_state(&mut cm, &light).unwrap();
        assert_eq!((cm.params(), &ct.losses), (m.params(), &t.losses));
        assert_ne!(
            ct.optimizer.state, t.optimizer.state,
            "the copy's memory is its own"
        );
        ct.import_state(&mut cm, &full).unwrap();
        assert_eq!(ct.optimizer.state, t.optimizer.state);
    }

    #[test]
    fn a_pooled_loss_history_is_sent_whole_and_the_copy_pools_on_alike() {
        let (mut m, t) = model();
        let mut t = t.with_loss_capacity(4);
        let (mut cm, ct) = model();
        let mut ct = ct.with_loss_capacity(4);
        let mut since = 0;
        for chunk in [3, 2, 6, 1] {
            t.train(&mut m, chunk).unwrap();
            let mut state = Vec::new();
            t.export_state(&m, since, false, &mut state);
            ct.import_state(&mut cm, &state).unwrap();
            since = t.steps();
        }
        assert_eq!(t.loss_stride(), 4, "12 steps in at most 4 entries");
        assert_eq!((&ct.losses, ct.loss_stride()), (&t.losses, 4));
        t.train(&mut m, 9).unwrap();
        ct.train(&mut cm, 9).unwrap();
        assert_eq!((&ct.losses, ct.last_loss()), (&t.losses, t.last_loss()));
        assert_eq!(cm.params(), m.params());
    }
}
