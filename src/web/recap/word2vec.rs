//! `Word2VecLab`: CBOW or skip-gram with a full softmax, and what one does
//! with its vectors (neighbours, analogies, a 2-D projection, sentence averages).

use super::to_js;
use crate::engine::models::recap::Word2VecSetup;
use crate::engine::models::sentence;
use crate::engine::models::trained::Trained;
use crate::engine::models::word2vec::{EmbeddingSource, Word2Vec};
use crate::web::{count, from_js};
use wasm_bindgen::prelude::*;

recap_handle! {
    /// CBOW or skip-gram, full softmax, Adam. Settings:
    /// `{config: {architecture, dim, window, seed}, corpus, learning_rate, batch}`.
    Word2VecLab { Word2VecSetup => Trained<Word2Vec>, "word2vec settings" }
}

/// "w", "w_prime" or "average".
fn source(value: JsValue) -> Result<EmbeddingSource, JsError> {
    Ok(from_js("embedding source", value)?.unwrap_or_default())
}

impl Word2VecLab {
    fn model(&self) -> &Word2Vec {
        self.lab.model()
    }
}

#[wasm_bindgen]
impl Word2VecLab {
    /// Training examples (CBOW: one per word; skip-gram: one per pair).
    pub fn examples(&self) -> usize {
        use crate::engine::models::Model;
        self.model().examples()
    }

    /// The vocabulary in index order.
    pub fn words(&self) -> Result<JsValue, JsError> {
        to_js(self.model().vocab().words())
    }

    /// `{words, w: V rows of N, w_prime: N rows of V}`.
    pub fn matrices(&self) -> Result<JsValue, JsError> {
        to_js(&self.model().matrices())
    }

    /// Wᵀx_word = v_word: `{word, index, x, v}`.
    pub fn one_hot_lookup(&self, word: &str) -> Result<JsValue, JsError> {
        to_js(&self.model().one_hot_lookup(word)?)
    }

    /// Every word in 2-D (PCA for N > 2).
    pub fn projection(&self, src: JsValue) -> Result<JsValue, JsError> {
        to_js(&self.model().projection(source(src)?)?)
    }

    /// Every word with its vector: `[[word, [..N]], …]`.
    pub fn embeddings(&self, src: JsValue) -> Result<JsValue, JsError> {
        to_js(&self.model().embeddings(source(src)?))
    }

    /// The k nearest words by cosine.
    pub fn nearest(&self, word: &str, k: f64, src: JsValue) -> Result<JsValue, JsError> {
        let k = count("k", k, usize::MAX)?;
        to_js(&self.model().nearest(word, k, source(src)?)?)
    }

    /// a : b :: c : ? over the vocabulary.
    pub fn analogy(&self, a: &str, b: &str, c: &str, src: JsValue) -> Result<JsValue, JsError> {
        to_js(&self.model().analogy(a, b, c, source(src)?)?)
    }

    /// The k most likely targets for input words (a CBOW context or one skip-gram word).
    pub fn predict(&self, words: Vec<String>, k: f64) -> Result<JsValue, JsError> {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        to_js(&self.model().predict(&words, count("k", k, usize::MAX)?)?)
    }

    /// Two sentences' average word vectors and their cosine.
    pub fn sentences(&self, first: &str, second: &str, src: JsValue) -> Result<JsValue, JsError> {
        to_js(&sentence::compare(
            self.model(),
            first,
            second,
            source(src)?,
        )?)
    }
}
