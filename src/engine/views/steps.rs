//! One time step's forward and backward numbers, the whole trace and the
//! gradients, as the page shows them.
//!
//! Steps t are 1-based as in the lecture (t = 1..T); row `t − 1` of the
//! per-step arrays of [`Trace`] belongs to step t, row `t` of `h`/`dh` is
//! h_t / dL/dh_t (row 0 is h_0).
//!
//! The terms of a sum are formed with the kernels the forward and backward
//! passes use ([`rows_times`]: a matrix–vector product as a sum of scaled
//! rows in a fixed order), so W_hhᵀ da_t here is, bit for bit, what BPTT
//! passed back to h_{t−1}.

use super::{check_step, rows, symbol, symbols};
use crate::engine::contributions::step_contribution;
use crate::engine::error::Result;
use crate::engine::kernels::{rows_times, transpose_into};
use crate::engine::{Gradients, PARAM_NAMES, Params, Trace, Vocab};
use ndarray::ArrayView1;
use serde::Serialize;

/// M v for `m: [rows, cols]` row-major, formed as Σ_j v_j·Mᵀ[j] (the
/// forward kernels' order): `v: [cols]` → `[rows]`.
fn mat_vec(m: &[f64], (r, c): (usize, usize), v: ArrayView1<f64>) -> Vec<f64> {
    let mut t = Vec::new();
    transpose_into(m, (r, c), &mut t);
    let mut out = vec![0.0; r];
    rows_times(&v.to_vec(), &t, &mut out);
    out
}

/// Mᵀ v for `m: [rows, cols]` row-major, formed as Σ_i v_i·M[i] (the
/// backward kernels' order): `v: [rows]` → `[cols]`.
fn mat_t_vec(m: &[f64], (_, c): (usize, usize), v: ArrayView1<f64>) -> Vec<f64> {
    let mut out = vec![0.0; c];
    rows_times(&v.to_vec(), m, &mut out);
    out
}

fn flat(m: &ndarray::Array2<f64>) -> (&[f64], (usize, usize)) {
    (m.as_slice().expect("standard layout"), m.dim())
}

/// Every number of the forward pass at step t.
///
/// ```text
/// a_t = W_xh x_t + W_hh h_{t-1} + b_h    h_t = f(a_t)
/// y_t = W_hy h_t + b_y                   p_t = softmax(y_t)   loss_t = −log p_t[target]
/// ```
/// Vectors: `x_t: [V]`, `h_prev, w_xh_x, w_hh_h, b_h, a_t, h_t: [H]`,
/// `w_hy_h, b_y, y_t, p_t: [V]`. `a_t`, `h_t`, `y_t`, `p_t` and `loss_t` are
/// the forward pass's own numbers; the terms agree with their sums to rounding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForwardSnapshot {
    pub t: usize,
    /// T, the number of steps.
    pub steps: usize,
    pub activation: &'static str,
    pub vocab: Vec<String>,
    /// The input symbol ("" at a step without input).
    pub input: String,
    /// Its index, None at a step without input (x_t = 0).
    pub input_index: Option<usize>,
    /// The target symbol, `None` on a step without a loss.
    pub target: Option<String>,
    pub target_index: Option<usize>,
    pub x_t: Vec<f64>,
    pub h_prev: Vec<f64>,
    pub w_xh_x: Vec<f64>,
    pub w_hh_h: Vec<f64>,
    pub b_h: Vec<f64>,
    pub a_t: Vec<f64>,
    pub h_t: Vec<f64>,
    pub w_hy_h: Vec<f64>,
    pub b_y: Vec<f64>,
    pub y_t: Vec<f64>,
    pub p_t: Vec<f64>,
    pub predicted: String,
    pub predicted_index: usize,
    /// Whether the predicted symbol is the target.
    pub correct: bool,
    /// loss_t = −log p_t\[target\] (0 on a step without a loss).
    pub loss_t: f64,
    /// Σ_{s ≤ t} loss_s.
    pub running_loss: f64,
    /// L = Σ_t loss_t over the whole sequence.
    pub loss: f64,
}

