//! The word tokeniser and the word side of the vocabulary: what stands in
//! front of every word-level model, as [`crate::engine::Vocab`] stands in
//! front of the character models.
//!
//! ```text
//! tokenize("This morning, I took the dog.")  →  [this, morning, ",", i, took, the, dog, "."]
//! words("This morning, I took the dog.")     →  [this, morning, i, took, the, dog]
//! ```
//!
//! Rules (deterministic, no locale): the text is lower-cased; a word is a run
//! of letters and digits, with an apostrophe kept inside it ("don't"); every
//! other visible character is a token of its own (punctuation, symbols,
//! emoji) for [`tokenize`], and is dropped by [`words`]; white space only
//! separates. The next-word models read punctuation; the embedding and
//! classifier models (word2vec, the text CNN, sentence vectors) read words.
//!
//! The vocabulary is one [`TokenVocab`] in order of first appearance. The
//! next-word models start it with three reserved tokens ([`next_word_vocab`]):
//! `<s>` (0) starts each sentence and pads windows before it, `</s>` (1) ends
//! each sentence, `<unk>` (2) stands for any word the vocabulary does not
//! hold (words of a typed prefix, or of test sentences, that training never
//! saw).

use crate::engine::error::{EngineError, Result};
pub use crate::engine::tokens::TokenVocab;
use serde::Serialize;

/// Longest text the tokeniser accepts, in bytes.
pub const MAX_TEXT_BYTES: usize = 200_000;
/// Largest vocabulary of the next-word models (reserved tokens included): a
/// one-hot per word is an input of this size, and a window of N words N times
/// that ([`LIMITS`](crate::engine::LIMITS)`.token_vocab`).
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

/// The one scanner behind [`tokenize`] and [`words`]: lower-case words, and
/// each other visible character as a token when `marks` is set.
fn scan(text: &str, marks: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let inner_apostrophe =
            c == '\'' && !word.is_empty() && chars.peek().is_some_and(|&n| is_word_char(n));
        if is_word_char(c) || inner_apostrophe {
            word.extend(c.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if marks && !c.is_whitespace() && !c.is_control() {
            out.push(c.to_lowercase().collect());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Splits `text` into lower-case words and punctuation tokens (see the
/// module doc for the rules). Errors on text longer than [`MAX_TEXT_BYTES`].
pub fn tokenize(text: &str) -> Result<Vec<String>> {
    check_size("text", text)?;
    Ok(scan(text, true))
}

/// The words of `text`: [`tokenize`]'s tokens without the punctuation (and
/// without its length check: callers check the size of what they were given
/// with [`check_size`]).
pub fn words(text: &str) -> Vec<String> {
    scan(text, false)
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

/// The vocabulary of the next-word models: `<s>`, `</s>`, `<unk>`, then the
/// tokens of `sentences` (already tokenised) in order of first appearance.
/// Errors when it would hold more than [`MAX_VOCAB`] tokens.
pub fn next_word_vocab<S: AsRef<str>>(sentences: &[Vec<S>]) -> Result<TokenVocab> {
    TokenVocab::from_appearance(&[START, END, UNK], sentences.iter().flatten(), MAX_VOCAB)
}

/// Token ids of a text, and the words that were not in the vocabulary
/// (each became `<unk>`), in order, without repeats.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Encoded {
    pub ids: Vec<usize>,
    pub unknown: Vec<String>,
}

/// The word side of the vocabulary: unknown words read as `<unk>` instead
/// of being errors.
impl TokenVocab {
    /// The token with id `i` (`<unk>` for an id out of range).
    pub fn word(&self, i: usize) -> &str {
        self.token(i).unwrap_or(UNK)
    }

    /// The tokens of `ids` (`<unk>` for an id out of range).
    pub fn decode(&self, ids: &[usize]) -> Vec<&str> {
        ids.iter().map(|&i| self.word(i)).collect()
    }

    /// Ids of `tokens`; unknown words become [`UNK_ID`] and are listed.
    pub fn encode_words<S: AsRef<str>>(&self, tokens: &[S]) -> Encoded {
        let mut unknown: Vec<String> = Vec::new();
        let ids = tokens
            .iter()
            .map(|t| {
                let t = t.as_ref();
                self.get(t).unwrap_or_else(|| {
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
        let mut e = self.encode_words(&tokens);
        e.ids.insert(0, START_ID);
        Ok(e)
    }

    /// The index of a typed `word` (its [`words`], so "Cat" finds "cat"), or
    /// a clear error for a word the model never saw.
    pub fn index_of_word(&self, word: &str) -> Result<usize> {
        let tokens = words(word);
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
        // words(): the same scan without the marks.
        assert_eq!(
            words("Don't -- stop!  'Now' 3.5🙂"),
            ["don't", "stop", "now", "3", "5"]
        );
        for text in [
            "The cat sat on floor.",
            "Don't stop!  'quoted' 3.5🙂",
            "a--b ,c",
        ] {
            let marks_dropped: Vec<String> = tokenize(text)
                .unwrap()
                .into_iter()
                .filter(|t| t.starts_with(is_word_char))
                .collect();
            assert_eq!(words(text), marks_dropped, "{text}");
        }
    }

    #[test]
    fn vocabulary_in_first_appearance_order_with_unknown_words() {
        let s = vec![
            tokenize("the dog ran.").unwrap(),
            tokenize("A dog!").unwrap(),
        ];
        let v = next_word_vocab(&s).unwrap();
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
        assert!(err.contains("the limit is 200 KB"), "{err}");
        let many: Vec<Vec<String>> = vec![(0..MAX_VOCAB).map(|i| format!("w{i}")).collect()];
        let err = next_word_vocab(&many).unwrap_err().to_string();
        assert!(err.contains("more than 1997 different words"), "{err}");
        let v = next_word_vocab::<String>(&[]).unwrap();
        assert_eq!(v.words(), [START, END, UNK]);
        let err = v
            .encode_prefix(&"x ".repeat(MAX_SENTENCE_TOKENS + 1))
            .unwrap_err();
        assert!(err.to_string().contains("at most"));
    }
}
