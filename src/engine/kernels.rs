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
/// adding the rows in order j = 0, 1, … for every element. Eight rows (then
/// four, then one) are added per pass so y stays in registers: the same sums in
/// the same order as one row at a time, with an eighth of the loads and stores
/// of y (a mat-vec reads each weight once, so y's traffic is what remains);
/// the 8-row pass is used in wasm only.
#[inline(always)]
pub fn rows_times(c: &[f64], m: &[f64], y: &mut [f64]) {
    // Natively (AVX2/AVX-512) the 8-row pass measured no faster, at H = 32 slower.
    rows_times_passes::<{ cfg!(target_arch = "wasm32") }>(c, m, y);
}

/// [`rows_times`] with or without the 8-row pass (the same result either way).
#[inline(always)]
fn rows_times_passes<const PASS8: bool>(c: &[f64], m: &[f64], y: &mut [f64]) {
    let n = y.len();
    if n == 0 {
        return;
    }
    let rows = if PASS8 { c.len().min(m.len() / n) } else { 0 };
    let mut c8 = c[..rows].chunks_exact(8);
    let mut m8 = m[..rows * n].chunks_exact(8 * n);
    for (cs, block) in (&mut c8).zip(&mut m8) {
        let cs: &[f64; 8] = cs.try_into().expect("8 coefficients");
        let r: [&[f64]; 8] = std::array::from_fn(|q| &block[q * n..(q + 1) * n]);
        for (i, yi) in y.iter_mut().enumerate() {
            let mut t = *yi;
            t += cs[0] * r[0][i];
            t += cs[1] * r[1][i];
            t += cs[2] * r[2][i];
            t += cs[3] * r[3][i];
            t += cs[4] * r[4][i];
            t += cs[5] * r[5][i];
            t += cs[6] * r[6][i];
            t += cs[7] * r[7][i];
            *yi = t;
        }
    }
    let done = rows - c8.remainder().len();
    let mut rows = m[done * n..].chunks_exact(n).zip(&c[done..]);
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

thread_local! {
    /// A buffer for the per-sequence temporaries (transposed weights, BPTT's
    /// window arrays), kept across calls: as fresh allocations per sequence, glibc hands it back to the OS and
    /// page-faults it in again every time (measured natively: ~60 page faults
    /// per iteration at H = 100, a quarter of the time).
    static SCRATCH: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `f` with the reusable scratch buffer (a fresh one if it is in use).
pub(crate) fn with_scratch<R>(f: impl FnOnce(&mut Vec<f64>) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => f(&mut buf),
        Err(_) => f(&mut Vec::new()),
    })
}

/// `out` ← Mᵀ for M: [rows, cols] row-major (`out`: [cols, rows] row-major).
pub fn transpose_into(m: &[f64], (rows, cols): (usize, usize), out: &mut Vec<f64>) {
    let m = &m[..rows * cols];
    out.clear();
    out.reserve(rows * cols);
    for j in 0..cols {
        out.extend(m[j..].iter().step_by(cols));
    }
}

/// One R×W tile of C += A·B (see [`gemm_acc`]): C[i..i+R, j..j+W] is held in
/// registers while p runs over all of k, so each B row segment is loaded once
/// for R rows of C and C is loaded and stored once per tile, not once per p.
/// `a_pack[p·R + r] = A[i+r, p]`; `b`'s rows have n entries.
#[inline(always)]
fn gemm_tile<const R: usize, const W: usize>(
    n: usize,
    (i, j): (usize, usize),
    a_pack: &[f64],
    b: &[f64],
    c: &mut [f64],
) {
    let mut acc = [[0.0f64; W]; R];
    for (r, row) in acc.iter_mut().enumerate() {
        row.copy_from_slice(&c[(i + r) * n + j..(i + r) * n + j + W]);
    }
    for (ap, b_row) in a_pack.chunks_exact(R).zip(b.chunks_exact(n)) {
        let ap: &[f64; R] = ap.try_into().expect("R entries");
        let bp: &[f64; W] = b_row[j..j + W].try_into().expect("W entries");
        for r in 0..R {
            for l in 0..W {
                acc[r][l] += ap[r] * bp[l];
            }
        }
    }
    for (r, row) in acc.iter().enumerate() {
        c[(i + r) * n + j..(i + r) * n + j + W].copy_from_slice(row);
    }
}

/// Tile shape of [`gemm_acc`] (rows × columns of C in registers): wasm simd128
/// has 2 f64 lanes and about 16 vector registers; 4×4 keeps 8 independent
/// accumulators with 2 loads of B and 4 of A per step (measured in Node: 2–3%
/// faster than 2×8, while 6×4, 4×6 and 3×4 are slower); with AVX-512 (8 lanes,
/// 32 registers) 4×16 keeps 8 vector accumulators so the adds' latency is
/// hidden. The shape changes no result.
#[cfg(target_arch = "wasm32")]
const GEMM_TILE: (usize, usize) = (4, 4);
#[cfg(not(target_arch = "wasm32"))]
const GEMM_TILE: (usize, usize) = (4, 16);

