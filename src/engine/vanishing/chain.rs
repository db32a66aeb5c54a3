//! ‖∂h_T/∂h_k‖ for every k, fast enough to redraw on every slider move
//! (H up to 64, T up to 200).
//!
//! ```text
//! J(T, k) = ∂h_T/∂h_k = J(T, k+1) · diag(f′(a_{k+1})) W_hh      [H, H], J(T, T) = I
//! ```
//!
//! The products are built right to left as in [`analysis::jacobian_to_last`],
//! but (1) each product is divided by its largest entry and the scale kept as
//! a logarithm, so norms like 0.1^200 or 3^200 neither underflow nor overflow,
//! and (2) the spectral norm comes from power iteration on J Jᵀ instead of a
//! full SVD. The top *left* singular vector of J(T, k) settles as k moves away
//! from T (the left end of the product is fixed), so the previous vector is a
//! good start and a few iterations usually suffice. Convergence is tested on
//! the residual: with J v = σ u and ‖Jᵀu − σ v‖ ≤ tol·σ, some singular value
//! lies within tol·σ of σ. If that does not happen within a bounded number of
//! iterations the exact one-sided Jacobi SVD is used instead.
//!
//! [`analysis::jacobian_to_last`]: crate::engine::analysis::jacobian_to_last

use crate::engine::analysis::spectral_norm;
use crate::engine::forward::{Trace, dot};
use crate::engine::params::Params;
#[cfg(test)]
use ndarray::Array1;
use ndarray::{Array2, linalg::general_mat_mul};
use serde::Serialize;

/// Relative residual at which power iteration stops: σ is then within 1e-8·σ
/// of a singular value (and, as a Rayleigh quotient, usually far closer).
const TOLERANCE: f64 = 1e-8;
/// Power iterations before falling back to the Jacobi SVD.
const MAX_ITERATIONS: usize = 400;
/// Weight of a fixed generic vector mixed into the warm start, so that the
/// start is never orthogonal to the top singular vector.
const MIX: f64 = 1e-2;

/// Norms of J(T, k) = ∂h_T/∂h_k for k = 0..T−1, as base-10 logarithms.
///
/// An entry is −∞ where the product is exactly zero (e.g. every ReLU unit
/// dead at some step) and NaN where it is not finite (an exploded forward
/// pass); entries after the first NaN (smaller k) are NaN too.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainNorms {
    /// log10 ‖J(T, k)‖₂, index k.
    pub log10_spectral: Vec<f64>,
    /// log10 ‖J(T, k)‖_F, index k.
    pub log10_frobenius: Vec<f64>,
    /// How many products needed the Jacobi fallback.
    pub fallbacks: usize,
    /// Power iterations used in all.
    pub power_iterations: usize,
}

/// ‖∂h_T/∂h_k‖₂ and ‖·‖_F for every k < T (see the module documentation).
pub fn jacobian_chain(params: &Params, trace: &Trace) -> ChainNorms {
    let steps = trace.len();
    let n = params.hidden();
    let mut out = ChainNorms {
        log10_spectral: vec![f64::NAN; steps],
        log10_frobenius: vec![f64::NAN; steps],
        fallbacks: 0,
        power_iterations: 0,
    };
    let w_hh = &params.w_hh;
    // p holds J(T, k+1) / exp(log_scale); starts as the identity.
    let mut p = Array2::<f64>::eye(n);
    let mut q = Array2::<f64>::zeros((n, n));
    let mut log_scale = 0.0f64;
    let generic = generic_vector(n);
    let mut u = generic.clone();
    let mut scratch = Scratch::new(n);
    let mut d = vec![0.0; n];
    for k in (0..steps).rev() {
        // d = f′(a_{k+1}): row k of a, row k+1 of h.
        for (i, di) in d.iter_mut().enumerate() {
            *di = trace
                .activation
                .derivative(trace.a[[k, i]], trace.h[[k + 1, i]]);
        }
        // p ← p · diag(d) · W_hh.
        step_product(&mut p, &mut q, &d, w_hh);
        let max = p.iter().fold(0.0f64, |m, &v| m.max(v.abs()));
        if max.is_nan() || max.is_infinite() {
            break; // this k and all smaller stay NaN
        }
        if max == 0.0 {
            // Exactly zero from here on: every earlier product is zero too.
            out.log10_spectral[..=k].fill(f64::NEG_INFINITY);
            out.log10_frobenius[..=k].fill(f64::NEG_INFINITY);
            break;
        }
        p.mapv_inplace(|v| v / max);
        log_scale += max.ln();
        let frob = p.iter().map(|v| v * v).sum::<f64>().sqrt();
        // Warm start: the last left vector plus a little of a fixed one.
        for (ui, gi) in u.iter_mut().zip(&generic) {
            *ui += MIX * gi;
        }
        normalise(&mut u);
        let slice = p.as_slice().expect("standard layout");
        let sigma = match top_singular_value(slice, n, &mut u, &mut scratch) {
            Ok(iters) => {
                out.power_iterations += iters;
                scratch.sigma
            }
            Err(iters) => {
                out.power_iterations += iters;
                out.fallbacks += 1;
                u.copy_from_slice(&generic);
                spectral_norm(p.view())
            }
        };
        out.log10_spectral[k] = (sigma.ln() + log_scale) / std::f64::consts::LN_10;
        out.log10_frobenius[k] = (frob.ln() + log_scale) / std::f64::consts::LN_10;
    }
    out
}

