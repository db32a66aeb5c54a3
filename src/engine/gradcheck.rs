//! Gradient check: BPTT's analytic gradient against finite differences.
//!
//! For an entry θ_i, with L(θ) the loss of the sequence,
//!
//! ```text
//! D(ε) = (L(θ + ε e_i) − L(θ − ε e_i)) / 2ε                  central difference, error O(ε²)
//! n_i  = Ridders' extrapolation of D(ε) to ε → 0, from ε = 1e-3 shrinking by 1.4
//! err_i = |a_i − n_i| / max(|a_i| + |n_i|, 1e-5·max(1, |L|))  relative error, a_i from BPTT
//! ```
//!
//! Ridders' method (Numerical Recipes §5.7) builds a Richardson tableau over
//! the steps ε, ε/1.4, ε/1.4², …: each column cancels one more power ε²,
//! and the estimate with the smallest error estimate is kept; it stops when
//! rounding starts to win (at most 10 steps, usually 3–6). So n_i is good to
//! about 1e-9 relative even where L is strongly curved (identity units with
//! exploding W_hh), and to the rounding level, about 1e-12·|L| absolute,
//! elsewhere. A correct BPTT scores err ≈ 1e-8 or better, far under the
//! 1e-6 pass mark; a wrong one scores near 1. The floor 1e-5·max(1, |L|)
//! sits well above that rounding noise: for entries smaller than it (nearly
//! zero gradients), err measures the absolute difference in units of the
//! floor instead of dividing noise by zero. Each tensor reports its largest err_i.
//!
//! ReLU has a kink at 0: where a ±ε step moves some pre-activation across 0,
//! the difference quotient measures the kink, not BPTT. Such entries are
//! found (the on/off pattern of the units changes at θ_i ± ε) and counted as
//! `skipped`, not compared.

use super::activation::Activation;
use super::bptt::backward;
use super::forward::forward_masked;
use super::limits::grad_check_entries;
use super::params::{PARAM_NAMES, Params};
use ndarray::Array1;
use serde::Serialize;

/// The pass mark: every tensor's max relative error must be below this.
pub const PASS_THRESHOLD: f64 = 1e-6;
/// Denominator floor of the relative error, per unit of max(1, |L|) (see the module docs).
pub const FLOOR: f64 = 1e-5;
/// The first (largest) step ε of Ridders' sequence.
pub const EPSILON: f64 = 1e-3;
/// Largest number of entries checked per tensor; bigger tensors are checked
/// on an evenly spaced subset. Long sequences get fewer, so that entries × T
/// stays within [`LIMITS`](super::LIMITS)`.grad_check_budget`.
pub const MAX_ENTRIES: usize = 200;

/// The result for one tensor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradCheckEntry {
    /// "W_xh", "W_hh", "W_hy", "b_h" or "b_y".
    pub name: String,
    /// max_i err_i over the checked entries.
    pub max_relative_error: f64,
    /// How many entries were compared.
    pub checked: usize,
    /// ReLU only: entries not compared because a ±ε step switches a unit on or off.
    pub skipped: usize,
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

/// dF/dx at 0 by Ridders' method: central differences (F(h) − F(−h))/2h for
/// h = h0, h0/1.4, h0/1.4², … extrapolated to h → 0 in a Neville tableau,
/// returning the entry with the smallest error estimate (Numerical Recipes'
/// `dfridr`, with CON = 1.4, NTAB = 10, SAFE = 2).
pub fn ridders(f: &mut dyn FnMut(f64) -> f64, h0: f64) -> f64 {
    const CON: f64 = 1.4;
    const CON2: f64 = CON * CON;
    const NTAB: usize = 10;
    const SAFE: f64 = 2.0;
    let mut a = [[0.0f64; NTAB]; NTAB];
    let mut h = h0;
    a[0][0] = (f(h) - f(-h)) / (2.0 * h);
    let (mut best, mut err) = (a[0][0], f64::INFINITY);
    for i in 1..NTAB {
        h /= CON;
        a[0][i] = (f(h) - f(-h)) / (2.0 * h);
        let mut fac = CON2;
        for j in 1..=i {
            // Each column removes the next power h² from the error.
            a[j][i] = (a[j - 1][i] * fac - a[j - 1][i - 1]) / (fac - 1.0);
            fac *= CON2;
            let e = (a[j][i] - a[j - 1][i])
                .abs()
                .max((a[j][i] - a[j - 1][i - 1]).abs());
            if e <= err {
                err = e;
                best = a[j][i];
            }
        }
        // Higher order got worse by a clear margin: rounding dominates now.
        if (a[i][i] - a[i - 1][i - 1]).abs() >= SAFE * err {
            break;
        }
    }
    best
}