/// Rows i..i+R of C: A's rows packed column by column (`a_pack[p·R + r]`),
/// then the columns in tiles of W, 2 and 1.
#[inline(always)]
fn gemm_rows<const R: usize>(
    (k, n): (usize, usize),
    i: usize,
    (a, (rs, cs)): (&[f64], (usize, usize)),
    a_pack: &mut Vec<f64>,
    b: &[f64],
    c: &mut [f64],
) {
    const W: usize = GEMM_TILE.1;
    a_pack.clear();
    for p in 0..k {
        for r in 0..R {
            a_pack.push(a[(i + r) * rs + p * cs]);
        }
    }
    let mut j = 0;
    while j + W <= n {
        gemm_tile::<R, W>(n, (i, j), a_pack, b, c);
        j += W;
    }
    while j + 2 <= n {
        gemm_tile::<R, 2>(n, (i, j), a_pack, b, c);
        j += 2;
    }
    if j < n {
        gemm_tile::<R, 1>(n, (i, j), a_pack, b, c);
    }
}

multiversion! {
/// C += A·B for `dims = (m, k, n)`, with C: [m, n] and B: [k, n] row-major and contiguous, and A: [m, k]
/// read as `A[i, p] = a[i·rs + p·cs]` (so A may be a transposed view: rs = 1).
///
/// Every entry is summed in the order of the naive triple loop,
/// `c ← c + A[i,0]·B[0,j]`, then `+ A[i,1]·B[1,j]`, … up to p = k − 1, each
/// product and sum rounded once (no fused multiply-add): the result is that
/// loop's, bit for bit, whatever the tiling or the vector width (native with
/// or without AVX2/AVX-512, wasm with or without simd128). Rows of C are taken
/// in tiles of [`GEMM_TILE`], each tile accumulating in registers.
pub fn gemm_acc(
    dims: (usize, usize, usize),
    a: &[f64],
    strides: (usize, usize),
    b: &[f64],
    c: &mut [f64],
) {
    let (m, k, n) = dims;
    assert!(b.len() >= k * n && c.len() >= m * n, "gemm_acc: B or C too short");
    if m > 0 && k > 0 {
        let (rs, cs) = strides;
        assert!(a.len() > (m - 1) * rs + (k - 1) * cs, "gemm_acc: A too short");
    }
    const R: usize = GEMM_TILE.0;
    let b = &b[..k * n];
    let mut a_pack = Vec::with_capacity(k * R);
    let mut i = 0;
    while i + R <= m {
        gemm_rows::<R>((k, n), i, (a, strides), &mut a_pack, b, c);
        i += R;
    }
    while i < m {
        gemm_rows::<1>((k, n), i, (a, strides), &mut a_pack, b, c);
        i += 1;
    }
}
}

/// Σ v_i in 8 independent partial sums with a fixed reduction order (as [`dot`]),
/// so it vectorises and the result does not depend on the vector width.
#[inline(always)]
pub fn sum(v: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let chunks = v.chunks_exact(8);
    let rest = chunks.remainder();
    for x in chunks {
        for k in 0..8 {
            acc[k] += x[k];
        }
    }
    let mut total =
        ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]));
    for &x in rest {
        total += x;
    }
    total
}

