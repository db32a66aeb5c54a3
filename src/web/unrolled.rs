//! Chapter "The recurrence, unrolled": all steps at once for the diagram
//! (see `engine::views::unrolled`).

use super::lab::{Lab, MAX_ITERATIONS_PER_CALL};
use super::{count, to_js};
use crate::engine::views::unrolled::{converged, unrolled_backward, unrolled_forward};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Lab {
    /// Every forward number of the sequence shown, all steps at once.
    pub fn unrolled_forward(&self) -> Result<JsValue, JsError> {
        to_js(&unrolled_forward(self.session())?)
    }

    /// Every backward number of the sequence shown (full BPTT), all steps at once.
    pub fn unrolled_backward(&self) -> Result<JsValue, JsError> {
        to_js(&unrolled_backward(self.session())?)
    }

    /// Whether every scored step predicts its target with p ≥ 0.9.
    pub fn unrolled_converged(&self) -> bool {
        converged(&self.session().trace())
    }

    /// Trains up to `max_iterations` (≤ `max_iterations_per_call()`), stopping as soon as the
    /// sequence is learnt: `{iterations_run, iteration, loss, reached}`.
    pub fn unrolled_train_until_converged(
        &mut self,
        max_iterations: f64,
    ) -> Result<JsValue, JsError> {
        let n = count(
            "the number of iterations",
            max_iterations,
            MAX_ITERATIONS_PER_CALL,
        )?;
        to_js(
            &self
                .model
                .session_mut()
                .train_until(n, |s| converged(&s.trace()))?,
        )
    }
}
