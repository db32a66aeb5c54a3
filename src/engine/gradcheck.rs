//! Gradient check: BPTT's analytic gradient against finite differences.
//!
//! For an entry θ_i, with L(θ) the loss of the sequence,
//!
//! ```text
//! D(ε) = (L(θ + ε e_i) − L(θ − ε e_i)) / 2ε                central difference, error O(ε²)
//! n_i  = (4·D(ε/2) − D(ε)) / 3                             Richardson step,   error O(ε⁴)
//! err_i = |a_i − n_i| / max(|a_i| + |n_i|, 1e-6·max(1, |L|)) relative error, a_i from BPTT
//! ```
//!
//! The Richardson step removes the ε² term of the central difference, so
//! with ε = 1e-3 what is left of n_i's error is mostly rounding in L,
//! about 1e-16·|L|/ε ≈ 1e-13·|L|. A correct BPTT then scores err ≈ 1e-8 or
//! better, far under the 1e-6 pass mark; a wrong one scores near 1. The
//! floor 1e-6·max(1, |L|) sits well above that rounding noise: for
//! gradient entries smaller than it (nearly zero), err measures the absolute
//! difference in units of the floor instead of dividing noise by zero.
//! Each tensor reports its largest err_i.
//!
//! ReLU has a kink at 0: where a ±ε step moves some pre-activation across 0,
//! the difference quotient measures the kink, not BPTT, and the check can
//! fail there although the gradient is right.

use super::activation::Activation;
use super::bptt::backward;
use super::forward::forward;
use super::params::{PARAM_NAMES, Params};
use ndarray::Array1;
use serde::Serialize;

/// The pass mark: every tensor's max relative error must be below this.
pub const PASS_THRESHOLD: f64 = 1e-6;
/// Denominator floor of the relative error, per unit of max(1, |L|) (see the module docs).
pub const FLOOR: f64 = 1e-6;
/// Step ε of the coarser central difference (the finer one uses ε/2).
pub const EPSILON: f64 = 1e-3;
/// Largest number of entries checked per tensor; bigger tensors are checked
/// on an evenly spaced subset.
pub const MAX_ENTRIES: usize = 200;

/// The result for one tensor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradCheckEntry {
    /// "W_xh", "W_hh", "W_hy", "b_h" or "b_y".
    pub name: String,
    /// max_i err_i over the checked entries.
    pub max_relative_error: f64,
    /// How many entries were checked.
    pub checked: usize,
}

/// The result for the whole model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradCheckReport {
    /// One per checked tensor, in PARAM_NAMES order (biases omitted when off).
    pub entries: Vec<GradCheckEntry>,
    /// The largest error over all tensors.
    pub max_relative_error: f64,
    /// Whether every tensor is below [`PASS_THRESHOLD`].
    pub passed: bool,
}

/// err = |a − n| / max(|a| + |n|, floor), with `floor` from [`floor_for_loss`].
pub fn relative_error(analytic: f64, numeric: f64, floor: f64) -> f64 {
    (analytic - numeric).abs() / (analytic.abs() + numeric.abs()).max(floor)
}

/// The floor for a loss L: FLOOR·max(1, |L|).
pub fn floor_for_loss(loss: f64) -> f64 {
    FLOOR * loss.abs().max(1.0)
}

/// Indices of the entries checked in a tensor of `len` entries: all of them
/// up to `max`, otherwise `max` evenly spaced ones (first and last included).
pub fn checked_indices(len: usize, max: usize) -> Vec<usize> {
    if len <= max {
        (0..len).collect()
    } else if max <= 1 {
        vec![0]
    } else {
        (0..max).map(|j| j * (len - 1) / (max - 1)).collect()
    }
}

