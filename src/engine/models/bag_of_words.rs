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

use super::feedforward::SparseInput;
use super::feedforward_model::{FeedForwardModel, InputEncoding};
use super::next_word::NextToken;
use super::window::FeedForwardConfig;
use crate::engine::error::Result;

/// The bag-of-words encoding: the count of every token, D = V
/// (`config.window` is not used).
#[derive(Debug, Clone, Copy)]
pub struct Bag;

/// The bag-of-words model and its training sequences.
pub type BagOfWords = FeedForwardModel<Bag>;

impl InputEncoding for Bag {
    fn input_size(_: &FeedForwardConfig, vocab_size: usize) -> Result<usize> {
        Ok(vocab_size)
    }

    /// x as (token, count) pairs in token order.
    fn encode(_: &FeedForwardConfig, vocab_size: usize, context: &[usize]) -> SparseInput {
        counts(vocab_size, context)
            .into_iter()
            .enumerate()
            .filter(|&(_, c)| c != 0.0)
            .collect()
    }
}

/// The count of each of `vocab_size` tokens in `context`, dense.
fn counts(vocab_size: usize, context: &[usize]) -> Vec<f64> {
    let mut x = vec![0.0; vocab_size];
    context.iter().for_each(|&w| x[w] += 1.0);
    x
}

impl BagOfWords {
    /// x for `context`: the count of each token, dense, length V (what the
    /// page draws; equal for two orders of the same words).
    pub fn input_vector(&self, context: &[usize]) -> Vec<f64> {
        counts(self.vocab_size(), context)
    }
}

#[cfg(test)]
mod tests {
    use super::super::check_gradient;
    use super::super::gradient_ok;
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
