//! Singular values, spectral norms and the Jacobian products of BPTT.
//!
//! ```text
//! ∂h_k/∂h_{k−1} = diag(f′(a_k)) W_hh                          [H, H]
//! J(t, j) = ∂h_t/∂h_j = Π_{k=j+1..t} diag(f′(a_k)) W_hh       (leftmost k = t)
//! ‖J(t, j)‖₂ ≤ (γ λ1)^(t−j),  λ1 = σ_max(W_hh)                (Pascanu et al. 2013)
//! ```
//!
//! Singular values come from one-sided Jacobi (Hestenes), which is accurate
//! for every singular value, small ones included. σ_max of larger matrices
//! comes from power iteration (`power.rs`: [`top_singular_value`], also used
//! with a warm start by the vanishing chapter's Jacobian chain).

mod power;

pub use power::{
    POWER_MAX_ROUNDS, POWER_TOLERANCE, PowerResult, PowerScratch, generic_unit_vector,
    top_singular_value,
};

use super::forward::Trace;
use super::params::Params;
use ndarray::{Array2, ArrayView2};
use serde::Serialize;

/// All singular values of `m` ([rows, cols]), largest first.
pub fn singular_values(m: ArrayView2<f64>) -> Vec<f64> {
    // Work on the side with fewer columns: σ(M) = σ(Mᵀ).
    let a = if m.ncols() > m.nrows() {
        m.t().to_owned()
    } else {
        m.to_owned()
    };
    let (rows, cols) = a.dim();
    // Columns stored contiguously: u[c] is column c.
    let mut u: Vec<Vec<f64>> = (0..cols).map(|c| a.column(c).to_vec()).collect();
    let eps = 1e-15;
    for _sweep in 0..60 {
        let mut rotated = false;
        for i in 0..cols {
            for j in i + 1..cols {
                let (alpha, beta, gamma) = {
                    let (ui, uj) = (&u[i], &u[j]);
                    let mut alpha = 0.0;
                    let mut beta = 0.0;
                    let mut gamma = 0.0;
                    for r in 0..rows {
                        alpha += ui[r] * ui[r];
                        beta += uj[r] * uj[r];
                        gamma += ui[r] * uj[r];
                    }
                    (alpha, beta, gamma)
                };
                if gamma == 0.0 || gamma.abs() <= eps * (alpha * beta).sqrt() {
                    continue;
                }
                rotated = true;
                let zeta = (beta - alpha) / (2.0 * gamma);
                let t = zeta.signum() / (zeta.abs() + (1.0 + zeta * zeta).sqrt());
                let t = if zeta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (1.0 + t * t).sqrt();
                let s = c * t;
                let (left, right) = u.split_at_mut(j);
                let (ui, uj) = (&mut left[i], &mut right[0]);
                for r in 0..rows {
                    let x = ui[r];
                    let y = uj[r];
                    ui[r] = c * x - s * y;
                    uj[r] = s * x + c * y;
                }
            }
        }
        if !rotated {
            break;
        }
    }
    let mut sv: Vec<f64> = u
        .iter()
        .map(|col| col.iter().map(|v| v * v).sum::<f64>().sqrt())
        .collect();
    sv.sort_by(|a, b| b.total_cmp(a));
    sv
}

/// σ_max(m), the spectral norm.
///
/// Small matrices (≤ 24 columns) go through the exact Jacobi SVD. Larger
/// ones use [`top_singular_value`] from a fixed start; when it does not meet
/// its residual test, the Jacobi SVD decides.
pub fn spectral_norm(m: ArrayView2<f64>) -> f64 {
    if m.nrows().min(m.ncols()) > 24 {
        let m = m.as_standard_layout();
        if let Some(a) = m.as_slice() {
            let (rows, cols) = m.dim();
            let mut scratch = PowerScratch::default();
            if let Some(sigma) =
                top_singular_value(a, rows, cols, None, POWER_TOLERANCE, &mut scratch).sigma
            {
                return sigma;
            }
        }
    }
    singular_values(m).first().copied().unwrap_or(0.0)
}

/// √(Σ m_ij²), the Frobenius norm.
pub fn frobenius_norm(m: ArrayView2<f64>) -> f64 {
    m.iter().map(|v| v * v).sum::<f64>().sqrt()
}

/// The one-step Jacobian ∂h_k/∂h_{k−1} = diag(f′(a_k)) W_hh for step k (1-based).
pub fn step_jacobian(params: &Params, trace: &Trace, k: usize) -> Array2<f64> {
    let mut j = params.w_hh.clone();
    for (i, mut row) in j.rows_mut().into_iter().enumerate() {
        let d = trace
            .activation
            .derivative(trace.a[[k - 1, i]], trace.h[[k, i]]);
        row.mapv_inplace(|w| w * d);
    }
    j
}

/// Norms of the Jacobian products: `spectral[t][j]` = ‖∂h_t/∂h_j‖₂ and
/// `frobenius[t][j]` = ‖∂h_t/∂h_j‖_F for 0 ≤ j < t (row t has t entries).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JacobianNorms {
    pub spectral: Vec<Vec<f64>>,
    pub frobenius: Vec<Vec<f64>>,
}

