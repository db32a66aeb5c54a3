//! `TextCnnLab`: Kim's (2014) CNN on the built-in sentiment phrases.

use super::to_js;
use crate::engine::models::recap::{SentimentCnn, TextCnnSetup};
use wasm_bindgen::prelude::*;

recap_handle! {
    /// Kim's CNN on the shared sentiment split, Adam. Settings:
    /// `{config: {embed_dim, widths, filters, l2, seed}, learning_rate, batch}`.
    TextCnnLab { TextCnnSetup => SentimentCnn, "text CNN settings", field: trained }
}

#[wasm_bindgen]
impl TextCnnLab {
    /// Steps per pass over the training phrases.
    pub fn steps_per_epoch(&self) -> usize {
        self.lab.steps_per_epoch()
    }

    /// `{train, test, train_size, test_size}`.
    pub fn accuracy(&self) -> Result<JsValue, JsError> {
        to_js(&self.lab.accuracy())
    }

    /// The sentence matrix, each filter's feature map and winning n-gram, z and p.
    pub fn trace(&self, text: &str) -> Result<JsValue, JsError> {
        to_js(&self.lab.trained.model().trace(text)?)
    }
}
