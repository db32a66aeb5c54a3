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
//! and (2) the spectral norm comes from power iteration
//! ([`analysis::top_singular_value`]) instead of a full SVD. The top *left*
//! singular vector of J(T, k) settles as k moves away from T (the left end of
//! the product is fixed), so the previous vector is a good start and a few
//! rounds usually suffice. Power iteration stops on its residual test (σ then
//! lies within 1e-13·σ of a singular value); if that does not happen within
//! its bounded number of rounds, [`analysis::spectral_norm`] (the exact
//! one-sided Jacobi SVD) decides.
//!
//! [`analysis::jacobian_to_last`]: crate::engine::analysis::jacobian_to_last
//! [`analysis::top_singular_value`]: crate::engine::analysis::top_singular_value
//! [`analysis::spectral_norm`]: crate::engine::analysis::spectral_norm

use crate::engine::analysis::{
    PowerScratch, generic_unit_vector, spectral_norm, top_singular_value,
};
use crate::engine::forward::Trace;
use crate::engine::params::Params;
#[cfg(test)]
use ndarray::Array1;
use ndarray::{Array2, linalg::general_mat_mul};
use serde::Serialize;

/// Weight of a fixed generic vector mixed into the warm start, so that the
/// start is never orthogonal to the top singular vector.
const MIX: f64 = 1e-2;

/// Relative residual at which the chain's power iterations stop. The chart
/// shows log10 ‖J‖₂, where 1e-8·σ is 4e-9 in the log; the strict
/// [`analysis::POWER_TOLERANCE`](crate::engine::analysis::POWER_TOLERANCE)
/// (1e-13) moved no log10 norm by more than 7e-14 relative over 160 models
/// (H 8–64, T 200) but cost ~65% more rounds and ~60% more Jacobi fallbacks.
const CHAIN_TOLERANCE: f64 = 1e-8;

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
    /// Power-iteration rounds used in all.
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
    let mut generic = vec![0.0; n];
    generic_unit_vector(&mut generic);
    let mut u = generic.clone();
    let mut scratch = PowerScratch::default();
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
        let power = top_singular_value(slice, n, n, Some(&u), CHAIN_TOLERANCE, &mut scratch);
        out.power_iterations += power.rounds;
        let sigma = match power.sigma {
            Some(sigma) => {
                u.copy_from_slice(scratch.left());
                sigma
            }
            None => {
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
/// Σ_k a\[i\]\[k\]·d\[k\]·w\[k\]\[..\], accumulated over contiguous rows of w.
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
