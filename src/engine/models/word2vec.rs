//! word2vec (Mikolov et al. 2013) with a full softmax, in its two forms:
//! CBOW (a window of words predicts the middle word) and skip-gram (a word
//! predicts each of its neighbours). The vocabulary is small, so no negative
//! sampling or hierarchical softmax is needed.
//!
//! ```text
//! W: [V, N]   input embeddings, row v_w;   Wᵀ x_w = v_w for the one-hot x_w
//! W′: [N, V]  output embeddings, column v′_w
//! CBOW:       h = (1/|C|) Σ_{c∈C} v_c            C = up to `window` words each side
//! skip-gram:  h = v_center                        one example per (center, context) pair
//! u = W′ᵀ h  [V],   p = softmax(u),   ℓ = −log p[target]
//! ```
//!
//! Backward: du = p − onehot(target); dW′ = h duᵀ; dh = W′ du; each input
//! row of W gets dh/|C|.
//!
//! The corpus is split into sentences (line breaks and `.!?`), so windows
//! never reach across two sentences. Words the model never saw are refused
//! with a clear message (a query for "unicorn" cannot be answered).

use super::embedding::{self, Analogy, Projection, Scored};
use super::text::{sentences, word_vocab};
use super::tokens::{TokenVocab, check_size};
pub use super::windows::{CbowWindow, MAX_WINDOW, SkipGramWindow, Windows, training_windows};
use super::windows::{check_window, context};
use super::{Model, Tensor, layout, softmax_in_place};
use crate::engine::error::{EngineError, Result};
use crate::engine::rng::Rng;
use serde::{Deserialize, Serialize};

/// The built-in corpus: short sentences about animals, royalty and people,
/// places, food and actions.
pub const CORPUS: &str = include_str!("../../../data/word2vec_corpus.txt");
/// Largest embedding size N.
pub const MAX_DIM: usize = 64;

/// CBOW or skip-gram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Architecture {
    #[default]
    Cbow,
    SkipGram,
}

/// Which matrix a word's vector is read from (the slide offers all three).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmbeddingSource {
    /// The row v_w of W.
    #[default]
    W,
    /// The column v′_w of W′.
    WPrime,
    /// (v_w + v′_w) / 2.
    Average,
}

/// The shape of a word2vec model and its seed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Word2VecConfig {
    pub architecture: Architecture,
    /// N, the embedding size, 1..=[`MAX_DIM`].
    pub dim: usize,
    /// Words on each side, 1..=[`MAX_WINDOW`] (the lecture's example uses 2).
    pub window: usize,
    pub seed: u64,
}

impl Default for Word2VecConfig {
    fn default() -> Self {
        Self {
            architecture: Architecture::Cbow,
            dim: 10,
            window: 2,
            seed: 1,
        }
    }
}

/// Wᵀx_w = v_w shown with numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OneHotLookup {
    pub word: String,
    pub index: usize,
    /// x_w: \[V\], one-hot.
    pub x: Vec<f64>,
    /// Wᵀ x_w: \[N\], computed as the product, equal to the row v_w of W.
    pub v: Vec<f64>,
}

/// W and W′ as rows, for the heatmaps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matrices {
    /// The vocabulary, in index order (W's rows, W′'s columns).
    pub words: Vec<String>,
    /// W: V rows of N.
    pub w: Vec<Vec<f64>>,
    /// W′: N rows of V.
    pub w_prime: Vec<Vec<f64>>,
}

/// A word2vec model with its corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct Word2Vec {
    config: Word2VecConfig,
    vocab: TokenVocab,
    /// Example e's input words are `inputs[offsets[e]..offsets[e + 1]]`.
    inputs: Vec<usize>,
    offsets: Vec<usize>,
    targets: Vec<usize>,
    tensors: Vec<Tensor>,
    theta: Vec<f64>,
}