/// The forward snapshot at step t (1 ≤ t ≤ T) of `trace`, made with `params`.
pub fn forward_snapshot(
    params: &Params,
    trace: &Trace,
    vocab: &Vocab,
    t: usize,
) -> Result<ForwardSnapshot> {
    let steps = trace.len();
    check_step(t, steps)?;
    let s = t - 1;
    let x = trace.inputs[s];
    let target = trace.targets[s];
    let h_prev = trace.h.row(s);
    let h_t = trace.h.row(t);
    let predicted = crate::engine::forward::argmax(trace.p.row(s));
    let mut x_t = vec![0.0; params.vocab_size()];
    if let Some(x) = x {
        x_t[x] = 1.0;
    }
    let (w_hh, hh) = flat(&params.w_hh);
    let (w_hy, hy) = flat(&params.w_hy);
    Ok(ForwardSnapshot {
        t,
        steps,
        activation: trace.activation.name(),
        vocab: symbols(vocab),
        input: x.map(|x| symbol(vocab, x)).unwrap_or_default(),
        input_index: x,
        target: target.map(|k| symbol(vocab, k)),
        target_index: target,
        x_t,
        h_prev: h_prev.to_vec(),
        // W_xh x_t for a one-hot x_t is column x of W_xh: no arithmetic (0 with no input).
        w_xh_x: x.map_or_else(
            || vec![0.0; params.hidden()],
            |x| params.w_xh.column(x).to_vec(),
        ),
        w_hh_h: mat_vec(w_hh, hh, h_prev),
        b_h: params.b_h.to_vec(),
        a_t: trace.a.row(s).to_vec(),
        h_t: h_t.to_vec(),
        w_hy_h: mat_vec(w_hy, hy, h_t),
        b_y: params.b_y.to_vec(),
        y_t: trace.y.row(s).to_vec(),
        p_t: trace.p.row(s).to_vec(),
        predicted: symbol(vocab, predicted),
        predicted_index: predicted,
        correct: target == Some(predicted),
        loss_t: trace.losses[s],
        running_loss: trace.losses[..t].iter().sum(),
        loss: trace.loss,
    })
}

/// Every number of the backward pass at step t, going from t = T down to 1.
///
/// ```text
/// dy_t  = p_t − onehot(target_t)                       [V]
/// dh_t  = W_hyᵀ dy_t + W_hhᵀ da_{t+1}                  [H]   (second term 0 at t = T)
/// da_t  = dh_t ⊙ f′(a_t)                               [H]
/// to h_{t−1}: W_hhᵀ da_t                               [H]
/// step t's share of the shared-weight gradients:
///   dW_xh += da_t x_tᵀ [H,V],  dW_hh += da_t h_{t−1}ᵀ [H,H],  dW_hy += dy_t h_tᵀ [V,H]
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BackwardSnapshot {
    pub t: usize,
    pub steps: usize,
    pub dy_t: Vec<f64>,
    /// W_hyᵀ dy_t: what this step's own loss sends into h_t.
    pub dh_from_output: Vec<f64>,
    /// W_hhᵀ da_{t+1}: what arrives from the future (zero at t = T).
    pub dh_from_next: Vec<f64>,
    /// dL/dh_t, the sum of the two (BPTT's own number).
    pub dh_t: Vec<f64>,
    /// ‖dL/dh_t‖₂.
    pub dh_norm: f64,
    /// f′(a_t) per unit (1 − h_t² for tanh).
    pub f_prime: Vec<f64>,
    pub da_t: Vec<f64>,
    /// W_hhᵀ da_t: the gradient passed back to h_{t−1}.
    pub to_prev: Vec<f64>,
    pub dw_xh_t: Vec<Vec<f64>>,
    pub dw_hh_t: Vec<Vec<f64>>,
    pub dw_hy_t: Vec<Vec<f64>>,
}

