//! The matrix product C += A·B with a tile of C held in registers, summing
//! every entry in the order of the naive triple loop (same bits on every path).
//! Written once over [`Real`]: [`gemm_acc`] (f64) and [`gemm_acc_f32`].

use super::Real;

/// One R×W tile of C += A·B (see [`gemm_acc`]): C[i..i+R, j..j+W] is held in
/// registers while p runs over all of k, so each B row segment is loaded once
/// for R rows of C and C is loaded and stored once per tile, not once per p.
/// `a_pack[p·R + r] = A[i+r, p]`; `b`'s rows have n entries.
#[inline(always)]
fn gemm_tile<T: Real, const R: usize, const W: usize>(
    n: usize,
    (i, j): (usize, usize),
    a_pack: &[T],
    b: &[T],
    c: &mut [T],
) {
    let mut acc = [[T::ZERO; W]; R];
    for (r, row) in acc.iter_mut().enumerate() {
        row.copy_from_slice(&c[(i + r) * n + j..(i + r) * n + j + W]);
    }
    for (ap, b_row) in a_pack.chunks_exact(R).zip(b.chunks_exact(n)) {
        let ap: &[T; R] = ap.try_into().expect("R entries");
        let bp: &[T; W] = b_row[j..j + W].try_into().expect("W entries");
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
/// hidden. The shape changes no result. f32 has twice the lanes, so twice the
/// columns: the same number of vector accumulators.
#[cfg(target_arch = "wasm32")]
const GEMM_TILE: (usize, usize) = (4, 4);
#[cfg(not(target_arch = "wasm32"))]
const GEMM_TILE: (usize, usize) = (4, 16);
const GEMM_TILE_F32: (usize, usize) = (GEMM_TILE.0, 2 * GEMM_TILE.1);

/// Rows i..i+R of C: A's rows packed column by column (`a_pack[p·R + r]`),
/// then the columns in tiles of W, 2 and 1.
#[inline(always)]
fn gemm_rows<T: Real, const R: usize, const W: usize>(
    (k, n): (usize, usize),
    i: usize,
    (a, (rs, cs)): (&[T], (usize, usize)),
    a_pack: &mut Vec<T>,
    b: &[T],
    c: &mut [T],
) {
    a_pack.clear();
    for p in 0..k {
        for r in 0..R {
            a_pack.push(a[(i + r) * rs + p * cs]);
        }
    }
    let mut j = 0;
    while j + W <= n {
        gemm_tile::<T, R, W>(n, (i, j), a_pack, b, c);
        j += W;
    }
    while j + 2 <= n {
        gemm_tile::<T, R, 2>(n, (i, j), a_pack, b, c);
        j += 2;
    }
    if j < n {
        gemm_tile::<T, R, 1>(n, (i, j), a_pack, b, c);
    }
}

/// C += A·B over any [`Real`], in tiles of R×W (see [`gemm_acc`]).
#[inline(always)]
fn gemm_on<T: Real, const R: usize, const W: usize>(
    dims: (usize, usize, usize),
    a: &[T],
    strides: (usize, usize),
    b: &[T],
    c: &mut [T],
) {
    let (m, k, n) = dims;
    assert!(
        b.len() >= k * n && c.len() >= m * n,
        "gemm_acc: B or C too short"
    );
    if m > 0 && k > 0 {
        let (rs, cs) = strides;
        assert!(
            a.len() > (m - 1) * rs + (k - 1) * cs,
            "gemm_acc: A too short"
        );
    }
    let b = &b[..k * n];
    let mut a_pack = Vec::with_capacity(k * R);
    let mut i = 0;
    while i + R <= m {
        gemm_rows::<T, R, W>((k, n), i, (a, strides), &mut a_pack, b, c);
        i += R;
    }
    while i < m {
        gemm_rows::<T, 1, W>((k, n), i, (a, strides), &mut a_pack, b, c);
        i += 1;
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
/// in tiles of `GEMM_TILE`, each tile accumulating in registers.
pub fn gemm_acc(
    dims: (usize, usize, usize),
    a: &[f64],
    strides: (usize, usize),
    b: &[f64],
    c: &mut [f64],
) {
    gemm_on::<f64, { GEMM_TILE.0 }, { GEMM_TILE.1 }>(dims, a, strides, b, c)
}
}

multiversion! {
/// [`gemm_acc`] in f32 (the fast training mode), in tiles of `GEMM_TILE_F32`.
pub fn gemm_acc_f32(
    dims: (usize, usize, usize),
    a: &[f32],
    strides: (usize, usize),
    b: &[f32],
    c: &mut [f32],
) {
    gemm_on::<f32, { GEMM_TILE_F32.0 }, { GEMM_TILE_F32.1 }>(dims, a, strides, b, c)
}
}

#[cfg(test)]
mod tests {
    use super::super::lcg;
    use super::*;

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
}
