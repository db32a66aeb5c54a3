//! `PerceptronLab`: ŷ = g(θ₀ + x₁θ₁ + x₂θ₂) on a seeded cloud of the plane.

use super::to_js;
use crate::engine::models::perceptron::{Perceptron, PerceptronActivation};
use crate::engine::models::plane::{MAX_GRID, PlotBox};
use crate::engine::models::recap::PerceptronSetup;
use crate::engine::models::trained::Trained;
use crate::web::{count, from_js};
use wasm_bindgen::prelude::*;

recap_handle! {
    /// ŷ = g(θ₀ + x₁θ₁ + x₂θ₂), trained by full-batch gradient descent (the
    /// criterion's subgradient for the step g). Settings:
    /// `{seed, points, activation, theta, learning_rate}`.
    PerceptronLab { PerceptronSetup => Trained<Perceptron>, "perceptron settings" }
}

#[wasm_bindgen]
impl PerceptronLab {
    /// The points `{x: [[x₁, x₂]…], y: [class…]}`.
    pub fn points(&self) -> Result<JsValue, JsError> {
        to_js(self.lab.model().points())
    }

    /// θ, g, the boundary, ŷ over [−3, 3]² on an n × n grid, accuracy and loss.
    pub fn snapshot(&self, n: f64) -> Result<JsValue, JsError> {
        let n = count("the grid size", n, MAX_GRID)?;
        to_js(&self.lab.model().snapshot(PlotBox::default(), n, n)?)
    }

    /// Point i's sum θ₀ + x₁θ₁ + x₂θ₂ written out, with ŷ and its class.
    pub fn explain(&self, i: f64) -> Result<JsValue, JsError> {
        to_js(
            &self
                .lab
                .model()
                .explain(count("the point", i, usize::MAX)?)?,
        )
    }

    /// θ from the sliders (finite numbers); training starts afresh from it.
    pub fn set_theta(&mut self, t0: f64, t1: f64, t2: f64) -> Result<(), JsError> {
        Ok(self.lab.edit(|m| m.set_theta([t0, t1, t2]))?)
    }

    /// g ∈ {"step", "sigmoid", "tanh", "relu"}; training starts afresh.
    pub fn set_activation(&mut self, g: JsValue) -> Result<(), JsError> {
        let g: PerceptronActivation = from_js("g", g)?.unwrap_or_default();
        self.lab.edit(|m| {
            m.set_activation(g);
            Ok(())
        })?;
        self.setup.activation = g;
        Ok(())
    }

    /// One update of Rosenblatt's rule θ ← θ + η·s·x̃ (η = 1): `{index, theta_before,
    /// theta_after}`, or null when every point is on its side.
    pub fn rule_step(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.lab.edit(|m| m.perceptron_rule_step(1.0))?)
    }
}
