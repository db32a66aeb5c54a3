//! Vanishing and exploding gradients, computed from a real model.
//!
//! Pascanu, Mikolov & Bengio (2013): with λ1 = σ_max(W_hh) and γ = sup |f′|,
//!
//! ```text
//! ∂h_k/∂h_{k−1} = diag(f′(a_k)) W_hh,   ‖∂h_k/∂h_{k−1}‖ ≤ γ λ1
//! ‖∂h_T/∂h_k‖ ≤ (γ λ1)^(T−k)
//! ‖∂loss_T/∂h_k‖ ≤ ‖∂loss_T/∂h_T‖ (γ λ1)^(T−k)       (loss at the last step only)
//! ```
//!
//! so λ1 < 1/γ is *sufficient* for the gradient from far back to vanish, and
//! λ1 > 1/γ is only *necessary* for it to explode. Everything the chapter
//! draws comes from [`analyse`] (one model, one sequence) and
//! [`training::TrainingView`] (the session's histories).

pub mod chain;
pub mod presets;
pub mod setup;
pub mod training;

use super::activation::Activation;
use super::analysis::singular_values;
use super::bptt::backward;
use super::error::{EngineError, Result};
use super::forward::Trace;
use super::params::Params;
use super::rng::Rng;
use ndarray::{Array2, ArrayView2, linalg::general_mat_mul};
use serde::{Deserialize, Serialize};

pub use chain::{ChainNorms, jacobian_chain};
pub use presets::{PRESETS, Preset, preset};

/// The range of the λ1 slider.
pub const LAMBDA1_MIN: f64 = 0.1;
pub const LAMBDA1_MAX: f64 = 3.0;

/// How W_hh is drawn before it is rescaled to the chosen λ1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RecurrentInit {
    /// N(0, 1) entries, as every other chapter (the model's own W_hh). Its
    /// eigenvalues are spread inside a disc about half as wide as λ1, so the
    /// spectral radius ρ is well below λ1.
    #[default]
    Gaussian,
    /// A random orthogonal matrix (Haar, from the seed): all singular values
    /// equal, ρ = λ1, so λ1 > 1/γ really makes ‖W_hhⁿ‖ grow.
    Orthogonal,
}

impl RecurrentInit {
    pub fn name(self) -> &'static str {
        match self {
            Self::Gaussian => "gaussian",
            Self::Orthogonal => "orthogonal",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [Self::Gaussian, Self::Orthogonal]
            .into_iter()
            .find(|i| i.name() == name)
    }
}

/// A random orthogonal H×H matrix from `seed`: Gram–Schmidt (twice, for
/// orthogonality to rounding) on the columns of a Gaussian matrix, which with
/// positive diagonal R gives the Haar distribution.
pub fn random_orthogonal(hidden: usize, seed: u64) -> Array2<f64> {
    // A stream of its own, so it does not repeat the weights' draws.
    let mut rng = Rng::new(seed ^ 0x005e_ed0f_0a7e_0d0c);
    let mut cols: Vec<Vec<f64>> = (0..hidden)
        .map(|_| (0..hidden).map(|_| rng.normal()).collect())
        .collect();
    for j in 0..hidden {
        for _pass in 0..2 {
            for i in 0..j {
                let proj: f64 = (0..hidden).map(|r| cols[i][r] * cols[j][r]).sum();
                let (done, rest) = cols.split_at_mut(j);
                rest[0]
                    .iter_mut()
                    .zip(&done[i])
                    .for_each(|(c, &q)| *c -= proj * q);
            }
        }
        let norm = cols[j].iter().map(|v| v * v).sum::<f64>().sqrt();
        cols[j].iter_mut().for_each(|v| *v /= norm);
    }
    Array2::from_shape_fn((hidden, hidden), |(r, c)| cols[c][r])
}

/// Scales W_hh so that σ_max(W_hh) = `lambda1` (0 < λ1, finite), and returns
/// the factor used. A second pass corrects the rounding of the first, so the
/// result hits λ1 to about 1e-15. Errors if W_hh is zero.
pub fn rescale_to_lambda1(w_hh: &mut Array2<f64>, lambda1: f64) -> Result<f64> {
    if !(lambda1.is_finite() && lambda1 > 0.0) {
        return Err(EngineError::BadNumber {
            name: "λ1",
            got: lambda1,
            hint: " above 0",
        });
    }
    let mut factor = 1.0;
    for _pass in 0..2 {
        let sigma = singular_values(w_hh.view()).first().copied().unwrap_or(0.0);
        if !(sigma.is_finite() && sigma > 0.0) {
            return Err(EngineError::Invalid(
                "W_hh is zero or not finite, so it cannot be rescaled".into(),
            ));
        }
        let f = lambda1 / sigma;
        w_hh.mapv_inplace(|v| v * f);
        factor *= f;
    }
    Ok(factor)
}

