//! Kim's (2014) CNN for sentence classification, small: learned word
//! embeddings, filters over h = 2, 3, 4 words, ReLU, max-over-time pooling,
//! and a softmax over the classes.
//!
//! ```text
//! X: [n, k]        the sentence matrix, row i = E[word i]        E: [V, k]
//! c_j[p] = ReLU(F_h[j] · X[p..p+h] + bF_h[j])    F_h: [m, h·k], bF_h: [m],  p = 0..P_h
//! ẑ_(h,j) = max_p c_j[p]                          max-over-time pooling
//! z = concat over widths and filters              [m·|widths|]
//! y = W z + b,  p = softmax(y),  ℓ = −log p[label]     W: [C, m·|widths|], b: [C]
//! ```
//!
//! Backward goes through the max only at the recorded position p* (the
//! other positions did not reach the output): dẑ = Wᵀ(p − onehot), and
//! where c_j\[p*\] > 0, dF_h\[j\] += dẑ·X\[p*..p*+h\], dbF_h\[j\] += dẑ, and each
//! row of X in the window gets dẑ·F_h\[j\]'s slice back into E.
//!
//! Short sentences: a filter wider than the sentence (n < h) sees the
//! sentence padded at the end with zero rows to h words, so every filter has
//! P_h = max(n − h + 1, 1) positions and a one-word sentence still works.
//! Unknown words (not in the training phrases) map to `<unk>`, whose row of
//! E starts at zero and never gets a gradient, so it stays a zero row.
//! Kim's dropout and max-norm constraint are left out: the set is tiny and
//! the point is the picture.

use super::text::{LabelledSet, word_vocab};
use super::tokens::{TokenVocab, UNK};
use super::{Model, Tensor, argmax, layout, softmax_in_place};
use crate::engine::error::{EngineError, Result};
use crate::engine::rng::Rng;
use serde::{Deserialize, Serialize};

/// Largest embedding size k.
pub const MAX_EMBED: usize = 32;
/// Most filters per width.
pub const MAX_FILTERS: usize = 16;
/// Widest filter.
pub const MAX_WIDTH: usize = 6;
/// Most different widths.
pub const MAX_WIDTHS: usize = 4;

const F_NAMES: [&str; MAX_WIDTH + 1] = ["F0", "F1", "F2", "F3", "F4", "F5", "F6"];
const BF_NAMES: [&str; MAX_WIDTH + 1] = ["bF0", "bF1", "bF2", "bF3", "bF4", "bF5", "bF6"];

/// The shape of a text CNN and its seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TextCnnConfig {
    /// k, the embedding size.
    pub embed_dim: usize,
    /// The filter widths h (distinct), e.g. [2, 3, 4].
    pub widths: Vec<usize>,
    /// m, filters per width.
    pub filters: usize,
    /// λ of the L2 penalty (λ/2)‖θ‖² added to the mean loss (0: none).
    pub l2: f64,
    pub seed: u64,
}

impl Default for TextCnnConfig {
    fn default() -> Self {
        Self {
            embed_dim: 8,
            widths: vec![2, 3, 4],
            filters: 4,
            l2: 1e-2,
            seed: 1,
        }
    }
}

impl TextCnnConfig {
    fn validate(&self) -> Result<()> {
        let bad = |m: String| Err(EngineError::Invalid(m));
        if !(1..=MAX_EMBED).contains(&self.embed_dim) {
            return bad(format!(
                "the embedding size k must be 1 to {MAX_EMBED}, got {}",
                self.embed_dim
            ));
        }
        if !(1..=MAX_FILTERS).contains(&self.filters) {
            return bad(format!(
                "filters per width must be 1 to {MAX_FILTERS}, got {}",
                self.filters
            ));
        }
        let w = &self.widths;
        let distinct = w.iter().enumerate().all(|(i, h)| !w[..i].contains(h));
        if w.is_empty() || w.len() > MAX_WIDTHS || !distinct {
            return bad(format!(
                "give 1 to {MAX_WIDTHS} different filter widths, got {w:?}"
            ));
        }
        if !(self.l2.is_finite() && (0.0..=1.0).contains(&self.l2)) {
            return bad(format!("the L2 penalty must be 0 to 1, got {}", self.l2));
        }
        if let Some(h) = w.iter().find(|h| !(1..=MAX_WIDTH).contains(*h)) {
            return bad(format!(
                "a filter width must be 1 to {MAX_WIDTH} words, got {h}"
            ));
        }
        Ok(())
    }

