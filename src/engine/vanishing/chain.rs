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
        // q = p · diag(d), then p = q · W_hh.
        for (mut q_row, p_row) in q.rows_mut().into_iter().zip(p.rows()) {
            for ((qv, &pv), &dv) in q_row.iter_mut().zip(p_row.iter()).zip(&d) {
                *qv = pv * dv;
            }
        }
        general_mat_mul(1.0, &q, w_hh, 0.0, &mut p);
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
