//! The training windows of word2vec: which words are the input and which
//! the target at each position of a sentence, for CBOW (the context predicts
//! the middle word) and skip-gram (the middle word predicts each neighbour).
//!
//! ```text
//! "the cat sat on floor", window 2, position 2:
//! CBOW       [the, cat, on, floor] → sat
//! skip-gram  sat → the, sat → cat, sat → on, sat → floor     (four examples)
//! ```

use super::text::word_vocab;
use super::tokens::{check_size, words};
use crate::engine::error::{EngineError, Result};
use serde::Serialize;

/// Largest window (words on each side).
pub const MAX_WINDOW: usize = 5;

/// CBOW at one position: the context words predict the middle one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CbowWindow {
    /// Positions (into [`Windows::words`]) of the context, in sentence order.
    pub inputs: Vec<usize>,
    /// The position of the middle word.
    pub target: usize,
}

/// Skip-gram at one position: the word predicts each neighbour, one
/// training example per (input, target) pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkipGramWindow {
    pub input: usize,
    pub targets: Vec<usize>,
}

/// The training windows of one sentence, for the animation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Windows {
    pub words: Vec<String>,
    /// The sentence's own vocabulary (first-appearance order) ...
    pub vocab: Vec<String>,
    /// ... and each position's index in it.
    pub ids: Vec<usize>,
    pub cbow: Vec<CbowWindow>,
    pub skip_gram: Vec<SkipGramWindow>,
}

pub(super) fn check_window(window: usize) -> Result<()> {
    if !(1..=MAX_WINDOW).contains(&window) {
        return Err(EngineError::Invalid(format!(
            "the window must be 1 to {MAX_WINDOW} words on each side, got {window}"
        )));
    }
    Ok(())
}

/// The context positions of `t` in a sentence of `n` words.
pub(super) fn context(t: usize, n: usize, window: usize) -> Vec<usize> {
    (t.saturating_sub(window)..(t + window + 1).min(n))
        .filter(|&j| j != t)
        .collect()
}

/// Every position's CBOW window and skip-gram pairs in `sentence` ("The cat
/// sat on floor", window 2: CBOW at "sat" is [the, cat, on, floor] → sat).
pub fn training_windows(sentence: &str, window: usize) -> Result<Windows> {
    check_window(window)?;
    check_size("sentence", sentence)?;
    let words = words(sentence);
    if words.len() < 2 {
        return Err(EngineError::Invalid(
            "the sentence needs at least two words to have a window".into(),
        ));
    }
    let vocab = word_vocab(&[], [&words])?;
    let ids = words.iter().map(|w| vocab.get(w).unwrap_or(0)).collect();
    let n = words.len();
    Ok(Windows {
        cbow: (0..n)
            .map(|t| CbowWindow {
                inputs: context(t, n, window),
                target: t,
            })
            .collect(),
        skip_gram: (0..n)
            .map(|t| SkipGramWindow {
                input: t,
                targets: context(t, n, window),
            })
            .collect(),
        vocab: vocab.words().to_vec(),
        ids,
        words,
    })
}
