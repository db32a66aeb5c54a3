//! Canvas charts drawn with plotters-canvas.
//!
//! Each chart is a stateless function `draw_x(canvas, &XData) -> Result`,
//! exported to JS as `draw_x_chart(canvas, data)` where `data` is a plain
//! object deserialised into `XData`. The page sizes every canvas in device
//! pixels (`canvas.width = CSS width × devicePixelRatio`); the helpers here
//! scale line widths, margins and fonts by the same ratio, so a chart is
//! crisp on a 4K screen and its text readable on a projector.
//!
//! One palette (Okabe & Ito's colour-blind-safe set) serves every chart and
//! is exported to JS by [`palette`], so diagrams drawn in JS use the very
//! same colour for W_xh, W_hh and W_hy.
//!
//! The charts are a wasm module of their own (`charts`, built with the cargo feature of
//! that name: scripts/build), which the page loads when a chart needs it or once it is
//! idle: no other module carries plotters. Each chart is its own file; the shared pieces
//! are `../palette.rs`, `scale.rs`, `house.rs` (margins, axes, ticks) and `legend.rs`.
//! The default chapter's two charts (the loss curve, the per-step bars) are drawn in JS
//! (www/charts/, the same house style) so that the page's first load needs no plotters.

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

pub mod scales;
mod step_grid;
pub mod text;
pub mod training;
pub mod unrolled;
pub mod vanishing;
pub mod why;

mod house;
mod legend;
mod scale;

pub use super::palette::{colors, palette};
pub use house::{
    HOUSE_LABEL_AREAS, area, axis_names, house_chart, house_mesh, tick, x_label_slots, y_top,
};
pub use legend::{Swatch, legend, legend_space};
pub use scale::Scale;

/// Writes a centred message over a chart area (e.g. "no data yet").
pub fn message(
    root: &DrawingArea<CanvasBackend, Shift>,
    scale: Scale,
    text: &str,
) -> Result<(), JsError> {
    let (w, h) = root.dim_in_pixel();
    text::Rich::new(16.0).color(colors::AXIS).draw(
        root,
        scale,
        text,
        ((w / 2) as i32, (h / 2) as i32),
        HPos::Center,
        VPos::Center,
    )
}

/// Deserialises a chart's data object, naming the chart in the error.
pub fn data<T: serde::de::DeserializeOwned>(chart: &str, value: JsValue) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| JsError::new(&format!("{chart} chart: bad data: {e}")))
}
