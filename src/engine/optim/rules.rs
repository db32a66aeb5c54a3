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

/// v′ = μ·v − lr·g;  θ′ = θ + v′.
#[inline(always)]
pub(crate) fn momentum_on<T: Real>(
    (th, g): (&[T], &[T]),
    (v0, v1): (&[T], &mut [T]),
    out: &mut [T],
    (lr, mu): (T, T),
) -> bool {
    let mut ok = true;
    for ((((o, &t), &gi), &v), vn) in out.iter_mut().zip(th).zip(g).zip(v0).zip(v1.iter_mut()) {
        *vn = mu * v - lr * gi;
        *o = t + *vn;
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
/// θ′ = θ − lr·(m′/c1)/(√(v′/c2) + eps), with c1 = 1−β1ᵗ, c2 = 1−β2ᵗ.
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
        m1[i] = k.b1 * m0[i] + (T::ONE - k.b1) * gi;
        v1[i] = k.b2 * v0[i] + (T::ONE - k.b2) * gi * gi;
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
