//! Word tokenisation and the word vocabulary: the tokeniser that stands in
//! front of the word-level models, as [`crate::engine::Vocab`] stands in front
//! of the character models.
//!
//! ```text
//! "This morning, I took the dog."  →  [this, morning, ",", i, took, the, dog, "."]
//! ```
//!
//! Rules (deterministic, no locale): the text is lower-cased; a word is a run
//! of letters and digits, with an apostrophe kept inside it ("don't"); every
//! other visible character is a token of its own (punctuation, symbols,
//! emoji); white space only separates.
//!
//! The vocabulary starts with three reserved tokens, then every word in order
//! of first appearance: `<s>` (0) starts each sentence and pads windows before
//! it, `</s>` (1) ends each sentence, `<unk>` (2) stands for any word the
//! vocabulary does not hold (words of a typed prefix, or of test sentences,
//! that training never saw).

use crate::engine::error::{EngineError, Result};
use serde::Serialize;
use std::collections::HashMap;

/// Longest text the tokeniser accepts, in bytes.
pub const MAX_TEXT_BYTES: usize = 200_000;
/// Largest vocabulary (reserved tokens included): a one-hot per word is an
/// input of this size, and a window of N words N times that
/// ([`LIMITS`](crate::engine::LIMITS)`.token_vocab`).
pub const MAX_VOCAB: usize = crate::engine::LIMITS.token_vocab;
/// Longest sentence, in tokens (without `<s>` and `</s>`).
pub const MAX_SENTENCE_TOKENS: usize = 64;

