//! The charts of "Why recurrence?": a signal with its unknown future, a
//! sentence as boxes x_1, x_2, …, several loss curves on one plot, and
//! vectors drawn as strips of cells (the bag-of-words pair): one chart per
//! file, each with its `draw_why_*_chart` export.

use super::{
    HOUSE_LABEL_AREAS, Scale, Swatch, area, axis_names, colors, data, house_chart, house_mesh,
    legend, legend_space, message, text, tick, y_top,
};
use crate::web::js_error;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// The light fill of what is not known yet.
const UNKNOWN_FILL: RGBColor = RGBColor(0xEE, 0xEE, 0xEE);
/// The series colours, in order (Okabe–Ito, dark enough on white).
const SERIES: [RGBColor; 6] = [
    colors::W_XH,
    colors::W_HH,
    colors::W_HY,
    colors::B_H,
    RGBColor(0x00, 0x00, 0x00),
    colors::B_Y,
];

fn range(values: &[f64]) -> (f64, f64) {
    let (lo, hi) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    if lo > hi {
        return (-1.0, 1.0);
    }
    let pad = ((hi - lo) * 0.08).max(1e-6);
    (lo - pad, hi + pad)
}

mod chars;
mod curves;
mod signal;
mod strips;

pub use chars::{CharsData, draw_chars};
pub use curves::{CurvesData, Reference, Series, draw_curves};
pub use signal::{SignalData, draw_signal};
pub use strips::{Strip, StripsData, draw_strips};