impl Word2Vec {
    /// A model of `corpus`, W and W′ ~ N(0, 0.1²) from the seed.
    pub fn new(config: Word2VecConfig, corpus: &str) -> Result<Self> {
        check_window(config.window)?;
        if !(1..=MAX_DIM).contains(&config.dim) {
            return Err(EngineError::Invalid(format!(
                "the embedding size N must be 1 to {MAX_DIM}, got {}",
                config.dim
            )));
        }
        check_size("corpus", corpus)?;
        let sents = sentences(corpus);
        if sents.iter().all(|s| s.len() < 2) {
            return Err(EngineError::Invalid(
                "the corpus needs at least one sentence of two or more words".into(),
            ));
        }
        let vocab = word_vocab(&[], &sents)?;
        let (mut inputs, mut offsets, mut targets) = (Vec::new(), vec![0], Vec::new());
        for s in &sents {
            let ids: Vec<usize> = s.iter().map(|w| vocab.get(w).unwrap_or(0)).collect();
            for t in 0..ids.len() {
                let ctx = context(t, ids.len(), config.window);
                match config.architecture {
                    Architecture::Cbow if !ctx.is_empty() => {
                        inputs.extend(ctx.iter().map(|&j| ids[j]));
                        offsets.push(inputs.len());
                        targets.push(ids[t]);
                    }
                    Architecture::Cbow => {}
                    Architecture::SkipGram => {
                        for j in ctx {
                            inputs.push(ids[t]);
                            offsets.push(inputs.len());
                            targets.push(ids[j]);
                        }
                    }
                }
            }
        }
        let (v, n) = (vocab.len(), config.dim);
        let (tensors, len) = layout(&[("W", &[v, n]), ("W_prime", &[n, v])]);
        let mut rng = Rng::new(config.seed);
        let theta = (0..len).map(|_| 0.1 * rng.normal()).collect();
        Ok(Self {
            config,
            vocab,
            inputs,
            offsets,
            targets,
            tensors,
            theta,
        })
    }

    /// A model of the built-in [`CORPUS`].
    pub fn builtin(config: Word2VecConfig) -> Result<Self> {
        Self::new(config, CORPUS)
    }

    pub fn config(&self) -> &Word2VecConfig {
        &self.config
    }

    pub fn vocab(&self) -> &TokenVocab {
        &self.vocab
    }

    /// Example e as (input word indices, target word index).
    pub fn example(&self, e: usize) -> (&[usize], usize) {
        (
            &self.inputs[self.offsets[e]..self.offsets[e + 1]],
            self.targets[e],
        )
    }

    /// W: [V, N] row-major.
    pub fn w(&self) -> &[f64] {
        &self.theta[self.tensors[0].range()]
    }

    /// W′: [N, V] row-major.
    pub fn w_prime(&self) -> &[f64] {
        &self.theta[self.tensors[1].range()]
    }

    /// W and W′ as rows.
    pub fn matrices(&self) -> Matrices {
        let (v, n) = (self.vocab.len(), self.config.dim);
        Matrices {
            words: self.vocab.words().to_vec(),
            w: self.w().chunks(n).map(<[f64]>::to_vec).collect(),
            w_prime: self.w_prime().chunks(v).map(<[f64]>::to_vec).collect(),
        }
    }

    /// The vector of word `i` read from `source`.
    pub fn vector(&self, i: usize, source: EmbeddingSource) -> Vec<f64> {
        let (v, n) = (self.vocab.len(), self.config.dim);
        let row = &self.w()[i * n..(i + 1) * n];
        let col = (0..n).map(|k| self.w_prime()[k * v + i]);
        match source {
            EmbeddingSource::W => row.to_vec(),
            EmbeddingSource::WPrime => col.collect(),
            EmbeddingSource::Average => row.iter().zip(col).map(|(a, b)| 0.5 * (a + b)).collect(),
        }
    }

    /// Every word with its vector from `source`, in vocabulary order.
    pub fn embeddings(&self, source: EmbeddingSource) -> Vec<(String, Vec<f64>)> {
        (0..self.vocab.len())
            .map(|i| (self.vocab.words()[i].clone(), self.vector(i, source)))
            .collect()
    }

    /// Wᵀx_w for `word`, computed as the product with the one-hot x_w.
    pub fn one_hot_lookup(&self, word: &str) -> Result<OneHotLookup> {
        let index = self.vocab.index_of_word(word)?;
        let (v, n) = (self.vocab.len(), self.config.dim);
        let x: Vec<f64> = (0..v).map(|i| f64::from(u8::from(i == index))).collect();
        let w = self.w();
        let v_w = (0..n)
            .map(|k| (0..v).map(|i| w[i * n + k] * x[i]).sum())
            .collect();
        Ok(OneHotLookup {
            word: self.vocab.words()[index].clone(),
            index,
            x,
            v: v_w,
        })
    }

