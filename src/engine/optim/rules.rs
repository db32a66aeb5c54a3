//! The update rules on flat row-major slices (θ, g, old memory → new
//! memory, θ′), written once over [`Real`] (f64 here, f32 in the fast
//! training mode); the f64 entry points are compiled with [`multiversion!`]
//! so that native AVX2 builds and wasm give the same bits. Each returns
//! whether every new number is finite; [`super::Optimizer::step`] accepts the
//! step only then.

use crate::engine::kernels::{Real, multiversion};

/// θ′ = θ − lr·g.
#[inline(always)]
pub(crate) fn sgd_on<T: Real>(th: &[T], g: &[T], out: &mut [T], lr: T) -> bool {
    let mut ok = true;
    for ((o, &t), &gi) in out.iter_mut().zip(th).zip(g) {
        *o = t - lr * gi;
        ok &= o.is_finite();
    }
    ok
}

/// v′ = μ·v − lr·g;  θ′ = θ + v′ (v′ kept by [`Real::keep_in_memory`]).
#[inline(always)]
pub(crate) fn momentum_on<T: Real>(
    (th, g): (&[T], &[T]),
    (v0, v1): (&[T], &mut [T]),
    out: &mut [T],
    (lr, mu): (T, T),
) -> bool {
    let mut ok = true;
    for ((((o, &t), &gi), &v), vn) in out.iter_mut().zip(th).zip(g).zip(v0).zip(v1.iter_mut()) {
        let step = mu * v - lr * gi;
        *o = t + step;
        *vn = step.keep_in_memory();
        ok &= o.is_finite() & vn.is_finite();
    }
    ok
}

/// m′ = m + g²;  θ′ = θ − lr·g/√(m′ + eps).
#[inline(always)]
pub(crate) fn adagrad_on<T: Real>(
    (th, g): (&[T], &[T]),
    (m0, m1): (&[T], &mut [T]),
    out: &mut [T],
    (lr, eps): (T, T),
) -> bool {
    let mut ok = true;
    for ((((o, &t), &gi), &m), mn) in out.iter_mut().zip(th).zip(g).zip(m0).zip(m1.iter_mut()) {
        *mn = m + gi * gi;
        *o = t - lr * gi / (*mn + eps).sqrt();
        ok &= o.is_finite() & mn.is_finite();
    }
    ok
}

/// Adam's constants for one step: lr, β1, β2, eps and the bias corrections
/// c1 = 1−β1ᵗ, c2 = 1−β2ᵗ.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AdamStep<T> {
    pub lr: T,
    pub b1: T,
    pub b2: T,
    pub eps: T,
    pub c1: T,
    pub c2: T,
}

/// m′ = β1·m + (1−β1)·g;  v′ = β2·v + (1−β2)·g²;
/// θ′ = θ − lr·(m′/c1)/(√(v′/c2) + eps), with c1 = 1−β1ᵗ, c2 = 1−β2ᵗ (m′ and v′
/// kept by [`Real::keep_in_memory`]: no subnormals in f32).
#[inline(always)]
pub(crate) fn adam_on<T: Real>(
    (th, g): (&[T], &[T]),
    (m0, m1): (&[T], &mut [T]),
    (v0, v1): (&[T], &mut [T]),
    out: &mut [T],
    k: AdamStep<T>,
) -> bool {
    let mut ok = true;
    let n = out
        .len()
        .min(th.len())
        .min(g.len())
        .min(m0.len())
        .min(m1.len());
    for i in 0..n.min(v0.len()).min(v1.len()) {
        let gi = g[i];
        m1[i] = (k.b1 * m0[i] + (T::ONE - k.b1) * gi).keep_in_memory();
        v1[i] = (k.b2 * v0[i] + (T::ONE - k.b2) * gi * gi).keep_in_memory();
        let m_hat = m1[i] / k.c1;
        let v_hat = v1[i] / k.c2;
        out[i] = th[i] - k.lr * m_hat / (v_hat.sqrt() + k.eps);
        ok &= out[i].is_finite() & v1[i].is_finite();
    }
    ok
}

multiversion! {
/// [`sgd_on`] in f64.
pub(crate) fn sgd(th: &[f64], g: &[f64], out: &mut [f64], lr: f64) -> bool {
    sgd_on(th, g, out, lr)
}
}

multiversion! {
/// [`momentum_on`] in f64.
pub(crate) fn momentum(th: &[f64], g: &[f64], v0: &[f64], v1: &mut [f64], out: &mut [f64], lr: f64, mu: f64) -> bool {
    momentum_on((th, g), (v0, v1), out, (lr, mu))
}
}

