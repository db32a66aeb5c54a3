//! Charts of the training chapter: small gradient heatmaps (each step's
//! share of dW and their sum) and the truncated-BPTT timeline.
//!
//! Both draw in pixel coordinates on the plotters drawing area (no axes to
//! speak of), every size given in CSS pixels and scaled by the device pixel
//! ratio like the shared charts. One chart per file, each with its
//! `draw_*_chart` export.

use super::scales::{anchored, diverging, text_on};
use super::{Scale, area, colors, data, text, tick};
use crate::web::js_error;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_canvas::CanvasBackend;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

type Area = DrawingArea<CanvasBackend, Shift>;

mod heatmaps;
mod timeline;

pub use heatmaps::{HeatmapsData, Panel, draw_heatmaps};
pub use timeline::{ChunkData, TimelineData, draw_timeline};