/// The backward snapshot at step t (1 ≤ t ≤ T) from the engine's full BPTT
/// `grads` of `trace`.
pub fn backward_snapshot(
    params: &Params,
    trace: &Trace,
    grads: &Gradients,
    t: usize,
) -> Result<BackwardSnapshot> {
    let steps = trace.len();
    check_step(t, steps)?;
    let s = t - 1;
    let (w_hh, hh) = flat(&params.w_hh);
    let (w_hy, hy) = flat(&params.w_hy);
    let dy_t = grads.dy.row(s);
    let da_t = grads.da.row(s);
    let dh_t = grads.dh.row(t);
    let dh_from_next = if t < steps {
        mat_t_vec(w_hh, hh, grads.da.row(t))
    } else {
        vec![0.0; params.hidden()]
    };
    let f_prime = trace
        .a
        .row(s)
        .iter()
        .zip(trace.h.row(t))
        .map(|(&a, &h)| trace.activation.derivative(a, h))
        .collect();
    let share = step_contribution(trace, grads, t)?;
    Ok(BackwardSnapshot {
        t,
        steps,
        dy_t: dy_t.to_vec(),
        dh_from_output: mat_t_vec(w_hy, hy, dy_t),
        dh_from_next,
        dh_t: dh_t.to_vec(),
        dh_norm: dh_t.dot(&dh_t).sqrt(),
        f_prime,
        da_t: da_t.to_vec(),
        to_prev: mat_t_vec(w_hh, hh, da_t),
        dw_xh_t: rows(&share.w_xh),
        dw_hh_t: rows(&share.w_hh),
        dw_hy_t: rows(&share.w_hy),
    })
}

/// The whole forward trace, for views that draw every step at once.
/// `h: [T+1][H]` (row 0 = h_0), `a: [T][H]`, `y, p: [T][V]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceView {
    pub activation: &'static str,
    pub vocab: Vec<String>,
    pub steps: usize,
    /// Input index per step (None: no input).
    pub inputs: Vec<Option<usize>>,
    /// Input symbol per step ("" where there is none).
    pub input_chars: Vec<String>,
    pub targets: Vec<Option<usize>>,
    pub target_chars: Vec<Option<String>>,
    pub h: Vec<Vec<f64>>,
    pub a: Vec<Vec<f64>>,
    pub y: Vec<Vec<f64>>,
    pub p: Vec<Vec<f64>>,
    pub losses: Vec<f64>,
    pub loss: f64,
    pub predicted: Vec<usize>,
    pub predicted_chars: Vec<String>,
}

/// The trace as plain data.
pub fn trace_view(trace: &Trace, vocab: &Vocab) -> TraceView {
    let predicted = trace.predicted();
    TraceView {
        activation: trace.activation.name(),
        vocab: symbols(vocab),
        steps: trace.len(),
        input_chars: trace
            .inputs
            .iter()
            .map(|i| i.map(|i| symbol(vocab, i)).unwrap_or_default())
            .collect(),
        inputs: trace.inputs.clone(),
        target_chars: trace
            .targets
            .iter()
            .map(|t| t.map(|k| symbol(vocab, k)))
            .collect(),
        targets: trace.targets.clone(),
        h: rows(&trace.h),
        a: rows(&trace.a),
        y: rows(&trace.y),
        p: rows(&trace.p),
        losses: trace.losses.clone(),
        loss: trace.loss,
        predicted_chars: predicted.iter().map(|&i| symbol(vocab, i)).collect(),
        predicted,
    }
}

/// dL/dθ for the five tensors, their norms, and dL/dh_t for t = 0..T.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradientsView {
    /// Display names in storage order: W_xh, W_hh, W_hy, b_h, b_y.
    pub names: Vec<&'static str>,
    pub w_xh: Vec<Vec<f64>>,
    pub w_hh: Vec<Vec<f64>>,
    pub w_hy: Vec<Vec<f64>>,
    pub b_h: Vec<f64>,
    pub b_y: Vec<f64>,
    /// ‖dL/dθ‖ per tensor, same order as `names`.
    pub norms: Vec<f64>,
    pub global_norm: f64,
    /// dL/dh_t for t = 0..T: \[T+1\]\[H\].
    pub dh: Vec<Vec<f64>>,
    /// ‖dL/dh_t‖ for t = 0..T.
    pub dh_norms: Vec<f64>,
    pub loss: f64,
}

