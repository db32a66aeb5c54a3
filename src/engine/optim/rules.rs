//! The update rules on flat row-major slices (θ, g, old memory → new
//! memory, θ′), each compiled with [`multiversion!`] so that native AVX2
//! builds and wasm give the same bits. Each returns whether every new number
//! is finite; [`super::Optimizer::step`] accepts the step only then.

use crate::engine::kernels::multiversion;

multiversion! {
/// θ′ = θ − lr·g.
pub(crate) fn sgd(th: &[f64], g: &[f64], out: &mut [f64], lr: f64) -> bool {
    let mut ok = true;
    for ((o, &t), &gi) in out.iter_mut().zip(th).zip(g) {
        *o = t - lr * gi;
        ok &= o.is_finite();
    }
    ok
}
}

multiversion! {
/// v′ = μ·v − lr·g;  θ′ = θ + v′.
pub(crate) fn momentum(th: &[f64], g: &[f64], v0: &[f64], v1: &mut [f64], out: &mut [f64], lr: f64, mu: f64) -> bool {
    let mut ok = true;
    for ((((o, &t), &gi), &v), vn) in out.iter_mut().zip(th).zip(g).zip(v0).zip(v1.iter_mut()) {
        *vn = mu * v - lr * gi;
        *o = t + *vn;
        ok &= o.is_finite() & vn.is_finite();
    }
    ok
}
}

multiversion! {
/// m′ = m + g²;  θ′ = θ − lr·g/√(m′ + eps).
pub(crate) fn adagrad(th: &[f64], g: &[f64], m0: &[f64], m1: &mut [f64], out: &mut [f64], lr: f64, eps: f64) -> bool {
    let mut ok = true;
    for ((((o, &t), &gi), &m), mn) in out.iter_mut().zip(th).zip(g).zip(m0).zip(m1.iter_mut()) {
        *mn = m + gi * gi;
        *o = t - lr * gi / (*mn + eps).sqrt();
        ok &= o.is_finite() & mn.is_finite();
    }
    ok
}
}

multiversion! {
/// m′ = β1·m + (1−β1)·g;  v′ = β2·v + (1−β2)·g²;
/// θ′ = θ − lr·(m′/c1)/(√(v′/c2) + eps), with c1 = 1−β1ᵗ, c2 = 1−β2ᵗ.
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
    let mut ok = true;
    for i in 0..out.len().min(th.len()).min(g.len()).min(m0.len()).min(m1.len()).min(v0.len()).min(v1.len()) {
        let gi = g[i];
        m1[i] = b1 * m0[i] + (1.0 - b1) * gi;
        v1[i] = b2 * v0[i] + (1.0 - b2) * gi * gi;
        let m_hat = m1[i] / c1;
        let v_hat = v1[i] / c2;
        out[i] = th[i] - lr * m_hat / (v_hat.sqrt() + eps);
        ok &= out[i].is_finite() & v1[i].is_finite();
    }
    ok
}
}
