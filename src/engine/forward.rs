//! The forward pass, kept step by step so every number can be shown.
//!
//! ```text
//! a_t = W_xh x_t + W_hh h_{t-1} + b_h      [H]
//! h_t = f(a_t)                             [H]
//! y_t = W_hy h_t + b_y                     [V]   (logits)
//! p_t = softmax(y_t)                       [V]
//! loss_t = −log p_t[target_t]              (only on scored steps)
//! ```
//!
//! Masks (the types of RNN): an input may be absent, x_t = 0, so
//! `a_t = W_hh h_{t−1} + b_h`; a target may be absent, so the step has no loss
//! (y_t and p_t are still computed). One-to-many, many-to-one and delayed or
//! synced many-to-many are all this one cell with some inputs or targets absent
//! ([`forward_masked`]). [`forward`] is the common case of an input at every step.
//!
//! Outputs do not feed back into the recurrence, so after the recurrent loop
//! all logits come from one matrix product `Y = H_{1..T} W_hyᵀ` ([`gemm_acc`]).

use super::activation::Activation;
use super::error::{EngineError, Result};
pub use super::kernels::dot;
use super::kernels::{
    gemm_acc, multiversion, rows_times, softmax_row, tanh, transpose_into, with_scratch,
};
use super::params::Params;
use ndarray::{Array1, Array2, ArrayView1};

/// Which steps have a loss: every step (many-to-many) or the last only
/// (many-to-one, and the long-range task).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LossMode {
    #[default]
    PerStep,
    LastStep,
}

impl LossMode {
    /// Turns a target per step into the scored targets this mode uses.
    pub fn scored(self, targets: &[usize]) -> Vec<Option<usize>> {
        match self {
            Self::PerStep => targets.iter().copied().map(Some).collect(),
            Self::LastStep => {
                let last = targets.len().saturating_sub(1);
                targets
                    .iter()
                    .enumerate()
                    .map(|(s, &t)| (s == last).then_some(t))
                    .collect()
            }
        }
    }
}

/// Everything the forward pass computed, per step.
///
/// Row `s` of the per-step arrays belongs to time step t = s + 1;
/// row `t` of `h` is h_t with row 0 = h_0.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    pub activation: Activation,
    /// Input symbol index per step, `None` where the step has no input
    /// (x_t = 0); length T.
    pub inputs: Vec<Option<usize>>,
    /// Target per step, `None` where the step has no loss; length T.
    pub targets: Vec<Option<usize>>,
    /// Pre-activations a_t: [T, H].
    pub a: Array2<f64>,
    /// Hidden states h_0..h_T: [T+1, H].
    pub h: Array2<f64>,
    /// Logits y_t: [T, V].
    pub y: Array2<f64>,
    /// Softmax probabilities p_t: [T, V].
    pub p: Array2<f64>,
    /// loss_t per step (0 on unscored steps): \[T\].
    pub losses: Vec<f64>,
    /// L = Σ loss_t.
    pub loss: f64,
}

impl Trace {
    /// T, the number of time steps.
    pub fn len(&self) -> usize {
        self.inputs.len()
    }

    /// Whether there are no steps.
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// arg max_k p_t\[k\] for each step: the predicted symbol.
    pub fn predicted(&self) -> Vec<usize> {
        self.p.rows().into_iter().map(argmax).collect()
    }

    /// h_T, the state handed to the next sequence.
    pub fn last_state(&self) -> Array1<f64> {
        self.h.row(self.len()).to_owned()
    }

    /// Number of steps that carry a loss.
    pub fn scored_steps(&self) -> usize {
        self.targets.iter().filter(|t| t.is_some()).count()
    }

    /// loss_t per step, `None` on unscored steps (where [`Trace::losses`] holds 0).
    pub fn scored_losses(&self) -> Vec<Option<f64>> {
        self.targets
            .iter()
            .zip(&self.losses)
            .map(|(t, &l)| t.map(|_| l))
            .collect()
    }
}

/// Index of the largest element (first one on ties).
pub fn argmax(v: ArrayView1<f64>) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

/// Softmax of `logits` in place of `out`, shifted by the max for stability.
/// Returns ln Σ exp(y − max), so that log p_k = y_k − max − lse.
pub fn softmax_into(logits: ArrayView1<f64>, mut out: ndarray::ArrayViewMut1<f64>) -> (f64, f64) {
    match (logits.as_slice(), out.as_slice_mut()) {
        (Some(y), Some(p)) => softmax_row(y, p),
        _ => {
            let (y, mut p) = (logits.to_vec(), vec![0.0; out.len()]);
            let r = softmax_row(&y, &mut p);
            out.iter_mut().zip(p).for_each(|(o, v)| *o = v);
            r
        }
    }
}

