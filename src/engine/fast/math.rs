//! e^x, tanh x, the logistic function and the softmax of a row in f32,
//! branch-free so that simd128 runs them four lanes at a time.
//!
//! exp: x = k·ln2 + r with k = round(x/ln2) and |r| ≤ ln2/2 (ln2 split in two
//! so k·ln2_hi is exact), e^r − 1 by its Taylor series to r⁷ (remainder below
//! 1e-8 relative: under f32's half ulp), times 2^k from the exponent bits.
//!
//! No result is subnormal (below 2⁻¹²⁶ ≈ 1.2e-38): x86 computes with subnormal
//! operands and results many times slower, and wasm cannot turn that off
//! (no flush-to-zero mode). A softmax that left probabilities of ~1e-39 in dY
//! made every product of BPTT slow: at H = 256, seq 50, a stretch of early training
//! ran at 130 instead of 830 iterations/s for about two seconds. The softmax and
//! the logistic function therefore give exact zeros where the true value is that
//! small (e^−64 ≈ 1.6e-28 below the row's largest probability, σ(x) for x < −80),
//! far below what f32 can add to the values beside them.

use crate::engine::kernels::{max_ignoring_nan, sum};

/// ln 2 with its low 12 mantissa bits zero, so k·LN2_HI is exact for |k| < 2^12.
const LN2_HI: f32 = f32::from_bits(0x3f31_7000);
/// ln 2 − LN2_HI.
const LN2_LO: f32 = 3.194_618_5e-5;
/// 1.5·2²³: adding it rounds to an integer, which lands in the low mantissa bits.
const ROUNDER: f32 = 12_582_912.0;
const ROUNDER_BITS: u32 = 0x4b40_0000;

/// (e^r − 1, 2^k) with x = k·ln2 + r, for x clamped to [−87, 88].
#[inline(always)]
fn split(x: f32) -> (f32, f32) {
    let xc = x.clamp(-87.0, 88.0);
    let t = xc * std::f32::consts::LOG2_E + ROUNDER;
    let k = t - ROUNDER;
    let r = (xc - k * LN2_HI) - k * LN2_LO;
    let k_int = t.to_bits().wrapping_sub(ROUNDER_BITS);
    let scale = f32::from_bits(k_int.wrapping_add(127) << 23);
    // r + r²/2! + … + r⁷/7!, as pairs (Estrin) so the chain stays short.
    let r2 = r * r;
    let p01 = r + r2 * 0.5;
    let p23 = (1.0 / 6.0) + r * (1.0 / 24.0);
    let p45 = (1.0 / 120.0) + r * (1.0 / 720.0);
    let p6 = 1.0 / 5040.0;
    let r3 = r2 * r;
    let expm1_r = p01 + r3 * (p23 + r2 * (p45 + r2 * p6));
    (expm1_r, scale)
}

/// e^x in f32, within a couple of ulp; 0 below −87 and 2^127·e^… saturating near 88.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    let (m, scale) = split(x);
    m * scale + scale
}

/// tanh x = sign(x)·u/(u + 2) with u = e^{2|x|} − 1 = 2^k(e^r − 1) + (2^k − 1):
/// no cancellation for small x. |x| ≥ 9 gives ±1 (tanh 9 rounds to 1 in f32).
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    let ax = x.abs();
    let ax = if ax > 9.0 { 9.0 } else { ax }; // NaN stays NaN (f32::min would drop it)
    let (m, scale) = split(2.0 * ax);
    let u = m * scale + (scale - 1.0);
    (u / (u + 2.0)).copysign(x)
}

/// Below this, σ(x) < 1.9e-35 is given as 0 (σ(−88) would be subnormal).
const SIGMOID_ZERO_BELOW: f32 = -80.0;

/// σ(x) = 1/(1 + e^{−x}); 0 for x < −80 (see the module's note on subnormals).
#[inline(always)]
pub fn sigmoid(x: f32) -> f32 {
    let s = 1.0 / (1.0 + exp(-x));
    if x < SIGMOID_ZERO_BELOW { 0.0 } else { s }
}

/// Logits more than this below the row's largest get probability 0: e^−64 ≈ 1.6e-28,
/// and after the division by Σ e^{y−max} (up to the vocabulary's size) it would
/// otherwise come near the subnormal range.
const SOFTMAX_ZERO_BELOW: f32 = -64.0;

