//! Token vocabularies: one one-hot position per token, where a token may be
//! more than one character — a class symbol such as `<cat>`, or a word.
//!
//! The character [`Vocab`] stays the vocabulary of text sessions; a
//! [`TokenVocab`] is what masked examples (the types of RNN) and `rnn-lab eval`
//! name their symbols with. Every character vocabulary is also a token
//! vocabulary (`TokenVocab::from(&vocab)`: each character one token, same order).

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

    /// The distinct tokens of `tokens` in order of first appearance (as
    /// [`Vocab::from_text`] does for characters).
    ///
    /// One pass with a hash set: O(n) expected, stopping at the first token
    /// beyond [`LIMITS`]`.token_vocab`.
    pub fn from_appearance<S: AsRef<str>>(tokens: impl IntoIterator<Item = S>) -> Result<Self> {
        let mut seen = Vec::<String>::new();
        let mut known = std::collections::HashSet::<String>::new();
        for t in tokens {
            let t = t.as_ref();
            if !known.contains(t) {
                if seen.len() == LIMITS.token_vocab {
                    return Err(EngineError::TooLarge {
                        name: "the vocabulary (tokens)",
                        got: seen.len() + 1,
                        max: LIMITS.token_vocab,
                    });
                }
                known.insert(t.to_string());
                seen.push(t.to_string());
            }
        }
        Self::new(seen)
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

    /// Indices back to tokens.
    pub fn decode(&self, indices: &[usize]) -> Result<Vec<&str>> {
        indices.iter().map(|&i| self.token(i)).collect()
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
        assert_eq!(v.decode(&[0, 4]).unwrap(), vec!["<cat>", "."]);
        assert_eq!(
            v.one_hot(0).unwrap().to_vec(),
            vec![1.0, 0.0, 0.0, 0.0, 0.0]
        );
        assert_eq!(
            v.index_of("<dog>"),
            Err(EngineError::UnknownToken("<dog>".into()))
        );
        assert!(v.one_hot(5).is_err());
        let words = TokenVocab::from_appearance("the film was good the end".split(' ')).unwrap();
        assert_eq!(words.tokens(), &["the", "film", "was", "good", "end"]);
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
