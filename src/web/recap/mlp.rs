//! `MlpLab`: "multiple perceptrons", a 2-layer MLP on XOR-like blobs.

use super::{steps, to_js};
use crate::engine::models::mlp::Mlp;
use crate::engine::models::plane::{MAX_GRID, PlotBox};
use crate::engine::models::recap::MlpSetup;
use crate::engine::models::trained::Trained;
use crate::web::{count, from_js};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct MlpLab {
    setup: MlpSetup,
    lab: Trained<Mlp>,
}

#[wasm_bindgen]
impl MlpLab {
    /// `new MlpLab({config: {hidden, activation, output, seed}, data_seed, points, spread, learning_rate})`.
    #[wasm_bindgen(constructor)]
    pub fn new(settings: JsValue) -> Result<MlpLab, JsError> {
        let setup: MlpSetup = from_js("MLP settings", settings)?.unwrap_or_default();
        Ok(MlpLab {
            lab: setup.build()?,
            setup,
        })
    }

    pub fn settings(&self) -> Result<JsValue, JsError> {
        to_js(&self.setup)
    }

    pub fn status(&self) -> Result<JsValue, JsError> {
        to_js(&self.lab.status())
    }

    /// `n` full-batch Adam steps.
    pub fn train(&mut self, n: f64) -> Result<JsValue, JsError> {
        to_js(&self.lab.train(steps(n)?)?)
    }

    pub fn loss_curve(&self, max_points: f64) -> Result<JsValue, JsError> {
        to_js(
            &self
                .lab
                .loss_curve(count("the number of points", max_points, usize::MAX)?),
        )
    }

    pub fn points(&self) -> Result<JsValue, JsError> {
        to_js(self.lab.model().points())
    }

    /// p(class 1) over [−3, 3]² on an n × n grid, each hidden unit's line, accuracy, loss.
    pub fn snapshot(&self, n: f64) -> Result<JsValue, JsError> {
        let n = count("the grid size", n, MAX_GRID)?;
        to_js(&self.lab.model().snapshot(PlotBox::default(), n, n)?)
    }
}