/// Sets up W_hh for the chapter: keeps the model's Gaussian W_hh or replaces
/// it by a random orthogonal matrix, then rescales it to σ_max = `lambda1`.
pub fn prepare_recurrent_weights(
    params: &mut Params,
    init: RecurrentInit,
    lambda1: f64,
    seed: u64,
) -> Result<()> {
    let mut w = match init {
        RecurrentInit::Gaussian => params.w_hh.clone(),
        RecurrentInit::Orthogonal => random_orthogonal(params.hidden(), seed),
    };
    rescale_to_lambda1(&mut w, lambda1)?;
    params.w_hh = w;
    Ok(())
}

/// max |eigenvalue| of a square matrix by Gelfand's formula, like
/// [`analysis::spectral_radius`](super::analysis::spectral_radius) but with
/// the Frobenius norm (O(H²)) at each squaring instead of an SVD:
///
/// ```text
/// ρ(M) = lim ‖M^k‖_F^(1/k),   M^(2^i) = e^(L_i) P_i with ‖P_i‖_F = 1
/// P_i = P_{i−1}² / ‖P_{i−1}²‖_F,   L_i = 2 L_{i−1} + ln ‖P_{i−1}²‖_F
/// ```
///
/// The estimate e^(L_i / 2^i) is within a factor c^(1/2^i) of ρ, so it
/// stops when two squarings in a row agree to 1e-13.
pub fn spectral_radius_fast(m: ArrayView2<f64>) -> f64 {
    let n = m.nrows();
    let frobenius = |a: &Array2<f64>| a.iter().map(|v| v * v).sum::<f64>().sqrt();
    let mut p = m.to_owned();
    let f = frobenius(&p);
    if n == 0 || f == 0.0 || !f.is_finite() {
        return if f.is_finite() { 0.0 } else { f64::NAN };
    }
    p.mapv_inplace(|v| v / f);
    let mut log_norm = f.ln();
    let mut estimate = f;
    let mut square = Array2::<f64>::zeros((n, n));
    for i in 1..=64 {
        general_mat_mul(1.0, &p, &p, 0.0, &mut square);
        std::mem::swap(&mut p, &mut square);
        let f = frobenius(&p);
        if f == 0.0 {
            return 0.0; // nilpotent
        }
        p.mapv_inplace(|v| v / f);
        log_norm = 2.0 * log_norm + f.ln();
        let next = (log_norm / 2f64.powi(i)).exp();
        if (next - estimate).abs() <= 1e-13 * next {
            return next;
        }
        estimate = next;
    }
    estimate
}

/// Everything the chapter draws for one model on one sequence.
///
/// Logarithmic series are base 10; −∞ means exactly zero, NaN means the
/// value is not finite (the model exploded there). Series "by distance" have
/// index n − 1 for n = T − k = 1..T.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub activation: Activation,
    pub hidden: usize,
    /// T, the number of steps.
    pub steps: usize,
    /// γ = sup |f′| (1 for tanh, ReLU, identity; 1/4 for sigmoid).
    pub gamma: f64,
    /// λ1 = σ_max(W_hh).
    pub lambda1: f64,
    /// 1/γ: below it, vanishing is guaranteed; above it, exploding is possible.
    pub threshold: f64,
    /// γ·λ1, the per-step factor of the bound.
    pub bound_factor: f64,
    /// All singular values of W_hh, largest first (one-sided Jacobi).
    pub singular_values: Vec<f64>,
    /// max |eigenvalue| of W_hh.
    pub spectral_radius: f64,
    /// ‖∂L/∂h_t‖ for t = 0..T (L = the sequence's scored losses).
    pub dh_norms: Vec<f64>,
    /// log10 ‖∂L/∂h_t‖, t = 0..T.
    pub dh_log10: Vec<f64>,
    /// log10 of ‖∂L/∂h_T‖ (γλ1)^(T−t), t = 0..T: the bound on `dh_log10`,
    /// valid when only the last step has a loss (`single_loss`).
    pub dh_bound_log10: Vec<f64>,
    /// Whether the last step is the only scored step.
    pub single_loss: bool,
    /// log10 ‖∂h_T/∂h_k‖₂ by distance n = T − k.
    pub jacobian_log10: Vec<f64>,
    /// log10 ‖∂h_T/∂h_k‖_F by distance.
    pub jacobian_frobenius_log10: Vec<f64>,
    /// log10 (γλ1)^n by distance.
    pub bound_log10: Vec<f64>,
    /// Share of (t, unit) pairs with |f′(a_t)| < 5% of γ (saturated or dead).
    pub saturated_fraction: f64,
    /// L of the sequence.
    pub loss: f64,
    /// p_T\[target_T\] when the last step is scored.
    pub last_target_probability: Option<f64>,
    /// arg max p_T.
    pub last_prediction: Option<usize>,
    /// Some number on the way is NaN or infinite.
    pub exploded: bool,
    /// Which quantities were not finite, for the message.
    pub non_finite: Vec<String>,
    /// Diagnostics of the fast spectral norms.
    pub power_iterations: usize,
    pub jacobi_fallbacks: usize,
}