/// max v_i, skipping NaN (as `f64::max`); −∞ for an empty slice. Written as
/// comparisons in 8 lanes, not `f64::max`, which wasm compiles to a call per element.
#[inline(always)]
pub fn max_ignoring_nan(v: &[f64]) -> f64 {
    let mut acc = [f64::NEG_INFINITY; 8];
    let chunks = v.chunks_exact(8);
    let rest = chunks.remainder();
    for x in chunks {
        for k in 0..8 {
            acc[k] = if x[k] > acc[k] { x[k] } else { acc[k] };
        }
    }
    acc.into_iter()
        .chain(rest.iter().copied())
        .fold(f64::NEG_INFINITY, |m, x| if x > m { x } else { m })
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

    /// A small deterministic generator for test data (no dependency on the engine's Rng).
    fn lcg(state: &mut u64) -> f64 {
        *state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((*state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    }

    #[test]
    fn gemm_acc_is_the_naive_triple_loop() {
        let mut st = 12345u64;
        // Shapes around the tile edges (1, 2, R, W and past them) and the app's own.
        let shapes = [
            (1, 1, 1),
            (2, 3, 8),
            (3, 5, 17),
            (4, 1, 16),
            (5, 7, 33),
            (7, 25, 65),
            (25, 100, 65),
            (65, 25, 100),
            (100, 25, 100),
            (9, 0, 4),
            (0, 3, 5),
        ];
        for &(m, k, n) in &shapes {
            for transposed in [false, true] {
                let a: Vec<f64> = (0..m * k).map(|_| lcg(&mut st)).collect();
                let b: Vec<f64> = (0..k * n).map(|_| lcg(&mut st)).collect();
                let c0: Vec<f64> = (0..m * n).map(|_| lcg(&mut st)).collect();
                // A[i, p] at a[i·rs + p·cs]: row-major (k, 1) or transposed storage (1, m).
                let (rs, cs) = if transposed { (1, m) } else { (k, 1) };
                let mut c = c0.clone();
                gemm_acc((m, k, n), &a, (rs, cs), &b, &mut c);
                for i in 0..m {
                    for j in 0..n {
                        // Same order: bit for bit.
                        let mut same = c0[i * n + j];
                        // Products summed first, then added: rounding-level agreement.
                        let mut sum = 0.0;
                        let mut scale = c0[i * n + j].abs();
                        for p in 0..k {
                            let prod = a[i * rs + p * cs] * b[p * n + j];
                            same += prod;
                            sum += prod;
                            scale += prod.abs();
                        }
                        let got = c[i * n + j];
                        assert_eq!(got.to_bits(), same.to_bits(), "({m},{k},{n}) at ({i},{j})");
                        let other = c0[i * n + j] + sum;
                        assert!(
                            (got - other).abs() <= 1e-14 * scale.max(f64::MIN_POSITIVE),
                            "({m},{k},{n}) at ({i},{j}): {got} vs {other}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn sum_and_max_match_plain_loops_and_skip_nan_in_max() {
        let mut state = 7;
        for n in [0, 1, 7, 8, 9, 65, 100] {
            let v: Vec<f64> = (0..n).map(|_| lcg(&mut state) * 10.0).collect();
            let plain: f64 = v.iter().sum();
            assert!(
                (sum(&v) - plain).abs() <= 1e-12 * (1.0 + plain.abs()),
                "n = {n}"
            );
            assert_eq!(sum(&v), dot(&v, &vec![1.0; n]), "sum is dot's order");
            let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            assert_eq!(max_ignoring_nan(&v), max, "n = {n}");
        }
        let mut with_nan = vec![1.0, f64::NAN, 3.0, -2.0, 0.5, 9.0, f64::NAN, 4.0, 2.0, -1.0];
        assert_eq!(max_ignoring_nan(&with_nan), 9.0);
        with_nan[5] = f64::INFINITY;
        assert_eq!(max_ignoring_nan(&with_nan), f64::INFINITY);
        assert_eq!(max_ignoring_nan(&[]), f64::NEG_INFINITY);
    }

    #[test]
    fn transpose_into_transposes() {
        let m: Vec<f64> = (0..12).map(f64::from).collect();
        let mut t = vec![99.0; 3];
        transpose_into(&m, (3, 4), &mut t);
        assert_eq!(t, [0., 4., 8., 1., 5., 9., 2., 6., 10., 3., 7., 11.]);
    }

    #[test]
    fn dot_and_rows_times_match_plain_sums() {
        let a: Vec<f64> = (0..37).map(|i| (i as f64 * 0.37).sin()).collect();
        let b: Vec<f64> = (0..37).map(|i| (i as f64 * 0.11).cos()).collect();
        let plain: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - plain).abs() < 1e-14);
        // rows_times adds the rows in order, exactly as one axpy per row.
        // 8 + 8 rows per pass, then 3 one at a time; and 7 rows: 4, then 3.
        let m: Vec<f64> = (0..19 * 5).map(|i| (i as f64 * 0.7).sin()).collect();
        let c: Vec<f64> = (0..19).map(|j| (j as f64 * 1.3).cos() * 2.0).collect();
        let mut y1 = vec![0.25; 5];
        let mut y2 = y1.clone();
        rows_times(&c, &m, &mut y1);
        for (j, &cj) in c.iter().enumerate() {
            axpy(cj, &m[j * 5..(j + 1) * 5], &mut y2);
        }
        assert_eq!(y1, y2);
        // Both pass structures (8-row passes in wasm, 4-row natively): same bits.
        for pass8 in [false, true] {
            let mut y = vec![0.25; 5];
            if pass8 {
                rows_times_passes::<true>(&c, &m, &mut y);
            } else {
                rows_times_passes::<false>(&c, &m, &mut y);
            }
            assert_eq!(y, y2);
        }
        let mut y3 = vec![0.25; 5];
        let mut y4 = y3.clone();
        rows_times(&c[..7], &m[..35], &mut y3);
        for (j, &cj) in c[..7].iter().enumerate() {
            axpy(cj, &m[j * 5..(j + 1) * 5], &mut y4);
        }
        assert_eq!(y3, y4);
    }
}
