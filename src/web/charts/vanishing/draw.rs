//! The chapter's charts as the page calls them: `draw_vanishing_*(canvas, data)`
//! with the data a `Lab` returned (`vanishing_analysis()`,
//! `vanishing_training(columns).view`) and the page's scale, like every other chart.

use super::{PastOptions, draw_chain, draw_heatmap, draw_param_norms, draw_past, draw_spectrum};
use crate::engine::vanishing::Analysis;
use crate::engine::vanishing::training::TrainingView;
use crate::web::charts::{Scale, area, data};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// An analysis and the task's key distance d (0 or absent: no key to mark).
#[derive(Deserialize)]
struct PastData {
    analysis: Analysis,
    #[serde(default)]
    key_distance: usize,
}

impl PastData {
    fn options(&self) -> PastOptions {
        PastOptions {
            key_distance: (self.key_distance > 0).then_some(self.key_distance),
        }
    }
}

/// JS: `draw_vanishing_past(canvas, {analysis, key_distance})`: ‖∂loss_T/∂h_t‖ against t.
#[wasm_bindgen]
pub fn draw_vanishing_past(
    canvas: &HtmlCanvasElement,
    value: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    let d: PastData = data("vanishing past", value)?;
    draw_past(
        &area(canvas)?,
        &d.analysis,
        d.options(),
        Scale::given(scale),
    )
}

/// JS: `draw_vanishing_chain(canvas, {analysis, key_distance})`: ‖∂h_T/∂h_k‖ against T − k.
#[wasm_bindgen]
pub fn draw_vanishing_chain(
    canvas: &HtmlCanvasElement,
    value: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    let d: PastData = data("vanishing chain", value)?;
    draw_chain(
        &area(canvas)?,
        &d.analysis,
        d.options(),
        Scale::given(scale),
    )
}

/// JS: `draw_vanishing_spectrum(canvas, analysis)`: the singular values of W_hh.
#[wasm_bindgen]
pub fn draw_vanishing_spectrum(
    canvas: &HtmlCanvasElement,
    value: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    let a: Analysis = data("vanishing spectrum", value)?;
    draw_spectrum(&area(canvas)?, &a, Scale::given(scale))
}

/// JS: `draw_vanishing_norms(canvas, trainingView)`: ‖dL/dθ‖ per parameter over iterations.
#[wasm_bindgen]
pub fn draw_vanishing_norms(
    canvas: &HtmlCanvasElement,
    value: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    let v: TrainingView = data("vanishing norms", value)?;
    draw_param_norms(&area(canvas)?, &v, Scale::given(scale))
}

/// JS: `draw_vanishing_heatmap(canvas, trainingView)`: ‖dL/dh_t‖ per step × iteration.
#[wasm_bindgen]
pub fn draw_vanishing_heatmap(
    canvas: &HtmlCanvasElement,
    value: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    let v: TrainingView = data("vanishing heatmap", value)?;
    draw_heatmap(&area(canvas)?, canvas, &v, Scale::given(scale))
}