/// p ← p · diag(d) · W_hh, with `q` as scratch ([n, n] each, row-major).
///
/// Natively ndarray's matrix product (matrixmultiply's AVX kernels) is fastest.
/// In wasm, where matrixmultiply has no SIMD kernel, a row-by-row product whose
/// inner loop runs over contiguous rows of W_hh lets LLVM use simd128.
fn step_product(p: &mut Array2<f64>, q: &mut Array2<f64>, d: &[f64], w_hh: &Array2<f64>) {
    if cfg!(target_arch = "wasm32") {
        std::mem::swap(p, q);
        let n = d.len();
        let (src, out, w) = (
            q.as_slice().expect("standard layout"),
            p.as_slice_mut().expect("standard layout"),
            w_hh.as_slice().expect("standard layout"),
        );
        scaled_product(src, d, w, out, n);
    } else {
        for (mut q_row, p_row) in q.rows_mut().into_iter().zip(p.rows()) {
            for ((qv, &pv), &dv) in q_row.iter_mut().zip(p_row.iter()).zip(d) {
                *qv = pv * dv;
            }
        }
        general_mat_mul(1.0, &*q, w_hh, 0.0, p);
    }
}

/// out = a · diag(d) · w for row-major n×n slices: row i of out is
/// Σ_k a[i][k]·d[k]·w[k][..], accumulated over contiguous rows of w.
pub fn scaled_product(a: &[f64], d: &[f64], w: &[f64], out: &mut [f64], n: usize) {
    for (a_row, out_row) in a.chunks_exact(n).zip(out.chunks_exact_mut(n)) {
        out_row.fill(0.0);
        for ((&aik, &dk), w_row) in a_row.iter().zip(d).zip(w.chunks_exact(n)) {
            let c = aik * dk;
            if c != 0.0 {
                out_row
                    .iter_mut()
                    .zip(w_row)
                    .for_each(|(o, &wv)| *o += c * wv);
            }
        }
    }
}

/// Work vectors for [`top_singular_value`].
struct Scratch {
    v: Vec<f64>,
    z: Vec<f64>,
    w: Vec<f64>,
    sigma: f64,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Self {
            v: vec![0.0; n],
            z: vec![0.0; n],
            w: vec![0.0; n],
            sigma: 0.0,
        }
    }
}

/// Power iteration for σ_max of the row-major n×n matrix `p`, from the unit
/// vector `u` (overwritten with the left singular vector). Leaves σ in
/// `scratch.sigma`; returns the iterations used, or Err(iterations) when the
/// residual test was not met.
fn top_singular_value(
    p: &[f64],
    n: usize,
    u: &mut [f64],
    scratch: &mut Scratch,
) -> Result<usize, usize> {
    let Scratch { v, z, w, sigma } = scratch;
    *sigma = 0.0;
    for it in 0..MAX_ITERATIONS {
        // z = Pᵀ u, accumulated row by row (P is never read with a stride).
        z.fill(0.0);
        for (r, &ur) in u.iter().enumerate() {
            if ur != 0.0 {
                let row = &p[r * n..(r + 1) * n];
                z.iter_mut().zip(row).for_each(|(zj, &pj)| *zj += ur * pj);
            }
        }
        if it > 0 {
            // Residual of the pair from the last round: P v = σ u holds exactly.
            let residual = z
                .iter()
                .zip(v.iter())
                .map(|(&zj, &vj)| (zj - *sigma * vj).powi(2))
                .sum::<f64>()
                .sqrt();
            if residual <= TOLERANCE * *sigma {
                return Ok(it);
            }
        }
        let z_norm = z.iter().map(|x| x * x).sum::<f64>().sqrt();
        if z_norm == 0.0 || !z_norm.is_finite() {
            return Err(it);
        }
        v.iter_mut()
            .zip(z.iter())
            .for_each(|(vj, &zj)| *vj = zj / z_norm);
        for (r, wr) in w.iter_mut().enumerate() {
            *wr = dot(&p[r * n..(r + 1) * n], v);
        }
        *sigma = w.iter().map(|x| x * x).sum::<f64>().sqrt();
        if *sigma == 0.0 {
            return Err(it);
        }
        u.iter_mut()
            .zip(w.iter())
            .for_each(|(ui, &wi)| *ui = wi / *sigma);
    }
    Err(MAX_ITERATIONS)
}

/// A fixed unit vector with no special direction (no zero entries, no symmetry).
fn generic_vector(n: usize) -> Vec<f64> {
    let mut g: Vec<f64> = (0..n)
        .map(|i| 1.0 + 0.5 * ((i as f64 + 1.0) * 1.618_033_988_749_895).sin())
        .collect();
    normalise(&mut g);
    g
}

fn normalise(v: &mut [f64]) {
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 && norm.is_finite() {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wasm_product_equals_ndarrays() {
        let n = 7;
        let a = Array2::from_shape_fn((n, n), |(i, j)| ((i * 3 + j * 5) % 11) as f64 - 4.5);
        let w = Array2::from_shape_fn((n, n), |(i, j)| ((i * 7 + j) % 5) as f64 * 0.3 - 0.6);
        let d: Vec<f64> = (0..n).map(|k| 0.1 * k as f64 - 0.2).collect();
        let mut out = vec![0.0; n * n];
        scaled_product(
            a.as_slice().unwrap(),
            &d,
            w.as_slice().unwrap(),
            &mut out,
            n,
        );
        let want = (&a * &Array1::from(d.clone())).dot(&w);
        for (x, y) in out.iter().zip(want.iter()) {
            assert!((x - y).abs() < 1e-12, "{x} vs {y}");
        }
    }
}
