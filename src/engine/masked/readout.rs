//! What a [`MaskedTrainer`] computes on its sequences with the current
//! parameters, without changing anything: traces, gradients, the gradient
//! check, an evaluation of every sequence (loss, predictions, accuracy) and
//! samples over masked inputs.

use super::{MaskedSequence, MaskedTrainer};
use crate::engine::bptt::{Gradients, backward};
use crate::engine::error::{EngineError, Result};
use crate::engine::forward::{Trace, argmax};
use crate::engine::gradcheck::GradCheckReport;
use crate::engine::sample::{MaskedSample, sample_masked};
use ndarray::Array1;
use serde::Serialize;

/// One sequence under the current parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SequenceResult {
    /// L = Σ of the scored steps' losses.
    pub loss: f64,
    /// Steps with a target.
    pub scored: usize,
    /// Scored steps where arg max p_t is the target.
    pub correct: usize,
    /// arg max p_t at every step (scored or not).
    pub predicted: Vec<usize>,
}

/// Every sequence under the current parameters, and the totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub sequences: Vec<SequenceResult>,
    /// Mean L per sequence.
    pub mean_loss: f64,
    /// Correct scored steps / scored steps, over all sequences (1 when none is scored).
    pub accuracy: f64,
}

impl MaskedTrainer {
    /// The forward pass of sequence `i` (from h_0 = 0) with the current parameters.
    pub fn trace(&self, i: usize) -> Result<Trace> {
        let h0 = Array1::zeros(self.config().model.hidden);
        self.sequence(i)?
            .forward(self.params(), self.config().model.activation, &h0)
    }

    /// Full BPTT of sequence `i` (bias gradients are zero when biases are off).
    pub fn gradients(&self, i: usize) -> Result<Gradients> {
        let mut g = backward(self.params(), &self.trace(i)?);
        if !self.config().model.bias {
            g.params.zero_biases();
        }
        Ok(g)
    }

    /// Finite differences against BPTT on sequence `i`.
    pub fn grad_check(&self, i: usize) -> Result<GradCheckReport> {
        let h0 = Array1::zeros(self.config().model.hidden);
        Ok(self.sequence(i)?.grad_check(
            self.params(),
            self.config().model.activation,
            &h0,
            self.config().model.bias,
        ))
    }

    /// Every sequence's loss, predictions and hits under the current parameters.
    pub fn evaluate(&self) -> Result<Evaluation> {
        let mut sequences = Vec::with_capacity(self.sequences().len());
        let (mut scored, mut correct) = (0, 0);
        for i in 0..self.sequences().len() {
            let trace = self.trace(i)?;
            let result = SequenceResult {
                loss: trace.loss,
                scored: trace.scored_steps(),
                correct: trace
                    .targets
                    .iter()
                    .zip(trace.p.rows())
                    .filter(|(t, p)| **t == Some(argmax(*p)))
                    .count(),
                predicted: trace.predicted(),
            };
            scored += result.scored;
            correct += result.correct;
            sequences.push(result);
        }
        let mean_loss = sequences.iter().map(|s| s.loss).sum::<f64>() / sequences.len() as f64;
        Ok(Evaluation {
            sequences,
            mean_loss,
            accuracy: if scored == 0 {
                1.0
            } else {
                correct as f64 / scored as f64
            },
        })
    }

    /// Samples a token at each step of `inputs` (`None`: no input) from
    /// h_0 = 0, without feedback ([`sample_masked`]): e.g. `[Some(class), None, …]`
    /// for the one-to-many generator.
    pub fn sample(
        &self,
        inputs: &[Option<usize>],
        temperature: f64,
        seed: u64,
    ) -> Result<MaskedSample> {
        let h0 = Array1::zeros(self.config().model.hidden);
        sample_masked(
            self.params(),
            self.config().model.activation,
            &h0,
            inputs,
            temperature,
            seed,
        )
    }

    fn sequence(&self, i: usize) -> Result<&MaskedSequence> {
        self.sequences().get(i).ok_or_else(|| {
            EngineError::Invalid(format!(
                "there are {} sequences, so there is no sequence {i}",
                self.sequences().len()
            ))
        })
    }
}