/// The row y becomes softmax(y), shifted by max(y); returns
/// (max y, ln Σ e^{y−max}) with the logarithm in f64 (once per row), so that
/// log p_k = y_k − max − lse. p_k is 0 where y_k − max < −64 (no subnormals; the
/// loss, from y_k − max − lse, is not changed by it).
#[inline(always)]
pub fn softmax_in_place(row: &mut [f32]) -> (f32, f64) {
    let max = max_ignoring_nan(row);
    for v in row.iter_mut() {
        let shifted = *v - max;
        let e = exp(shifted);
        *v = if shifted < SOFTMAX_ZERO_BELOW { 0.0 } else { e };
    }
    let total = sum(row);
    let inv = 1.0 / total;
    for v in row.iter_mut() {
        *v *= inv;
    }
    (max, libm::log(f64::from(total)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// |a − b| in units of f32's epsilon relative to b.
    fn ulps(a: f32, b: f64) -> f64 {
        (f64::from(a) - b).abs() / (f64::from(f32::EPSILON) * b.abs().max(1e-30))
    }

    #[test]
    fn exp_tanh_sigmoid_agree_with_f64_libm_within_a_few_ulp() {
        let (mut e, mut t, mut s) = (0.0f64, 0.0f64, 0.0f64);
        for i in -86_000..88_000 {
            let x = i as f32 * 1e-3 + 1.3e-7;
            e = e.max(ulps(exp(x), libm::exp(f64::from(x))));
        }
        for i in -20_000..20_000 {
            let x = i as f32 * 7.3e-4 + 1e-9;
            let xd = f64::from(x);
            t = t.max(ulps(tanh(x), libm::tanh(xd)));
            s = s.max(ulps(sigmoid(x), 1.0 / (1.0 + libm::exp(-xd))));
        }
        assert!(e <= 3.0, "exp: {e} ulp");
        assert!(t <= 3.0, "tanh: {t} ulp");
        assert!(s <= 3.0, "sigmoid: {s} ulp");
        assert_eq!(tanh(30.0), 1.0);
        assert_eq!(tanh(-30.0), -1.0);
        assert_eq!(tanh(0.0), 0.0);
        assert_eq!(exp(-200.0), exp(-87.0));
        assert!(tanh(f32::NAN).is_nan() && exp(f32::NAN).is_nan());
    }

    /// Neither zero nor a normal f32 (the slow case on x86).
    fn subnormal(v: f32) -> bool {
        v != 0.0 && !v.is_normal() && v.is_finite()
    }

    #[test]
    fn no_subnormal_probabilities_or_activations() {
        // A row spread over 200 nats with two largest logits (Σ e^{y−max} ≥ 2): its
        // smallest probabilities, e^−(87..200)/Σ, would be subnormal.
        let mut row: Vec<f32> = (0..65).map(|i| -(i as f32) * 3.1).collect();
        row[7] = 5.0;
        row[8] = 5.0;
        let logits = row.clone();
        let (max, lse) = softmax_in_place(&mut row);
        assert_eq!(max, 5.0);
        assert!(row.iter().all(|&p| !subnormal(p)), "{row:?}");
        assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        // The kept probabilities are the true ones; only those below e^−64 are 0.
        for (i, &p) in row.iter().enumerate() {
            // y − max as the softmax forms it, in f32 (its rounding is not the softmax's error).
            let shifted = f64::from(logits[i] - max);
            let exact = (shifted - lse).exp();
            if shifted < -64.0 {
                assert_eq!(p, 0.0, "logit {i}");
            } else {
                assert!(ulps(p, exact) <= 4.0, "logit {i}: {p} against {exact}");
            }
        }
        for x in [-80.5f32, -88.0, -100.0, -1e30, f32::NEG_INFINITY] {
            assert_eq!(sigmoid(x), 0.0, "σ({x})");
        }
        for i in 0..2000 {
            let x = -90.0 + i as f32 * 0.01;
            assert!(!subnormal(sigmoid(x)) && !subnormal(exp(x)), "x = {x}");
        }
        assert!(sigmoid(-79.9) > 0.0 && sigmoid(f32::NAN).is_nan());
    }

    #[test]
    fn softmax_sums_to_one_even_for_huge_logits() {
        let mut p = [1000.0f32, 999.0, -1000.0, 3.0];
        let (max, lse) = softmax_in_place(&mut p);
        assert_eq!(max, 1000.0);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!((lse - (1.0 + (-1f64).exp()).ln()).abs() < 1e-6);
    }
}
