//! Masked sequences: every type of RNN as a run of the same vanilla cell.
//!
//! An input may be absent (x_t = 0, so `a_t = W_hh h_{t−1} + b_h`) and a
//! target may be absent (the step is not scored: y_t and p_t are computed,
//! dL/dy_t = 0, and L sums the scored steps only). With `·` for absent:
//!
//! ```text
//! type                    inputs                 targets                  T
//! one-to-one              [x]                    [y]                      1
//! one-to-many             [x, ·, …, ·]           [y_1, …, y_m]            m
//! many-to-one             [x_1, …, x_n]          [·, …, ·, y]             n
//! many-to-many, delayed   [x_1, …, x_n, ·, …, ·] [·, …, ·, y_1, …, y_m]   n + m
//! many-to-many, synced    [x_1, …, x_n]          [y_1, …, y_n] (· allowed) n
//! ```
//!
//! - this file: [`MaskedSequence`], its constructors for the five types, and
//!   what the engine computes on one sequence with given parameters
//!   (forward, full or truncated BPTT, gradient check, sampling);
//! - `train.rs`: [`MaskedTrainer`], training one model on a set of masked
//!   sequences, one update per sequence, in an order drawn from a seed;
//! - `examples.rs`: the five built-in examples of the "Types of RNN" chapter
//!   and how a student's typed text becomes a sequence of each shape;
//! - `readout.rs`: what the trainer computes on its sequences without
//!   changing them (traces, gradients, gradient check, evaluation, samples).

pub mod examples;
mod readout;
mod train;

pub use readout::{Evaluation, SequenceResult};
pub use train::{MaskedTrainReport, MaskedTrainer, MaskedTrainerConfig};

use super::activation::Activation;
use super::bptt::{Gradients, TruncatedGradients, backward, truncated};
use super::error::{EngineError, Result};
use super::forward::{Trace, forward_masked};
use super::gradcheck::{GradCheckReport, grad_check_masked};
use super::params::Params;
use super::tokens::TokenVocab;
use ndarray::Array1;
use serde::{Deserialize, Serialize};

/// One example: an input and a target per step, either of which may be absent.
///
/// `inputs: [T]` symbol indices (`None`: x_t = 0), `targets: [T]` (`None`:
/// the step is not scored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaskedSequence {
    pub inputs: Vec<Option<usize>>,
    pub targets: Vec<Option<usize>>,
}

impl MaskedSequence {
    /// A sequence of T ≥ 1 steps; `inputs` and `targets` must have the same length.
    pub fn new(inputs: Vec<Option<usize>>, targets: Vec<Option<usize>>) -> Result<Self> {
        check_lengths(&inputs, &targets)?;
        Ok(Self { inputs, targets })
    }

    /// A sequence named by tokens of `vocab` (`None`: absent).
    pub fn from_tokens<S: AsRef<str>>(
        vocab: &TokenVocab,
        inputs: &[Option<S>],
        targets: &[Option<S>],
    ) -> Result<Self> {
        Self::new(vocab.encode_masked(inputs)?, vocab.encode_masked(targets)?)
    }

    /// One-to-one: one step, input x, target y.
    pub fn one_to_one(x: usize, y: usize) -> Self {
        Self {
            inputs: vec![Some(x)],
            targets: vec![Some(y)],
        }
    }

    /// One-to-many: input x at t = 1 and none after; targets y_1..y_m at t = 1..m.
    pub fn one_to_many(x: usize, ys: &[usize]) -> Result<Self> {
        let mut inputs = vec![None; ys.len()];
        if let Some(first) = inputs.first_mut() {
            *first = Some(x);
        }
        Self::new(inputs, ys.iter().copied().map(Some).collect())
    }

    /// Many-to-one: inputs x_1..x_n, only the last step scored (target y).
    pub fn many_to_one(xs: &[usize], y: usize) -> Result<Self> {
        let mut targets = vec![None; xs.len()];
        if let Some(last) = targets.last_mut() {
            *last = Some(y);
        }
        Self::new(xs.iter().copied().map(Some).collect(), targets)
    }

    /// Delayed many-to-many (e.g. reversal): the n inputs first, unscored;
    /// then m steps without input whose targets are y_1..y_m. T = n + m.
    pub fn delayed(xs: &[usize], ys: &[usize]) -> Result<Self> {
        let (n, m) = (xs.len(), ys.len());
        if n == 0 || m == 0 {
            return Err(EngineError::Invalid(
                "a delayed sequence needs at least one input and one target".into(),
            ));
        }
        let inputs = xs.iter().copied().map(Some).chain(vec![None; m]).collect();
        let targets = vec![None; n]
            .into_iter()
            .chain(ys.iter().copied().map(Some))
            .collect();
        Self::new(inputs, targets)
    }

    /// Synced many-to-many (e.g. tagging): an input and a target at every
    /// step; a `None` target leaves that step unscored.
    pub fn synced(xs: &[usize], ys: &[Option<usize>]) -> Result<Self> {
        Self::new(xs.iter().copied().map(Some).collect(), ys.to_vec())
    }

    /// T, the number of steps.
    pub fn len(&self) -> usize {
        self.inputs.len()
    }