    /// m·|widths|, the length of the pooled vector z.
    pub fn features(&self) -> usize {
        self.filters * self.widths.len()
    }
}

/// A text CNN with its training phrases.
#[derive(Debug, Clone, PartialEq)]
pub struct TextCnn {
    config: TextCnnConfig,
    classes: Vec<String>,
    vocab: TokenVocab,
    examples: Vec<(Vec<usize>, usize)>,
    tensors: Vec<Tensor>,
    theta: Vec<f64>,
}

/// The forward pass of one sentence, kept for the backward pass.
struct Forward {
    /// Per feature (width-major): the pre-activations F_h[j]·X[p..p+h] + bF_h[j], and p*.
    pre: Vec<Vec<f64>>,
    starts: Vec<usize>,
    z: Vec<f64>,
    p: Vec<f64>,
    /// −log p[c] = lse − y[c] for every class c.
    nll: Vec<f64>,
}

impl TextCnn {
    /// A CNN for `train`'s classes and words: E ~ N(0, 0.5²) (the `<unk>`
    /// row 0), F_h ~ N(0, 1/(h·k)), W ~ N(0, 1/(m·|widths|)), biases 0.
    pub fn new(config: TextCnnConfig, train: &LabelledSet) -> Result<Self> {
        config.validate()?;
        if train.examples.is_empty() || train.classes.len() < 2 {
            return Err(EngineError::Invalid(
                "the training set needs phrases of at least two classes".into(),
            ));
        }
        // `<unk>` first: every unknown word maps to index 0.
        let vocab = word_vocab(&[UNK], train.examples.iter().map(|e| &e.words))?;
        let examples = train
            .examples
            .iter()
            .map(|e| {
                (
                    e.words.iter().map(|w| vocab.get(w).unwrap_or(0)).collect(),
                    e.label,
                )
            })
            .collect();
        let (k, m, c) = (config.embed_dim, config.filters, train.classes.len());
        let shapes: Vec<(&'static str, Vec<usize>)> = std::iter::once(("E", vec![vocab.len(), k]))
            .chain(
                config
                    .widths
                    .iter()
                    .flat_map(|&h| [(F_NAMES[h], vec![m, h * k]), (BF_NAMES[h], vec![m])]),
            )
            .chain([("W", vec![c, config.features()]), ("b", vec![c])])
            .collect();
        let parts: Vec<(&'static str, &[usize])> =
            shapes.iter().map(|(n, s)| (*n, s.as_slice())).collect();
        let (tensors, len) = layout(&parts);
        let mut rng = Rng::new(config.seed);
        let mut theta = vec![0.0; len];
        for t in &tensors {
            let scale = match t.name {
                "E" => 0.5,
                "W" => 1.0 / (config.features() as f64).sqrt(),
                n if n.starts_with('F') => 1.0 / (t.shape[1] as f64).sqrt(),
                _ => 0.0,
            };
            theta[t.range()]
                .iter_mut()
                .for_each(|v| *v = scale * rng.normal());
        }
        theta[..k].fill(0.0);
        Ok(Self {
            config,
            classes: train.classes.clone(),
            vocab,
            examples,
            tensors,
            theta,
        })
    }

    pub fn config(&self) -> &TextCnnConfig {
        &self.config
    }

    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    pub fn vocab(&self) -> &TokenVocab {
        &self.vocab
    }

    fn part(&self, name: &str) -> &[f64] {
        self.tensor(name).unwrap_or(&[])
    }

    fn offset(&self, name: &str) -> usize {
        self.tensors
            .iter()
            .find(|t| t.name == name)
            .map_or(0, |t| t.offset)
    }

    /// Word indices, unknown words as `<unk>` (0).
    fn encode(&self, words: &[String]) -> Vec<usize> {
        words
            .iter()
            .map(|w| self.vocab.get(w).unwrap_or(0))
            .collect()
    }

    fn forward(&self, ids: &[usize]) -> Forward {
        let (k, m) = (self.config.embed_dim, self.config.filters);
        let e = self.part("E");
        let n = ids.len();
        let (mut pre, mut starts, mut z) = (Vec::new(), Vec::new(), Vec::new());
        for &h in &self.config.widths {
            let (f, bf) = (self.part(F_NAMES[h]), self.part(BF_NAMES[h]));
            for j in 0..m {
                let fj = &f[j * h * k..(j + 1) * h * k];
                let map: Vec<f64> = (0..n.saturating_sub(h - 1).max(1))
                    .map(|p| {
                        let mut a = bf[j];
                        // Rows past the end are the zero padding: they add nothing.
                        for (r, &w) in ids.iter().enumerate().skip(p).take(h) {
                            let x = &e[w * k..(w + 1) * k];
                            let fr = &fj[(r - p) * k..(r - p + 1) * k];
                            a += fr.iter().zip(x).map(|(u, v)| u * v).sum::<f64>();
                        }
                        a
                    })
                    .collect();
                // ReLU is monotone, so max_p ReLU(a_p) = ReLU(max_p a_p) at the same p*.
                let best = argmax(&map);
                z.push(map[best].max(0.0));
                starts.push(best);
                pre.push(map);
            }
        }
        let (w, b) = (self.part("W"), self.part("b"));
        let nf = z.len();
        let y: Vec<f64> = (0..b.len())
            .map(|c| {
                b[c] + w[c * nf..(c + 1) * nf]
                    .iter()
                    .zip(&z)
                    .map(|(u, v)| u * v)
                    .sum::<f64>()
            })
            .collect();
        let mut p = y.clone();
        let lse = softmax_in_place(&mut p);
        let nll = y.iter().map(|v| lse - v).collect();
        Forward {
            pre,
            starts,
            z,
            p,
            nll,
        }
    }

    /// Class probabilities for `text`.
    pub fn probabilities(&self, text: &str) -> Result<Vec<f64>> {
        Ok(self.trace(text)?.probabilities)
    }

    /// The fraction of `set`'s phrases classified right (unknown words as `<unk>`).
    pub fn accuracy(&self, set: &LabelledSet) -> f64 {
        if set.examples.is_empty() {
            return 0.0;
        }
        let right = set
            .examples
            .iter()
            .filter(|e| argmax(&self.forward(&self.encode(&e.words)).p) == e.label)
            .count();
        right as f64 / set.examples.len() as f64
    }
}

impl Model for TextCnn {
    super::flat_parameters!();
    fn examples(&self) -> usize {
        self.examples.len()
    }
    fn loss_and_gradient(&self, batch: &[usize], grad: &mut [f64]) -> f64 {
        grad.fill(0.0);
        let (k, m) = (self.config.embed_dim, self.config.filters);
        let scale = 1.0 / batch.len().max(1) as f64;
        let (w, nf, nc) = (self.part("W"), self.config.features(), self.classes.len());
        let (ow, ob) = (self.offset("W"), self.offset("b"));
        let e = self.part("E");
        let mut loss = 0.0;
        for &i in batch {
            let (ids, label) = (&self.examples[i].0, self.examples[i].1);
            let fw = self.forward(ids);
            loss += fw.nll[label] * scale;
            let mut dy = fw.p.clone();
            dy[label] -= 1.0;
            dy.iter_mut().for_each(|d| *d *= scale);
            for c in 0..nc {
                grad[ob + c] += dy[c];
                for f in 0..nf {
                    grad[ow + c * nf + f] += dy[c] * fw.z[f];
                }
            }
            for (wi, &h) in self.config.widths.iter().enumerate() {
                let (of, obf) = (self.offset(F_NAMES[h]), self.offset(BF_NAMES[h]));
                let filt = self.part(F_NAMES[h]);
                for j in 0..m {
                    let f = wi * m + j;
                    if fw.z[f] <= 0.0 {
                        continue; // the ReLU is off at p*: nothing flows back
                    }
                    let dz: f64 = (0..nc).map(|c| w[c * nf + f] * dy[c]).sum();
                    let p = fw.starts[f];
                    grad[obf + j] += dz;
                    for (r, &word) in ids.iter().enumerate().skip(p).take(h) {
                        let slot = j * h * k + (r - p) * k;
                        for d in 0..k {
                            grad[of + slot + d] += dz * e[word * k + d];
                            grad[word * k + d] += dz * filt[slot + d];
                        }
                    }
                }
            }
        }
        // <unk> never appears in training phrases; its row stays zero.
        let l2 = self.config.l2;
        if l2 > 0.0 {
            for (g, t) in grad.iter_mut().zip(&self.theta) {
                *g += l2 * t;
            }
            loss += 0.5 * l2 * self.theta.iter().map(|t| t * t).sum::<f64>();
        }
        loss
    }
}

#[path = "text_cnn_trace.rs"]
mod trace;
pub use trace::{CnnTrace, FilterTrace};

#[cfg(test)]
#[path = "text_cnn_tests.rs"]
mod tests;
