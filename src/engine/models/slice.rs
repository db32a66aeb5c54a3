//! What a slice of training did, for the page's frame loop (www/model.js
//! `trainSlice` reads `iterations_run`; `Model.fail` reads `iteration` and
//! `diverged` from a status). Shared by the handles of "Why recurrence?".

use serde::Serialize;

/// One slice of training.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrainSlice {
    /// Iterations this slice ran.
    pub iterations_run: usize,
    /// Iterations so far.
    pub iteration: u64,
    /// Loss of the last iteration (none if nothing ran).
    pub loss: Option<f64>,
}

/// Where training stands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrainProgress {
    pub iteration: u64,
    /// Always false: a step that would give NaN/∞ is refused with an error
    /// and changes nothing, so a model never holds diverged weights.
    pub diverged: bool,
    /// Loss of the last iteration.
    pub loss: Option<f64>,
}
