//! Singular values, spectral norms and the Jacobian products of BPTT.
//!
//! ```text
//! ∂h_k/∂h_{k−1} = diag(f′(a_k)) W_hh                          [H, H]
//! J(t, j) = ∂h_t/∂h_j = Π_{k=j+1..t} diag(f′(a_k)) W_hh       (leftmost k = t)
//! ‖J(t, j)‖₂ ≤ (γ λ1)^(t−j),  λ1 = σ_max(W_hh)                (Pascanu et al. 2013)
//! ```
//!
//! Singular values come from one-sided Jacobi (Hestenes), which is accurate
//! for every singular value, small ones included.

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
            if let Some(sigma) = top_singular_value(a, rows, cols, None, &mut scratch).sigma {
                return sigma;
            }
        }
    }
    singular_values(m).first().copied().unwrap_or(0.0)
}

/// Relative residual at which [`top_singular_value`] stops: σ is then within
/// 1e-13·σ of a singular value of M (and, as a Rayleigh quotient, usually closer).
pub const POWER_TOLERANCE: f64 = 1e-13;
/// Rounds of [`top_singular_value`] before it gives up.
pub const POWER_MAX_ROUNDS: usize = 500;

/// Work vectors of [`top_singular_value`], kept by callers that call it many
/// times so that no call allocates. Sized on first use.
#[derive(Debug, Clone, Default)]
pub struct PowerScratch {
    /// The left singular vector u (length rows).
    u: Vec<f64>,
    /// The right singular vector v (length cols).
    v: Vec<f64>,
    /// Mᵀu (length cols).
    z: Vec<f64>,
}

impl PowerScratch {
    /// The unit left singular vector u of the last call (M v = σ u): the warm
    /// start for a next matrix whose top left vector is nearly the same.
    pub fn left(&self) -> &[f64] {
        &self.u
    }
}

/// What [`top_singular_value`] found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PowerResult {
    /// σ_max, or None when the residual test was not met in
    /// [`POWER_MAX_ROUNDS`] rounds (close top singular values), or M v
    /// became 0 or not finite.
    pub sigma: Option<f64>,
    /// Rounds run (one product M v and one Mᵀu each).
    pub rounds: usize,
}

/// σ_max of the row-major `rows`×`cols` matrix `m` by power iteration on MᵀM:
///
/// ```text
/// u = M v / σ,  σ = ‖M v‖;   z = Mᵀ u;   stop if ‖z − σ v‖ ≤ 1e-13·σ;   v = z / ‖z‖
/// ```
///
/// M v = σ u holds exactly, so the residual test means σ lies within
/// 1e-13·σ of a singular value of M. The start is a fixed vector with no
/// special direction (reproducible results), or, with `warm_left = Some(u₀)`
/// (a unit vector of length `rows`), v = Mᵀu₀/‖Mᵀu₀‖: the previous left
/// singular vector when M changes little from call to call.
pub fn top_singular_value(
    m: &[f64],
    rows: usize,
    cols: usize,
    warm_left: Option<&[f64]>,
    scratch: &mut PowerScratch,
) -> PowerResult {
    let PowerScratch { u, v, z } = scratch;
    u.resize(rows, 0.0);
    v.resize(cols, 0.0);
    z.resize(cols, 0.0);
    let row = |r: usize| &m[r * cols..(r + 1) * cols];
    // z = Mᵀ u, accumulated row by row so M is never read with a stride.
    let transposed_product = |u: &[f64], z: &mut [f64]| {
        z.fill(0.0);
        for (r, &ur) in u.iter().enumerate() {
            if ur != 0.0 {
                z.iter_mut().zip(row(r)).for_each(|(zj, &w)| *zj += ur * w);
            }
        }
    };
    let failed = |rounds| PowerResult {
        sigma: None,
        rounds,
    };
    match warm_left {
        None => generic_unit_vector(v),
        Some(u0) => {
            transposed_product(u0, z);
            let z_norm = norm2(z);
            if z_norm == 0.0 || !z_norm.is_finite() {
                return failed(0);
            }
            v.iter_mut()
                .zip(z.iter())
                .for_each(|(vj, &zj)| *vj = zj / z_norm);
        }
    }
    for round in 0..POWER_MAX_ROUNDS {
        for (r, ur) in u.iter_mut().enumerate() {
            *ur = super::forward::dot(row(r), v);
        }
        let sigma = norm2(u);
        if sigma == 0.0 || !sigma.is_finite() {
            return failed(round + 1);
        }
        u.iter_mut().for_each(|x| *x /= sigma);
        transposed_product(u, z);
        let residual = z
            .iter()
            .zip(v.iter())
            .map(|(zj, vj)| (zj - sigma * vj).powi(2))
            .sum::<f64>()
            .sqrt();
        if residual <= POWER_TOLERANCE * sigma {
            return PowerResult {
                sigma: Some(sigma),
                rounds: round + 1,
            };
        }
        let z_norm = norm2(z);
        if z_norm == 0.0 || !z_norm.is_finite() {
            return failed(round + 1);
        }
        v.iter_mut()
            .zip(z.iter())
            .for_each(|(vj, &zj)| *vj = zj / z_norm);
    }
    failed(POWER_MAX_ROUNDS)
}