    /// Whether there are no steps (never true for a built sequence).
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// Number of steps with a target.
    pub fn scored_steps(&self) -> usize {
        self.targets.iter().flatten().count()
    }

    /// Checks the lengths and that every index is below `vocab_size`.
    pub fn check(&self, vocab_size: usize) -> Result<()> {
        check_lengths(&self.inputs, &self.targets)?;
        match self
            .inputs
            .iter()
            .chain(&self.targets)
            .flatten()
            .find(|&&i| i >= vocab_size)
        {
            Some(&index) => Err(EngineError::SymbolIndex {
                index,
                size: vocab_size,
            }),
            None => Ok(()),
        }
    }

    /// The forward pass from `h0` ([`forward_masked`]).
    pub fn forward(
        &self,
        params: &Params,
        activation: Activation,
        h0: &Array1<f64>,
    ) -> Result<Trace> {
        forward_masked(params, activation, &self.inputs, &self.targets, h0)
    }

    /// Forward and full BPTT from `h0`: the trace and dL/dθ, dL/dh_0, dh_t.
    pub fn gradients(
        &self,
        params: &Params,
        activation: Activation,
        h0: &Array1<f64>,
    ) -> Result<(Trace, Gradients)> {
        let trace = self.forward(params, activation, h0)?;
        let grads = backward(params, &trace);
        Ok((trace, grads))
    }

    /// Forward and truncated BPTT(k1, k2) from `h0` (see [`truncated`]).
    pub fn truncated_gradients(
        &self,
        params: &Params,
        activation: Activation,
        h0: &Array1<f64>,
        (k1, k2): (usize, usize),
    ) -> Result<(Trace, TruncatedGradients)> {
        let trace = self.forward(params, activation, h0)?;
        let grads = truncated(params, &trace, k1, k2)?;
        Ok((trace, grads))
    }

    /// BPTT against finite differences on this sequence (see [`crate::engine::gradcheck`]).
    pub fn grad_check(
        &self,
        params: &Params,
        activation: Activation,
        h0: &Array1<f64>,
        bias: bool,
    ) -> GradCheckReport {
        grad_check_masked(params, activation, &self.inputs, &self.targets, h0, bias)
    }
}

/// 1 ≤ T ≤ [`LIMITS`](crate::engine::LIMITS)`.seq` steps and as many targets as inputs.
fn check_lengths(inputs: &[Option<usize>], targets: &[Option<usize>]) -> Result<()> {
    if inputs.is_empty() {
        return Err(EngineError::Invalid(
            "a sequence needs at least one step".into(),
        ));
    }
    crate::engine::limits::check_seq("the sequence length", inputs.len())?;
    if inputs.len() != targets.len() {
        return Err(EngineError::Shape {
            field: "targets".into(),
            message: format!(
                "expected {} targets (one per step), got {}",
                inputs.len(),
                targets.len()
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_types_have_the_lectures_masks() {
        let one = MaskedSequence::one_to_one(3, 1);
        assert_eq!((one.len(), one.scored_steps()), (1, 1));
        let otm = MaskedSequence::one_to_many(0, &[1, 2, 3, 4]).unwrap();
        assert_eq!(otm.inputs, [Some(0), None, None, None]);
        assert_eq!(otm.targets, [Some(1), Some(2), Some(3), Some(4)]);
        let mto = MaskedSequence::many_to_one(&[0, 1, 2], 4).unwrap();
        assert_eq!(mto.inputs, [Some(0), Some(1), Some(2)]);
        assert_eq!(mto.targets, [None, None, Some(4)]);
        let rev = MaskedSequence::delayed(&[0, 1, 2], &[2, 1, 0]).unwrap();
        assert_eq!(rev.inputs, [Some(0), Some(1), Some(2), None, None, None]);
        assert_eq!(rev.targets, [None, None, None, Some(2), Some(1), Some(0)]);
        let tag = MaskedSequence::synced(&[0, 1], &[Some(3), None]).unwrap();
        assert_eq!(tag.scored_steps(), 1);
    }

    #[test]
    fn bad_sequences_are_errors() {
        assert!(MaskedSequence::new(vec![], vec![]).is_err());
        assert!(MaskedSequence::new(vec![Some(0)], vec![None, None]).is_err());
        assert!(MaskedSequence::one_to_many(0, &[]).is_err());
        assert!(MaskedSequence::many_to_one(&[], 0).is_err());
        assert!(MaskedSequence::delayed(&[0], &[]).is_err());
        assert!(MaskedSequence::synced(&[0], &[]).is_err());
        let s = MaskedSequence::one_to_one(3, 1);
        assert!(s.check(4).is_ok());
        assert_eq!(
            s.check(3),
            Err(EngineError::SymbolIndex { index: 3, size: 3 })
        );
        let v = TokenVocab::new(["<cat>", "c", "a", "t"]).unwrap();
        let cat = MaskedSequence::from_tokens(
            &v,
            &[Some("<cat>"), None, None],
            &[Some("c"), Some("a"), Some("t")],
        )
        .unwrap();
        assert_eq!(cat, MaskedSequence::one_to_many(0, &[1, 2, 3]).unwrap());
        assert!(MaskedSequence::from_tokens(&v, &[Some("<dog>")], &[None]).is_err());
    }
}