/// Checks indices and lengths before running.
fn check_sequence(
    params: &Params,
    inputs: &[Option<usize>],
    targets: &[Option<usize>],
    h0: &Array1<f64>,
) -> Result<()> {
    let vocab = params.vocab_size();
    if inputs.is_empty() {
        return Err(EngineError::TextTooShort { needed: 2 });
    }
    if targets.len() != inputs.len() {
        return Err(EngineError::Shape {
            field: "targets".into(),
            message: format!(
                "expected {} targets (one per input), got {}",
                inputs.len(),
                targets.len()
            ),
        });
    }
    for &i in inputs.iter().flatten().chain(targets.iter().flatten()) {
        if i >= vocab {
            return Err(EngineError::SymbolIndex {
                index: i,
                size: vocab,
            });
        }
    }
    if h0.len() != params.hidden() {
        return Err(EngineError::Shape {
            field: "h0".into(),
            message: format!("expected length {}, got {}", params.hidden(), h0.len()),
        });
    }
    Ok(())
}

/// Runs the RNN over `inputs` from state `h0` and scores `targets`.
///
/// `inputs: [T]` symbol indices (an input at every step), `targets: [T]`
/// (None = no loss at that step), `h0: [H]`. Errors on an empty sequence or an
/// index outside the vocabulary. The same numbers, bit for bit, as
/// [`forward_masked`] with every input present.
pub fn forward(
    params: &Params,
    activation: Activation,
    inputs: &[usize],
    targets: &[Option<usize>],
    h0: &Array1<f64>,
) -> Result<Trace> {
    // The trace keeps its own copy of the inputs: one allocation, as before.
    let masked: Vec<Option<usize>> = inputs.iter().copied().map(Some).collect();
    run(params, activation, masked, Some(inputs), targets, h0)
}

/// Runs the RNN over a masked sequence from state `h0`.
///
/// `inputs: [T]`, `None` where the step has no input (x_t = 0, so
/// a_t = W_hh h_{t−1} + b_h); `targets: [T]`, `None` where the step is not
/// scored (y_t and p_t are still computed; L sums the scored steps only);
/// `h0: [H]`. Errors on an empty sequence, unequal lengths or an index
/// outside the vocabulary.
pub fn forward_masked(
    params: &Params,
    activation: Activation,
    inputs: &[Option<usize>],
    targets: &[Option<usize>],
    h0: &Array1<f64>,
) -> Result<Trace> {
    run(params, activation, inputs.to_vec(), None, targets, h0)
}

/// The forward pass of both entry points; `inputs` becomes the trace's, and
/// `columns` are the same inputs as plain indices when the caller has them.
///
/// An absent input is x_t = 0, so W_xh x_t = 0. The recurrence runs it as an
/// extra symbol V whose column of a widened W_xh ([H, V+1]) is zero:
/// `0 + b_h = b_h`, the same numbers as leaving the term out. So masked and
/// unmasked sequences share one loop, and the common case (every input
/// present) runs the unmasked engine's code unchanged, at its speed.
fn run(
    params: &Params,
    activation: Activation,
    inputs: Vec<Option<usize>>,
    columns: Option<&[usize]>,
    targets: &[Option<usize>],
    h0: &Array1<f64>,
) -> Result<Trace> {
    check_sequence(params, &inputs, targets, h0)?;
    let (steps, hidden, vocab) = (inputs.len(), params.hidden(), params.vocab_size());
    let owned: Vec<usize>;
    let widened: Array2<f64>;
    let (w_xh, columns) = match columns {
        Some(c) => (&params.w_xh, c),
        None => {
            owned = inputs.iter().map(|x| x.unwrap_or(vocab)).collect();
            if inputs.iter().all(Option::is_some) {
                (&params.w_xh, &owned[..])
            } else {
                let mut w = Array2::zeros((hidden, vocab + 1));
                w.slice_mut(ndarray::s![.., ..vocab]).assign(&params.w_xh);
                widened = w;
                (&widened, &owned[..])
            }
        }
    };
    let mut a = Array2::<f64>::zeros((steps, hidden));
    let mut h = Array2::<f64>::zeros((steps + 1, hidden));
    h.row_mut(0).assign(h0);
    let mut y = Array2::<f64>::zeros((steps, vocab));
    y.assign(
        &params
            .b_y
            .broadcast((steps, vocab))
            .expect("b_y has V entries"),
    );
    with_scratch(|w_t| {
        // Row j of W_hhᵀ is column j of W_hh: the recurrence reads it contiguously.
        transpose_into(
            params.w_hh.as_slice().expect("standard layout"),
            (hidden, hidden),
            w_t,
        );
        recurrence(
            w_t,
            w_xh.as_slice().expect("standard layout"),
            params.b_h.as_slice().expect("standard layout"),
            activation,
            columns,
            a.as_slice_mut().expect("standard layout"),
            h.as_slice_mut().expect("standard layout"),
        );
        // Y = H_{1..T} W_hyᵀ + b_y, with B = W_hyᵀ [H, V] contiguous.
        transpose_into(
            params.w_hy.as_slice().expect("standard layout"),
            (vocab, hidden),
            w_t,
        );
        gemm_acc(
            (steps, hidden, vocab),
            &h.as_slice().expect("standard layout")[hidden..],
            (hidden, 1),
            w_t,
            y.as_slice_mut().expect("standard layout"),
        );
    });
    let mut p = Array2::<f64>::zeros((steps, vocab));
    let mut losses = vec![0.0; steps];
    for s in 0..steps {
        let (max, lse) = softmax_into(y.row(s), p.row_mut(s));
        if let Some(target) = targets[s] {
            losses[s] = -(y[[s, target]] - max - lse);
        }
    }
    let loss = losses.iter().sum();
    Ok(Trace {
        activation,
        inputs,
        targets: targets.to_vec(),
        a,
        h,
        y,
        p,
        losses,
        loss,
    })
}

