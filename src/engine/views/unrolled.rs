//! Chapter "The recurrence, unrolled": every number the unrolled diagram,
//! its equation panel and its two charts show, for all T steps at once, and
//! whether the word has been learnt.
//!
//! The page asks once per model change and derives every picture from
//! (this data, the step cursor), so stepping back and forth never asks the
//! engine again.
//!
//! ```text
//! a_t = W_xh x_t + W_hh h_{t−1} + b_h     h_t = f(a_t)
//! y_t = W_hy h_t + b_y                    p_t = softmax(y_t)    loss_t = −log p_t[target_t]
//! ```
//! Shapes: `w_xh: [H, V]`, `w_hh: [H, H]`, `w_hy: [V, H]`, `b_h: [H]`, `b_y: [V]`.

use super::steps::{BackwardSnapshot, ForwardSnapshot, backward_snapshot, forward_snapshot};
use super::{norm, rows, scale_of, symbols};
use crate::engine::error::Result;
use crate::engine::{Session, Trace};
use serde::Serialize;

/// A prediction counts as sure when p_t\[target\] ≥ 0.9 (loss_t ≤ −ln 0.9).
pub const SURE_PROBABILITY: f64 = 0.9;

/// Whether the model has learnt the sequence: at every step with a target,
/// the predicted symbol is the target and p_t\[target\] ≥ [`SURE_PROBABILITY`].
pub fn converged(trace: &Trace) -> bool {
    let predicted = trace.predicted();
    let max_loss = -SURE_PROBABILITY.ln();
    trace
        .targets
        .iter()
        .zip(&predicted)
        .zip(&trace.losses)
        .all(|((target, &k), &loss)| target.is_none_or(|tg| tg == k && loss <= max_loss))
}

/// Everything the forward picture shows. `per_step[t − 1]` is step t.
#[derive(Debug, Clone, Serialize)]
pub struct UnrolledForward {
    /// T.
    pub steps: usize,
    /// H.
    pub hidden: usize,
    /// The symbols in one-hot order (V of them).
    pub vocab: Vec<String>,
    pub activation: &'static str,
    /// Whether b_h and b_y exist.
    pub bias: bool,
    /// The text the sequence comes from.
    pub word: String,
    /// Training iterations so far.
    pub iteration: u64,
    /// See [`converged`].
    pub converged: bool,
    /// W_xh: \[H\]\[V\], W_hh: \[H\]\[H\], W_hy: \[V\]\[H\] (rows).
    pub w_xh: Vec<Vec<f64>>,
    pub w_hh: Vec<Vec<f64>>,
    pub w_hy: Vec<Vec<f64>>,
    pub b_h: Vec<f64>,
    pub b_y: Vec<f64>,
    /// h_0: \[H\].
    pub h0: Vec<f64>,
    /// L = Σ_t loss_t.
    pub loss: f64,
    /// Every sub-step's vectors at each step ([`forward_snapshot`]).
    pub per_step: Vec<ForwardSnapshot>,
}

/// The forward data of a session's current sequence.
pub fn unrolled_forward(session: &Session) -> Result<UnrolledForward> {
    let trace = session.trace();
    let params = session.params();
    let vocab = session.vocab();
    let per_step = (1..=trace.len())
        .map(|t| forward_snapshot(params, &trace, vocab, t))
        .collect::<Result<Vec<_>>>()?;
    Ok(UnrolledForward {
        steps: trace.len(),
        hidden: params.hidden(),
        vocab: symbols(vocab),
        activation: trace.activation.name(),
        bias: session.config().model.bias,
        word: session.config().text.clone(),
        iteration: session.iteration(),
        converged: converged(&trace),
        w_xh: rows(&params.w_xh),
        w_hh: rows(&params.w_hh),
        w_hy: rows(&params.w_hy),
        b_h: params.b_h.to_vec(),
        b_y: params.b_y.to_vec(),
        h0: trace.h.row(0).to_vec(),
        loss: trace.loss,
        per_step,
    })
}

