//! The simplest sentence vector: the average of its word vectors.
//!
//! ```text
//! s = (1/n) Σᵢ w_{word i}          n known words, w from W, W′ or their average
//! ```
//!
//! A sum does not care about order, so "the dog chased the cat" and "the cat
//! chased the dog" get the same vector: the bag-of-words problem that
//! "Why recurrence?" starts from. The words are summed in vocabulary order
//! (not sentence order) so that this holds to the last bit, not only up to
//! rounding: the vector is a function of the multiset of words alone.
//!
//! Words the model never saw are left out and listed in
//! [`SentenceVector::unknown`]; a sentence with no known word is refused.

use super::embedding::cosine;
use super::tokens::{check_size, words};
use super::word2vec::{EmbeddingSource, Word2Vec};
use crate::engine::error::{EngineError, Result};
use serde::Serialize;

/// A sentence's average word vector.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceVector {
    /// The sentence's words, in order.
    pub words: Vec<String>,
    /// Words not in the vocabulary, left out of the average.
    pub unknown: Vec<String>,
    /// s: \[N\].
    pub vector: Vec<f64>,
}

/// The average of the vectors of `text`'s words in `model`.
pub fn sentence_vector(
    model: &Word2Vec,
    text: &str,
    source: EmbeddingSource,
) -> Result<SentenceVector> {
    check_size("sentence", text)?;
    let words = words(text);
    if words.is_empty() {
        return Err(EngineError::Invalid(
            "the sentence is empty: type some words".into(),
        ));
    }
    let mut ids = Vec::new();
    let mut unknown = Vec::new();
    for w in &words {
        match model.vocab().get(w) {
            Some(i) => ids.push(i),
            None => unknown.push(w.clone()),
        }
    }
    if ids.is_empty() {
        return Err(EngineError::Invalid(format!(
            "none of the words {words:?} is in the vocabulary"
        )));
    }
    ids.sort_unstable();
    let n = model.config().dim;
    let mut vector = vec![0.0; n];
    for &i in &ids {
        vector
            .iter_mut()
            .zip(model.vector(i, source))
            .for_each(|(s, v)| *s += v);
    }
    let count = ids.len() as f64;
    vector.iter_mut().for_each(|s| *s /= count);
    Ok(SentenceVector {
        words,
        unknown,
        vector,
    })
}

/// Two sentences side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentencePair {
    pub first: SentenceVector,
    pub second: SentenceVector,
    /// cos(s₁, s₂).
    pub cosine: f64,
    /// Whether the two vectors are equal to the bit.
    pub identical: bool,
}

/// Both sentences' vectors and how alike they are.
pub fn compare(
    model: &Word2Vec,
    first: &str,
    second: &str,
    source: EmbeddingSource,
) -> Result<SentencePair> {
    let first = sentence_vector(model, first, source)?;
    let second = sentence_vector(model, second, source)?;
    Ok(SentencePair {
        cosine: cosine(&first.vector, &second.vector),
        identical: first.vector == second.vector,
        first,
        second,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::models::word2vec::{Architecture, Word2VecConfig};

    fn model() -> Word2Vec {
        let config = Word2VecConfig {
            architecture: Architecture::Cbow,
            dim: 8,
            window: 2,
            seed: 4,
        };
        Word2Vec::builtin(config).unwrap()
    }

    #[test]
    fn two_orders_of_the_same_words_give_the_identical_vector() {
        let m = model();
        for source in [
            EmbeddingSource::W,
            EmbeddingSource::WPrime,
            EmbeddingSource::Average,
        ] {
            let p = compare(
                &m,
                "The dog chased the cat",
                "the cat chased the dog",
                source,
            )
            .unwrap();
            assert!(p.identical, "{source:?}");
            assert_eq!(p.first.words, ["the", "dog", "chased", "the", "cat"]);
            assert!((p.cosine - 1.0).abs() < 1e-12);
            let q = compare(
                &m,
                "the dog chased the cat",
                "the king ate the bread",
                source,
            )
            .unwrap();
            assert!(!q.identical);
        }
    }

    #[test]
    fn the_vector_is_the_average_of_the_word_vectors() {
        let m = model();
        let s = sentence_vector(&m, "cat dog", EmbeddingSource::W).unwrap();
        let (c, d) = (m.vocab().get("cat").unwrap(), m.vocab().get("dog").unwrap());
        let (vc, vd) = (
            m.vector(c, EmbeddingSource::W),
            m.vector(d, EmbeddingSource::W),
        );
        for k in 0..8 {
            assert!((s.vector[k] - 0.5 * (vc[k] + vd[k])).abs() < 1e-15);
        }
    }

    #[test]
    fn unknown_words_are_left_out_and_empty_sentences_refused() {
        let m = model();
        let s = sentence_vector(&m, "the unicorn sat", EmbeddingSource::W).unwrap();
        assert_eq!(s.unknown, ["unicorn"]);
        let t = sentence_vector(&m, "the sat", EmbeddingSource::W).unwrap();
        assert_eq!(s.vector, t.vector);
        let e = sentence_vector(&m, " ?! ", EmbeddingSource::W)
            .unwrap_err()
            .to_string();
        assert!(e.contains("empty"), "{e}");
        let e = sentence_vector(&m, "zebra unicorn", EmbeddingSource::W)
            .unwrap_err()
            .to_string();
        assert!(e.contains("none of the words"), "{e}");
    }
}