    /// p = softmax(W′ᵀh) [V] for input word indices (h their mean row of W).
    fn probabilities(&self, inputs: &[usize]) -> (Vec<f64>, Vec<f64>, f64) {
        let (v, n) = (self.vocab.len(), self.config.dim);
        let (w, wp) = (self.w(), self.w_prime());
        let mut h = vec![0.0; n];
        for &c in inputs {
            h.iter_mut()
                .zip(&w[c * n..(c + 1) * n])
                .for_each(|(a, b)| *a += b);
        }
        let inv = 1.0 / inputs.len() as f64;
        h.iter_mut().for_each(|a| *a *= inv);
        let mut p = vec![0.0; v];
        for (k, hk) in h.iter().enumerate() {
            p.iter_mut()
                .zip(&wp[k * v..(k + 1) * v])
                .for_each(|(u, b)| *u += hk * b);
        }
        let lse = softmax_in_place(&mut p);
        (h, p, lse)
    }

    /// The `k` most likely target words for the input `words` (a CBOW
    /// context, or one skip-gram input word).
    pub fn predict(&self, words: &[&str], k: usize) -> Result<Vec<Scored>> {
        if words.is_empty() {
            return Err(EngineError::Invalid("give at least one input word".into()));
        }
        let ids = words
            .iter()
            .map(|w| self.vocab.index_of_word(w))
            .collect::<Result<Vec<_>>>()?;
        let (_, p, _) = self.probabilities(&ids);
        let mut order: Vec<usize> = (0..p.len()).collect();
        order.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
        Ok(order
            .into_iter()
            .take(k)
            .map(|i| Scored {
                word: self.vocab.words()[i].clone(),
                score: p[i],
            })
            .collect())
    }

    /// cos(w_a, w_b) with vectors from `source`.
    pub fn similarity(&self, a: &str, b: &str, source: EmbeddingSource) -> Result<f64> {
        let (ia, ib) = (self.vocab.index_of_word(a)?, self.vocab.index_of_word(b)?);
        Ok(embedding::cosine(
            &self.vector(ia, source),
            &self.vector(ib, source),
        ))
    }

    /// The `k` nearest words to `word` by cosine, itself excluded.
    pub fn nearest(&self, word: &str, k: usize, source: EmbeddingSource) -> Result<Vec<Scored>> {
        let w = &self.vocab.words()[self.vocab.index_of_word(word)?];
        embedding::nearest(&self.embeddings(source), w, k)
    }

    /// a : b :: c : ? over the vocabulary (see [`embedding::analogy`]).
    pub fn analogy(&self, a: &str, b: &str, c: &str, source: EmbeddingSource) -> Result<Analogy> {
        let [a, b, c] = [a, b, c].map(|w| {
            self.vocab
                .index_of_word(w)
                .map(|i| self.vocab.words()[i].clone())
        });
        embedding::analogy(&self.embeddings(source), &a?, &b?, &c?)
    }

    /// Every word in 2-D (PCA for N > 2, see [`embedding::project`]).
    pub fn projection(&self, source: EmbeddingSource) -> Result<Projection> {
        embedding::project(&self.embeddings(source))
    }
}

impl Model for Word2Vec {
    super::flat_parameters!();
    fn examples(&self) -> usize {
        self.targets.len()
    }
    fn loss_and_gradient(&self, batch: &[usize], grad: &mut [f64]) -> f64 {
        grad.fill(0.0);
        let (v, n) = (self.vocab.len(), self.config.dim);
        let scale = 1.0 / batch.len().max(1) as f64;
        let (gw, gwp) = grad.split_at_mut(v * n);
        let wp = self.w_prime();
        let mut loss = 0.0;
        let mut dh = vec![0.0; n];
        for &e in batch {
            let (inputs, target) = self.example(e);
            let (h, mut du, lse) = self.probabilities(inputs);
            // −log p[target] = log Σ exp(u) − u[target], exact even when p[target] underflows.
            let u_target: f64 = (0..n).map(|k| h[k] * wp[k * v + target]).sum();
            loss += (lse - u_target) * scale;
            du[target] -= 1.0;
            for k in 0..n {
                let row = &wp[k * v..(k + 1) * v];
                dh[k] = row.iter().zip(&du).map(|(a, b)| a * b).sum();
                let g = &mut gwp[k * v..(k + 1) * v];
                let hk = h[k] * scale;
                g.iter_mut().zip(&du).for_each(|(a, d)| *a += hk * d);
            }
            let share = scale / inputs.len() as f64;
            for &c in inputs {
                gw[c * n..(c + 1) * n]
                    .iter_mut()
                    .zip(&dh)
                    .for_each(|(a, d)| *a += d * share);
            }
        }
        loss
    }
}

#[cfg(test)]
#[path = "word2vec_tests.rs"]
mod tests;