/// ‖·‖₂ of each backward quantity at one step: the diagram's arrow widths.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct BackwardNorms {
    /// ‖∂loss_t/∂y_t‖ = ‖p_t − onehot(target_t)‖.
    pub dy: f64,
    /// ‖W_hyᵀ dy_t‖.
    pub dh_from_output: f64,
    /// ‖W_hhᵀ da_{t+1}‖ (0 at t = T).
    pub dh_from_next: f64,
    /// ‖dL/dh_t‖.
    pub dh: f64,
    /// ‖diag(f′(a_t)) dL/dh_t‖.
    pub da: f64,
    /// ‖W_hhᵀ da_t‖, what reaches h_{t−1}.
    pub to_prev: f64,
}

/// Everything the backward picture shows (full BPTT). `per_step[t − 1]` is step t.
#[derive(Debug, Clone, Serialize)]
pub struct UnrolledBackward {
    pub steps: usize,
    /// [`backward_snapshot`] for t = 1..T.
    pub per_step: Vec<BackwardSnapshot>,
    pub norms: Vec<BackwardNorms>,
    /// dL/dh_0 and its norm.
    pub dh0: Vec<f64>,
    pub dh0_norm: f64,
    /// The largest of all `norms` (the scale of the arrow widths), > 0.
    pub max_norm: f64,
    /// The largest ‖dL/dh_t‖ over t = 0..T (the scale of the bars), > 0.
    pub max_dh_norm: f64,
}

/// The backward data of a session's current sequence.
pub fn unrolled_backward(session: &Session) -> Result<UnrolledBackward> {
    let trace = session.trace();
    let grads = session.gradients();
    let params = session.params();
    let per_step = (1..=trace.len())
        .map(|t| backward_snapshot(params, &trace, &grads, t))
        .collect::<Result<Vec<_>>>()?;
    let norms: Vec<BackwardNorms> = per_step
        .iter()
        .map(|b| BackwardNorms {
            dy: norm(&b.dy_t),
            dh_from_output: norm(&b.dh_from_output),
            dh_from_next: norm(&b.dh_from_next),
            dh: b.dh_norm,
            da: norm(&b.da_t),
            to_prev: norm(&b.to_prev),
        })
        .collect();
    let dh0 = grads.dh.row(0).to_vec();
    let dh0_norm = norm(&dh0);
    let max_norm = scale_of(norms.iter().flat_map(|n| {
        [
            n.dy,
            n.dh_from_output,
            n.dh_from_next,
            n.dh,
            n.da,
            n.to_prev,
        ]
    }));
    let max_dh_norm = scale_of(norms.iter().map(|n| n.dh).chain([dh0_norm]));
    Ok(UnrolledBackward {
        steps: trace.len(),
        per_step,
        norms,
        dh0,
        dh0_norm,
        max_norm,
        max_dh_norm,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::SessionConfig;

    #[test]
    fn hello_is_learnt_in_the_documented_71_iterations() {
        let mut s = Session::new(SessionConfig::default()).unwrap();
        assert!(!converged(&s.trace()));
        let r = s.train_until(5000, |s| converged(&s.trace())).unwrap();
        assert!(r.reached);
        assert_eq!(r.iterations_run, 71);
        assert!(unrolled_forward(&s).unwrap().converged);
    }

    #[test]
    fn the_pictures_scales_are_their_largest_norms() {
        let s = Session::new(SessionConfig::default()).unwrap();
        let b = unrolled_backward(&s).unwrap();
        assert_eq!(b.per_step.len(), 4);
        let largest = b.norms.iter().map(|n| n.dh).fold(b.dh0_norm, f64::max);
        assert_eq!(b.max_dh_norm, largest);
        assert!(b.max_norm >= b.max_dh_norm);
        let f = unrolled_forward(&s).unwrap();
        assert_eq!((f.steps, f.hidden, f.vocab.len()), (4, 3, 4));
        assert_eq!(f.word, "hello");
    }
}
