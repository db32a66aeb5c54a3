//! `TextCnnLab`: Kim's (2014) CNN on the built-in sentiment phrases.

use super::{steps, to_js};
use crate::engine::models::recap::{SentimentCnn, TextCnnSetup};
use crate::web::{count, from_js};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct TextCnnLab {
    setup: TextCnnSetup,
    lab: SentimentCnn,
}

#[wasm_bindgen]
impl TextCnnLab {
    /// `new TextCnnLab({config: {embed_dim, widths, filters, l2, seed}, learning_rate, batch})`.
    #[wasm_bindgen(constructor)]
    pub fn new(settings: JsValue) -> Result<TextCnnLab, JsError> {
        let setup: TextCnnSetup = from_js("text CNN settings", settings)?.unwrap_or_default();
        Ok(TextCnnLab {
            lab: setup.build()?,
            setup,
        })
    }

    pub fn settings(&self) -> Result<JsValue, JsError> {
        to_js(&self.setup)
    }

    pub fn status(&self) -> Result<JsValue, JsError> {
        to_js(&self.lab.trained.status())
    }

    pub fn train(&mut self, n: f64) -> Result<JsValue, JsError> {
        to_js(&self.lab.trained.train(steps(n)?)?)
    }

    pub fn loss_curve(&self, max_points: f64) -> Result<JsValue, JsError> {
        let n = count("the number of points", max_points, usize::MAX)?;
        to_js(&self.lab.trained.loss_curve(n))
    }

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
