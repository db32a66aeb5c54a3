//! Training histories in bounded ring buffers: hours of training use
//! constant memory; the oldest entries are dropped first.

use serde::{Serialize, Serializer};
use std::collections::VecDeque;

/// A first-in first-out buffer holding at most `capacity` items.
#[derive(Debug, Clone, PartialEq)]
pub struct Ring<T> {
    capacity: usize,
    items: VecDeque<T>,
}

impl<T: Clone> Ring<T> {
    /// An empty ring; a capacity of 0 is raised to 1.
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            capacity,
            items: VecDeque::with_capacity(capacity.min(4096)),
        }
    }

    /// Appends `item`, dropping the oldest one when full.
    pub fn push(&mut self, item: T) {
        if self.items.len() == self.capacity {
            self.items.pop_front();
        }
        self.items.push_back(item);
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Oldest to newest.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        self.items.iter()
    }

    /// A copy, oldest to newest.
    pub fn to_vec(&self) -> Vec<T> {
        self.items.iter().cloned().collect()
    }

    /// The newest `n` items (fewer if the ring holds fewer), oldest first.
    pub fn tail(&self, n: usize) -> Vec<T> {
        let skip = self.items.len().saturating_sub(n);
        self.items.iter().skip(skip).cloned().collect()
    }

    /// The newest item.
    pub fn last(&self) -> Option<&T> {
        self.items.back()
    }

    pub fn clear(&mut self) {
        self.items.clear();
    }
}

impl<T: Serialize> Serialize for Ring<T> {
    /// As a plain list, oldest first.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.items.iter())
    }
}

/// One entry per training iteration, all rings the same length.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    /// The iteration number (1-based) each entry belongs to.
    pub iteration: Ring<u64>,
    /// L of the iteration's sequence.
    pub loss: Ring<f64>,
    /// 0.999·s + 0.001·L after the iteration.
    pub smooth_loss: Ring<f64>,
    /// ‖dL/dθ‖ per tensor in PARAM_NAMES order, before clipping.
    pub grad_norms: Ring<[f64; 5]>,
    /// ‖dL/dθ‖ over all five tensors, before clipping.
    pub grad_norm_total: Ring<f64>,
    /// ‖dL/dh_t‖ for t = 0..T of each iteration.
    pub dh_norms: Ring<Vec<f64>>,
    /// Whether clipping changed the gradient.
    pub clip_fired: Ring<bool>,
}

/// One iteration's row of the history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub iteration: u64,
    pub loss: f64,
    pub smooth_loss: f64,
    pub grad_norms: [f64; 5],
    pub grad_norm_total: f64,
    pub dh_norms: Vec<f64>,
    pub clip_fired: bool,
}

impl History {
    /// Empty histories holding at most `capacity` iterations each.
    pub fn new(capacity: usize) -> Self {
        Self {
            iteration: Ring::new(capacity),
            loss: Ring::new(capacity),
            smooth_loss: Ring::new(capacity),
            grad_norms: Ring::new(capacity),
            grad_norm_total: Ring::new(capacity),
            dh_norms: Ring::new(capacity),
            clip_fired: Ring::new(capacity),
        }
    }

    /// Appends one iteration to every ring.
    pub fn push(&mut self, e: HistoryEntry) {
        self.iteration.push(e.iteration);
        self.loss.push(e.loss);
        self.smooth_loss.push(e.smooth_loss);
        self.grad_norms.push(e.grad_norms);
        self.grad_norm_total.push(e.grad_norm_total);
        self.dh_norms.push(e.dh_norms);
        self.clip_fired.push(e.clip_fired);
    }

    /// Number of iterations held.
    pub fn len(&self) -> usize {
        self.iteration.len()
    }

    pub fn is_empty(&self) -> bool {
        self.iteration.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.iteration.capacity()
    }

    pub fn clear(&mut self) {
        *self = Self::new(self.capacity());
    }

    /// The loss curve for a chart, at most `max_points` points (≥ 2): when
    /// the rings hold more, consecutive iterations are pooled into buckets of
    /// ⌈n / max_points⌉: the bucket's last iteration and smooth loss, its mean
    /// loss, and whether clipping fired in any of its iterations.
    pub fn loss_curve(&self, max_points: usize) -> LossCurve {
        let n = self.len();
        let bucket = n.div_ceil(max_points.max(2)).max(1);
        let iteration = self.iteration.to_vec();
        let loss = self.loss.to_vec();
        let smooth = self.smooth_loss.to_vec();
        let fired = self.clip_fired.to_vec();
        let mut out = LossCurve::default();
        for start in (0..n).step_by(bucket) {
            let end = (start + bucket).min(n);
            out.iteration.push(iteration[end - 1]);
            out.loss
                .push(loss[start..end].iter().sum::<f64>() / (end - start) as f64);
            out.smooth_loss.push(smooth[end - 1]);
            out.clip_fired.push(fired[start..end].iter().any(|&f| f));
        }
        out
    }