/// The gradients as plain data.
pub fn gradients_view(grads: &Gradients, loss: f64) -> GradientsView {
    let g = &grads.params;
    GradientsView {
        names: PARAM_NAMES.to_vec(),
        w_xh: rows(&g.w_xh),
        w_hh: rows(&g.w_hh),
        w_hy: rows(&g.w_hy),
        b_h: g.b_h.to_vec(),
        b_y: g.b_y.to_vec(),
        norms: g.norms().to_vec(),
        global_norm: g.global_norm(),
        dh: rows(&grads.dh),
        dh_norms: grads.dh_norms(),
        loss,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Session, SessionConfig};

    fn session(bias: bool) -> Session {
        let mut c = SessionConfig::default();
        c.model.hidden = 5;
        c.model.bias = bias;
        c.model.bias_scale = if bias { 0.3 } else { 0.0 };
        Session::new(c).unwrap()
    }

    #[test]
    fn forward_terms_add_up_to_the_engines_numbers() {
        for bias in [false, true] {
            let s = session(bias);
            let trace = s.trace();
            for t in 1..=trace.len() {
                let f = forward_snapshot(s.params(), &trace, s.vocab(), t).unwrap();
                for i in 0..f.a_t.len() {
                    let sum = f.w_xh_x[i] + f.w_hh_h[i] + f.b_h[i];
                    assert!((sum - f.a_t[i]).abs() < 1e-15, "a_t[{i}] at t={t}");
                }
                for k in 0..f.y_t.len() {
                    assert!((f.w_hy_h[k] + f.b_y[k] - f.y_t[k]).abs() < 1e-15);
                }
                assert_eq!(f.x_t.iter().sum::<f64>(), 1.0);
                assert_eq!(f.x_t[f.input_index.unwrap()], 1.0);
                assert_eq!(f.h_t, trace.h.row(t).to_vec());
            }
            assert!(forward_snapshot(s.params(), &trace, s.vocab(), 0).is_err());
            assert!(forward_snapshot(s.params(), &trace, s.vocab(), 5).is_err());
        }
    }

    #[test]
    fn backward_terms_are_bptts_own_numbers() {
        let s = session(true);
        let (trace, grads) = (s.trace(), s.gradients());
        let steps = trace.len();
        let mut total = Params::zeros(s.vocab().len(), 5);
        for t in (1..=steps).rev() {
            let b = backward_snapshot(s.params(), &trace, &grads, t).unwrap();
            // What step t passes back is, to the bit, what step t−1 receives from the future.
            if t > 1 {
                let prev = backward_snapshot(s.params(), &trace, &grads, t - 1).unwrap();
                assert_eq!(prev.dh_from_next, b.to_prev);
            } else {
                assert_eq!(b.to_prev, grads.h0.to_vec(), "dL/dh_0 = W_hhᵀ da_1");
            }
            for i in 0..5 {
                let sum = b.dh_from_output[i] + b.dh_from_next[i];
                assert!((sum - b.dh_t[i]).abs() < 1e-15);
                assert_eq!(b.da_t[i], b.dh_t[i] * b.f_prime[i]);
            }
            let c = step_contribution(&trace, &grads, t).unwrap();
            total.add_assign(&c);
        }
        let err = (&total.w_hh - &grads.params.w_hh)
            .iter()
            .fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(err < 1e-14);
    }

    #[test]
    fn trace_and_gradient_views_carry_the_engines_arrays() {
        let s = session(false);
        let (trace, grads) = (s.trace(), s.gradients());
        let v = trace_view(&trace, s.vocab());
        assert_eq!(v.steps, 4);
        assert_eq!(v.input_chars, ["h", "e", "l", "l"]);
        assert_eq!(v.h.len(), 5);
        assert_eq!(v.loss, trace.loss);
        let g = gradients_view(&grads, trace.loss);
        assert_eq!(g.dh_norms.len(), 5);
        assert_eq!(g.global_norm, grads.params.global_norm());
    }
}
