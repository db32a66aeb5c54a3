//! Chapter "Training: backpropagation through time": one step's share of
//! the shared-weight gradients, text mode and truncated BPTT's timeline
//! (see `engine::views::training`). Text mode is a second `Lab`, made by
//! `Lab.text(settings)`.

use super::lab::Lab;
use super::{count, to_js};
use crate::engine::settings::PARAGRAPH;
use crate::engine::settings::RnnSettingsPatch;
use crate::engine::views::training::{contributions_view, text_info, timeline_view};
use wasm_bindgen::prelude::*;

/// (k1, k2) from JS: k1 undefined means full BPTT; k2 defaults to k1.
fn truncation(k1: Option<f64>, k2: Option<f64>) -> Result<Option<(usize, usize)>, JsError> {
    let k = |name, v: Option<f64>| v.map(|v| count(name, v, usize::MAX)).transpose();
    let (k1, k2) = (k("k1", k1)?, k("k2", k2)?);
    Ok(k1.map(|k1| (k1, k2.unwrap_or(k1))))
}

#[wasm_bindgen]
impl Lab {
    /// The built-in paragraph of text mode.
    pub fn training_paragraph() -> String {
        PARAGRAPH.to_string()
    }

    /// Truncated BPTT(k1, k2) for training from now on (no reset); k1
    /// undefined: full BPTT. The settings follow.
    pub fn training_set_truncation(
        &mut self,
        k1: Option<f64>,
        k2: Option<f64>,
    ) -> Result<(), JsError> {
        let t = truncation(k1, k2)?;
        let patch = RnnSettingsPatch {
            k1: Some(t.map(|t| t.0)),
            k2: Some(t.map(|t| t.1)),
            ..RnnSettingsPatch::default()
        };
        self.model.configure(&patch)?;
        Ok(())
    }

    /// `{text_chars, vocab_size, hidden, seq, pointer, truncation, parameters}`.
    pub fn training_info(&self) -> Result<JsValue, JsError> {
        to_js(&text_info(self.session()))
    }

    /// Step t's contribution to dW_xh, dW_hh, dW_hy, the sum from T down to t,
    /// and the gradient; matrices cropped to `max_size` rows and columns.
    pub fn training_contributions(
        &self,
        t: f64,
        max_size: Option<f64>,
    ) -> Result<JsValue, JsError> {
        let max = max_size
            .map(|m| count("the crop size", m, usize::MAX))
            .transpose()?;
        to_js(&contributions_view(
            self.session(),
            count("t", t, usize::MAX)?,
            max,
        )?)
    }

    /// The truncated-BPTT timeline of the sequence trained next, for (k1, k2),
    /// with the updates after each chunk (`per_chunk`; by default the model's
    /// own setting) or once after the sequence.
    pub fn training_timeline(
        &self,
        k1: Option<f64>,
        k2: Option<f64>,
        per_chunk: Option<bool>,
    ) -> Result<JsValue, JsError> {
        let per_chunk = per_chunk.unwrap_or(self.session().config().update_per_chunk);
        to_js(&timeline_view(
            self.session(),
            truncation(k1, k2)?,
            per_chunk,
        )?)
    }

    /// The index of the first symbol of the sequence trained next: where a
    /// sample starts by default.
    pub fn training_start_symbol(&self) -> usize {
        self.session().sequence().0.first().copied().unwrap_or(0)
    }
}
