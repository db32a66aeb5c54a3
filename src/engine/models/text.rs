//! Text for the embedding and classifier models (word2vec, sentence
//! vectors, the text CNN, the many-to-one sentiment example): sentences of
//! words, a labelled-phrase loader with a fixed split, and the cap on their
//! vocabulary. The tokeniser and the vocabulary type are the next-word
//! models' ([`super::tokens`]): these models read its words without the
//! punctuation.
//!
//! ```text
//! "The cat sat on floor."  →  [the, cat, sat, on, floor]     lower-case, words only
//! vocab: [the, cat, sat, on, floor]                           index = first appearance
//! ```

pub use super::tokens::words as tokenize;
use super::tokens::{TokenVocab, check_size, words};
use crate::engine::error::{EngineError, Result};
use serde::Serialize;

/// Largest vocabulary (distinct words) of a corpus or a labelled set.
pub const MAX_WORDS: usize = 5_000;

/// The built-in labelled phrases, `pos\tphrase` or `neg\tphrase` per line.
pub const SENTIMENT: &str = include_str!("../../../data/sentiment.txt");

/// The sentences of `text`, each as its [`words`]: a sentence ends at a
/// line break or at `.`, `!`, `?` (so windows never reach across two
/// sentences). Sentences without words are dropped.
pub fn sentences(text: &str) -> Vec<Vec<String>> {
    text.split(['\n', '.', '!', '?'])
        .map(words)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The vocabulary of these models: any `reserved` words, then the words of
/// `sentences` in order of first appearance. Errors past [`MAX_WORDS`].
pub fn word_vocab<'a>(
    reserved: &[&str],
    sentences: impl IntoIterator<Item = &'a Vec<String>>,
) -> Result<TokenVocab> {
    TokenVocab::from_appearance(reserved, sentences.into_iter().flatten(), MAX_WORDS)
}

/// One labelled phrase: its class index and its words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Labelled {
    pub label: usize,
    pub words: Vec<String>,
}

/// Labelled phrases with class names in order of first appearance, e.g.
/// `["pos", "neg"]` for the built-in sentiment set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelledSet {
    pub classes: Vec<String>,
    pub examples: Vec<Labelled>,
}

/// Every `TEST_EVERY`-th line (the 5th, 10th, …) of a labelled set is a test
/// example, the others train: a fixed split every model shares.
pub const TEST_EVERY: usize = 5;

impl LabelledSet {
    /// Parses `label<TAB>phrase` lines. Blank lines and lines starting with
    /// `#` are skipped; a line without a tab or without words is an error
    /// naming its line number.
    pub fn parse(text: &str) -> Result<Self> {
        check_size("labelled text", text)?;
        let mut classes: Vec<String> = Vec::new();
        let mut examples = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((label, phrase)) = line.split_once('\t') else {
                return Err(EngineError::Invalid(format!(
                    "line {}: expected a label, a tab and a phrase",
                    n + 1
                )));
            };
            let words = words(phrase);
            if words.is_empty() {
                return Err(EngineError::Invalid(format!(
                    "line {}: the phrase has no words",
                    n + 1
                )));
            }
            let label = label.trim();
            let index = match classes.iter().position(|c| c == label) {
                Some(i) => i,
                None => {
                    classes.push(label.to_string());
                    classes.len() - 1
                }
            };
            examples.push(Labelled {
                label: index,
                words,
            });
        }
        if classes.len() < 2 {
            return Err(EngineError::Invalid(
                "a labelled set needs phrases of at least two classes".into(),
            ));
        }
        Ok(Self { classes, examples })
    }

    /// The built-in sentiment phrases ([`SENTIMENT`]).
    pub fn sentiment() -> Self {
        Self::parse(SENTIMENT).expect("the built-in sentiment set parses")
    }

    /// (train, test): example i is a test example when (i + 1) % [`TEST_EVERY`] == 0.
    pub fn split(&self) -> (Self, Self) {
        let (mut train, mut test) = (Vec::new(), Vec::new());
        for (i, e) in self.examples.iter().enumerate() {
            if (i + 1) % TEST_EVERY == 0 {
                test.push(e.clone());
            } else {
                train.push(e.clone());
            }
        }
        let part = |examples| Self {
            classes: self.classes.clone(),
            examples,
        };
        (part(train), part(test))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_words_without_punctuation() {
        assert_eq!(
            tokenize("The cat sat on floor."),
            ["the", "cat", "sat", "on", "floor"]
        );
        assert_eq!(tokenize("Don't -- stop!  'Now'"), ["don't", "stop", "now"]);
        assert!(tokenize("  ,.;  ").is_empty());
        assert_eq!(
            sentences("A b. C d!\n\nE"),
            [vec!["a", "b"], vec!["c", "d"], vec!["e"]]
        );
    }

    #[test]
    fn vocabulary_is_in_first_appearance_order_and_refuses_unknown_words() {
        let s = sentences("the cat sat on the floor");
        let v = word_vocab(&["<unk>"], &s).unwrap();
        assert_eq!(v.words(), ["<unk>", "the", "cat", "sat", "on", "floor"]);
        assert_eq!(v.index_of_word("Cat").unwrap(), 2);
        let e = v.index_of_word("dog").unwrap_err().to_string();
        assert!(e.contains("\"dog\" is not in the vocabulary"), "{e}");
        assert!(v.index_of_word("two words").is_err());
    }

    #[test]
    fn caps_give_clear_errors() {
        let huge = "word ".repeat(super::super::tokens::MAX_TEXT_BYTES / 4);
        assert!(
            check_size("corpus", &huge)
                .unwrap_err()
                .to_string()
                .contains("limit")
        );
        let many: Vec<Vec<String>> = vec![(0..MAX_WORDS + 1).map(|i| format!("w{i}")).collect()];
        let e = word_vocab(&[], &many).unwrap_err().to_string();
        assert!(e.contains("5000 different words"), "{e}");
    }

    #[test]
    fn the_sentiment_set_parses_and_splits_one_in_five() {
        let set = LabelledSet::sentiment();
        assert_eq!(set.classes, ["pos", "neg"]);
        assert!(set.examples.len() >= 180, "{}", set.examples.len());
        let (train, test) = set.split();
        assert_eq!(test.examples.len(), set.examples.len() / TEST_EVERY);
        assert_eq!(
            train.examples.len() + test.examples.len(),
            set.examples.len()
        );
        assert_eq!(test.examples[0], set.examples[4]);
        assert!(LabelledSet::parse("pos\tgood\nno tab here").is_err());
        assert!(LabelledSet::parse("pos\tgood\npos\tfine").is_err());
        assert!(LabelledSet::parse("pos\t...\nneg\tbad").is_err());
    }
}
