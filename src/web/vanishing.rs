//! The vanishing/exploding-gradient chapter: its model is a `Lab` made by
//! `Lab.vanishing(settings)` (the long-range task or a text, W_hh rescaled to
//! λ1), trained with the ordinary `train(n)`. The charts are drawn by the
//! free `draw_vanishing_*` functions in `charts::vanishing` from the data
//! these methods return.

use super::lab::Lab;
use super::{count, from_js, to_js};
use crate::engine::rnn::RnnModel;
use crate::engine::vanishing::setup::VanishingSettings;
use crate::engine::vanishing::training::TrainingView;
use crate::engine::vanishing::{PRESETS, analyse};
use crate::engine::views::vanishing::{sequence_view, training_summary};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The training charts' data and their headline numbers.
#[derive(Serialize)]
struct Training {
    view: TrainingView,
    #[serde(flatten)]
    summary: crate::engine::views::vanishing::TrainingSummary,
}

#[cfg_attr(feature = "lab", wasm_bindgen)]
#[cfg_attr(not(feature = "lab"), wasm_bindgen(js_class = VanishingLab))]
impl Lab {
    /// The chapter's model from `{source, text, loss, distance, length,
    /// hidden, act, init, lambda1, seed, lr, clip, clipc}` (missing keys: the
    /// "vanishing" preset): fresh weights, W_hh rescaled to λ1.
    pub fn vanishing(settings: JsValue) -> Result<Lab, JsError> {
        let s: Option<VanishingSettings> = from_js("settings", settings)?;
        Ok(Lab {
            model: RnnModel::vanishing(s.unwrap_or_default())?,
        })
    }

    /// Everything the chapter computes for the next sequence with the current
    /// weights: see `engine::vanishing::Analysis`.
    pub fn vanishing_analysis(&self) -> Result<JsValue, JsError> {
        to_js(&analyse(self.session().params(), &self.session().trace()))
    }

    /// The sequence the analysis uses: `{input_chars, answer, predicted, p_last, vocab}`.
    pub fn vanishing_sequence(&self) -> Result<JsValue, JsError> {
        to_js(&sequence_view(self.session()))
    }

    /// The training charts' data, at most `columns` (1..=400) iterations of
    /// the history, with `{held, columns, clip_fired_total, recent_loss, peak_grad_log10}`.
    pub fn vanishing_training(&self, columns: f64) -> Result<JsValue, JsError> {
        let view = TrainingView::from_history(
            self.session().history(),
            count("columns", columns, 400)?.max(1),
        );
        let summary = training_summary(self.session(), &view);
        to_js(&Training { view, summary })
    }

    /// The five presets: `[{name, activation, lambda1, init, clip_norm,
    /// distance, length, hidden, iterations, lesson}]`.
    pub fn vanishing_presets() -> Result<JsValue, JsError> {
        to_js(&PRESETS)
    }
}
