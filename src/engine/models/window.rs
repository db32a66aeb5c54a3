//! Solution 1 (and 3) of the lecture's Exercise 2: predict the next token
//! from a fixed window of the N preceding tokens.
//!
//! ```text
//! x = [onehot(s_{t−N}); …; onehot(s_{t−1})]      D = N·(V + 1)
//! p(s_t | s_{t−N..t−1}) = softmax(W_xyᵀ x + b_y)  (or through one tanh layer, see feedforward)
//! ```
//!
//! Each slot is a one-hot over the V tokens plus one extra entry, "before
//! the start", for the positions a short context does not reach. Slot i
//! (0-based, oldest first) holds s_{t−N+i}. Every (slot, token) pair has its
//! own weights: nothing learned about a word in one slot carries over to
//! another, and the parameter count grows with N (the "very large window").

use super::feedforward::{SparseInput, SparseNet};
use super::next_word::{NextToken, examples};
use super::tokens::MAX_SENTENCE_TOKENS;
use super::{Model, Tensor};
use crate::engine::error::{EngineError, Result, non_negative_finite};
use crate::engine::params::check_hidden;
use serde::{Deserialize, Serialize};

/// Largest window: the longest sentence and its `<s>`.
pub const MAX_WINDOW: usize = MAX_SENTENCE_TOKENS + 1;

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
    pub(super) fn validate(&self) -> Result<()> {
        if self.hidden > 0 {
            check_hidden(self.hidden)?;
        }
        non_negative_finite("the weight scale", self.weight_scale)?;
        Ok(())
    }
}

/// Checks the sequences a model trains on: ids below `vocab`, at least one
/// prediction in all.
pub(super) fn check_sequences(seqs: &[Vec<usize>], vocab: usize) -> Result<()> {
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

/// The fixed-window model and its training sequences.
#[derive(Debug, Clone)]
pub struct WindowModel {
    config: FeedForwardConfig,
    vocab_size: usize,
    net: SparseNet,
    theta: Vec<f64>,
    seqs: Vec<Vec<usize>>,
    examples: Vec<(usize, usize)>,
}

impl WindowModel {
    /// A window of `config.window` tokens over a vocabulary of `vocab_size`,
    /// trained on every prediction of `seqs`.
    pub fn new(
        config: FeedForwardConfig,
        vocab_size: usize,
        seqs: Vec<Vec<usize>>,
    ) -> Result<Self> {
        config.validate()?;
        if !(1..=MAX_WINDOW).contains(&config.window) {
            return Err(EngineError::Invalid(format!(
                "the window must be 1 to {MAX_WINDOW} words, got {}",
                config.window
            )));
        }
        check_sequences(&seqs, vocab_size)?;
        let net = SparseNet::new(config.window * (vocab_size + 1), config.hidden, vocab_size);
        let theta = net.init(config.seed, config.weight_scale);
        Ok(Self {
            examples: examples(&seqs),
            config,
            vocab_size,
            net,
            theta,
            seqs,
        })
    }

    pub fn config(&self) -> &FeedForwardConfig {
        &self.config
    }

    /// D = N·(V + 1).
    pub fn input_size(&self) -> usize {
        self.net.inputs
    }

    /// Number of weights and biases.
    pub fn parameter_count(&self) -> usize {
        self.net.len()
    }

    /// The token in each slot for `context` (oldest first; None = before
    /// the start).
    pub fn slots(&self, context: &[usize]) -> Vec<Option<usize>> {
        let n = self.config.window;
        (0..n)
            .map(|i| (context.len() + i).checked_sub(n).map(|k| context[k]))
            .collect()
    }

    /// The indices of x's ones (one per slot): slot i, token w → i·(V + 1) + w,
    /// "before the start" → i·(V + 1) + V.
    pub fn input_indices(&self, context: &[usize]) -> Vec<usize> {
        let width = self.vocab_size + 1;
        self.slots(context)
            .into_iter()
            .enumerate()
            .map(|(i, w)| i * width + w.unwrap_or(self.vocab_size))
            .collect()
    }

    fn input(&self, context: &[usize]) -> SparseInput {
        self.input_indices(context)
            .into_iter()
            .map(|j| (j, 1.0))
            .collect()
    }
}

impl Model for WindowModel {
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

impl NextToken for WindowModel {
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
    use super::super::{check_gradient, gradient_ok};
    use super::*;

    fn seqs() -> Vec<Vec<usize>> {
        vec![
            vec![0, 3, 4, 5, 1],
            vec![0, 4, 3, 1],
            vec![0, 5, 5, 4, 3, 1],
        ]
    }

    #[test]
    fn slots_pad_before_the_start_and_parameters_grow_with_n() {
        let cfg = FeedForwardConfig {
            window: 3,
            ..Default::default()
        };
        let m = WindowModel::new(cfg, 6, seqs()).unwrap();
        assert_eq!(m.input_size(), 3 * 7);
        assert_eq!(m.slots(&[0, 3]), [None, Some(0), Some(3)]);
        assert_eq!(m.input_indices(&[0, 3]), [6, 7, 14 + 3]);
        assert_eq!(m.slots(&[0, 3, 4, 5]), [Some(3), Some(4), Some(5)]);
        let count = |n| {
            let cfg = FeedForwardConfig { window: n, ..cfg };
            WindowModel::new(cfg, 6, seqs()).unwrap().parameter_count()
        };
        assert_eq!(count(1), 7 * 6 + 6);
        assert_eq!(count(4), 4 * 7 * 6 + 6);
        assert_eq!(Model::examples(&m), 4 + 3 + 5);
        let p = m.next_distribution(&[0]);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn gradients_match_central_differences() {
        for hidden in [0, 4] {
            let cfg = FeedForwardConfig {
                window: 3,
                hidden,
                weight_scale: 0.5,
                seed: 3,
            };
            let mut m = WindowModel::new(cfg, 6, seqs()).unwrap();
            // Biases away from zero so their gradient is checked at a general point.
            let n = m.theta.len();
            m.theta[n - 1] = 0.3;
            let checks = check_gradient(&mut m, &[0, 2, 5, 9, 11], 40);
            assert!(gradient_ok(&checks), "hidden {hidden}: {checks:?}");
        }
    }

    #[test]
    fn bad_settings_are_refused() {
        let cfg = |window, hidden| FeedForwardConfig {
            window,
            hidden,
            ..Default::default()
        };
        assert!(WindowModel::new(cfg(0, 0), 6, seqs()).is_err());
        assert!(WindowModel::new(cfg(MAX_WINDOW + 1, 0), 6, seqs()).is_err());
        assert!(WindowModel::new(cfg(2, 5000), 6, seqs()).is_err());
        assert!(WindowModel::new(cfg(2, 0), 5, seqs()).is_err());
        assert!(WindowModel::new(cfg(2, 0), 6, vec![vec![0]]).is_err());
    }
}
