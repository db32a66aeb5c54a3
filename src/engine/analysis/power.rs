//! σ_max by power iteration on MᵀM, with a residual test that certifies the
//! answer, an optional warm start and caller-owned work vectors. Used by
//! [`super::spectral_norm`] (fixed start; the Jacobi SVD decides when the
//! test fails) and by the vanishing chapter's Jacobian chain (warm start
//! from the previous product's left singular vector).

use crate::engine::kernels::dot;

/// The strict relative residual for [`top_singular_value`] (what
/// [`super::spectral_norm`] asks): σ is then within 1e-13·σ of a singular value
/// of M (and, as a Rayleigh quotient, usually closer).
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
/// u = M v / σ,  σ = ‖M v‖;   z = Mᵀ u;   stop if ‖z − σ v‖ ≤ tolerance·σ;   v = z / ‖z‖
/// ```
///
/// M v = σ u holds exactly, so the residual test means σ lies within
/// tolerance·σ of a singular value of M ([`POWER_TOLERANCE`] is the strict one). The start is a fixed vector with no
/// special direction (reproducible results), or, with `warm_left = Some(u₀)`
/// (a unit vector of length `rows`), v = Mᵀu₀/‖Mᵀu₀‖: the previous left
/// singular vector when M changes little from call to call.
pub fn top_singular_value(
    m: &[f64],
    rows: usize,
    cols: usize,
    warm_left: Option<&[f64]>,
    tolerance: f64,
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
            *ur = dot(row(r), v);
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
        if residual <= tolerance * sigma {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::analysis::singular_values;
    use ndarray::Array2;

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
        let cold = top_singular_value(
            m.as_slice().unwrap(),
            30,
            20,
            None,
            POWER_TOLERANCE,
            &mut scratch,
        );
        let exact = singular_values(m.view())[0];
        assert!((cold.sigma.unwrap() - exact).abs() <= 1e-12 * exact);
        // u is the left singular vector: M v = σ u with ‖u‖ = 1.
        let u = scratch.left().to_vec();
        assert!((u.iter().map(|x| x * x).sum::<f64>() - 1.0).abs() < 1e-14);
        // A scaled copy has the same singular vectors: done in one round.
        let scaled = &m * 2.5;
        let warm = top_singular_value(
            scaled.as_slice().unwrap(),
            30,
            20,
            Some(&u),
            POWER_TOLERANCE,
            &mut scratch,
        );
        assert_eq!(warm.rounds, 1);
        assert!((warm.sigma.unwrap() - 2.5 * exact).abs() <= 1e-12 * exact);
        // A nearby matrix: fewer rounds than from the fixed start, same σ.
        let near = &m + &(noise * 1e-3);
        let a = near.as_slice().unwrap();
        let from_cold = top_singular_value(
            a,
            30,
            20,
            None,
            POWER_TOLERANCE,
            &mut PowerScratch::default(),
        );
        let from_warm = top_singular_value(a, 30, 20, Some(&u), POWER_TOLERANCE, &mut scratch);
        assert!(
            from_warm.rounds < from_cold.rounds,
            "{from_warm:?} vs {from_cold:?}"
        );
        let exact = singular_values(near.view())[0];
        for r in [from_cold, from_warm] {
            assert!((r.sigma.unwrap() - exact).abs() <= 1e-12 * exact, "{r:?}");
        }
        // M = 0 has no direction to find.
        let zero = top_singular_value(&[0.0; 6], 2, 3, None, POWER_TOLERANCE, &mut scratch);
        assert_eq!(zero.sigma, None);
    }
}
