//! What the chapter draws about training, read from a session's histories
//! (no second training loop): per-parameter gradient norms over iterations,
//! clipping events, and the time-step × iteration heatmap of ‖dL/dh_t‖.

use crate::engine::history::History;
use serde::{Deserialize, Serialize};

/// The training charts' data: the newest `columns` iterations of the history,
/// every one of them when it holds no more (else evenly spaced samples, the
/// newest always included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingView {
    /// Iteration number of each column.
    pub iterations: Vec<u64>,
    /// log10 ‖dL/dθ‖ before clipping, per column, in PARAM_NAMES order
    /// (−∞ for an exactly zero gradient, e.g. b_h with biases off).
    pub grad_norms_log10: Vec<[f64; 5]>,
    /// log10 of the global norm, per column.
    pub grad_norm_total_log10: Vec<f64>,
    /// Whether clipping fired, per column.
    pub clip_fired: Vec<bool>,
    /// How many of *all* the iterations held had clipping fire.
    pub clip_fired_total: usize,
    /// Loss per column.
    pub loss: Vec<f64>,
    /// Rows of the heatmap: t = 0..rows−1.
    pub rows: usize,
    /// log10 ‖dL/dh_t‖, row-major \[rows\]\[columns\]; NaN where the iteration
    /// had fewer steps or the value was not finite, −∞ where exactly zero.
    pub heat_log10: Vec<f64>,
    /// Finite range of `heat_log10` (the colour scale), if any value is finite.
    pub heat_range: Option<(f64, f64)>,
    /// Total iterations in the history (before sampling columns).
    pub held: usize,
}

fn log10(v: f64) -> f64 {
    if v.is_finite() { v.log10() } else { f64::NAN }
}

impl TrainingView {
    /// Reads the newest iterations of `history` into at most `columns` columns.
    pub fn from_history(history: &History, columns: usize) -> Self {
        let held = history.len();
        let picks = pick_columns(held, columns.max(1));
        let iterations: Vec<u64> = history.iteration.iter().copied().collect();
        let grads: Vec<[f64; 5]> = history.grad_norms.iter().copied().collect();
        let totals: Vec<f64> = history.grad_norm_total.iter().copied().collect();
        let fired: Vec<bool> = history.clip_fired.iter().copied().collect();
        let loss: Vec<f64> = history.loss.iter().copied().collect();
        let dh: Vec<&Vec<f64>> = history.dh_norms.iter().collect();
        let rows = picks.iter().map(|&i| dh[i].len()).max().unwrap_or(0);
        let mut heat = vec![f64::NAN; rows * picks.len()];
        for (c, &i) in picks.iter().enumerate() {
            for (t, &v) in dh[i].iter().enumerate() {
                heat[t * picks.len() + c] = log10(v);
            }
        }
        let heat_range =
            heat.iter()
                .filter(|v| v.is_finite())
                .fold(None, |r: Option<(f64, f64)>, &v| match r {
                    None => Some((v, v)),
                    Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
                });
        Self {
            iterations: picks.iter().map(|&i| iterations[i]).collect(),
            grad_norms_log10: picks.iter().map(|&i| grads[i].map(log10)).collect(),
            grad_norm_total_log10: picks.iter().map(|&i| log10(totals[i])).collect(),
            clip_fired: picks.iter().map(|&i| fired[i]).collect(),
            clip_fired_total: fired.iter().filter(|&&f| f).count(),
            loss: picks.iter().map(|&i| loss[i]).collect(),
            rows,
            heat_log10: heat,
            heat_range,
            held,
        }
    }

    /// Number of columns (iterations shown).
    pub fn columns(&self) -> usize {
        self.iterations.len()
    }
}

/// Indices of `columns` evenly spaced entries out of `held`, oldest first,
/// always ending with the newest; all of them when `held ≤ columns`.
pub fn pick_columns(held: usize, columns: usize) -> Vec<usize> {
    if held <= columns {
        return (0..held).collect();
    }
    if columns == 1 {
        return vec![held - 1];
    }
    // Column c takes entry round(c·(held−1)/(columns−1)): first and last included.
    (0..columns)
        .map(|c| ((c as f64) * (held - 1) as f64 / (columns - 1) as f64).round() as usize)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_all_or_evenly_spaced_with_the_newest() {
        assert_eq!(pick_columns(3, 10), vec![0, 1, 2]);
        assert_eq!(pick_columns(0, 10), Vec::<usize>::new());
        assert_eq!(pick_columns(5, 1), vec![4]);
        let p = pick_columns(1000, 200);
        assert_eq!(p.len(), 200);
        assert_eq!((p[0], p[199]), (0, 999));
        assert!(p.windows(2).all(|w| w[1] > w[0]));
    }
}
