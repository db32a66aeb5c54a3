//! `MlpLab`: "multiple perceptrons", a 2-layer MLP on XOR-like blobs.

use super::to_js;
use crate::engine::models::mlp::Mlp;
use crate::engine::models::plane::{MAX_GRID, PlotBox};
use crate::engine::models::recap::MlpSetup;
use crate::engine::models::trained::Trained;
use crate::web::count;
use wasm_bindgen::prelude::*;

recap_handle! {
    /// A 2-layer MLP, full-batch Adam. Settings:
    /// `{config: {hidden, activation, output, seed}, data_seed, points, spread, learning_rate}`.
    MlpLab { MlpSetup => Trained<Mlp>, "MLP settings" }
}

#[wasm_bindgen]
impl MlpLab {
    pub fn points(&self) -> Result<JsValue, JsError> {
        to_js(self.lab.model().points())
    }

    /// p(class 1) over [−3, 3]² on an n × n grid, each hidden unit's line, accuracy, loss.
    pub fn snapshot(&self, n: f64) -> Result<JsValue, JsError> {
        let n = count("the grid size", n, MAX_GRID)?;
        to_js(&self.lab.model().snapshot(PlotBox::default(), n, n)?)
    }
}
