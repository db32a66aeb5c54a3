//! The fast mode's two hot kernels, the matrix product and the mat-vec, in f32.
//!
//! In wasm they are written with simd128's four-lane f32 vectors (`f32x4`)
//! rather than left to the auto-vectoriser, so every multiply-add really uses
//! four lanes and the tails of the rows stay short; where the build has
//! relaxed SIMD (`-C target-feature=+relaxed-simd`, the second build of
//! scripts/build, `www/pkg-relaxed`) each multiply-add is one
//! `f32x4.relaxed_madd`, which the browser may fuse (one rounding instead of
//! two). Natively they are the generic kernels of [`crate::engine::kernels`].
//!
//! Without relaxed SIMD the wasm kernels sum in the order of the generic ones
//! with the same roundings, so they give the same bits (a wasm test checks it);
//! fused, the bits may differ from the unfused ones by rounding only, but are
//! fixed for one build on one machine (the page and its worker agree).

/// C += A·B for `dims = (m, k, n)`: C [m, n] and B [k, n] row-major, A [m, k] read as
/// `A[i, p] = a[i·rs + p·cs]` (see [`crate::engine::kernels::gemm_acc`]).
#[inline(always)]
pub fn gemm_acc(
    dims: (usize, usize, usize),
    a: &[f32],
    strides: (usize, usize),
    b: &[f32],
    c: &mut [f32],
) {
    #[cfg(target_arch = "wasm32")]
    wasm::gemm_acc(dims, a, strides, b, c);
    #[cfg(not(target_arch = "wasm32"))]
    crate::engine::kernels::gemm_acc_f32(dims, a, strides, b, c);
}

/// y += Σ_j c_j·M\[j\] over the rows M\[j\] of `m` (\[len(c), len(y)\], row-major), the
/// rows added in order j = 0, 1, … (see [`crate::engine::kernels::rows_times`]).
#[inline(always)]
pub fn rows_times(c: &[f32], m: &[f32], y: &mut [f32]) {
    #[cfg(target_arch = "wasm32")]
    wasm::rows_times(c, m, y);
    #[cfg(not(target_arch = "wasm32"))]
    crate::engine::kernels::rows_times(c, m, y);
}

/// `out` ← Mᵀ for M: [rows, cols] row-major (see [`crate::engine::kernels::transpose_into`]).
#[inline(always)]
pub fn transpose_into(m: &[f32], dims: (usize, usize), out: &mut Vec<f32>) {
    #[cfg(target_arch = "wasm32")]
    wasm::transpose_into(m, dims, out);
    #[cfg(not(target_arch = "wasm32"))]
    crate::engine::kernels::transpose_into(m, dims, out);
}

// Index loops over the tile's rows and vectors: the indices are the tile's coordinates.
#[cfg(target_arch = "wasm32")]
#[allow(clippy::needless_range_loop)]
pub mod wasm {
    use core::arch::wasm32::{f32x4, f32x4_splat, v128, v128_load, v128_store};

    /// acc + a·b in four lanes: one relaxed multiply-add where the build has relaxed
    /// SIMD, else a multiply then an add (the generic kernels' two roundings).
    #[inline(always)]
    fn madd(a: v128, b: v128, acc: v128) -> v128 {
        #[cfg(target_feature = "relaxed-simd")]
        {
            core::arch::wasm32::f32x4_relaxed_madd(a, b, acc)
        }
        #[cfg(not(target_feature = "relaxed-simd"))]
        {
            use core::arch::wasm32::{f32x4_add, f32x4_mul};
            f32x4_add(acc, f32x4_mul(a, b))
        }
    }

    /// The scalar form of [`madd`] for the tails (unfused: the tails are a few
    /// columns, and scalar wasm has no fused multiply-add).
    #[inline(always)]
    fn madd1(a: f32, b: f32, acc: f32) -> f32 {
        acc + a * b
    }

    /// Four lanes of `s` from `at` (bounds checked once by the slice).
    #[inline(always)]
    fn load(s: &[f32], at: usize) -> v128 {
        let four = &s[at..at + 4];
        // SAFETY: `four` is 4 f32 in bounds; wasm loads need no alignment.
        unsafe { v128_load(four.as_ptr().cast()) }
    }

    #[inline(always)]
    fn store(s: &mut [f32], at: usize, v: v128) {
        let four = &mut s[at..at + 4];
        // SAFETY: as in `load`.
        unsafe { v128_store(four.as_mut_ptr().cast(), v) }
    }