/// Start of sentence; also the padding of a window before the start.
pub const START: &str = "<s>";
/// End of sentence.
pub const END: &str = "</s>";
/// Any word outside the vocabulary.
pub const UNK: &str = "<unk>";
pub const START_ID: usize = 0;
pub const END_ID: usize = 1;
pub const UNK_ID: usize = 2;

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Splits `text` into lower-case tokens (see the module doc for the rules).
/// Errors on text longer than [`MAX_TEXT_BYTES`].
pub fn tokenize(text: &str) -> Result<Vec<String>> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(EngineError::Invalid(format!(
            "the text is too long to tokenise: {} bytes, at most {MAX_TEXT_BYTES}",
            text.len()
        )));
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let inner_apostrophe =
            c == '\'' && !word.is_empty() && chars.get(i + 1).is_some_and(|&n| is_word_char(n));
        if is_word_char(c) || inner_apostrophe {
            word.extend(c.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if !c.is_whitespace() && !c.is_control() {
            out.push(c.to_lowercase().collect());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    Ok(out)
}

/// Joins tokens back into text: a space between words, none before
/// punctuation (the reserved tokens are written as they are).
pub fn detokenize<S: AsRef<str>>(tokens: &[S]) -> String {
    let mut out = String::new();
    for t in tokens {
        let t = t.as_ref();
        let is_punct = t.chars().count() == 1 && !t.chars().all(is_word_char);
        if !out.is_empty() && !is_punct {
            out.push(' ');
        }
        out.push_str(t);
    }
    out
}

/// Words ↔ ids: the reserved tokens, then words in order of first appearance.
#[derive(Debug, Clone, PartialEq)]
pub struct WordVocab {
    words: Vec<String>,
    index: HashMap<String, usize>,
}

/// Token ids of a text, and the words that were not in the vocabulary
/// (each became `<unk>`), in order, without repeats.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Encoded {
    pub ids: Vec<usize>,
    pub unknown: Vec<String>,
}

impl WordVocab {
    /// The vocabulary of `sentences` (already tokenised). Errors when it
    /// would hold more than [`MAX_VOCAB`] tokens.
    pub fn from_sentences<S: AsRef<str>>(sentences: &[Vec<S>]) -> Result<Self> {
        let mut v = Self {
            words: Vec::new(),
            index: HashMap::new(),
        };
        for w in [START, END, UNK] {
            v.insert(w);
        }
        for w in sentences.iter().flatten() {
            v.insert(w.as_ref());
            if v.len() > MAX_VOCAB {
                return Err(EngineError::Invalid(format!(
                    "the text has too many different words: at most {MAX_VOCAB} (with the reserved <s>, </s>, <unk>)"
                )));
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

    /// V, reserved tokens included.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Never true: the reserved tokens are always there.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// All tokens in id order.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// The token with id `i` (`<unk>` for an id out of range).
    pub fn word(&self, i: usize) -> &str {
        self.words.get(i).map_or(UNK, String::as_str)
    }

    /// The id of `w`, if the vocabulary holds it.
    pub fn id(&self, w: &str) -> Option<usize> {
        self.index.get(w).copied()
    }

    /// Ids of `tokens`; unknown words become `<unk>` and are listed.
    pub fn encode<S: AsRef<str>>(&self, tokens: &[S]) -> Encoded {
        let mut unknown: Vec<String> = Vec::new();
        let ids = tokens
            .iter()
            .map(|t| {
                let t = t.as_ref();
                self.id(t).unwrap_or_else(|| {
                    if !unknown.iter().any(|u| u == t) {
                        unknown.push(t.to_string());
                    }
                    UNK_ID
                })
            })
            .collect();
        Encoded { ids, unknown }
    }

    /// A typed prefix as model context: `<s>` followed by its tokens.
    /// Errors on a prefix longer than [`MAX_SENTENCE_TOKENS`] tokens.
    pub fn encode_prefix(&self, text: &str) -> Result<Encoded> {
        let tokens = tokenize(text)?;
        check_sentence_length(tokens.len())?;
        let mut e = self.encode(&tokens);
        e.ids.insert(0, START_ID);
        Ok(e)
    }

    /// The tokens of `ids`.
    pub fn decode(&self, ids: &[usize]) -> Vec<&str> {
        ids.iter().map(|&i| self.word(i)).collect()
    }
}

/// A sentence may hold at most [`MAX_SENTENCE_TOKENS`] tokens.
pub fn check_sentence_length(tokens: usize) -> Result<()> {
    if tokens > MAX_SENTENCE_TOKENS {
        return Err(EngineError::Invalid(format!(
            "a sentence can have at most {MAX_SENTENCE_TOKENS} words and punctuation marks, this one has {tokens}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_case_words_and_punctuation_tokens() {
        let t = tokenize("This morning, I took the DOG for a walk.").unwrap();
        assert_eq!(
            t,
            [
                "this", "morning", ",", "i", "took", "the", "dog", "for", "a", "walk", "."
            ]
        );
        assert_eq!(
            tokenize("Don't stop!  'quoted' 3.5🙂").unwrap(),
            [
                "don't", "stop", "!", "'", "quoted", "'", "3", ".", "5", "🙂"
            ]
        );
        assert!(tokenize(" \n\t").unwrap().is_empty());
        assert_eq!(detokenize(&t), "this morning, i took the dog for a walk.");
    }

    #[test]
    fn vocabulary_in_first_appearance_order_with_unknown_words() {
        let s = vec![
            tokenize("the dog ran.").unwrap(),
            tokenize("A dog!").unwrap(),
        ];
        let v = WordVocab::from_sentences(&s).unwrap();
        assert_eq!(
            v.words(),
            ["<s>", "</s>", "<unk>", "the", "dog", "ran", ".", "a", "!"]
        );
        let e = v.encode_prefix("The cat and the CAT ran").unwrap();
        assert_eq!(e.ids, [START_ID, 3, UNK_ID, UNK_ID, 3, UNK_ID, 5]);
        assert_eq!(e.unknown, ["cat", "and"]);
        assert_eq!(v.decode(&e.ids[..2]), ["<s>", "the"]);
        assert_eq!(v.word(99), UNK);
    }

    #[test]
    fn caps_give_clear_errors() {
        let long = "a ".repeat(MAX_TEXT_BYTES);
        let err = tokenize(&long).unwrap_err().to_string();
        assert!(err.contains("too long"), "{err}");
        let many: Vec<Vec<String>> = vec![(0..MAX_VOCAB).map(|i| format!("w{i}")).collect()];
        let err = WordVocab::from_sentences(&many).unwrap_err().to_string();
        assert!(err.contains("too many different words"), "{err}");
        let v = WordVocab::from_sentences::<String>(&[]).unwrap();
        let err = v
            .encode_prefix(&"x ".repeat(MAX_SENTENCE_TOKENS + 1))
            .unwrap_err();
        assert!(err.to_string().contains("at most"));
    }
}
