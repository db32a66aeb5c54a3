//! Words for the word-level models (word2vec, sentence vectors, the text
//! CNN, the many-to-one sentiment example): a tokenizer, a word vocabulary in
//! first-appearance order, a labelled-phrase loader with a fixed split, and
//! the caps that keep a huge pasted corpus from freezing the page.
//!
//! ```text
//! "The cat sat on floor."  →  [the, cat, sat, on, floor]     lower-case, words only
//! vocab: [the, cat, sat, on, floor]                           index = first appearance
//! ```

use crate::engine::error::{EngineError, Result};
use serde::Serialize;
use std::collections::HashMap;

/// Largest text (bytes of UTF-8) a corpus or a labelled set may have.
pub const MAX_TEXT_BYTES: usize = 200_000;
/// Largest vocabulary (distinct words) a corpus may have.
pub const MAX_VOCAB: usize = 5_000;

/// The built-in labelled phrases, `pos\tphrase` or `neg\tphrase` per line.
pub const SENTIMENT: &str = include_str!("../../../data/sentiment.txt");

/// The words of `text`: lower-cased runs of letters and digits; an apostrophe
/// inside a word is kept ("don't"), every other character separates words
/// and is dropped.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if c == '\'' && !word.is_empty() && chars.peek().is_some_and(|n| n.is_alphanumeric())
        {
            word.push('\'');
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// The sentences of `text`, each tokenized: a sentence ends at a line break
/// or at `.`, `!`, `?` (so windows never reach across two sentences).
/// Sentences without words are dropped.
pub fn sentences(text: &str) -> Vec<Vec<String>> {
    text.split(['\n', '.', '!', '?'])
        .map(tokenize)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Refuses text over [`MAX_TEXT_BYTES`], naming what it was.
pub fn check_size(what: &str, text: &str) -> Result<()> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(EngineError::Invalid(format!(
            "the {what} is {} KB; the limit is {} KB: paste a shorter text",
            text.len().div_ceil(1000),
            MAX_TEXT_BYTES / 1000
        )));
    }
    Ok(())
}

/// Words and their indices, in order of first appearance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WordVocab {
    words: Vec<String>,
    index: HashMap<String, usize>,
}

impl WordVocab {
    /// The vocabulary of `sentences` (after any `reserved` words, which take
    /// indices 0, 1, …). Errors past [`MAX_VOCAB`] words.
    pub fn build<'a>(
        reserved: &[&str],
        sentences: impl IntoIterator<Item = &'a Vec<String>>,
    ) -> Result<Self> {
        let mut v = Self::default();
        for w in reserved {
            v.insert(w);
        }
        for s in sentences {
            for w in s {
                v.insert(w);
                if v.len() > MAX_VOCAB {
                    return Err(EngineError::Invalid(format!(
                        "the text has more than {MAX_VOCAB} different words: paste a shorter text"
                    )));
                }
            }
        }
        Ok(v)
    }

    fn insert(&mut self, w: &str) {
        if !self.index.contains_key(w) {
            self.index.insert(w.to_string(), self.words.len());
            self.words.push(w.to_string());
        }
    }

    /// V, the number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The words in index order.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// The index of `word`, if it is in the vocabulary.
    pub fn get(&self, word: &str) -> Option<usize> {
        self.index.get(word).copied()
    }

    /// The index of `word` (after tokenizing it, so "Cat" finds "cat"), or a
    /// clear error for a word the model never saw.
    pub fn index_of(&self, word: &str) -> Result<usize> {
        let tokens = tokenize(word);
        let [w] = tokens.as_slice() else {
            return Err(EngineError::Invalid(format!(
                "{word:?} is not one word: type a single word"
            )));
        };
        self.get(w).ok_or_else(|| {
            EngineError::Invalid(format!(
                "the word {w:?} is not in the vocabulary of {} words",
                self.len()
            ))
        })
    }
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
            let words = tokenize(phrase);
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
    fn tokenizer_lowercases_and_drops_punctuation() {
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
        let v = WordVocab::build(&["<unk>"], &s).unwrap();
        assert_eq!(v.words(), ["<unk>", "the", "cat", "sat", "on", "floor"]);
        assert_eq!(v.index_of("Cat").unwrap(), 2);
        let e = v.index_of("dog").unwrap_err().to_string();
        assert!(e.contains("\"dog\" is not in the vocabulary"), "{e}");
        assert!(v.index_of("two words").is_err());
    }

    #[test]
    fn caps_give_clear_errors() {
        let huge = "word ".repeat(MAX_TEXT_BYTES / 4);
        assert!(
            check_size("corpus", &huge)
                .unwrap_err()
                .to_string()
                .contains("limit")
        );
        let many: Vec<Vec<String>> = vec![(0..MAX_VOCAB + 1).map(|i| format!("w{i}")).collect()];
        let e = WordVocab::build(&[], &many).unwrap_err().to_string();
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
