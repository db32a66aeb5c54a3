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
}
