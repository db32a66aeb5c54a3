//! Hot numerical kernels on flat slices, written to vectorise.
//!
//! Every kernel here uses a fixed order of floating-point operations and no
//! fused multiply-adds, so its results are the same bits whatever the vector
//! width: native with or without AVX2, and wasm with or without simd128.
//! `exp` and `tanh` are branch-free polynomial versions (pure IEEE
//! arithmetic, within a few ulp of libm) that the compiler can vectorise.

/// Defines `fn name(args) -> R` so that, on native x86_64 CPUs with AVX2,
/// its body runs compiled for AVX2 (chosen at run time); elsewhere, and in
/// wasm (which has its own simd128 build), it runs as is.
///
/// The hot loops compiled this way use explicit, fixed accumulation orders
/// and no fused multiply-adds, so the results are bit-for-bit the same with
/// or without AVX2: only the speed changes.
macro_rules! multiversion {
    ($(#[$m:meta])* $vis:vis fn $name:ident($($arg:ident : $ty:ty),* $(,)?) $(-> $ret:ty)? $body:block) => {
        $(#[$m])*
        $vis fn $name($($arg: $ty),*) $(-> $ret)? {
            #[inline(always)]
            #[allow(clippy::too_many_arguments)]
            fn portable($($arg: $ty),*) $(-> $ret)? $body
            #[cfg(all(target_arch = "x86_64", not(target_feature = "avx2")))]
            {
                #[target_feature(enable = "avx512f")]
                #[allow(clippy::too_many_arguments)]
                fn with_avx512($($arg: $ty),*) $(-> $ret)? {
                    portable($($arg),*)
                }
                if std::is_x86_feature_detected!("avx512f") {
                    // SAFETY: the CPU supports AVX-512F, checked just above.
                    return unsafe { with_avx512($($arg),*) };
                }
                #[target_feature(enable = "avx2")]
                #[allow(clippy::too_many_arguments)]
                fn with_avx2($($arg: $ty),*) $(-> $ret)? {
                    portable($($arg),*)
                }
                if std::is_x86_feature_detected!("avx2") {
                    // SAFETY: the CPU supports AVX2, checked just above.
                    return unsafe { with_avx2($($arg),*) };
                }
            }
            portable($($arg),*)
        }
    };
}
pub(crate) use multiversion;

/// Σ a_i b_i over two equal-length slices, in 8 independent partial sums
/// with a fixed reduction order, so the compiler can vectorise it and the
/// result does not depend on the vector width.
#[inline(always)]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f64; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    let t = [
        acc[0] + acc[4],
        acc[1] + acc[5],
        acc[2] + acc[6],
        acc[3] + acc[7],
    ];
    let mut sum = (t[0] + t[2]) + (t[1] + t[3]);
    for (x, y) in ra.iter().zip(rb) {
        sum += x * y;
    }
    sum
}

/// y += Σ_j c_j·M[j] over the rows M[j] of `m` ([len(c), len(y)], row-major),
/// adding the rows in order j = 0, 1, … for every element. Four rows are
/// added per pass so y stays in registers: the same sums in the same order
/// as one row at a time, with a quarter of the loads and stores of y.
#[inline(always)]
pub fn rows_times(c: &[f64], m: &[f64], y: &mut [f64]) {
    let n = y.len();
    if n == 0 {
        return;
    }
    let mut rows = m.chunks_exact(n).zip(c);
    loop {
        match (rows.next(), rows.next(), rows.next(), rows.next()) {
            (Some((r0, &c0)), Some((r1, &c1)), Some((r2, &c2)), Some((r3, &c3))) => {
                for ((((yi, &x0), &x1), &x2), &x3) in y.iter_mut().zip(r0).zip(r1).zip(r2).zip(r3) {
                    let mut t = *yi;
                    t += c0 * x0;
                    t += c1 * x1;
                    t += c2 * x2;
                    t += c3 * x3;
                    *yi = t;
                }
            }
            (a, b, c, _) => {
                for (r, &cj) in [a, b, c].into_iter().flatten() {
                    axpy(cj, r, y);
                }
                return;
            }
        }
    }
}