/// ‖∂h_t/∂h_j‖ for every pair j < t ≤ T. Costs O(T² H³): for short sequences.
pub fn jacobian_norms(params: &Params, trace: &Trace) -> JacobianNorms {
    let steps = trace.len();
    let mut spectral = vec![Vec::new()];
    let mut frobenius = vec![Vec::new()];
    // products[j] holds J(t−1, j) while row t is built; J(t−1, t−1) = I.
    let mut products: Vec<Array2<f64>> = Vec::new();
    for t in 1..=steps {
        let step = step_jacobian(params, trace, t);
        products.iter_mut().for_each(|p| *p = step.dot(p));
        products.push(step);
        spectral.push(products.iter().map(|p| spectral_norm(p.view())).collect());
        frobenius.push(products.iter().map(|p| frobenius_norm(p.view())).collect());
    }
    JacobianNorms {
        spectral,
        frobenius,
    }
}

/// ‖∂h_T/∂h_j‖ for j = 0..T−1, spectral and Frobenius. O(T H³).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JacobianToLast {
    pub spectral: Vec<f64>,
    pub frobenius: Vec<f64>,
}

/// ‖∂h_T/∂h_j‖ for every j < T, built right to left:
/// J(T, j) = J(T, j+1) · diag(f′(a_{j+1})) W_hh.
pub fn jacobian_to_last(params: &Params, trace: &Trace) -> JacobianToLast {
    let steps = trace.len();
    let mut spectral = vec![0.0; steps];
    let mut frobenius = vec![0.0; steps];
    let mut product: Option<Array2<f64>> = None;
    for j in (0..steps).rev() {
        let step = step_jacobian(params, trace, j + 1);
        let next = match product {
            None => step,
            Some(p) => p.dot(&step),
        };
        spectral[j] = spectral_norm(next.view());
        frobenius[j] = frobenius_norm(next.view());
        product = Some(next);
    }
    JacobianToLast {
        spectral,
        frobenius,
    }
}

/// The spectrum of W_hh: all singular values and the spectral radius.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spectrum {
    /// Singular values of W_hh, largest first; λ1 = `singular_values[0]`.
    pub singular_values: Vec<f64>,
    /// max |eigenvalue| of W_hh.
    pub spectral_radius: f64,
}

/// Singular values and spectral radius of W_hh.
pub fn spectrum(w_hh: ArrayView2<f64>) -> Spectrum {
    Spectrum {
        singular_values: singular_values(w_hh),
        spectral_radius: spectral_radius(w_hh),
    }
}

/// max |λ| over the eigenvalues of a square matrix, via ‖Mᵏ‖^(1/k)
/// (Gelfand's formula) with repeated squaring and renormalisation.
pub fn spectral_radius(m: ArrayView2<f64>) -> f64 {
    let n = m.nrows();
    if n == 0 {
        return 0.0;
    }
    // log ‖M^(2^i)‖ / 2^i → log ρ; renormalise each square to avoid overflow.
    let mut p = m.to_owned();
    let mut log_scale = 0.0f64;
    let mut estimate = spectral_norm(p.view());
    for i in 1..=40 {
        let norm = frobenius_norm(p.view());
        if norm == 0.0 || !norm.is_finite() {
            return if norm == 0.0 { 0.0 } else { estimate };
        }
        p.mapv_inplace(|v| v / norm);
        log_scale = 2.0 * (log_scale + norm.ln());
        p = p.dot(&p);
        let power = 2f64.powi(i);
        let next = ((log_scale + spectral_norm(p.view()).ln()) / power).exp();
        if (next - estimate).abs() <= 1e-12 * next.max(1e-300) {
            return next;
        }
        estimate = next;
    }
    estimate
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::arr2;

    #[test]
    fn singular_values_of_known_matrices() {
        let d = arr2(&[[3.0, 0.0], [0.0, -2.0]]);
        let sv = singular_values(d.view());
        assert!((sv[0] - 3.0).abs() < 1e-14 && (sv[1] - 2.0).abs() < 1e-14);
        // [[1,1],[0,1]]: σ = golden ratio and its inverse.
        let g = (1.0 + 5f64.sqrt()) / 2.0;
        let sv = singular_values(arr2(&[[1.0, 1.0], [0.0, 1.0]]).view());
        assert!((sv[0] - g).abs() < 1e-14 && (sv[1] - 1.0 / g).abs() < 1e-14);
        // Wide matrix: same as its transpose.
        let w = arr2(&[[1.0, 2.0, 3.0]]);
        assert!((singular_values(w.view())[0] - 14f64.sqrt()).abs() < 1e-14);
    }

    #[test]
    fn power_iteration_agrees_with_the_jacobi_svd_on_large_matrices() {
        let mut rng = crate::engine::rng::Rng::new(5);
        for n in [25, 40, 64] {
            let m = Array2::from_shape_fn((n, n + 3), |_| rng.normal());
            let exact = singular_values(m.view())[0];
            let fast = spectral_norm(m.view());
            assert!(
                (fast - exact).abs() <= 1e-12 * exact,
                "{n}: {fast} vs {exact}"
            );
        }
        // Two equal top singular values: power iteration may not settle, the answer must still be right.
        let mut d = Array2::<f64>::eye(30);
        d[[0, 0]] = 2.0;
        d[[1, 1]] = -2.0;
        assert!((spectral_norm(d.view()) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn spectral_radius_of_a_rotation_and_a_shear() {
        let r = arr2(&[[0.0, -0.5], [0.5, 0.0]]);
        assert!((spectral_radius(r.view()) - 0.5).abs() < 1e-9);
        let s = arr2(&[[0.9, 10.0], [0.0, 0.9]]);
        assert!((spectral_radius(s.view()) - 0.9).abs() < 1e-6);
        assert!(spectral_norm(s.view()) > 10.0);
    }
}
