//! Backpropagation through time, full and truncated.
//!
//! Going back from t = T to 1, with dy_t = p_t − onehot(target_t) on scored steps:
//!
//! ```text
//! dh_t = W_hyᵀ dy_t + W_hhᵀ da_{t+1}       total gradient reaching h_t   [H]
//! da_t = dh_t ⊙ f′(a_t)                    gradient at the pre-activation [H]
//! dW_hh = Σ_t da_t h_{t−1}ᵀ,  dW_xh = Σ_t da_t x_tᵀ,  db_h = Σ_t da_t
//! dW_hy = Σ_t dy_t h_tᵀ,      db_y = Σ_t dy_t,        dL/dh_0 = W_hhᵀ da_1
//! ```
//!
//! Masks: an unscored step has dy_t = 0 (it still passes on what reaches h_t
//! from later steps); a step without input has x_t = 0, so it adds nothing
//! to dW_xh.
//!
//! The weight gradients are summed over steps because the same W is used at
//! every step. They are formed after the recurrent loop as matrix products
//! over the whole window (`dW_hh = dAᵀ H_prev`, [`gemm_acc`]), which is much
//! faster than T outer products.

use super::activation::Activation;
use super::error::{EngineError, Result};
use super::forward::Trace;
use super::kernels::{gemm_acc, multiversion, rows_times, with_scratch};
use super::params::Params;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, s};

/// What full BPTT computed.
#[derive(Debug, Clone, PartialEq)]
pub struct Gradients {
    /// dL/dθ for the five tensors (unclipped).
    pub params: Params,
    /// dL/dh_0: \[H\].
    pub h0: Array1<f64>,
    /// dh\[t\] = dL/dh_t for t = 0..T: \[T+1, H\] (row 0 equals `h0`).
    pub dh: Array2<f64>,
    /// da_t = dL/da_t: [T, H] (row s is t = s+1).
    pub da: Array2<f64>,
    /// dy_t = dL/dy_t = p_t − onehot(target_t), zero on unscored steps: [T, V].
    pub dy: Array2<f64>,
}

impl Gradients {
    /// ‖dh\[t\]‖₂ for t = 0..T.
    pub fn dh_norms(&self) -> Vec<f64> {
        self.dh
            .rows()
            .into_iter()
            .map(|r| r.dot(&r).sqrt())
            .collect()
    }
}

/// dL/dy for every step: p_t − onehot(target_t), or 0 where no target: [T, V].
pub fn output_gradients(trace: &Trace) -> Array2<f64> {
    let mut dy = trace.p.clone();
    for (s, target) in trace.targets.iter().enumerate() {
        match target {
            Some(k) => dy[[s, *k]] -= 1.0,
            None => dy.row_mut(s).fill(0.0),
        }
    }
    dy
}