fn log10(v: f64) -> f64 {
    if v.is_finite() { v.log10() } else { f64::NAN }
}

/// Computes the whole chapter for `params` on `trace` (the forward pass of
/// the sequence being studied), with full BPTT of its scored losses.
pub fn analyse(params: &Params, trace: &Trace) -> Analysis {
    let activation = trace.activation;
    let steps = trace.len();
    let gamma = activation.gamma();
    let finite_w = params.w_hh.iter().all(|v| v.is_finite());
    let singular = if finite_w {
        singular_values(params.w_hh.view())
    } else {
        vec![f64::NAN; params.hidden()]
    };
    let lambda1 = singular.first().copied().unwrap_or(0.0);
    let rho = if finite_w {
        spectral_radius_fast(params.w_hh.view())
    } else {
        f64::NAN
    };
    let bound_factor = gamma * lambda1;

    let mut non_finite = Vec::new();
    if !params.all_finite() {
        non_finite.push("weights".into());
    }
    if !trace.h.iter().all(|v| v.is_finite()) {
        non_finite.push("hidden states h_t".into());
    }
    if !trace.loss.is_finite() {
        non_finite.push("loss".into());
    }

    let grads = backward(params, trace);
    let dh_norms = grads.dh_norms();
    if !dh_norms.iter().all(|v| v.is_finite()) {
        non_finite.push("gradients ∂L/∂h_t".into());
    }
    let dh_log10: Vec<f64> = dh_norms.iter().map(|&v| log10(v)).collect();
    let scored: Vec<usize> = (0..steps).filter(|&s| trace.targets[s].is_some()).collect();
    let single_loss = scored == [steps - 1];
    let top = dh_log10[steps];
    let step_log = bound_factor.log10();
    let dh_bound_log10 = (0..=steps)
        .map(|t| top + (steps - t) as f64 * step_log)
        .collect();

    let chain = jacobian_chain(params, trace);
    let jacobian_log10: Vec<f64> = chain.log10_spectral.iter().rev().copied().collect();
    let jacobian_frobenius_log10 = chain.log10_frobenius.iter().rev().copied().collect();
    if jacobian_log10.iter().any(|v| v.is_nan()) {
        non_finite.push("Jacobians ∂h_T/∂h_k".into());
    }
    let bound_log10 = (1..=steps).map(|n| n as f64 * step_log).collect();

    let saturated = trace
        .a
        .indexed_iter()
        .filter(|&((s, i), &a)| activation.is_saturated(a, trace.h[[s + 1, i]]))
        .count();
    let saturated_fraction = saturated as f64 / (steps * params.hidden()).max(1) as f64;

    let last = trace.p.row(steps - 1);
    let last_target_probability = trace.targets[steps - 1].map(|k| last[k]);
    let last_prediction = last
        .iter()
        .all(|v| v.is_finite())
        .then(|| super::forward::argmax(last));

    Analysis {
        activation,
        hidden: params.hidden(),
        steps,
        gamma,
        lambda1,
        threshold: 1.0 / gamma,
        bound_factor,
        singular_values: singular,
        spectral_radius: rho,
        dh_norms,
        dh_log10,
        dh_bound_log10,
        single_loss,
        jacobian_log10,
        jacobian_frobenius_log10,
        bound_log10,
        saturated_fraction,
        loss: trace.loss,
        last_target_probability,
        last_prediction,
        exploded: !non_finite.is_empty(),
        non_finite,
        power_iterations: chain.power_iterations,
        jacobi_fallbacks: chain.fallbacks,
    }
}
