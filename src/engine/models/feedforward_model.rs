//! The feed-forward next-token model: an input encoding of the preceding
//! tokens, the [`SparseNet`] on top of it, and the training sequences.
//!
//! ```text
//! x = encode(s_0..s_{t−1})                       sparse, D entries (the encoding's choice)
//! p(s_t | s_0..s_{t−1}) = softmax(…)              see feedforward: no hidden layer, or one tanh layer
//! L = (1/|B|) Σ_{(i,t)∈B} −log p(s_{i,t})         mean over a batch of predictions
//! ```
//!
//! The fixed-window model ([`super::window`]) and the bag-of-words model
//! ([`super::bag_of_words`]) are this one type with two encodings: they
//! share the config, the checks, the training objective and the queries,
//! and differ only in [`InputEncoding`].

use super::feedforward::{SparseInput, SparseNet};
use super::next_word::{NextToken, examples};
use super::{Model, Tensor};
use crate::engine::error::{EngineError, Result, non_negative_finite};
use crate::engine::params::check_hidden;
use serde::{Deserialize, Serialize};
use std::fmt::Debug;

/// The shape and init of a feed-forward next-token model (window or bag).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FeedForwardConfig {
    /// N, preceding tokens seen (window models; ignored by the bag of words).
    pub window: usize,
    /// H, tanh hidden units; 0 = softmax straight on the input.
    pub hidden: usize,
    /// Weights are N(0, 1)·weight_scale; biases start at 0.
    pub weight_scale: f64,
    pub seed: u64,
}

impl Default for FeedForwardConfig {
    fn default() -> Self {
        Self {
            window: 2,
            hidden: 0,
            weight_scale: 0.1,
            seed: 1,
        }
    }
}

impl FeedForwardConfig {
    fn validate(&self) -> Result<()> {
        if self.hidden > 0 {
            check_hidden(self.hidden)?;
        }
        non_negative_finite("the weight scale", self.weight_scale)?;
        Ok(())
    }
}

/// Checks the sequences a model trains on: ids below `vocab`, at least one
/// prediction in all.
fn check_sequences(seqs: &[Vec<usize>], vocab: usize) -> Result<()> {
    if let Some(&i) = seqs.iter().flatten().find(|&&i| i >= vocab) {
        return Err(EngineError::SymbolIndex {
            index: i,
            size: vocab,
        });
    }
    if seqs.iter().all(|s| s.len() < 2) {
        return Err(EngineError::TextTooShort { needed: 2 });
    }
    Ok(())
}

/// How a model turns the preceding tokens into its input x.
pub trait InputEncoding: Debug + Clone {
    /// D, the input size, for `config` over `vocab_size` tokens; refuses the
    /// settings this encoding cannot take.
    fn input_size(config: &FeedForwardConfig, vocab_size: usize) -> Result<usize>;
    /// x for `context` (the tokens before the prediction), as (index, value)
    /// pairs.
    fn encode(config: &FeedForwardConfig, vocab_size: usize, context: &[usize]) -> SparseInput;
}

/// A feed-forward next-token model with input encoding `E`, and its
/// training sequences.
#[derive(Debug, Clone)]
pub struct FeedForwardModel<E: InputEncoding> {
    config: FeedForwardConfig,
    vocab_size: usize,
    net: SparseNet,
    theta: Vec<f64>,
    seqs: Vec<Vec<usize>>,
    examples: Vec<(usize, usize)>,
    encoding: std::marker::PhantomData<E>,
}

impl<E: InputEncoding> FeedForwardModel<E> {
    /// A model over a vocabulary of `vocab_size` tokens, trained on every
    /// prediction of `seqs` (each sequence's tokens 1.. from the ones before).
    pub fn new(
        config: FeedForwardConfig,
        vocab_size: usize,
        seqs: Vec<Vec<usize>>,
    ) -> Result<Self> {
        config.validate()?;
        let inputs = E::input_size(&config, vocab_size)?;
        check_sequences(&seqs, vocab_size)?;
        let net = SparseNet::new(inputs, config.hidden, vocab_size);
        let theta = net.init(config.seed, config.weight_scale);
        Ok(Self {
            examples: examples(&seqs),
            config,
            vocab_size,
            net,
            theta,
            seqs,
            encoding: std::marker::PhantomData,
        })
    }

