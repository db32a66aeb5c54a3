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

use super::feedforward::SparseInput;
pub use super::feedforward_model::FeedForwardConfig;
use super::feedforward_model::{FeedForwardModel, InputEncoding};
use super::next_word::NextToken;
use super::tokens::MAX_SENTENCE_TOKENS;
use crate::engine::error::{EngineError, Result};

/// Largest window: the longest sentence and its `<s>`.
pub const MAX_WINDOW: usize = MAX_SENTENCE_TOKENS + 1;

/// The fixed-window encoding: N one-hot slots of V + 1 entries.
#[derive(Debug, Clone, Copy)]
pub struct Window;

/// The fixed-window model and its training sequences.
pub type WindowModel = FeedForwardModel<Window>;

impl InputEncoding for Window {
    /// D = N·(V + 1); N must be 1 to [`MAX_WINDOW`].
    fn input_size(config: &FeedForwardConfig, vocab_size: usize) -> Result<usize> {
        if !(1..=MAX_WINDOW).contains(&config.window) {
            return Err(EngineError::Invalid(format!(
                "the window must be 1 to {MAX_WINDOW} words, got {}",
                config.window
            )));
        }
        Ok(config.window * (vocab_size + 1))
    }

    fn encode(config: &FeedForwardConfig, vocab_size: usize, context: &[usize]) -> SparseInput {
        input_indices(config.window, vocab_size, context)
            .into_iter()
            .map(|j| (j, 1.0))
            .collect()
    }
}

/// The token in each of `n` slots for `context` (oldest first; None =
/// before the start).
fn slots(n: usize, context: &[usize]) -> Vec<Option<usize>> {
    (0..n)
        .map(|i| (context.len() + i).checked_sub(n).map(|k| context[k]))
        .collect()
}

/// The indices of x's ones (one per slot): slot i, token w → i·(V + 1) + w,
/// "before the start" → i·(V + 1) + V.
fn input_indices(n: usize, vocab_size: usize, context: &[usize]) -> Vec<usize> {
    let width = vocab_size + 1;
    slots(n, context)
        .into_iter()
        .enumerate()
        .map(|(i, w)| i * width + w.unwrap_or(vocab_size))
        .collect()
}

impl WindowModel {
    /// The token in each slot for `context` (oldest first; None = before
    /// the start).
    pub fn slots(&self, context: &[usize]) -> Vec<Option<usize>> {
        slots(self.config().window, context)
    }

    /// The indices of x's ones (one per slot): slot i, token w → i·(V + 1) + w,
    /// "before the start" → i·(V + 1) + V.
    pub fn input_indices(&self, context: &[usize]) -> Vec<usize> {
        input_indices(self.config().window, self.vocab_size(), context)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Model, check_gradient, gradient_ok};
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
            let n = m.params().len();
            m.params_mut()[n - 1] = 0.3;
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