/// Fills `v` with a fixed unit vector with no special direction (no zero
/// entries, no symmetry): power iteration's reproducible start.
pub fn generic_unit_vector(v: &mut [f64]) {
    for (i, vi) in v.iter_mut().enumerate() {
        *vi = 1.0 + 0.5 * ((i as f64 + 1.0) * 1.618_033_988_749_895).sin();
    }
    let norm = norm2(v);
    v.iter_mut().for_each(|x| *x /= norm);
}

/// √(Σ x_i²).
fn norm2(x: &[f64]) -> f64 {
    x.iter().map(|x| x * x).sum::<f64>().sqrt()
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
    fn a_warm_start_from_the_last_left_vector_saves_rounds() {
        let mut rng = crate::engine::rng::Rng::new(11);
        // Rectangular (rows ≠ cols), so u and v have different lengths; a
        // rank-one part sets σ1 well apart from σ2, so iteration converges.
        let m = Array2::from_shape_fn((30, 20), |(i, j)| {
            rng.normal() + 0.5 * ((i % 7) as f64 - 2.0) * ((j % 5) as f64 - 1.5)
        });
        let noise = Array2::from_shape_fn((30, 20), |_| rng.normal());
        let mut scratch = PowerScratch::default();
        let cold = top_singular_value(m.as_slice().unwrap(), 30, 20, None, &mut scratch);
        let exact = singular_values(m.view())[0];
        assert!((cold.sigma.unwrap() - exact).abs() <= 1e-12 * exact);
        // u is the left singular vector: M v = σ u with ‖u‖ = 1.
        let u = scratch.left().to_vec();
        assert!((u.iter().map(|x| x * x).sum::<f64>() - 1.0).abs() < 1e-14);
        // A scaled copy has the same singular vectors: done in one round.
        let scaled = &m * 2.5;
        let warm = top_singular_value(scaled.as_slice().unwrap(), 30, 20, Some(&u), &mut scratch);
        assert_eq!(warm.rounds, 1);
        assert!((warm.sigma.unwrap() - 2.5 * exact).abs() <= 1e-12 * exact);
        // A nearby matrix: fewer rounds than from the fixed start, same σ.
        let near = &m + &(noise * 1e-3);
        let a = near.as_slice().unwrap();
        let from_cold = top_singular_value(a, 30, 20, None, &mut PowerScratch::default());
        let from_warm = top_singular_value(a, 30, 20, Some(&u), &mut scratch);
        assert!(
            from_warm.rounds < from_cold.rounds,
            "{from_warm:?} vs {from_cold:?}"
        );
        let exact = singular_values(near.view())[0];
        for r in [from_cold, from_warm] {
            assert!((r.sigma.unwrap() - exact).abs() <= 1e-12 * exact, "{r:?}");
        }
        // M = 0 has no direction to find.
        let zero = top_singular_value(&[0.0; 6], 2, 3, None, &mut scratch);
        assert_eq!(zero.sigma, None);
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