/// Back-propagates the losses of steps `loss_from+1 ..= end` through the
/// steps `start+1 ..= end`, holding h_start constant (t are 1-based steps,
/// 0 ≤ start ≤ loss_from < end ≤ T).
///
/// Adds the parameter gradients into `grads`, writes dh_t and da_t for the
/// window's steps into `dh`/`da` when given, and returns dL/dh_start, the
/// gradient that flows out of the window (and that truncation discards).
pub(crate) fn backward_window(
    params: &Params,
    trace: &Trace,
    dy: &Array2<f64>,
    (start, loss_from, end): (usize, usize, usize),
    grads: &mut Params,
    mut dh_out: Option<&mut Array2<f64>>,
    da_out: Option<&mut Array2<f64>>,
) -> Array1<f64> {
    let (hidden, vocab) = (params.hidden(), params.vocab_size());
    let n = end - start;
    let mut carry = Array1::<f64>::zeros(hidden);
    with_scratch(|buf| {
        // The window's temporaries in one reused buffer: dY, dY W_hy, dA, dH, [n, ·] each.
        buf.clear();
        buf.resize(n * (vocab + 3 * hidden), 0.0);
        let (dy_w, rest) = buf.split_at_mut(n * vocab);
        let (dh_from_y, rest) = rest.split_at_mut(n * hidden);
        let (da_w, dh_w) = rest.split_at_mut(n * hidden);
        // Rows of the window: steps start+1..=end are rows start..end; only the
        // losses from step loss_from+1 on are back-propagated.
        let skip = (loss_from - start) * vocab;
        dy_w[skip..].copy_from_slice(
            dy.slice(s![loss_from..end, ..])
                .as_slice()
                .expect("contiguous rows"),
        );
        let h_out = trace.h.slice(s![start + 1..end + 1, ..]);
        let h_out = h_out.as_slice().expect("contiguous rows");
        let h_prev = trace.h.slice(s![start..end, ..]);
        let h_prev = h_prev.as_slice().expect("contiguous rows");

        // dW_hy += dYᵀ H_{start+1..end}: A = dYᵀ read from dY with strides (1, V).
        gemm_acc(
            (vocab, n, hidden),
            dy_w,
            (1, vocab),
            h_out,
            grads.w_hy.as_slice_mut().expect("standard layout"),
        );
        for row in dy_w.chunks_exact(vocab) {
            grads.b_y += &ArrayView1::from(row);
        }
        // What each step's own output sends back into h_t, for all steps at once: dY W_hy.
        gemm_acc(
            (n, vocab, hidden),
            dy_w,
            (vocab, 1),
            params.w_hy.as_slice().expect("standard layout"),
            dh_from_y,
        );
        recurrence_backward(
            params.w_hh.as_slice().expect("standard layout"),
            dh_from_y,
            trace
                .a
                .slice(s![start..end, ..])
                .as_slice()
                .expect("contiguous rows"),
            h_out,
            trace.activation,
            dh_w,
            da_w,
            carry.as_slice_mut().expect("standard layout"),
        );
        let da_view = ArrayView2::from_shape((n, hidden), &*da_w).expect("n×H");
        if let Some(dh) = dh_out.as_deref_mut() {
            let dh_view = ArrayView2::from_shape((n, hidden), &*dh_w).expect("n×H");
            dh.slice_mut(s![start + 1..end + 1, ..]).assign(&dh_view);
        }
        // dW_hh += dAᵀ H_{start..end−1}: A = dAᵀ read from dA with strides (1, H).
        gemm_acc(
            (hidden, n, hidden),
            da_w,
            (1, hidden),
            h_prev,
            grads.w_hh.as_slice_mut().expect("standard layout"),
        );
        for (r, da_row) in da_view.rows().into_iter().enumerate() {
            grads.b_h += &da_row;
            // da_t x_tᵀ is da_t in column x_t, and nothing when x_t = 0.
            if let Some(x) = trace.inputs[start + r] {
                let mut col = grads.w_xh.column_mut(x);
                col += &da_row;
            }
        }
        if let Some(da) = da_out {
            da.slice_mut(s![start..end, ..]).assign(&da_view);
        }
    });
    if let Some(dh) = dh_out {
        dh.row_mut(start).assign(&carry);
    }
    carry
}

multiversion! {
/// The backward recurrence over one window of n steps, on flat row-major
/// buffers (`dh_from_y, a, h, dh, da: [n, H]`, row r = step start+1+r), from
/// the last step back to the first:
/// `dh_t = W_hyᵀ dy_t + carry`, `da_t = dh_t ⊙ f′(a_t)`, `carry = W_hhᵀ da_t`.
/// On return `carry` holds W_hhᵀ da_{start+1} = dL/dh_start.
///
/// W_hhᵀ da is formed as a sum of the rows of W_hh scaled by da_i, so every
/// inner loop is contiguous and element-wise (vectorised, width-independent).
#[allow(clippy::too_many_arguments)]
fn recurrence_backward(
    w_hh: &[f64],
    dh_from_y: &[f64],
    a: &[f64],
    h: &[f64],
    activation: Activation,
    dh: &mut [f64],
    da: &mut [f64],
    carry: &mut [f64],
) {
    let hidden = carry.len();
    carry.fill(0.0);
    for r in (0..dh.len() / hidden).rev() {
        let row = r * hidden..(r + 1) * hidden;
        let dh_t = &mut dh[row.clone()];
        for ((d, &y), &c) in dh_t.iter_mut().zip(&dh_from_y[row.clone()]).zip(carry.iter()) {
            *d = y + c;
        }
        let da_t = &mut da[row.clone()];
        let (a_t, h_t) = (&a[row.clone()], &h[row]);
        match activation {
            // Hoisted so each loop is branch-free.
            Activation::Tanh => {
                for ((d, &g), &hv) in da_t.iter_mut().zip(dh_t.iter()).zip(h_t) {
                    *d = g * (1.0 - hv * hv);
                }
            }
            _ => {
                for (((d, &g), &av), &hv) in da_t.iter_mut().zip(dh_t.iter()).zip(a_t).zip(h_t) {
                    *d = g * activation.derivative(av, hv);
                }
            }
        }
        carry.fill(0.0);
        rows_times(da_t, w_hh, carry);
    }
}
}