multiversion! {
/// The recurrent loop over flat row-major buffers (`a: [T, H]`, `h: [T+1, H]`
/// with row 0 = h_0 already set):
/// `a_t = W_xh[:, x_t] + b_h + Σ_j W_hhᵀ[j]·h_{t−1,j}`, `h_t = f(a_t)`
/// (`w_xh: [H, V]`, or [H, V+1] with a zero column V for absent inputs, see [`run`]).
///
/// W_hh h is formed as a sum of the rows of W_hhᵀ (`w_hh_t: [H, H]`, row j =
/// column j of W_hh) scaled by h_j: every inner loop is contiguous and
/// element-wise, so it vectorises at any width with the same result.
fn recurrence(
    w_hh_t: &[f64],
    w_xh: &[f64],
    b_h: &[f64],
    activation: Activation,
    inputs: &[usize],
    a: &mut [f64],
    h: &mut [f64],
) {
    let hidden = b_h.len();
    let vocab = w_xh.len() / hidden.max(1);
    for (s, &x) in inputs.iter().enumerate() {
        let (done, rest) = h.split_at_mut((s + 1) * hidden);
        let h_prev = &done[s * hidden..];
        let a_row = &mut a[s * hidden..(s + 1) * hidden];
        // W_xh x_t for a one-hot x_t is column x of W_xh ([H, V]): H reads with
        // stride V, cheaper than a transposed copy of all of W_xh per sequence.
        let x_col = w_xh[x..].iter().step_by(vocab);
        for ((av, &xv), &bv) in a_row.iter_mut().zip(x_col).zip(b_h) {
            *av = xv + bv;
        }
        rows_times(h_prev, w_hh_t, a_row);
        let h_row = &mut rest[..hidden];
        if activation == Activation::Tanh {
            // The vectorisable tanh (a few ulp from libm's, same bits everywhere).
            for (hv, &av) in h_row.iter_mut().zip(a_row.iter()) {
                *hv = tanh(av);
            }
        } else {
            for (hv, &av) in h_row.iter_mut().zip(a_row.iter()) {
                *hv = activation.apply(av);
            }
        }
    }
}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::params::ModelConfig;

    #[test]
    fn softmax_sums_to_one_and_survives_huge_logits() {
        let y = ndarray::arr1(&[1000.0, 999.0, -1000.0]);
        let mut p = Array1::zeros(3);
        softmax_into(y.view(), p.view_mut());
        assert!((p.sum() - 1.0).abs() < 1e-15);
        assert!(p.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn last_step_mode_scores_only_the_last_step() {
        let p = Params::init(4, &ModelConfig::default()).unwrap();
        let targets = LossMode::LastStep.scored(&[1, 2, 2, 3]);
        let tr = forward(
            &p,
            Activation::Tanh,
            &[0, 1, 2, 2],
            &targets,
            &Array1::zeros(3),
        )
        .unwrap();
        assert_eq!(tr.losses[..3], [0.0, 0.0, 0.0]);
        assert!(tr.losses[3] > 0.0);
        assert_eq!(tr.loss, tr.losses[3]);
        assert_eq!(tr.scored_steps(), 1);
    }

    #[test]
    fn bad_sequences_are_errors() {
        let p = Params::init(4, &ModelConfig::default()).unwrap();
        let h0 = Array1::zeros(3);
        assert!(forward(&p, Activation::Tanh, &[], &[], &h0).is_err());
        assert!(forward(&p, Activation::Tanh, &[4], &[Some(0)], &h0).is_err());
        assert!(forward(&p, Activation::Tanh, &[0], &[Some(9)], &h0).is_err());
        assert!(forward(&p, Activation::Tanh, &[0], &[Some(1)], &Array1::zeros(2)).is_err());
    }
}
