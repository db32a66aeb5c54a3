//! Plain-data views of one forward trace and its BPTT gradients, shaped for
//! the page: everything a view shows at step t, already computed.
//!
//! Steps t are 1-based as in the lecture (t = 1..T); row `t − 1` of the
//! per-step arrays of [`Trace`] belongs to step t, row `t` of `h`/`dh` is
//! h_t / dL/dh_t (row 0 is h_0).

use crate::engine::{EngineError, Gradients, Params, Result, Trace, Vocab};
use ndarray::{Array1, Array2, ArrayView1};
use serde::Serialize;

/// Rows of a matrix as nested vectors (row-major, as the fixtures store them).
pub fn rows(m: &Array2<f64>) -> Vec<Vec<f64>> {
    m.rows().into_iter().map(|r| r.to_vec()).collect()
}

fn symbol(vocab: &Vocab, i: usize) -> String {
    vocab.symbol(i).map(String::from).unwrap_or_default()
}

/// Checks 1 ≤ t ≤ T.
pub fn check_step(t: usize, steps: usize) -> Result<usize> {
    if (1..=steps).contains(&t) {
        Ok(t)
    } else {
        Err(EngineError::Invalid(format!(
            "step t must be between 1 and {steps}, got {t}"
        )))
    }
}

/// Every number of the forward pass at step t.
///
/// ```text
/// a_t = W_xh x_t + W_hh h_{t-1} + b_h    h_t = f(a_t)
/// y_t = W_hy h_t + b_y                   p_t = softmax(y_t)   loss_t = −log p_t[target]
/// ```
/// Vectors: `x_t: [V]`, `h_prev, w_xh_x, w_hh_h, b_h, a_t, h_t: [H]`,
/// `w_hy_h, b_y, y_t, p_t: [V]`.
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

/// The forward snapshot at step t (1 ≤ t ≤ T).
///
/// The two matrix–vector products are formed here so that the page can show
/// each term of a_t; their sum with b_h equals the engine's a_t.
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
    let mut x_t = Array1::<f64>::zeros(params.vocab_size());
    if let Some(x) = x {
        x_t[x] = 1.0;
    }
    Ok(ForwardSnapshot {
        t,
        steps,
        activation: trace.activation.name(),
        vocab: vocab.symbols().iter().map(|c| c.to_string()).collect(),
        input: x.map(|x| symbol(vocab, x)).unwrap_or_default(),
        input_index: x,
        target: target.map(|k| symbol(vocab, k)),
        target_index: target,
        x_t: x_t.to_vec(),
        h_prev: h_prev.to_vec(),
        w_xh_x: params.w_xh.dot(&x_t).to_vec(),
        w_hh_h: params.w_hh.dot(&h_prev).to_vec(),
        b_h: params.b_h.to_vec(),
        a_t: trace.a.row(s).to_vec(),
        h_t: h_t.to_vec(),
        w_hy_h: params.w_hy.dot(&h_t).to_vec(),
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
    /// dL/dh_t, the sum of the two.
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

fn outer(a: ArrayView1<f64>, b: ArrayView1<f64>) -> Vec<Vec<f64>> {
    a.iter()
        .map(|&ai| b.iter().map(|&bj| ai * bj).collect())
        .collect()
}

/// The backward snapshot at step t (1 ≤ t ≤ T) from the engine's full BPTT.
pub fn backward_snapshot(
    params: &Params,
    trace: &Trace,
    grads: &Gradients,
    t: usize,
) -> Result<BackwardSnapshot> {
    let steps = trace.len();
    check_step(t, steps)?;
    let s = t - 1;
    let dy_t = grads.dy.row(s);
    let da_t = grads.da.row(s);
    let dh_t = grads.dh.row(t);
    let dh_from_next = if t < steps {
        params.w_hh.t().dot(&grads.da.row(t))
    } else {
        Array1::zeros(params.hidden())
    };
    let f_prime: Vec<f64> = trace
        .a
        .row(s)
        .iter()
        .zip(trace.h.row(t))
        .map(|(&a, &h)| trace.activation.derivative(a, h))
        .collect();
    let mut x_t = Array1::<f64>::zeros(params.vocab_size());
    if let Some(x) = trace.inputs[s] {
        x_t[x] = 1.0;
    }
    Ok(BackwardSnapshot {
        t,
        steps,
        dy_t: dy_t.to_vec(),
        dh_from_output: params.w_hy.t().dot(&dy_t).to_vec(),
        dh_from_next: dh_from_next.to_vec(),
        dh_t: dh_t.to_vec(),
        dh_norm: dh_t.dot(&dh_t).sqrt(),
        f_prime,
        da_t: da_t.to_vec(),
        to_prev: params.w_hh.t().dot(&da_t).to_vec(),
        dw_xh_t: outer(da_t, x_t.view()),
        dw_hh_t: outer(da_t, trace.h.row(s)),
        dw_hy_t: outer(dy_t, trace.h.row(t)),
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
        vocab: vocab.symbols().iter().map(|c| c.to_string()).collect(),
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
        names: crate::engine::PARAM_NAMES.to_vec(),
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
