//! Token vocabularies: one one-hot position per token, where a token may be
//! more than one character — a class symbol such as `<cat>`, or a word.
//!
//! The character [`Vocab`] stays the vocabulary of text sessions; a
//! [`TokenVocab`] is the one vocabulary of everything else: the symbols of
//! masked examples (the types of RNN) and of `rnn-lab eval`, and the words of
//! every word-level model (built in order of first appearance by
//! [`TokenVocab::from_appearance`]; the word tokeniser and the word-side
//! helpers such as `encode_prefix` are in [`crate::engine::models::tokens`]).
//! Every character vocabulary is also a token vocabulary
//! (`TokenVocab::from(&vocab)`: each character one token, same order).
//!
//! ```text
//! from_appearance(["<unk>"], [the, cat, sat, on, the, floor])
//!   → [<unk>, the, cat, sat, on, floor]        index = reserved first, then first appearance
//! ```

use super::error::{EngineError, Result};
use super::limits::LIMITS;
use super::vocab::Vocab;
use ndarray::Array1;
use std::collections::HashMap;

/// An ordered set of distinct, non-empty tokens and the index of each.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenVocab {
    tokens: Vec<String>,
    index: HashMap<String, usize>,
}

impl TokenVocab {
    /// The vocabulary of exactly these tokens, in this order. Errors on an
    /// empty list, an empty token, a token given twice (it would need two
    /// one-hot positions) or more than [`LIMITS`]`.token_vocab` tokens.
    pub fn new<S: Into<String>>(tokens: impl IntoIterator<Item = S>) -> Result<Self> {
        // One past the limit is enough to refuse: the rest is never collected.
        let tokens: Vec<String> = tokens
            .into_iter()
            .take(LIMITS.token_vocab + 1)
            .map(Into::into)
            .collect();
        if tokens.len() > LIMITS.token_vocab {
            return Err(EngineError::TooLarge {
                name: "the vocabulary (tokens)",
                got: tokens.len(),
                max: LIMITS.token_vocab,
            });
        }
        if tokens.is_empty() {
            return Err(EngineError::Invalid(
                "the vocabulary needs at least one token".into(),
            ));
        }
        let mut index = HashMap::with_capacity(tokens.len());
        for (i, t) in tokens.iter().enumerate() {
            if t.is_empty() {
                return Err(EngineError::Invalid(format!(
                    "token {i} of the vocabulary is empty"
                )));
            }
            if index.insert(t.clone(), i).is_some() {
                return Err(EngineError::Invalid(format!(
                    "the token {t:?} is in the vocabulary twice"
                )));
            }
        }
        Ok(Self { tokens, index })
    }

    /// `reserved` (indices 0, 1, …), then the distinct tokens of `tokens`
    /// in order of first appearance (as [`Vocab::from_text`] does for
    /// characters). Errors, naming the text's distinct words, as soon as it
    /// would hold more than `max` tokens; an empty vocabulary is allowed (the
    /// caller says what its text lacks).
    ///
    /// One pass with a hash map: O(n) expected.
    pub fn from_appearance<S: AsRef<str>>(
        reserved: &[&str],
        tokens: impl IntoIterator<Item = S>,
        max: usize,
    ) -> Result<Self> {
        let mut v = Self {
            tokens: Vec::new(),
            index: HashMap::new(),
        };
        // The message counts words, not the reserved tokens the text never wrote.
        let max_words = max.saturating_sub(reserved.len());
        let reserved = reserved.iter().map(|r| r.to_string());
        for t in reserved.chain(tokens.into_iter().map(|t| t.as_ref().to_string())) {
            if v.index.contains_key(&t) {
                continue;
            }
            if v.tokens.len() == max {
                return Err(EngineError::Invalid(format!(
                    "the text has more than {max_words} different words: paste a shorter text"
                )));
            }
            v.index.insert(t.clone(), v.tokens.len());
            v.tokens.push(t);
        }
        Ok(v)
    }

    /// V, the number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether there are no tokens (never true for a built vocabulary).
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The tokens in index order.
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }

    /// The tokens in index order, under the name the word models use.
    pub fn words(&self) -> &[String] {
        &self.tokens
    }

    /// The token at index `i`.
    pub fn token(&self, i: usize) -> Result<&str> {
        self.tokens
            .get(i)
            .map(String::as_str)
            .ok_or(EngineError::SymbolIndex {
                index: i,
                size: self.len(),
            })
    }

    /// The index of `token`, if the vocabulary holds it.
    pub fn get(&self, token: &str) -> Option<usize> {
        self.index.get(token).copied()
    }

    /// The index of `token`.
    pub fn index_of(&self, token: &str) -> Result<usize> {
        self.index
            .get(token)
            .copied()
            .ok_or_else(|| EngineError::UnknownToken(token.to_string()))
    }

    /// Every token as its index.
    pub fn encode<S: AsRef<str>>(&self, tokens: &[S]) -> Result<Vec<usize>> {
        tokens.iter().map(|t| self.index_of(t.as_ref())).collect()
    }

    /// Every token as its index, `None` (no input, or no target) kept as `None`.
    pub fn encode_masked<S: AsRef<str>>(&self, tokens: &[Option<S>]) -> Result<Vec<Option<usize>>> {
        tokens
            .iter()
            .map(|t| t.as_ref().map(|t| self.index_of(t.as_ref())).transpose())
            .collect()
    }

    /// x = one-hot(i): shape \[V\], 1 at i, 0 elsewhere.
    pub fn one_hot(&self, i: usize) -> Result<Array1<f64>> {
        self.token(i)?;
        let mut x = Array1::zeros(self.len());
        x[i] = 1.0;
        Ok(x)
    }
}

