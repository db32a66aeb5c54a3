//! Plain data for the page: everything a view draws, computed here from the
//! engine's own results, as serde-serialisable structs (snake_case fields).
//!
//! The web boundary only forwards these; nothing in `src/web` computes math,
//! so every number the page shows is covered by native `cargo test`.
//!
//! - [`curve`]: a loss curve pooled to a chart's width;
//! - [`steps`]: one time step's forward and backward terms, the trace and the gradients;
//! - [`unrolled`]: all steps at once for the unrolled diagram, and "learnt" (converged);
//! - [`training`]: one step's share of the shared-weight gradients, the loss curve,
//!   history slices, text-mode facts;
//! - [`types`]: the "Types of RNN" cards: a model per example, its status and snapshots;
//! - [`vanishing`]: the sequence and training read-outs of the vanishing chapter.

pub mod curve;
pub mod steps;
pub mod training;
pub mod types;
pub mod unrolled;
pub mod vanishing;

use super::error::{EngineError, Result};
use super::vocab::Vocab;
use ndarray::Array2;

/// Rows of a matrix as nested vectors (row-major, as the fixtures store them).
pub fn rows(m: &Array2<f64>) -> Vec<Vec<f64>> {
    m.rows().into_iter().map(|r| r.to_vec()).collect()
}

/// The symbol at index `i` as a string ("" if out of range).
pub fn symbol(vocab: &Vocab, i: usize) -> String {
    vocab.symbol(i).map(String::from).unwrap_or_default()
}

/// Every symbol of the vocabulary, in one-hot order.
pub fn symbols(vocab: &Vocab) -> Vec<String> {
    vocab.symbols().iter().map(|c| c.to_string()).collect()
}

/// Checks 1 ≤ t ≤ T.
pub fn check_step(t: usize, steps: usize) -> Result<usize> {
    if (1..=steps).contains(&t) {
        Ok(t)
    } else {
        Err(EngineError::Invalid(format!(
            "step t must be between 1 and {steps}, got {t}"
        )))
    }
}

/// ‖v‖₂.
pub fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// The largest finite value, or 1 when none is above 0 (a scale that divides safely).
pub fn scale_of(values: impl IntoIterator<Item = f64>) -> f64 {
    let m = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    if m > 0.0 { m } else { 1.0 }
}
