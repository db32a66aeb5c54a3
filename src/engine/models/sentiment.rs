//! The built-in sentiment split that the text CNN ("Recap") and the
//! many-to-one RNN ("Types of RNN") both train on and are scored on, so
//! their accuracies compare like with like:
//!
//! ```text
//! data/sentiment.txt   200 phrases, pos / neg
//! train                phrase i with (i + 1) % 5 ≠ 0     160 phrases
//! test                 phrase i with (i + 1) % 5 = 0      40 phrases
//! ```

use super::text::LabelledSet;
use serde::Serialize;

/// The built-in phrases, split once: `(train, test)` ([`LabelledSet::split`]).
pub fn sentiment_split() -> (LabelledSet, LabelledSet) {
    LabelledSet::sentiment().split()
}

/// Accuracy on both parts of the split (the fraction of phrases right).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SplitAccuracy {
    pub train: f64,
    pub test: f64,
    pub train_size: usize,
    pub test_size: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_split_is_four_in_five_and_covers_every_phrase_once() {
        let all = LabelledSet::sentiment();
        let (train, test) = sentiment_split();
        assert_eq!((train.examples.len(), test.examples.len()), (160, 40));
        assert_eq!(test.examples[0], all.examples[4]);
        assert_eq!(train.examples[4], all.examples[5]);
        assert_eq!(train.classes, all.classes);
    }
}
