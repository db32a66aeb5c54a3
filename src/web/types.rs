//! `TypesLab`, the handle over one card of the "Types of RNN" chapter: a
//! vanilla RNN trained on one of the five built-in examples
//! ([`TypesModel`]). Every method forwards to the engine in a line or three.

use super::{count, from_js, to_js};
use crate::engine::settings::seed_from;
use crate::engine::views::types::{TypesModel, TypesSettings};
use wasm_bindgen::prelude::*;

/// Most training iterations one call may run (the page trains in slices).
pub const MAX_TYPES_ITERATIONS_PER_CALL: usize = 10_000;
/// Most items per split `answers` lists.
pub const MAX_ANSWERS: usize = 400;

/// The handle over one card's model.
#[wasm_bindgen]
pub struct TypesLab {
    model: TypesModel,
}

#[wasm_bindgen]
impl TypesLab {
    /// `new TypesLab({kind, seed, hidden, lr})`; kind is one_to_one, one_to_many,
    /// many_to_one, delayed or synced; missing keys take the defaults.
    #[wasm_bindgen(constructor)]
    pub fn new(settings: JsValue) -> Result<TypesLab, JsError> {
        let s: Option<TypesSettings> = from_js("settings", settings)?;
        Ok(TypesLab {
            model: TypesModel::new(s.unwrap_or_default())?,
        })
    }

    /// The settings the model was made from (the seed follows resets).
    pub fn settings(&self) -> Result<JsValue, JsError> {
        to_js(self.model.settings())
    }

    /// The example: vocabulary, answer tokens, item texts, metric, stated accuracy.
    pub fn info(&self) -> Result<JsValue, JsError> {
        to_js(&self.model.info())
    }

    /// `{iteration, epoch, epoch_loss, smooth_loss, diverged, metric, train, test, stated, reached}`.
    pub fn status(&self) -> Result<JsValue, JsError> {
        to_js(&self.model.status()?)
    }

    /// Trains `n` iterations (0 ≤ n ≤ 10 000 per call), one item each.
    pub fn train(&mut self, n: f64) -> Result<JsValue, JsError> {
        let n = count("the number of iterations", n, MAX_TYPES_ITERATIONS_PER_CALL)?;
        to_js(&self.model.train(n)?)
    }

    /// `{train, test, train_size, test_size}`: the fraction right on the
    /// training and on the held-out items (many-to-one: the phrases of the
    /// split the Recap's text CNN shares); null where nothing is held out.
    pub fn split_accuracy(&self) -> Result<JsValue, JsError> {
        to_js(&self.model.split_accuracy()?)
    }

    /// Fresh weights from `seed` (a whole number ≥ 0): iteration 0.
    pub fn reset(&mut self, seed: f64) -> Result<(), JsError> {
        self.model.reset(seed_from(seed)?);
        Ok(())
    }

    /// Typed text through the model, step by step (a clear error for text it cannot read).
    pub fn snapshot(&self, text: &str) -> Result<JsValue, JsError> {
        to_js(&self.model.snapshot(text)?)
    }

    /// The answers to the first `limit` training and held-out items.
    pub fn answers(&self, limit: f64) -> Result<JsValue, JsError> {
        to_js(&self.model.answers(count("limit", limit, MAX_ANSWERS)?)?)
    }

    /// The loss curve for a chart, at most `max_points` points (pooled).
    pub fn loss_history(&self, max_points: f64) -> Result<JsValue, JsError> {
        let n = count("the number of points", max_points, usize::MAX)?;
        to_js(&self.model.loss_curve(n))
    }
}
