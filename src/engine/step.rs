//! One training step on one sequence: forward + BPTT (full or truncated) +
//! clipping + optimiser step, or, with `update_per_chunk`, one step per chunk.
//!
//! Shared by the text [`Session`](super::Session) (one sequence of the text per
//! iteration) and the [`MaskedTrainer`](super::masked::MaskedTrainer) (one masked
//! example per iteration), so both learn with the very same arithmetic.
//! Inputs and targets are masked (`None`: no input, x_t = 0; no loss at that step).

use super::activation::Activation;
use super::bptt::{backward, truncated};
use super::clip::{self, Clip, ClipReport};
use super::forward::forward_masked;
use super::optim::Optimizer;
use super::params::Params;
use ndarray::{Array1, Array2, s};

/// The settings a step reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StepSettings {
    pub activation: Activation,
    /// Whether b_h and b_y are parameters (their gradients are dropped when not).
    pub bias: bool,
    pub clip: Clip,
    /// (k1, k2): truncated BPTT inside the sequence; None: full BPTT.
    pub truncation: Option<(usize, usize)>,
    /// With truncation: one optimiser step after each chunk.
    pub update_per_chunk: bool,
}

/// What one step produced.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    /// L of the sequence (Σ of the chunk losses with per-chunk updates).
    pub loss: f64,
    /// h_T, the state the sequence ended in.
    pub h_last: Array1<f64>,
    /// ‖dL/dθ‖ per tensor before clipping.
    pub grad_norms: [f64; 5],
    /// ‖dh\[t\]‖ for t = 0..T (the truncated ones under truncation).
    pub dh_norms: Vec<f64>,
    /// Clipping in the step (its last chunk, with per-chunk updates).
    pub clip: ClipReport,
    /// Whether clipping fired (in any chunk).
    pub fired: bool,
}

fn norm(v: ndarray::ArrayView1<f64>) -> f64 {
    v.dot(&v).sqrt()
}

/// Trains `params` (and `optimizer`'s memory) on one sequence from state `h0`.
///
/// None on NaN/Inf, and then `params` and `optimizer` are exactly as they were.
pub(crate) fn train_step(
    params: &mut Params,
    optimizer: &mut Optimizer,
    settings: &StepSettings,
    inputs: &[Option<usize>],
    targets: &[Option<usize>],
    h0: &Array1<f64>,
) -> Option<Step> {
    match (settings.truncation, settings.update_per_chunk) {
        (Some(k), true) => {
            let backup = (params.clone(), optimizer.clone());
            let step = chunks(params, optimizer, settings, k, inputs, targets, h0);
            if step.is_none() {
                (*params, *optimizer) = backup;
            }
            step
        }
        (t, _) => single(params, optimizer, settings, t, inputs, targets, h0),
    }
}

/// Drops the bias gradients when the model has none, then clips.
/// Returns ‖g‖ per tensor before clipping and the clip report; None if
/// the gradient is not finite.
fn clip(settings: &StepSettings, grads: &mut Params) -> Option<([f64; 5], ClipReport)> {
    if !settings.bias {
        grads.zero_biases();
    }
    let (norms, report) = settings.clip.apply_with_norms(grads);
    norms
        .iter()
        .all(|n| n.is_finite())
        .then_some((norms, report))
}

/// One step with a single update: forward, BPTT (full or truncated), clip,
/// update. None (and nothing changed) on NaN/Inf.
fn single(
    params: &mut Params,
    optimizer: &mut Optimizer,
    settings: &StepSettings,
    truncation: Option<(usize, usize)>,
    inputs: &[Option<usize>],
    targets: &[Option<usize>],
    h0: &Array1<f64>,
) -> Option<Step> {
    let trace = forward_masked(params, settings.activation, inputs, targets, h0).ok()?;
    if !trace.loss.is_finite() {
        return None;
    }
    let (mut grads, dh_norms) = match truncation {
        None => {
            let g = backward(params, &trace);
            let norms = g.dh_norms();
            (g.params, norms)
        }
        Some((k1, k2)) => {
            let g = truncated(params, &trace, k1, k2).ok()?;
            let norms = g.dh.rows().into_iter().map(norm).collect();
            (g.params, norms)
        }
    };
    let (grad_norms, clip) = clip(settings, &mut grads)?;
    if !optimizer.step(params, &grads, settings.bias) {
        return None;
    }
    Some(Step {
        loss: trace.loss,
        h_last: trace.last_state(),
        grad_norms,
        dh_norms,
        fired: clip.fired,
        clip,
    })
}

/// TBPTT(k1, k2) with an update after each chunk, as min-char-rnn does
/// across sequences: for each chunk of (up to) k1 losses, steps
/// f+1..=e (f → e the chunk's losses), the steps max(0, f−(k2−k1))+1..=e
/// are run forward with the current parameters from the state reached there,
/// back-propagated (that entering state is a constant), clipped and applied.
/// The step's loss is the sum of the chunk losses; its gradient norms are
/// those of the summed chunk gradients before clipping. None on NaN/Inf
/// (the caller restores the parameters).
fn chunks(
    params: &mut Params,
    optimizer: &mut Optimizer,
    settings: &StepSettings,
    (k1, k2): (usize, usize),
    inputs: &[Option<usize>],
    targets: &[Option<usize>],
    h0: &Array1<f64>,
) -> Option<Step> {
    let steps = inputs.len();
    let hidden = params.hidden();
    // states[t] = h_t as the chunk that produced it computed it.
    let mut states = vec![h0.clone()];
    let mut sum = Params::zeros(params.vocab_size(), hidden);
    let mut dh = Array2::<f64>::zeros((steps + 1, hidden));
    let (mut loss, mut fired, mut clip_report) = (0.0, false, ClipReport::default());
    let mut loss_from = 0;
    while loss_from < steps {
        let end = loss_from.saturating_add(k1).min(steps);
        let start = loss_from.saturating_sub(k2 - k1);
        let scored: Vec<Option<usize>> = (start..end)
            .map(|t| if t >= loss_from { targets[t] } else { None })
            .collect();
        let tr = forward_masked(
            params,
            settings.activation,
            &inputs[start..end],
            &scored,
            &states[start],
        )
        .ok()?;
        if !tr.loss.is_finite() {
            return None;
        }
        let g = backward(params, &tr);
        for t in loss_from + 1..=end {
            states.push(tr.h.row(t - start).to_owned());
        }
        let mut window = dh.slice_mut(s![start..=end, ..]);
        window += &g.dh;
        if start > 0 {
            // That gradient leaves the chunk and is discarded.
            let mut row = dh.row_mut(start);
            row -= &g.dh.row(0);
        }
        let mut grads = g.params;
        if !settings.bias {
            grads.zero_biases();
        }
        // The step's gradient norms are those of the summed chunk gradients.
        sum.add_assign(&grads);
        (_, clip_report) = clip(settings, &mut grads)?;
        fired |= clip_report.fired;
        if !optimizer.step(params, &grads, settings.bias) {
            return None;
        }
        loss += tr.loss;
        loss_from = end;
    }
    Some(Step {
        loss,
        h_last: states.pop()?,
        grad_norms: clip::norms(&sum),
        dh_norms: dh.rows().into_iter().map(norm).collect(),
        clip: clip_report,
        fired,
    })
}