/// Checks BPTT on the sequence (`inputs`, `targets`) from `h0` at `params`.
///
/// Biases are skipped when `bias` is false (they are not parameters then).
/// A sequence the forward pass refuses, or one too long for even one entry
/// per tensor within the budget, gives an empty, failed report.
pub fn grad_check(
    params: &Params,
    activation: Activation,
    inputs: &[usize],
    targets: &[Option<usize>],
    h0: &Array1<f64>,
    bias: bool,
) -> GradCheckReport {
    let inputs: Vec<Option<usize>> = inputs.iter().copied().map(Some).collect();
    grad_check_masked(params, activation, &inputs, targets, h0, bias)
}

/// [`grad_check`] on a masked sequence: `inputs[s] = None` is a step without
/// input (x_t = 0), `targets[s] = None` a step without loss.
pub fn grad_check_masked(
    params: &Params,
    activation: Activation,
    inputs: &[Option<usize>],
    targets: &[Option<usize>],
    h0: &Array1<f64>,
    bias: bool,
) -> GradCheckReport {
    let failed = GradCheckReport {
        entries: Vec::new(),
        max_relative_error: f64::INFINITY,
        passed: false,
    };
    let tensors = if bias { 5 } else { 3 };
    let Ok(per_tensor) = grad_check_entries(inputs.len(), tensors, MAX_ENTRIES) else {
        return failed;
    };
    let Ok(trace) = forward_masked(params, activation, inputs, targets, h0) else {
        return failed;
    };
    let analytic = backward(params, &trace).params;
    let floor = floor_for_loss(trace.loss);
    let mut theta = params.clone();
    let loss = |p: &Params| {
        forward_masked(p, activation, inputs, targets, h0)
            .map(|t| t.loss)
            .unwrap_or(f64::NAN)
    };
    let mut entries = Vec::with_capacity(tensors);
    for (k, name) in PARAM_NAMES.iter().enumerate().take(tensors) {
        let len = analytic.slices()[k].len();
        let mut worst = 0.0f64;
        let mut skipped = 0;
        let idx = checked_indices(len, per_tensor);
        for &i in &idx {
            let original = theta.slices()[k][i];
            if activation == Activation::Relu {
                let pattern = |p: &Params| {
                    forward_masked(p, activation, inputs, targets, h0)
                        .map(|t| t.a.iter().map(|&a| a > 0.0).collect::<Vec<_>>())
                        .ok()
                };
                let base = pattern(&theta);
                let crosses = [EPSILON, -EPSILON].iter().any(|d| {
                    theta.slices_mut()[k][i] = original + d;
                    let p = pattern(&theta);
                    theta.slices_mut()[k][i] = original;
                    p != base
                });
                if crosses {
                    skipped += 1;
                    continue;
                }
            }
            let mut at = |delta: f64| {
                theta.slices_mut()[k][i] = original + delta;
                let l = loss(&theta);
                theta.slices_mut()[k][i] = original;
                l
            };
            let numeric = ridders(&mut at, EPSILON);
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
            checked: idx.len() - skipped,
            skipped,
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
        assert_eq!(floor_for_loss(0.3), 1e-5);
        assert!((floor_for_loss(-40.0) - 4e-4).abs() < 1e-19);
    }

    #[test]
    fn ridders_is_exact_to_rounding_on_curved_functions() {
        // d/dx e^{5x} at x = 0.3 and d/dx x⁹ at x = 1.7: strongly curved.
        let mut f = |d: f64| libm::exp(5.0 * (0.3 + d));
        let want = 5.0 * libm::exp(1.5);
        assert!((ridders(&mut f, EPSILON) - want).abs() < 1e-10 * want);
        let mut g = |d: f64| (1.7 + d).powi(9);
        let want = 9.0 * 1.7f64.powi(8);
        assert!((ridders(&mut g, EPSILON) - want).abs() < 1e-10 * want);
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
