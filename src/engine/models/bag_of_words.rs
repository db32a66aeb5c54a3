//! Solution 2 of the lecture's Exercise 2: the whole prefix as a bag of
//! words.
//!
//! ```text
//! x_w = #{k < t : s_k = w}                     counts of every preceding token, D = V
//! p(s_t | s_0..s_{t−1}) = softmax(W_xyᵀ x + b_y) (or through one tanh layer, see feedforward)
//! ```
//!
//! The input has a fixed size whatever the prefix length, and it sees every
//! word however far back; but it forgets the order: two prefixes made of the
//! same words in another order are the same x, so they get the same
//! prediction.

use super::feedforward::{SparseInput, SparseNet};
use super::next_word::{NextToken, examples};
use super::window::{FeedForwardConfig, check_sequences};
use super::{Model, Tensor};
use crate::engine::error::Result;

/// The bag-of-words model and its training sequences.
#[derive(Debug, Clone)]
pub struct BagOfWords {
    config: FeedForwardConfig,
    vocab_size: usize,
    net: SparseNet,
    theta: Vec<f64>,
    seqs: Vec<Vec<usize>>,
    examples: Vec<(usize, usize)>,
}

impl BagOfWords {
    /// A bag over `vocab_size` tokens trained on every prediction of `seqs`
    /// (`config.window` is not used).
    pub fn new(
        config: FeedForwardConfig,
        vocab_size: usize,
        seqs: Vec<Vec<usize>>,
    ) -> Result<Self> {
        config.validate()?;
        check_sequences(&seqs, vocab_size)?;
        let net = SparseNet::new(vocab_size, config.hidden, vocab_size);
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

    /// D = V.
    pub fn input_size(&self) -> usize {
        self.net.inputs
    }

    /// Number of weights and biases.
    pub fn parameter_count(&self) -> usize {
        self.net.len()
    }

    /// x for `context`: the count of each token, dense, length V (what the
    /// page draws; equal for two orders of the same words).
    pub fn input_vector(&self, context: &[usize]) -> Vec<f64> {
        let mut x = vec![0.0; self.vocab_size];
        context.iter().for_each(|&w| x[w] += 1.0);
        x
    }

    /// x as (token, count) pairs in token order.
    fn input(&self, context: &[usize]) -> SparseInput {
        self.input_vector(context)
            .into_iter()
            .enumerate()
            .filter(|&(_, c)| c != 0.0)
            .collect()
    }
}

impl Model for BagOfWords {
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

impl NextToken for BagOfWords {
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
            vec![0, 3, 4, 3, 5, 1],
            vec![0, 4, 3, 1],
            vec![0, 5, 5, 4, 1],
        ]
    }

    #[test]
    fn two_orders_of_the_same_words_are_one_vector_and_one_prediction() {
        let cfg = FeedForwardConfig {
            hidden: 3,
            weight_scale: 0.5,
            ..Default::default()
        };
        let m = BagOfWords::new(cfg, 6, seqs()).unwrap();
        let (a, b) = ([0, 3, 4, 3, 5], [0, 5, 3, 3, 4]);
        assert_eq!(m.input_vector(&a), [1.0, 0.0, 0.0, 2.0, 1.0, 1.0]);
        assert_eq!(m.input_vector(&a), m.input_vector(&b));
        assert_eq!(m.next_distribution(&a), m.next_distribution(&b));
        assert_ne!(m.next_distribution(&a), m.next_distribution(&a[..4]));
        assert_eq!(
            (m.input_size(), m.parameter_count()),
            (6, 6 * 3 + 3 + 6 * 3 + 6)
        );
    }

    #[test]
    fn gradients_match_central_differences() {
        for hidden in [0, 4] {
            let cfg = FeedForwardConfig {
                hidden,
                weight_scale: 0.5,
                seed: 5,
                ..Default::default()
            };
            let mut m = BagOfWords::new(cfg, 6, seqs()).unwrap();
            let checks = check_gradient(&mut m, &[0, 3, 4, 6, 9, 10], 40);
            assert!(gradient_ok(&checks), "hidden {hidden}: {checks:?}");
        }
    }
}