impl From<&Vocab> for TokenVocab {
    /// Each character one token, in the same order (a character vocabulary
    /// never repeats a symbol, so the indices are the same).
    fn from(vocab: &Vocab) -> Self {
        let tokens: Vec<String> = vocab.symbols().iter().map(char::to_string).collect();
        let index = tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i))
            .collect();
        Self { tokens, index }
    }
}

/// Splits `text` into tokens: `<name>` (no spaces or `<` inside) is one
/// token, every other character is a token of its own.
///
/// `"<cat>cat."` → `["<cat>", "c", "a", "t", "."]`; a `<` that does not open
/// such a tag is an ordinary character. For words, split on white space instead.
pub fn split_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let tag = (c == '<')
            .then(|| {
                rest[1..]
                    .find(['>', '<'])
                    .filter(|&e| rest.as_bytes()[1 + e] == b'>')
            })
            .flatten()
            .map(|e| &rest[..e + 2])
            .filter(|t| t.len() > 2 && !t.chars().any(char::is_whitespace));
        let token = tag.unwrap_or(&rest[..c.len_utf8()]);
        out.push(token.to_string());
        rest = &rest[token.len()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_one_hot_positions() {
        let v = TokenVocab::new(["<cat>", "c", "a", "t", "."]).unwrap();
        assert_eq!(v.len(), 5);
        assert_eq!(v.index_of("<cat>").unwrap(), 0);
        assert_eq!(v.encode(&["c", "a", "t"]).unwrap(), vec![1, 2, 3]);
        assert_eq!(
            v.encode_masked(&[Some("<cat>"), None, Some(".")]).unwrap(),
            vec![Some(0), None, Some(4)]
        );
        assert_eq!(v.decode(&[0, 4]), vec!["<cat>", "."]);
        assert_eq!((v.get("t"), v.get("<dog>")), (Some(3), None));
        assert_eq!(
            v.one_hot(0).unwrap().to_vec(),
            vec![1.0, 0.0, 0.0, 0.0, 0.0]
        );
        assert_eq!(
            v.index_of("<dog>"),
            Err(EngineError::UnknownToken("<dog>".into()))
        );
        assert!(v.one_hot(5).is_err());
        let text = "the film was good the end".split(' ');
        let words = TokenVocab::from_appearance(&[], text.clone(), 5).unwrap();
        assert_eq!(words.tokens(), &["the", "film", "was", "good", "end"]);
        let words = TokenVocab::from_appearance(&["<unk>", "the"], text.clone(), 6).unwrap();
        assert_eq!(
            words.words(),
            &["<unk>", "the", "film", "was", "good", "end"]
        );
        let e = TokenVocab::from_appearance(&["<unk>"], text, 5).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the text has more than 4 different words: paste a shorter text"
        );
        assert!(
            TokenVocab::from_appearance(&[], [""; 0], 5)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn bad_vocabularies_are_errors() {
        assert!(TokenVocab::new(Vec::<String>::new()).is_err());
        assert!(TokenVocab::new(["a", ""]).is_err());
        assert!(TokenVocab::new(["a", "b", "a"]).is_err());
    }

    #[test]
    fn a_character_vocabulary_is_a_token_vocabulary() {
        let chars = Vocab::from_text("hello").unwrap();
        let tokens = TokenVocab::from(&chars);
        assert_eq!(tokens.tokens(), &["h", "e", "l", "o"]);
        assert_eq!(
            tokens.encode(&["l", "o"]).unwrap(),
            chars.encode("lo").unwrap()
        );
    }

    #[test]
    fn tags_are_single_tokens() {
        assert_eq!(split_tokens("<cat>cat."), ["<cat>", "c", "a", "t", "."]);
        assert_eq!(split_tokens("a<b"), ["a", "<", "b"]);
        assert_eq!(split_tokens("<>x"), ["<", ">", "x"]);
        assert_eq!(split_tokens("< a>"), ["<", " ", "a", ">"]);
        assert_eq!(split_tokens("<<x>é"), ["<", "<x>", "é"]);
        assert!(split_tokens("").is_empty());
    }
}