    /// Entries `from..to` of every ring (0 = oldest held; both clamped, `to`
    /// exclusive; None: everything held).
    pub fn slice(&self, from: Option<usize>, to: Option<usize>) -> HistorySlice {
        let total = self.len();
        let to = to.unwrap_or(total).min(total);
        let from = from.unwrap_or(0).min(to);
        fn take<T: Clone>(r: &Ring<T>, from: usize, to: usize) -> Vec<T> {
            r.iter().skip(from).take(to - from).cloned().collect()
        }
        HistorySlice {
            start: from,
            total,
            iteration: take(&self.iteration, from, to),
            loss: take(&self.loss, from, to),
            smooth_loss: take(&self.smooth_loss, from, to),
            grad_norms: take(&self.grad_norms, from, to),
            grad_norm_total: take(&self.grad_norm_total, from, to),
            dh_norms: take(&self.dh_norms, from, to),
            clip_fired: take(&self.clip_fired, from, to),
        }
    }
}

/// A chart's loss curve: see [`History::loss_curve`].
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct LossCurve {
    pub iteration: Vec<u64>,
    pub loss: Vec<f64>,
    pub smooth_loss: Vec<f64>,
    pub clip_fired: Vec<bool>,
}

/// Entries `start..start+len` of the rings: see [`History::slice`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistorySlice {
    pub start: usize,
    /// How many iterations the rings hold in all.
    pub total: usize,
    pub iteration: Vec<u64>,
    pub loss: Vec<f64>,
    pub smooth_loss: Vec<f64>,
    pub grad_norms: Vec<[f64; 5]>,
    pub grad_norm_total: Vec<f64>,
    pub dh_norms: Vec<Vec<f64>>,
    pub clip_fired: Vec<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_keeps_the_newest_items_in_order() {
        let mut r = Ring::new(3);
        assert!(r.is_empty() && r.last().is_none());
        for i in 0..10 {
            r.push(i);
            assert!(r.len() <= 3);
        }
        assert_eq!(r.to_vec(), vec![7, 8, 9]);
        assert_eq!(r.tail(2), vec![8, 9]);
        assert_eq!(r.tail(10), vec![7, 8, 9]);
        assert_eq!(r.last(), Some(&9));
        assert_eq!(serde_json::to_string(&r).unwrap(), "[7,8,9]");
        assert_eq!(Ring::<u8>::new(0).capacity(), 1);
    }

    #[test]
    fn history_rings_stay_aligned() {
        let mut h = History::new(2);
        for i in 1..=5u64 {
            h.push(HistoryEntry {
                iteration: i,
                loss: i as f64,
                smooth_loss: 0.0,
                grad_norms: [0.0; 5],
                grad_norm_total: 0.0,
                dh_norms: vec![1.0; 3],
                clip_fired: i % 2 == 0,
            });
        }
        assert_eq!(h.len(), 2);
        assert_eq!(h.iteration.to_vec(), vec![4, 5]);
        assert_eq!(h.loss.to_vec(), vec![4.0, 5.0]);
        assert_eq!(h.clip_fired.to_vec(), vec![true, false]);
        h.clear();
        assert!(h.is_empty() && h.capacity() == 2);
    }

    fn entry(i: u64) -> HistoryEntry {
        HistoryEntry {
            iteration: i,
            loss: i as f64,
            smooth_loss: 10.0 * i as f64,
            grad_norms: [0.0; 5],
            grad_norm_total: 0.0,
            dh_norms: vec![],
            clip_fired: i == 4,
        }
    }

    #[test]
    fn loss_curve_pools_into_buckets() {
        let mut h = History::new(100);
        for i in 1..=7 {
            h.push(entry(i));
        }
        // 7 iterations into at most 3 points: buckets of 3, 3, 1.
        let c = h.loss_curve(3);
        assert_eq!(c.iteration, vec![3, 6, 7]);
        assert_eq!(c.loss, vec![2.0, 5.0, 7.0]);
        assert_eq!(c.smooth_loss, vec![30.0, 60.0, 70.0]);
        assert_eq!(c.clip_fired, vec![false, true, false]);
        // Room for all: one point each; a limit under 2 counts as 2.
        assert_eq!(h.loss_curve(50).loss.len(), 7);
        assert_eq!(h.loss_curve(0).loss.len(), 2);
        assert!(History::new(5).loss_curve(10).loss.is_empty());
    }

    #[test]
    fn slices_are_clamped() {
        let mut h = History::new(100);
        for i in 1..=5 {
            h.push(entry(i));
        }
        let s = h.slice(Some(3), Some(99));
        assert_eq!((s.start, s.total, s.iteration.clone()), (3, 5, vec![4, 5]));
        let s = h.slice(Some(9), Some(2));
        assert_eq!((s.start, s.iteration.len()), (2, 0));
        assert_eq!(h.slice(None, None).loss.len(), 5);
    }
}
