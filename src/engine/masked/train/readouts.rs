//! What a [`MaskedTrainer`] holds, read without changing it: its config,
//! sequences, parameters, optimiser, counters, losses and history.

use super::{MaskedTrainer, MaskedTrainerConfig};
use crate::engine::history::History;
use crate::engine::masked::MaskedSequence;
use crate::engine::optim::Optimizer;
use crate::engine::params::Params;

impl MaskedTrainer {
    pub fn config(&self) -> &MaskedTrainerConfig {
        &self.config
    }

    pub fn vocab_size(&self) -> usize {
        self.vocab_size
    }

    pub fn sequences(&self) -> &[MaskedSequence] {
        &self.sequences
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub fn optimizer(&self) -> &Optimizer {
        &self.optimizer
    }

    pub fn iteration(&self) -> u64 {
        self.iteration
    }

    /// Completed epochs.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// Mean L over the last completed epoch.
    pub fn epoch_loss(&self) -> Option<f64> {
        self.epoch_loss
    }

    pub fn smooth_loss(&self) -> f64 {
        self.smooth_loss
    }

    pub fn last_loss(&self) -> Option<f64> {
        self.last_loss
    }

    /// Whether training stopped on NaN/Inf (cleared by reset or set_params).
    pub fn diverged(&self) -> bool {
        self.diverged_at.is_some()
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// The index (into [`MaskedTrainer::sequences`]) of the sequence the next iteration trains on.
    pub fn next_sequence(&self) -> usize {
        self.order[self.position]
    }
}