    /// Where the tile reads A: `A[i+r, p] = src[p·step + r]` for r < R. Either A packed
    /// (`step` = R) or, when A's rows are adjacent in memory (rs = 1: A is a transposed
    /// view, as dYᵀ and dAᵀ in BPTT), A itself from row i (`step` = cs): no copy.
    #[derive(Clone, Copy)]
    struct APanel<'a> {
        src: &'a [f32],
        step: usize,
    }

    /// One R×(4·V) tile of C at (i, j): R·V vector accumulators in registers
    /// while p runs over k.
    #[inline(always)]
    fn tile<const R: usize, const V: usize>(
        (k, n): (usize, usize),
        (i, j): (usize, usize),
        a: APanel,
        b: &[f32],
        c: &mut [f32],
    ) {
        let mut acc = [[f32x4_splat(0.0); V]; R];
        for (r, row) in acc.iter_mut().enumerate() {
            for (v, x) in row.iter_mut().enumerate() {
                *x = load(c, (i + r) * n + j + 4 * v);
            }
        }
        if k == 0 {
            return;
        }
        assert!(
            b.len() >= k * n && j + 4 * V <= n && a.src.len() >= (k - 1) * a.step + R,
            "gemm tile in bounds"
        );
        let (ap, bp) = (a.src.as_ptr(), b.as_ptr());
        for p in 0..k {
            // SAFETY: p < k, so src[p·step + r] (r < R) and b[p·n + j .. p·n + j + 4·V]
            // are in bounds (asserted above).
            unsafe {
                let b_p: [v128; V] =
                    std::array::from_fn(|v| v128_load(bp.add(p * n + j + 4 * v).cast()));
                let a_p = ap.add(p * a.step);
                for r in 0..R {
                    let a = f32x4_splat(*a_p.add(r));
                    for v in 0..V {
                        acc[r][v] = madd(a, b_p[v], acc[r][v]);
                    }
                }
            }
        }
        for (r, row) in acc.iter().enumerate() {
            for (v, &x) in row.iter().enumerate() {
                store(c, (i + r) * n + j + 4 * v, x);
            }
        }
    }

    /// `pack[p·4 + r] = A[i+r, p]` for A row-major with rows `rs` apart (cs = 1): 4×4
    /// blocks through registers, as [`transpose_into`] (packing element by element
    /// cost a tenth of the product at k = 100, n = 65), the last p one at a time.
    fn pack4_rows(a: &[f32], rs: usize, (i, k): (usize, usize), pack: &mut Vec<f32>) {
        use core::arch::wasm32::i32x4_shuffle;
        pack.clear();
        pack.resize(4 * k, 0.0);
        let k4 = k - k % 4;
        for p in (0..k4).step_by(4) {
            let [w, x, y, z]: [v128; 4] = std::array::from_fn(|r| load(a, (i + r) * rs + p));
            let wx_lo = i32x4_shuffle::<0, 4, 1, 5>(w, x);
            let wx_hi = i32x4_shuffle::<2, 6, 3, 7>(w, x);
            let yz_lo = i32x4_shuffle::<0, 4, 1, 5>(y, z);
            let yz_hi = i32x4_shuffle::<2, 6, 3, 7>(y, z);
            store(pack, p * 4, i32x4_shuffle::<0, 1, 4, 5>(wx_lo, yz_lo));
            store(pack, (p + 1) * 4, i32x4_shuffle::<2, 3, 6, 7>(wx_lo, yz_lo));
            store(pack, (p + 2) * 4, i32x4_shuffle::<0, 1, 4, 5>(wx_hi, yz_hi));
            store(pack, (p + 3) * 4, i32x4_shuffle::<2, 3, 6, 7>(wx_hi, yz_hi));
        }
        for p in k4..k {
            for r in 0..4 {
                pack[p * 4 + r] = a[(i + r) * rs + p];
            }
        }
    }

    /// Rows i..i+R of C: A's panel (read in place, or packed), then columns in
    /// tiles of 8, 4 and 1.
    #[inline(always)]
    fn rows<const R: usize>(
        (k, n): (usize, usize),
        i: usize,
        (a, (rs, cs)): (&[f32], (usize, usize)),
        a_pack: &mut Vec<f32>,
        b: &[f32],
        c: &mut [f32],
    ) {
        let panel = if k == 0 {
            APanel { src: &[], step: R }
        } else if rs == 1 {
            APanel {
                src: &a[i..],
                step: cs,
            }
        } else {
            if R == 4 && cs == 1 {
                pack4_rows(a, rs, (i, k), a_pack);
            } else {
                a_pack.clear();
                a_pack.extend(
                    (0..k)
                        .flat_map(|p| (0..R).map(move |r| (r, p)))
                        .map(|(r, p)| a[(i + r) * rs + p * cs]),
                );
            }
            APanel {
                src: a_pack,
                step: R,
            }
        };
        let mut j = 0;
        while j + 8 <= n {
            tile::<R, 2>((k, n), (i, j), panel, b, c);
            j += 8;
        }
        if j + 4 <= n {
            tile::<R, 1>((k, n), (i, j), panel, b, c);
            j += 4;
        }
        for j in j..n {
            if R == 4 {
                // The last columns (n mod 4 of them) four rows at a time: the panel holds
                // A[i..i+4, p] contiguous, so C[i..i+4, j] += A[i..i+4, p]·B[p, j] is one
                // vector multiply-add per p (scalar, it cost a fifth of the product at n = 65).
                let at = |r: usize| (i + r) * n + j;
                let mut t = f32x4(c[at(0)], c[at(1)], c[at(2)], c[at(3)]);
                for p in 0..k {
                    t = madd(
                        load(panel.src, p * panel.step),
                        f32x4_splat(b[p * n + j]),
                        t,
                    );
                }
                for r in 0..4 {
                    c[at(r)] = lane(t, r);
                }
                continue;
            }
            for r in 0..R {
                let mut t = c[(i + r) * n + j];
                for p in 0..k {
                    t = madd1(panel.src[p * panel.step + r], b[p * n + j], t);
                }
                c[(i + r) * n + j] = t;
            }
        }
    }

    /// Lane `r` (0..4) of `v`.
    #[inline(always)]
    fn lane(v: v128, r: usize) -> f32 {
        use core::arch::wasm32::f32x4_extract_lane;
        match r {
            0 => f32x4_extract_lane::<0>(v),
            1 => f32x4_extract_lane::<1>(v),
            2 => f32x4_extract_lane::<2>(v),
            _ => f32x4_extract_lane::<3>(v),
        }
    }

    /// See [`super::gemm_acc`]: rows of C in blocks of 4 (then 1), each a
    /// 4×8 tile of 8 vector accumulators (2 loads of B, 4 splats of A per p).
    pub fn gemm_acc(
        (m, k, n): (usize, usize, usize),
        a: &[f32],
        strides: (usize, usize),
        b: &[f32],
        c: &mut [f32],
    ) {
        assert!(
            b.len() >= k * n && c.len() >= m * n,
            "gemm_acc: B or C too short"
        );
        if m > 0 && k > 0 {
            assert!(
                a.len() > (m - 1) * strides.0 + (k - 1) * strides.1,
                "gemm_acc: A too short"
            );
        }
        let b = &b[..k * n];
        let mut a_pack = Vec::with_capacity(4 * k);
        let mut i = 0;
        while i + 4 <= m {
            rows::<4>((k, n), i, (a, strides), &mut a_pack, b, c);
            i += 4;
        }
        for i in i..m {
            rows::<1>((k, n), i, (a, strides), &mut a_pack, b, c);
        }
    }

    /// y\[q..q+4\] += Σ_j c_j·M\[j\]\[q..q+4\] over the R rows from `first`, in order.
    /// The loads go through raw pointers: the bounds are checked once here, not per
    /// load (a checked load per vector measured as slow as the auto-vectorised loop).
    #[inline(always)]
    fn rows_pass<const R: usize>(c: &[f32; R], m: &[f32], first: usize, y: &mut [f32]) {
        let n = y.len();
        let cs: [v128; R] = std::array::from_fn(|r| f32x4_splat(c[r]));
        let block = &m[first * n..(first + R) * n];
        let rows: [*const f32; R] = std::array::from_fn(|r| block[r * n..].as_ptr());
        let yp = y.as_mut_ptr();
        let mut q = 0;
        while q + 4 <= n {
            // SAFETY: q + 4 ≤ n, and y and each of the R rows of `block` hold n entries.
            unsafe {
                let y_q = v128_load(yp.add(q).cast());
                #[cfg(not(target_feature = "relaxed-simd"))]
                let t = {
                    let mut t = y_q;
                    for r in 0..R {
                        t = madd(cs[r], v128_load(rows[r].add(q).cast()), t);
                    }
                    t
                };
                // Fused, a multiply-add waits for the one before it (a longer latency than an
                // add's): two chains, even and odd rows, summed at the end (the order differs
                // from the unfused one, as the fused roundings already do).
                #[cfg(target_feature = "relaxed-simd")]
                let t = {
                    let (mut even, mut odd) = (y_q, f32x4_splat(0.0));
                    for r in (0..R).step_by(2) {
                        even = madd(cs[r], v128_load(rows[r].add(q).cast()), even);
                        if r + 1 < R {
                            odd = madd(cs[r + 1], v128_load(rows[r + 1].add(q).cast()), odd);
                        }
                    }
                    core::arch::wasm32::f32x4_add(even, odd)
                };
                v128_store(yp.add(q).cast(), t);
            }
            q += 4;
        }
        for q in q..n {
            let mut t = y[q];
            for r in 0..R {
                t = madd1(c[r], block[r * n + q], t);
            }
            y[q] = t;
        }
    }

    /// See [`super::rows_times`]: 8 rows per pass (y loaded and stored once per
    /// 8 multiply-adds), then 4, then 1.
    pub fn rows_times(c: &[f32], m: &[f32], y: &mut [f32]) {
        let n = y.len();
        if n == 0 {
            return;
        }
        let rows = c.len().min(m.len() / n);
        let mut j = 0;
        while j + 8 <= rows {
            let cs: &[f32; 8] = c[j..j + 8].try_into().expect("8 coefficients");
            rows_pass(cs, m, j, y);
            j += 8;
        }
        if j + 4 <= rows {
            let cs: &[f32; 4] = c[j..j + 4].try_into().expect("4 coefficients");
            rows_pass(cs, m, j, y);
            j += 4;
        }
        for j in j..rows {
            rows_pass(&[c[j]], m, j, y);
        }
    }

    /// See [`super::transpose_into`]: 4×4 blocks through registers (four loads, eight
    /// shuffles, four stores; element by element it took 5% of an iteration), the
    /// edges one at a time. Every entry of `out` is written once, so it is not zeroed
    /// first, and the blocks use unchecked pointers (checked loads and stores and the
    /// zeroing took half the transpose's time).
    pub fn transpose_into(m: &[f32], (rows, cols): (usize, usize), out: &mut Vec<f32>) {
        use core::arch::wasm32::i32x4_shuffle;
        let len = rows * cols;
        let m = &m[..len];
        out.clear();
        out.reserve(len);
        let (r4, c4) = (rows - rows % 4, cols - cols % 4);
        let (src, dst) = (m.as_ptr(), out.as_mut_ptr());
        // SAFETY: i + 3 < r4 ≤ rows and j + 3 < c4 ≤ cols, so every load reads inside
        // `m` (rows × cols) and every store writes inside `out`'s capacity (cols × rows).
        // The blocks write Mᵀ[j.., i..] for i < r4, j < c4; the loops after them write
        // the rest: every one of the `len` entries is written before set_len.
        unsafe {
            for i in (0..r4).step_by(4) {
                for j in (0..c4).step_by(4) {
                    let [a, b, c, d]: [v128; 4] =
                        std::array::from_fn(|q| v128_load(src.add((i + q) * cols + j).cast()));
                    // [a0 b0 a1 b1], [a2 b2 a3 b3], [c0 d0 c1 d1], [c2 d2 c3 d3] …
                    let ab_lo = i32x4_shuffle::<0, 4, 1, 5>(a, b);
                    let ab_hi = i32x4_shuffle::<2, 6, 3, 7>(a, b);
                    let cd_lo = i32x4_shuffle::<0, 4, 1, 5>(c, d);
                    let cd_hi = i32x4_shuffle::<2, 6, 3, 7>(c, d);
                    // … then column q of the block = row q of Mᵀ's block: [a_q b_q c_q d_q].
                    let at = |q: usize| dst.add((j + q) * rows + i).cast();
                    v128_store(at(0), i32x4_shuffle::<0, 1, 4, 5>(ab_lo, cd_lo));
                    v128_store(at(1), i32x4_shuffle::<2, 3, 6, 7>(ab_lo, cd_lo));
                    v128_store(at(2), i32x4_shuffle::<0, 1, 4, 5>(ab_hi, cd_hi));
                    v128_store(at(3), i32x4_shuffle::<2, 3, 6, 7>(ab_hi, cd_hi));
                }
            }
            for i in 0..rows {
                let from = if i < r4 { c4 } else { 0 };
                for j in from..cols {
                    *dst.add(j * rows + i) = m[i * cols + j];
                }
            }
            out.set_len(len);
        }
    }
}