/// y += α·x, element-wise over equal-length slices.
#[inline(always)]
pub fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    for (yi, &xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

multiversion! {
/// Σ v_i² (fixed order, vectorised).
pub fn sum_squares(v: &[f64]) -> f64 {
    dot(v, v)
}
}

// e^x and tanh x, branch-free.
//
// exp: x = k·ln2 + r with k = round(x/ln2), |r| ≤ ln2/2 (Cody–Waite split of
// ln2 so k·ln2_hi is exact), e^r by its Taylor series to r¹³ (remainder below
// 5e-18 relative), times 2^k built from the exponent bits.

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

/// e^x, within a few ulp of libm's exp; 0 below −708 and +∞ above 709.78; NaN stays NaN.
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    // Clamp to where 2^k stays a normal number (NaN passes through the comparisons).
    let xc = x.clamp(-708.0, 709.0);
    let t = xc * LOG2_E + ROUNDER;
    let k = t - ROUNDER;
    let r = (xc - k * LN2_HI) - k * LN2_LO;
    let mut p = INV_FACT[13];
    for c in INV_FACT[..13].iter().rev() {
        p = p * r + c;
    }
    // 2^k from the integer k sitting in t's low mantissa bits.
    let k_int = t.to_bits().wrapping_sub(ROUNDER_BITS);
    let scale = f64::from_bits(k_int.wrapping_add(1023) << 52);
    let e = p * scale;
    if x < -708.0 {
        0.0
    } else if x > 709.78 {
        f64::INFINITY
    } else {
        e
    }
}

/// e^y − 1 for y ≥ 0, accurate also for small y (series y + y²/2! + … + y¹⁴/14!
/// below 0.35, e^y − 1 above).
#[inline(always)]
fn expm1_nonneg(y: f64) -> f64 {
    let mut q = INV_FACT[14];
    for c in INV_FACT[1..14].iter().rev() {
        q = q * y + c;
    }
    let series = q * y;
    let direct = exp(y) - 1.0;
    if y < 0.35 { series } else { direct }
}

/// tanh x = sign(x)·u/(u + 2) with u = e^{2|x|} − 1; within a few ulp of libm.
/// |x| ≥ 22 gives ±1 (as libm); NaN stays NaN.
#[inline(always)]
pub fn tanh(x: f64) -> f64 {
    let ax = x.abs();
    let ax = if ax > 22.0 { 22.0 } else { ax };
    let u = expm1_nonneg(2.0 * ax);
    (u / (u + 2.0)).copysign(x)
}

multiversion! {
/// p = softmax(y) for one row (`p.len() == y.len()`), shifted by max(y);
/// returns (max y, ln Σ e^{y−max}) so that log p_k = y_k − max − lse.
pub fn softmax_row(y: &[f64], p: &mut [f64]) -> (f64, f64) {
    let max = y.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    for (o, &v) in p.iter_mut().zip(y) {
        *o = exp(v - max);
    }
    let sum: f64 = p.iter().sum();
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
        assert!(worst.0 <= 4.0, "exp: {} ulp", worst.0);
        assert!(worst.1 <= 4.0, "tanh: {} ulp", worst.1);
        assert_eq!(exp(-800.0), 0.0);
        assert_eq!(exp(800.0), f64::INFINITY);
        assert!(exp(f64::NAN).is_nan() && tanh(f64::NAN).is_nan());
        assert_eq!(tanh(f64::INFINITY), 1.0);
        assert_eq!(tanh(f64::NEG_INFINITY), -1.0);
        assert_eq!(tanh(0.0), 0.0);
    }

    #[test]
    fn dot_and_rows_times_match_plain_sums() {
        let a: Vec<f64> = (0..37).map(|i| (i as f64 * 0.37).sin()).collect();
        let b: Vec<f64> = (0..37).map(|i| (i as f64 * 0.11).cos()).collect();
        let plain: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - plain).abs() < 1e-14);
        // rows_times adds the rows in order, exactly as one axpy per row.
        let m: Vec<f64> = (0..7 * 5).map(|i| (i as f64 * 0.7).sin()).collect();
        let c = [0.3, -1.2, 0.5, 2.0, -0.1, 0.9, 1.1];
        let mut y1 = vec![0.25; 5];
        let mut y2 = y1.clone();
        rows_times(&c, &m, &mut y1);
        for (j, &cj) in c.iter().enumerate() {
            axpy(cj, &m[j * 5..(j + 1) * 5], &mut y2);
        }
        assert_eq!(y1, y2);
    }
}
