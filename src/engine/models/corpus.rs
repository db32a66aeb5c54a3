//! The built-in corpus of the next-word models (`data/next_word_corpus.txt`,
//! its header documents the format and the probe design) and its
//! deterministic train/test split.
//!
//! - plain lines are sentences; in file order every [`TEST_EVERY`]-th is a
//!   test sentence, the others are training sentences;
//! - `probe:` lines are test-only sentences with the clue word in `{braces}`
//!   and the word to predict in `[brackets]`;
//! - `pair: A | B` lines are two prefixes of the same words in another order.
//!
//! The vocabulary is that of the training sentences; words only seen in test
//! sentences are `<unk>` (counted in [`Corpus::unknown_in_test`]).

use super::tokens::{
    END_ID, START_ID, TokenVocab, check_sentence_length, next_word_vocab, tokenize,
};
use crate::engine::error::{EngineError, Result};
use serde::Serialize;

/// The corpus text, compiled in.
pub const CORPUS: &str = include_str!("../../../data/next_word_corpus.txt");
/// Every fifth plain sentence is a test sentence.
pub const TEST_EVERY: usize = 5;

/// A test-only sentence asking for a word whose clue sits at a distance
/// from it that training never showed with that clue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Probe {
    /// The sentence as written (markers removed).
    pub text: String,
    /// `<s> … </s>` as ids.
    pub ids: Vec<usize>,
    /// Position in `ids` of the word to predict (context: `ids[..target]`).
    pub target: usize,
    /// Position in `ids` of the clue word.
    pub clue: usize,
}

impl Probe {
    /// How many tokens before the predicted word the clue is.
    pub fn distance(&self) -> usize {
        self.target - self.clue
    }
}

/// Two prefixes of the same words in another order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderPair {
    pub a: String,
    pub b: String,
}

/// The corpus, split and encoded.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub vocab: TokenVocab,
    /// Training sentences, `<s> … </s>` as ids.
    pub train: Vec<Vec<usize>>,
    /// Test sentences, `<s> … </s>` as ids.
    pub test: Vec<Vec<usize>>,
    pub probes: Vec<Probe>,
    pub pairs: Vec<OrderPair>,
    /// Test words outside the training vocabulary (encoded as `<unk>`).
    pub unknown_in_test: Vec<String>,
}

/// Tokens of a probe line with its `{clue}` and `[target]` positions
/// (counted with `<s>` at 0).
fn parse_probe(line: &str) -> Result<(Vec<String>, usize, usize)> {
    let mut tokens = Vec::new();
    let (mut clue, mut target) = (None, None);
    let raw = tokenize(line)?;
    let mut i = 0;
    while i < raw.len() {
        let marked = raw.get(i + 2).map(String::as_str);
        match (raw[i].as_str(), marked) {
            ("{", Some("}")) => clue = Some(tokens.len() + 1),
            ("[", Some("]")) => target = Some(tokens.len() + 1),
            _ => {
                tokens.push(raw[i].clone());
                i += 1;
                continue;
            }
        }
        tokens.push(raw[i + 1].clone());
        i += 3;
    }
    match (clue, target) {
        (Some(c), Some(t)) if c < t => Ok((tokens, c, t)),
        _ => Err(EngineError::Invalid(format!(
            "a probe needs a {{clue}} before a [target]: {line:?}"
        ))),
    }
}

impl Corpus {
    /// The built-in corpus.
    pub fn builtin() -> Self {
        Self::parse(CORPUS).expect("the built-in corpus is valid")
    }