/// Checks BPTT on the sequence (`inputs`, `targets`) from `h0` at `params`.
///
/// Biases are skipped when `bias` is false (they are not parameters then).
/// A sequence the forward pass refuses gives an empty, failed report.
pub fn grad_check(
    params: &Params,
    activation: Activation,
    inputs: &[usize],
    targets: &[Option<usize>],
    h0: &Array1<f64>,
    bias: bool,
) -> GradCheckReport {
    let failed = GradCheckReport {
        entries: Vec::new(),
        max_relative_error: f64::INFINITY,
        passed: false,
    };
    let Ok(trace) = forward(params, activation, inputs, targets, h0) else {
        return failed;
    };
    let analytic = backward(params, &trace).params;
    let floor = floor_for_loss(trace.loss);
    let mut theta = params.clone();
    let loss = |p: &Params| {
        forward(p, activation, inputs, targets, h0)
            .map(|t| t.loss)
            .unwrap_or(f64::NAN)
    };
    let tensors = if bias { 5 } else { 3 };
    let mut entries = Vec::with_capacity(tensors);
    for (k, name) in PARAM_NAMES.iter().enumerate().take(tensors) {
        let len = analytic.slices()[k].len();
        let mut worst = 0.0f64;
        let idx = checked_indices(len, MAX_ENTRIES);
        for &i in &idx {
            let original = theta.slices()[k][i];
            let mut at = |delta: f64| {
                theta.slices_mut()[k][i] = original + delta;
                let l = loss(&theta);
                theta.slices_mut()[k][i] = original;
                l
            };
            let central = |e: f64, at: &mut dyn FnMut(f64) -> f64| (at(e) - at(-e)) / (2.0 * e);
            let coarse = central(EPSILON, &mut at);
            let fine = central(EPSILON / 2.0, &mut at);
            let numeric = (4.0 * fine - coarse) / 3.0;
            let err = relative_error(analytic.slices()[k][i], numeric, floor);
            // NaN compares false: count it as a failure explicitly.
            worst = if err.is_nan() {
                f64::INFINITY
            } else {
                worst.max(err)
            };
        }
        entries.push(GradCheckEntry {
            name: (*name).to_string(),
            max_relative_error: worst,
            checked: idx.len(),
        });
    }
    let max_relative_error = entries
        .iter()
        .map(|e| e.max_relative_error)
        .fold(0.0, f64::max);
    GradCheckReport {
        passed: max_relative_error < PASS_THRESHOLD,
        entries,
        max_relative_error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::params::ModelConfig;

    #[test]
    fn hello_passes_and_a_wrong_gradient_would_fail() {
        let p = Params::init(
            4,
            &ModelConfig {
                bias: true,
                bias_scale: 0.2,
                ..Default::default()
            },
        )
        .unwrap();
        let targets: Vec<_> = [1, 2, 2, 3].into_iter().map(Some).collect();
        let r = grad_check(
            &p,
            Activation::Tanh,
            &[0, 1, 2, 2],
            &targets,
            &Array1::zeros(3),
            true,
        );
        assert!(r.passed, "{r:?}");
        assert_eq!(r.entries.len(), 5);
        assert_eq!(r.entries[1].checked, 9);
        // The measure itself: equal numbers score 0, a sign error scores 1.
        assert_eq!(relative_error(0.25, 0.25, 1e-6), 0.0);
        assert_eq!(relative_error(0.25, -0.25, 1e-6), 1.0);
        assert!(relative_error(1e-10, 0.0, 1e-6) <= 1e-4);
        assert_eq!(floor_for_loss(0.3), 1e-6);
        assert!((floor_for_loss(-40.0) - 4e-5).abs() < 1e-20);
    }

    #[test]
    fn subsets_are_even_and_bounded() {
        assert_eq!(checked_indices(5, 200), vec![0, 1, 2, 3, 4]);
        let idx = checked_indices(10_000, 200);
        assert_eq!(idx.len(), 200);
        assert_eq!((idx[0], idx[199]), (0, 9_999));
        assert!(idx.windows(2).all(|w| w[0] < w[1]));
    }
}
