//! e^x, tanh x, the logistic function and the softmax of a row in f32,
//! branch-free so that simd128 runs them four lanes at a time.
//!
//! exp: x = k·ln2 + r with k = round(x/ln2) and |r| ≤ ln2/2 (ln2 split in two
//! so k·ln2_hi is exact), e^r − 1 by its Taylor series to r⁷ (remainder below
//! 1e-8 relative: under f32's half ulp), times 2^k from the exponent bits.

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

/// σ(x) = 1/(1 + e^{−x}).
#[inline(always)]
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + exp(-x))
}

/// The row y becomes softmax(y), shifted by max(y); returns
/// (max y, ln Σ e^{y−max}) with the logarithm in f64 (once per row), so that
/// log p_k = y_k − max − lse.
#[inline(always)]
pub fn softmax_in_place(row: &mut [f32]) -> (f32, f64) {
    let max = max_ignoring_nan(row);
    for v in row.iter_mut() {
        *v = exp(*v - max);
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

    #[test]
    fn softmax_sums_to_one_even_for_huge_logits() {
        let mut p = [1000.0f32, 999.0, -1000.0, 3.0];
        let (max, lse) = softmax_in_place(&mut p);
        assert_eq!(max, 1000.0);
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!((lse - (1.0 + (-1f64).exp()).ln()).abs() < 1e-6);
    }
}