    /// Parses a corpus in the format above.
    pub fn parse(text: &str) -> Result<Self> {
        let mut plain = Vec::new();
        let mut probes = Vec::new();
        let mut pairs = Vec::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(rest) = line.strip_prefix("probe:") {
                probes.push((rest.trim().to_string(), parse_probe(rest)?));
            } else if let Some(rest) = line.strip_prefix("pair:") {
                let (a, b) = rest.split_once('|').ok_or_else(|| {
                    EngineError::Invalid(format!("a pair needs two prefixes split by |: {line:?}"))
                })?;
                pairs.push(OrderPair {
                    a: a.trim().into(),
                    b: b.trim().into(),
                });
            } else {
                let tokens = tokenize(line)?;
                check_sentence_length(tokens.len())?;
                plain.push(tokens);
            }
        }
        let (mut train_tokens, mut test_tokens) = (Vec::new(), Vec::new());
        for (i, s) in plain.into_iter().enumerate() {
            if (i + 1) % TEST_EVERY == 0 {
                test_tokens.push(s);
            } else {
                train_tokens.push(s);
            }
        }
        if train_tokens.is_empty() {
            return Err(EngineError::Invalid(
                "the corpus has no training sentences".into(),
            ));
        }
        let vocab = next_word_vocab(&train_tokens)?;
        let wrap = |ids: Vec<usize>| {
            let mut s = Vec::with_capacity(ids.len() + 2);
            s.push(START_ID);
            s.extend(ids);
            s.push(END_ID);
            s
        };
        let train = train_tokens
            .iter()
            .map(|s| wrap(vocab.encode_words(s).ids))
            .collect();
        let mut unknown_in_test: Vec<String> = Vec::new();
        let mut test = Vec::new();
        for s in &test_tokens {
            let e = vocab.encode_words(s);
            for u in e.unknown {
                if !unknown_in_test.contains(&u) {
                    unknown_in_test.push(u);
                }
            }
            test.push(wrap(e.ids));
        }
        let probes = probes
            .into_iter()
            .map(|(line, (tokens, clue, target))| Probe {
                text: line.replace(['{', '}', '[', ']'], ""),
                ids: wrap(vocab.encode_words(&tokens).ids),
                target,
                clue,
            })
            .collect();
        Ok(Self {
            vocab,
            train,
            test,
            probes,
            pairs,
            unknown_in_test,
        })
    }

    /// The longest context any prediction has (tokens before the last
    /// target, `<s>` included): the largest useful window.
    pub fn longest_context(&self) -> usize {
        self.train
            .iter()
            .chain(&self.test)
            .map(|s| s.len() - 1)
            .max()
            .unwrap_or(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::models::tokens::UNK_ID;

    #[test]
    fn the_builtin_corpus_splits_and_holds_the_lecture_sentence() {
        let c = Corpus::builtin();
        assert!(
            c.train.len() + c.test.len() >= 250,
            "a few hundred sentences"
        );
        assert_eq!(c.test.len(), (c.train.len() + c.test.len()) / TEST_EVERY);
        let lecture = c
            .vocab
            .encode_words(&tokenize("this morning i took the dog for a walk .").unwrap())
            .ids;
        assert!(c.train.iter().any(|s| s[1..s.len() - 1] == lecture[..]));
        assert_eq!(c.vocab.words()[3], "this", "first-appearance order");
        assert_eq!(c.probes.len(), 24);
        assert_eq!(c.pairs.len(), 5);
        assert!(CORPUS.is_ascii());
        assert!(c.longest_context() < 20);
    }

    /// The probe design holds: the clue word is known, is seen in training
    /// before the same word to predict, but never at the probe's distance.
    #[test]
    fn probes_ask_a_clue_at_a_distance_never_trained() {
        let c = Corpus::builtin();
        for p in &c.probes {
            let (clue, target) = (p.ids[p.clue], p.ids[p.target]);
            assert!(clue != UNK_ID && target != UNK_ID, "{}", p.text);
            let mut seen = Vec::new();
            for s in &c.train {
                for (t, &w) in s.iter().enumerate() {
                    if w == target {
                        seen.extend((0..t).filter(|&k| s[k] == clue).map(|k| t - k));
                    }
                }
            }
            assert!(!seen.is_empty(), "{}", p.text);
            assert!(!seen.contains(&p.distance()), "{}: {seen:?}", p.text);
        }
    }

    #[test]
    fn order_pairs_are_the_same_words() {
        for p in Corpus::builtin().pairs {
            let (mut a, mut b) = (tokenize(&p.a).unwrap(), tokenize(&p.b).unwrap());
            assert_ne!(a, b);
            a.sort();
            b.sort();
            assert_eq!(a, b);
        }
    }

    #[test]
    fn bad_probe_lines_are_refused() {
        assert!(Corpus::parse("a b .\nprobe: [x] {y} .").is_err());
        assert!(Corpus::parse("pair: no bar").is_err());
        assert!(Corpus::parse("# nothing").is_err());
    }
}