multiversion! {
/// [`adagrad_on`] in f64.
pub(crate) fn adagrad(th: &[f64], g: &[f64], m0: &[f64], m1: &mut [f64], out: &mut [f64], lr: f64, eps: f64) -> bool {
    adagrad_on((th, g), (m0, m1), out, (lr, eps))
}
}

multiversion! {
/// [`adam_on`] in f64.
#[allow(clippy::too_many_arguments)]
pub(crate) fn adam(
    th: &[f64],
    g: &[f64],
    out: &mut [f64],
    m0: &[f64],
    m1: &mut [f64],
    v0: &[f64],
    v1: &mut [f64],
    lr: f64,
    b1: f64,
    b2: f64,
    eps: f64,
    c1: f64,
    c2: f64,
) -> bool {
    adam_on((th, g), (m0, m1), (v0, v1), out, AdamStep { lr, b1, b2, eps, c1, c2 })
}
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Neither zero nor a normal number.
    fn subnormal32(x: f32) -> bool {
        x != 0.0 && !x.is_normal()
    }

    /// Adam's and momentum's memory of a weight whose gradient is 0 from some step on
    /// decays by β1 (β2, μ) a step: in f32 it reaches 0 without stopping in the
    /// subnormals (where 0.9 × the smallest one rounds back to itself), and from then
    /// on the weight stays put; in f64 it keeps IEEE's values, as the float64 reference.
    #[test]
    fn f32_memories_decay_to_zero_without_subnormals_f64_keeps_ieee() {
        let k32 = AdamStep {
            lr: 0.01f32,
            b1: 0.9,
            b2: 0.999,
            eps: 1e-8,
            c1: 1.0,
            c2: 1.0,
        };
        let (th, g, zero) = ([0.5f32], [1e-3f32], [0.0f32]);
        let (mut m, mut v, mut out) = ([0.0f32], [0.0f32], [0.0f32]);
        let (mut m_next, mut v_next) = ([0.0f32], [0.0f32]);
        assert!(adam_on(
            (&th, &g),
            (&m, &mut m_next),
            (&v, &mut v_next),
            &mut out,
            k32
        ));
        (m, v) = (m_next, v_next);
        let mut seen_zero = None;
        for step in 0..3000 {
            assert!(adam_on(
                (&th, &zero),
                (&m, &mut m_next),
                (&v, &mut v_next),
                &mut out,
                k32
            ));
            (m, v) = (m_next, v_next);
            assert!(
                !subnormal32(m[0]) && !subnormal32(v[0]),
                "step {step}: m {:e} v {:e}",
                m[0],
                v[0]
            );
            if m[0] == 0.0 && seen_zero.is_none() {
                seen_zero = Some(step);
            }
            if seen_zero.is_some() {
                assert_eq!(out[0], th[0], "step {step}: m is 0 and stays 0");
            }
        }
        // 1e-4 · 0.9ⁿ < 2⁻¹²⁶ from n ≈ 743 on.
        let at = seen_zero.expect("m reaches 0");
        assert!((735..=750).contains(&at), "m reached 0 at step {at}");

        let (mut vel, mut vel_next) = ([0.0f32], [0.0f32]);
        assert!(momentum_on(
            (&th, &g),
            (&vel, &mut vel_next),
            &mut out,
            (0.01, 0.9)
        ));
        vel = vel_next;
        for step in 0..2000 {
            assert!(momentum_on(
                (&th, &zero),
                (&vel, &mut vel_next),
                &mut out,
                (0.01, 0.9)
            ));
            vel = vel_next;
            assert!(!subnormal32(vel[0]), "step {step}: v {:e}", vel[0]);
        }
        assert_eq!(vel[0], 0.0);

        // f64: the same decay passes into the subnormals and stays among the smallest.
        let k64 = AdamStep {
            lr: 0.01f64,
            b1: 0.9,
            b2: 0.999,
            eps: 1e-8,
            c1: 1.0,
            c2: 1.0,
        };
        let (mut m, mut v, mut out) = ([1e-300f64], [1e-6f64], [0.0f64]);
        let (mut m_next, mut v_next) = ([0.0f64], [0.0f64]);
        for _ in 0..1000 {
            assert!(adam_on(
                (&[0.5], &[0.0]),
                (&m, &mut m_next),
                (&v, &mut v_next),
                &mut out,
                k64
            ));
            (m, v) = (m_next, v_next);
        }
        // A few times 2⁻¹⁰⁷⁴, where 0.9·m rounds back to m.
        assert!(
            m[0] > 0.0 && m[0] < 1e-322,
            "f64 keeps IEEE's subnormals: m = {:e}",
            m[0]
        );
        assert_eq!(out[0], 0.5);
    }
}
