//! e^x, tanh x and the softmax of a row, branch-free so they vectorise.

use super::{max_ignoring_nan, sum};

// e^x and tanh x, branch-free.
//
// exp: x = k·ln2 + r with k = round(x/ln2), |r| ≤ ln2/2 (Cody–Waite split of
// ln2 so k·ln2_hi is exact), e^r − 1 by its Taylor series to r¹⁴ (remainder
// below 2e-19 relative), times 2^k built from the exponent bits. The series is
// evaluated in Estrin's scheme (powers r², r⁴, r⁸ and independent pairs), not
// Horner's: a Horner chain is 14 dependent multiply-adds, so a 2-lane wasm
// loop waits on latency; Estrin's has depth 5.

/// ln 2 to 32 significant bits (its low 21 mantissa bits are zero).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
/// ln 2 − LN2_HI.
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
const LOG2_E: f64 = std::f64::consts::LOG2_E;
/// 1.5·2⁵²: adding it rounds to an integer, which lands in the low mantissa bits.
const ROUNDER: f64 = 6_755_399_441_055_744.0;
const ROUNDER_BITS: u64 = 0x4338_0000_0000_0000;

/// 1/n! for n = 0..=14 (n! is exact in f64, so each is correctly rounded).
const INV_FACT: [f64; 15] = {
    let mut t = [1.0; 15];
    let mut fact = 1.0;
    let mut n = 1;
    while n < 15 {
        fact *= n as f64;
        t[n] = 1.0 / fact;
        n += 1;
    }
    t
};

/// (r, 2^k) with x = k·ln2 + r, |r| ≤ ln2/2, for x in [−708, 709]
/// (clamped there; NaN passes through as r = NaN).
#[inline(always)]
fn reduce_ln2(x: f64) -> (f64, f64) {
    let xc = x.clamp(-708.0, 709.0);
    let t = xc * LOG2_E + ROUNDER;
    let k = t - ROUNDER;
    let r = (xc - k * LN2_HI) - k * LN2_LO;
    // 2^k from the integer k sitting in t's low mantissa bits.
    let k_int = t.to_bits().wrapping_sub(ROUNDER_BITS);
    (r, f64::from_bits(k_int.wrapping_add(1023) << 52))
}

/// e^r − 1 = r + r²/2! + … + r¹⁴/14! for |r| ≤ ln2/2, in Estrin's scheme.
#[inline(always)]
fn expm1_reduced(r: f64) -> f64 {
    let c = &INV_FACT;
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    // Pairs (c_n + c_{n+1} r) r^n, grouped so the small terms are summed first.
    let p2 = c[2] + c[3] * r;
    let p4 = c[4] + c[5] * r;
    let p6 = c[6] + c[7] * r;
    let p8 = c[8] + c[9] * r;
    let p10 = c[10] + c[11] * r;
    let p12 = c[12] + c[13] * r;
    let q2 = p2 + p4 * r2;
    let q6 = p6 + p8 * r2;
    let q10 = p10 + (p12 + c[14] * r2) * r2;
    let s2 = q2 + q6 * r4;
    let s = s2 + q10 * r8;
    r + s * r2
}

/// e^x, within a few ulp of libm's exp; 0 below −708 and +∞ above 709.78; NaN stays NaN.
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    let (r, scale) = reduce_ln2(x);
    let e = (1.0 + expm1_reduced(r)) * scale;
    if x < -708.0 {
        0.0
    } else if x > 709.78 {
        f64::INFINITY
    } else {
        e
    }
}

/// tanh x = sign(x)·u/(u + 2) with u = e^{2|x|} − 1; within a few ulp of libm.
/// u = 2^k·(e^r − 1) + (2^k − 1): exact for k = 0 (small x, no cancellation), and
/// for k ≥ 1 both terms are positive or the first is small against the second.
/// |x| ≥ 22 gives ±1 (as libm); NaN stays NaN.
#[inline(always)]
pub fn tanh(x: f64) -> f64 {
    let ax = x.abs();
    let ax = if ax > 22.0 { 22.0 } else { ax };
    let (r, scale) = reduce_ln2(2.0 * ax);
    let u = expm1_reduced(r) * scale + (scale - 1.0);
    (u / (u + 2.0)).copysign(x)
}

multiversion! {
/// p = softmax(y) for one row (`p.len() == y.len()`), shifted by max(y);
/// returns (max y, ln Σ e^{y−max}) so that log p_k = y_k − max − lse.
pub fn softmax_row(y: &[f64], p: &mut [f64]) -> (f64, f64) {
    let max = max_ignoring_nan(y);
    for (o, &v) in p.iter_mut().zip(y) {
        *o = exp(v - max);
    }
    let sum = sum(p);
    for o in p.iter_mut() {
        *o /= sum;
    }
    (max, libm::log(sum))
}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulps(a: f64, b: f64) -> f64 {
        if a == b {
            return 0.0;
        }
        (a - b).abs() / (f64::EPSILON * b.abs().max(f64::MIN_POSITIVE))
    }

    #[test]
    fn exp_and_tanh_agree_with_libm_within_a_few_ulp() {
        let mut worst = (0.0f64, 0.0f64);
        let mut x = -745.0;
        while x < 710.0 {
            for d in [0.0, 1e-3, 0.37, 0.5] {
                let v = x + d;
                if v > -708.0 && v < 709.0 {
                    worst.0 = worst.0.max(ulps(exp(v), libm::exp(v)));
                }
            }
            x += 0.731;
        }
        for i in -40_000..40_000 {
            let v = i as f64 * 7.3e-4 + 1e-9;
            worst.1 = worst.1.max(ulps(tanh(v), libm::tanh(v)));
        }
        for v in [
            1e-300, -1e-20, 1e-9, 0.1749, 0.175, 0.1751, 21.9, 22.0, 30.0, -700.0,
        ] {
            worst.1 = worst.1.max(ulps(tanh(v), libm::tanh(v)));
        }
        eprintln!("WORST {:?}", worst);
        assert!(worst.0 <= 4.0, "exp: {} ulp", worst.0);
        assert!(worst.1 <= 4.0, "tanh: {} ulp", worst.1);
        assert_eq!(exp(-800.0), 0.0);
        assert_eq!(exp(800.0), f64::INFINITY);
        assert!(exp(f64::NAN).is_nan() && tanh(f64::NAN).is_nan());
        assert_eq!(tanh(f64::INFINITY), 1.0);
        assert_eq!(tanh(f64::NEG_INFINITY), -1.0);
        assert_eq!(tanh(0.0), 0.0);
    }
}