    pub fn config(&self) -> &FeedForwardConfig {
        &self.config
    }

    /// D, the input size.
    pub fn input_size(&self) -> usize {
        self.net.inputs
    }

    /// Number of weights and biases.
    pub fn parameter_count(&self) -> usize {
        self.net.len()
    }

    fn input(&self, context: &[usize]) -> SparseInput {
        E::encode(&self.config, self.vocab_size, context)
    }
}

impl<E: InputEncoding> Model for FeedForwardModel<E> {
    fn tensors(&self) -> &[Tensor] {
        self.net.tensors()
    }
    fn params(&self) -> &[f64] {
        &self.theta
    }
    fn params_mut(&mut self) -> &mut [f64] {
        &mut self.theta
    }
    fn examples(&self) -> usize {
        self.examples.len()
    }
    fn loss_and_gradient(&self, batch: &[usize], grad: &mut [f64]) -> f64 {
        grad.fill(0.0);
        let scale = 1.0 / batch.len().max(1) as f64;
        let mut act = self.net.activations();
        let mut loss = 0.0;
        for &e in batch {
            let (i, t) = self.examples[e];
            let s = &self.seqs[i];
            let x = self.input(&s[..t]);
            loss += self
                .net
                .loss_and_gradient(&self.theta, &x, s[t], scale, grad, &mut act);
        }
        loss * scale
    }
}

impl<E: InputEncoding> NextToken for FeedForwardModel<E> {
    fn vocab_size(&self) -> usize {
        self.vocab_size
    }
    fn next_distribution(&self, context: &[usize]) -> Vec<f64> {
        let mut act = self.net.activations();
        self.net
            .forward(&self.theta, &self.input(context), &mut act);
        act.p
    }
}

#[cfg(test)]
mod tests {
    use super::super::bag_of_words::BagOfWords;
    use super::super::window::WindowModel;
    use super::*;

    #[test]
    fn both_encodings_check_their_settings_and_sequences_alike() {
        let seqs = || vec![vec![0, 3, 4, 1], vec![0, 2, 1]];
        let cfg = |hidden, weight_scale| FeedForwardConfig {
            hidden,
            weight_scale,
            ..Default::default()
        };
        for (hidden, scale) in [(5000, 0.1), (0, -1.0), (0, f64::NAN)] {
            assert!(WindowModel::new(cfg(hidden, scale), 5, seqs()).is_err());
            assert!(BagOfWords::new(cfg(hidden, scale), 5, seqs()).is_err());
        }
        // An id past V, or nothing to predict.
        let e = BagOfWords::new(cfg(0, 0.1), 4, seqs()).unwrap_err();
        assert_eq!(e, EngineError::SymbolIndex { index: 4, size: 4 });
        let e = WindowModel::new(cfg(0, 0.1), 5, vec![vec![0], vec![]]).unwrap_err();
        assert_eq!(e, EngineError::TextTooShort { needed: 2 });
        // One example per prediction; biases start at 0; one hidden layer of H.
        let (w, b) = (
            WindowModel::new(cfg(3, 0.5), 5, seqs()).unwrap(),
            BagOfWords::new(cfg(3, 0.5), 5, seqs()).unwrap(),
        );
        assert_eq!((Model::examples(&w), Model::examples(&b)), (5, 5));
        assert_eq!(b.tensor("b_y"), Some(&[0.0; 5][..]));
        assert_eq!(w.tensor("b_h"), Some(&[0.0; 3][..]));
        assert_eq!((w.input_size(), b.input_size()), (2 * 6, 5));
    }
}
