//! Hot numerical kernels on flat slices, written to vectorise.
//!
//! Every kernel here uses a fixed order of floating-point operations and no
//! fused multiply-adds, so its results are the same bits whatever the vector
//! width: native with or without AVX2, and wasm with or without simd128.
//!
//! - this file: the `multiversion!` dispatch, dot products, sums, the mat-vec
//!   (`rows_times`), the transpose and the reusable scratch buffer;
//! - `gemm`: the register-tiled matrix product `gemm_acc`;
//! - `exp`: branch-free `exp`, `tanh` and `softmax_row` (pure IEEE
//!   arithmetic, within a few ulp of libm) that the compiler can vectorise.

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
pub fn dot<T: Real>(a: &[T], b: &[T]) -> T {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [T::ZERO; 8];
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
        sum += *x * *y;
    }
    sum
}

/// y += Σ_j c_j·M\[j\] over the rows M\[j\] of `m` (\[len(c), len(y)\], row-major),
/// adding the rows in order j = 0, 1, … for every element. Eight rows (then
/// four, then one) are added per pass so y stays in registers: the same sums in
/// the same order as one row at a time, with an eighth of the loads and stores
/// of y (a mat-vec reads each weight once, so y's traffic is what remains);
/// the 8-row pass is used in wasm only.
#[inline(always)]
pub fn rows_times<T: Real>(c: &[T], m: &[T], y: &mut [T]) {
    // Natively (AVX2/AVX-512) the 8-row pass measured no faster, at H = 32 slower.
    rows_times_passes::<T, { cfg!(target_arch = "wasm32") }>(c, m, y);
}

/// [`rows_times`] with or without the 8-row pass (the same result either way).
#[inline(always)]
fn rows_times_passes<T: Real, const PASS8: bool>(c: &[T], m: &[T], y: &mut [T]) {
    let n = y.len();
    if n == 0 {
        return;
    }
    let rows = if PASS8 { c.len().min(m.len() / n) } else { 0 };
    let mut c8 = c[..rows].chunks_exact(8);
    let mut m8 = m[..rows * n].chunks_exact(8 * n);
    for (cs, block) in (&mut c8).zip(&mut m8) {
        let cs: &[T; 8] = cs.try_into().expect("8 coefficients");
        let r: [&[T]; 8] = std::array::from_fn(|q| &block[q * n..(q + 1) * n]);
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
pub fn axpy<T: Real>(alpha: T, x: &[T], y: &mut [T]) {
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
pub fn transpose_into<T: Real>(m: &[T], (rows, cols): (usize, usize), out: &mut Vec<T>) {
    let m = &m[..rows * cols];
    out.clear();
    out.reserve(rows * cols);
    for j in 0..cols {
        out.extend(m[j..].iter().step_by(cols));
    }
}

/// Σ v_i in 8 independent partial sums with a fixed reduction order (as [`dot`]),
/// so it vectorises and the result does not depend on the vector width.
#[inline(always)]
pub fn sum<T: Real>(v: &[T]) -> T {
    let mut acc = [T::ZERO; 8];
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
pub fn max_ignoring_nan<T: Real>(v: &[T]) -> T {
    let mut acc = [T::NEG_INFINITY; 8];
    let chunks = v.chunks_exact(8);
    let rest = chunks.remainder();
    for x in chunks {
        for k in 0..8 {
            acc[k] = if x[k] > acc[k] { x[k] } else { acc[k] };
        }
    }
    acc.into_iter()
        .chain(rest.iter().copied())
        .fold(T::NEG_INFINITY, |m, x| if x > m { x } else { m })
}

multiversion! {
/// Σ v_i² (fixed order, vectorised).
pub fn sum_squares(v: &[f64]) -> f64 {
    dot(v, v)
}
}

// Declared after `multiversion!` so both use it through macro_rules' textual scope.
mod exp;
mod gemm;
mod real;

pub use exp::{exp, softmax_row, tanh};
pub use gemm::{gemm_acc, gemm_acc_f32};
pub use real::Real;

/// A small deterministic generator for test data (no dependency on the engine's Rng).
#[cfg(test)]
pub(crate) fn lcg(state: &mut u64) -> f64 {
    *state = state
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    ((*state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(max_ignoring_nan::<f64>(&[]), f64::NEG_INFINITY);
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
                rows_times_passes::<f64, true>(&c, &m, &mut y);
            } else {
                rows_times_passes::<f64, false>(&c, &m, &mut y);
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
