//! The model family beside the vanilla RNN: every model the new chapters
//! train (perceptron, MLP, CBOW, skip-gram, text CNN, fixed-window and
//! bag-of-words predictors, ...) is one module here behind one small trait.
//!
//! A model keeps all its parameters in one flat `Vec<f64>` (named tensors are
//! ranges of it, see [`Tensor`]), so that one optimiser ([`FlatOptimizer`]),
//! one gradient check ([`check_gradient`]) and one training loop
//! ([`Trainer`]) serve them all:
//!
//! ```text
//! L(θ) = (1/|B|) Σ_{i∈B} ℓ(f_θ(x_i), y_i)        mean loss over a batch B of examples
//! θ ← rule(θ, ∇L(θ))                              SGD, momentum, Adagrad or Adam
//! ```
//!
//! Adding a model = one new module that implements [`Model`] and is
//! gradient-checked with [`check_gradient`] in its tests; nothing else in the
//! tree changes until a chapter shows it.

/// The storage half of a [`Model`] whose parameters live in two fields,
/// `tensors: Vec<Tensor>` (the layout) and `theta: Vec<f64>` (flat θ):
/// `tensors()`, `params()` and `params_mut()`, written once. Used inside an
/// `impl Model for …` block: `flat_parameters!();`.
macro_rules! flat_parameters {
    () => {
        fn tensors(&self) -> &[$crate::engine::models::Tensor] {
            &self.tensors
        }
        fn params(&self) -> &[f64] {
            &self.theta
        }
        fn params_mut(&mut self) -> &mut [f64] {
            &mut self.theta
        }
    };
}
pub(crate) use flat_parameters;

pub mod autocomplete;
#[cfg(test)]
mod autocomplete_tests;
pub mod bag_of_words;
pub mod corpus;
pub mod embedding;
pub mod feedforward;
pub mod feedforward_model;
pub mod hello;
pub mod mlp;
pub mod next_word;
pub mod next_word_lab;
#[cfg(test)]
mod next_word_lab_tests;
pub mod pasted;
pub mod perceptron;
pub mod plane;
pub mod queries;
pub mod recap;
pub mod sentence;
pub mod sentiment;
pub mod signals;
pub mod slice;
pub mod text;
pub mod text_cnn;
pub mod tokens;
pub mod trained;
pub mod trainer;
pub mod window;
pub mod windows;
pub mod word2vec;
pub mod word_rnn;

pub use trainer::{FlatOptimizer, TrainStep, Trainer, TrainerState};

use super::gradcheck::{FLOOR, PASS_THRESHOLD, relative_error, ridders};

/// A named range of a model's flat parameter vector, with its shape
/// (row-major; `[n]` for a vector, `[rows, cols]` for a matrix).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Tensor {
    pub name: &'static str,
    pub offset: usize,
    pub shape: Vec<usize>,
}

impl Tensor {
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The range of the flat vector this tensor occupies.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.offset..self.offset + self.len()
    }
}

/// Lays tensors out one after another: `[(name, shape)] → [Tensor]`, and the total length.
pub fn layout(parts: &[(&'static str, &[usize])]) -> (Vec<Tensor>, usize) {
    let mut offset = 0;
    let tensors = parts
        .iter()
        .map(|(name, shape)| {
            let t = Tensor {
                name,
                offset,
                shape: shape.to_vec(),
            };
            offset += t.len();
            t
        })
        .collect();
    (tensors, offset)
}

/// A differentiable model with its own training examples.
///
/// The examples are owned by the model (a data set, a corpus): a batch is a
/// list of example indices `0..examples()`. Parameters are one flat vector.
pub trait Model {
    /// The named tensors of [`Model::params`], in order, covering it exactly.
    fn tensors(&self) -> &[Tensor];
    /// θ, flat.
    fn params(&self) -> &[f64];
    fn params_mut(&mut self) -> &mut [f64];
    /// How many training examples the model holds.
    fn examples(&self) -> usize;
    /// The mean loss over `batch` at the current θ, and its gradient written
    /// into `grad` (same length and layout as θ; overwritten, not added to).
    fn loss_and_gradient(&self, batch: &[usize], grad: &mut [f64]) -> f64;
    /// The mean loss over `batch` (default: through `loss_and_gradient`).
    fn loss(&self, batch: &[usize]) -> f64 {
        let mut g = vec![0.0; self.params().len()];
        self.loss_and_gradient(batch, &mut g)
    }
    /// The tensor named `name`, as a slice of θ.
    fn tensor(&self, name: &str) -> Option<&[f64]> {
        let t = self.tensors().iter().find(|t| t.name == name)?;
        Some(&self.params()[t.range()])
    }
}

/// The result of [`check_gradient`] for one tensor.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TensorCheck {
    pub name: &'static str,
    /// max_i |a_i − n_i| / max(|a_i| + |n_i|, floor) over the checked entries.
    pub max_relative_error: f64,
    pub checked: usize,
}

/// The analytic gradient of `model` on `batch` against Ridders-extrapolated
/// central differences, at most `per_tensor` evenly spaced entries per
/// tensor (the same error measure and pass mark as the RNN's check, see
/// [`super::gradcheck`]). Returns one entry per tensor; all below
/// [`PASS_THRESHOLD`] means the backward pass is right.
///
/// θ is restored exactly afterwards. Models with kinks (ReLU, max-pooling)
/// should be checked at points away from them (the caller picks the seed).
pub fn check_gradient<M: Model>(
    model: &mut M,
    batch: &[usize],
    per_tensor: usize,
) -> Vec<TensorCheck> {
    let n = model.params().len();
    let mut analytic = vec![0.0; n];
    let loss = model.loss_and_gradient(batch, &mut analytic);
    let floor = FLOOR * loss.abs().max(1.0);
    let tensors = model.tensors().to_vec();
    tensors
        .iter()
        .map(|t| {
            let idx = super::gradcheck::checked_indices(t.len(), per_tensor);
            let mut worst = 0.0f64;
            for &j in &idx {
                let i = t.offset + j;
                let theta = model.params()[i];
                let numeric = ridders(
                    &mut |e| {
                        model.params_mut()[i] = theta + e;
                        model.loss(batch)
                    },
                    1e-3,
                );
                model.params_mut()[i] = theta;
                worst = worst.max(relative_error(analytic[i], numeric, floor));
            }
            TensorCheck {
                name: t.name,
                max_relative_error: worst,
                checked: idx.len(),
            }
        })
        .collect()
}

/// Whether every tensor of a [`check_gradient`] result passes.
pub fn gradient_ok(checks: &[TensorCheck]) -> bool {
    checks.iter().all(|c| c.max_relative_error < PASS_THRESHOLD)
}

/// Index of the largest entry (the first on ties); 0 for an empty slice.
pub fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

/// p = softmax(y) in place, stable (max subtracted); returns log Σ exp(y − max) + max.
pub fn softmax_in_place(y: &mut [f64]) -> f64 {
    let m = y.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for v in y.iter_mut() {
        *v = (*v - m).exp();
        sum += *v;
    }
    for v in y.iter_mut() {
        *v /= sum;
    }
    m + sum.ln()
}