/// Full BPTT over the whole trace.
pub fn backward(params: &Params, trace: &Trace) -> Gradients {
    let steps = trace.len();
    let mut grads = Params::zeros(params.vocab_size(), params.hidden());
    let mut dh = Array2::zeros((steps + 1, params.hidden()));
    let mut da = Array2::zeros((steps, params.hidden()));
    let dy = output_gradients(trace);
    let h0 = backward_window(
        params,
        trace,
        &dy,
        (0, 0, steps),
        &mut grads,
        Some(&mut dh),
        Some(&mut da),
    );
    Gradients {
        params: grads,
        h0,
        dh,
        da,
        dy,
    }
}

/// One window of truncated BPTT.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Segment {
    /// State index the gradient stops at (h_start is held constant).
    pub start: usize,
    /// Losses of steps loss_from+1..=end are back-propagated in this window.
    pub loss_from: usize,
    /// Last step of the window (inclusive, 1-based).
    pub end: usize,
    /// Σ loss_t over the window's scored steps.
    pub loss: f64,
    /// dL_window/dh_start: the gradient truncation throws away.
    pub dh_start: Vec<f64>,
}

/// What truncated BPTT computed.
#[derive(Debug, Clone, PartialEq)]
pub struct TruncatedGradients {
    /// Σ over windows of the parameter gradients.
    pub params: Params,
    /// Σ over windows of the gradient reaching each h_t inside a window: [T+1, H].
    pub dh: Array2<f64>,
    pub segments: Vec<Segment>,
}

/// TBPTT(k1, k2) needs 1 ≤ k1 ≤ k2: losses in chunks of k1 steps, each
/// back-propagated through k2 steps.
pub fn check_truncation(k1: usize, k2: usize) -> Result<()> {
    if k1 < 1 {
        return Err(EngineError::ChunkLength {
            name: "k1",
            got: k1,
        });
    }
    if k2 < 1 {
        return Err(EngineError::ChunkLength {
            name: "k2",
            got: k2,
        });
    }
    if k2 < k1 {
        return Err(EngineError::TruncationOrder { k1, k2 });
    }
    Ok(())
}

/// Truncated BPTT(k1, k2) (Williams & Peng 1990): every k1 steps — at
/// t = k1, 2k1, …, and at T — the losses of the last k1 steps are
/// back-propagated through the last k2 steps only. The forward pass is the
/// given trace (h carried across borders, no update in between).
///
/// Each window reaches k2 − k1 steps before its first loss, so a last,
/// shorter block (T not a multiple of k1) reaches back as far before its
/// losses as every other block does.
///
/// k1 = k2 = k is the chunked form: the sequence is cut into chunks of k,
/// each chunk's loss is back-propagated inside the chunk, and the state
/// entering the chunk is a constant. k1 = k2 ≥ T is full BPTT.
pub fn truncated(
    params: &Params,
    trace: &Trace,
    k1: usize,
    k2: usize,
) -> Result<TruncatedGradients> {
    check_truncation(k1, k2)?;
    let steps = trace.len();
    let dy = output_gradients(trace);
    let mut grads = Params::zeros(params.vocab_size(), params.hidden());
    let mut dh = Array2::zeros((steps + 1, params.hidden()));
    let mut segments = Vec::new();
    let mut loss_from = 0;
    while loss_from < steps {
        let end = (loss_from + k1).min(steps);
        let start = loss_from.saturating_sub(k2 - k1);
        let mut window_dh = Array2::zeros((steps + 1, params.hidden()));
        let dh_start = backward_window(
            params,
            trace,
            &dy,
            (start, loss_from, end),
            &mut grads,
            Some(&mut window_dh),
            None,
        );
        if start > 0 {
            // h_start belongs to an earlier window; what reaches it from here is discarded.
            window_dh.row_mut(start).fill(0.0);
        }
        dh += &window_dh;
        segments.push(Segment {
            start,
            loss_from,
            end,
            loss: trace.losses[loss_from..end].iter().sum(),
            dh_start: dh_start.to_vec(),
        });
        loss_from = end;
    }
    Ok(TruncatedGradients {
        params: grads,
        dh,
        segments,
    })
}
