//! Each time step's share of the shared-weight gradients.
//!
//! The same W_xh, W_hh, W_hy are used at every step, so their gradient is a
//! sum over steps of one outer product per step (t = 1..T):
//!
//! ```text
//! dW_xh = Σ_t da_t x_tᵀ        [H, V]   (x_t one-hot: only column x_t is non-zero;
//!                                         x_t = 0 at a step without input)
//! dW_hh = Σ_t da_t h_{t−1}ᵀ    [H, H]
//! dW_hy = Σ_t dy_t h_tᵀ        [V, H]
//! db_h  = Σ_t da_t             [H]
//! db_y  = Σ_t dy_t             [V]
//! ```
//!
//! with `dy_t = p_t − onehot(target_t)` and `da_t = dL/da_t` from BPTT
//! ([`super::bptt`]). The engine's [`backward`](super::bptt::backward) forms
//! the sums as matrix products for speed; this module forms the terms one
//! by one, so the page can show the contribution of step t and its sum, and
//! the tests can check that the sum is the very gradient the optimiser uses.

use super::bptt::Gradients;
use super::error::{EngineError, Result};
use super::forward::Trace;
use super::params::Params;
use ndarray::{Array2, ArrayView1};

/// uvᵀ: [len(u), len(v)].
fn outer(u: ArrayView1<f64>, v: ArrayView1<f64>) -> Array2<f64> {
    let mut m = Array2::zeros((u.len(), v.len()));
    for (mut row, &ui) in m.rows_mut().into_iter().zip(u) {
        row.assign(&(&v * ui));
    }
    m
}

/// Step t's contribution (1 ≤ t ≤ T) to each of the five gradients, as a
/// [`Params`]: `w_xh = da_t x_tᵀ`, `w_hh = da_t h_{t−1}ᵀ`, `w_hy = dy_t h_tᵀ`,
/// `b_h = da_t`, `b_y = dy_t`.
///
/// `grads` must be the BPTT of `trace` (full, or any backward that filled
/// `da` and `dy` for the steps asked).
pub fn step_contribution(trace: &Trace, grads: &Gradients, t: usize) -> Result<Params> {
    let steps = trace.len();
    if !(1..=steps).contains(&t) {
        return Err(EngineError::Invalid(format!(
            "step t must be between 1 and {steps}, got {t}"
        )));
    }
    let s = t - 1;
    let da = grads.da.row(s);
    let dy = grads.dy.row(s);
    let (hidden, vocab) = (grads.da.ncols(), grads.dy.ncols());
    let mut c = Params::zeros(vocab, hidden);
    // x_t is one-hot, so da_t x_tᵀ is da_t in column x_t and zero elsewhere
    // (all zero at a step without input, where x_t = 0).
    if let Some(x) = trace.inputs[s] {
        c.w_xh.column_mut(x).assign(&da);
    }
    c.w_hh = outer(da, trace.h.row(s));
    c.w_hy = outer(dy, trace.h.row(t));
    c.b_h.assign(&da);
    c.b_y.assign(&dy);
    Ok(c)
}

/// Every step's contribution, t = 1..T (index t − 1), and their sum.
///
/// Memory is T·(H² + 2HV + H + V) numbers: meant for the word-sized
/// sequences of the tests, not for long texts, and outside the engine's
/// memory budget ([`LIMITS`](super::LIMITS)`.memory_bytes`); the page asks for
/// one step at a time ([`step_contribution`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Contributions {
    pub steps: Vec<Params>,
    /// Σ_t of `steps`: equals `grads.params` of full BPTT.
    pub sum: Params,
}

/// All per-step contributions of a full BPTT and their sum.
pub fn contributions(trace: &Trace, grads: &Gradients) -> Contributions {
    let (hidden, vocab) = (grads.da.ncols(), grads.dy.ncols());
    let mut sum = Params::zeros(vocab, hidden);
    let steps: Vec<Params> = (1..=trace.len())
        .map(|t| {
            let c = step_contribution(trace, grads, t).expect("t is in 1..=T");
            sum.add_assign(&c);
            c
        })
        .collect();
    Contributions { steps, sum }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{ModelConfig, backward, forward};

    #[test]
    fn one_hot_column_only() {
        let p = Params::init(4, &ModelConfig::default()).unwrap();
        let tr = forward(
            &p,
            crate::engine::Activation::Tanh,
            &[0, 1, 2, 2],
            &[Some(1), Some(2), Some(2), Some(3)],
            &ndarray::Array1::zeros(3),
        )
        .unwrap();
        let g = backward(&p, &tr);
        let c = step_contribution(&tr, &g, 2).unwrap();
        // Input of step 2 is 'e' (index 1): every other column is zero.
        for col in [0, 2, 3] {
            assert!(c.w_xh.column(col).iter().all(|&v| v == 0.0));
        }
        assert_eq!(c.w_xh.column(1), g.da.row(1));
        assert!(step_contribution(&tr, &g, 0).is_err());
        assert!(step_contribution(&tr, &g, 5).is_err());
    }
}
