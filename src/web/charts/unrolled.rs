//! Charts of the unrolled chapter, both a grid with one column per time step
//! that fills in as the step cursor advances:
//! - the hidden-state heatmap: h_t\[i\] for units i = 1..H (rows) and steps
//!   t = 1..T (columns), on the diverging RdBu scale around 0;
//! - the output probabilities: p_t\[k\] for symbols k (rows) and steps t, on a
//!   sequential scale 0..1, the target outlined and the arg max marked.
//!
//! Columns past `shown` are left empty (not computed yet at the cursor); the
//! current step is framed in the event colour. Sizes are CSS pixels scaled
//! by the device pixel ratio.

use super::scales::{anchored, diverging, sequential, text_on};
use super::step_grid::{Grid, frame, legend, row_label, title};
use super::{Scale, area, colors, data};
use crate::web::js_error;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// The hidden-state heatmap's data.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct HiddenHeatmapData {
    /// h_t for t = 1..T: \[T\]\[H\].
    pub h: Vec<Vec<f64>>,
    /// Columns 1..=shown are drawn (the steps whose h_t is computed).
    pub shown: usize,
    /// The current step t (1-based), framed.
    pub current: Option<usize>,
    /// |h| at full colour: 1 for tanh; the largest |h_t\[i\]| otherwise.
    pub scale: Option<f64>,
    /// The input symbol of each step, shown under its number.
    pub input_chars: Vec<String>,
    pub title: Option<String>,
}

/// The output-probability chart's data.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct OutputProbsData {
    /// p_t for t = 1..T: \[T\]\[V\].
    pub p: Vec<Vec<f64>>,
    /// The symbols, in one-hot order (row labels).
    pub vocab: Vec<String>,
    /// Target index per step (None: no target).
    pub targets: Vec<Option<usize>>,
    /// arg max_k p_t\[k\] per step, as the engine computed it.
    pub predicted: Vec<usize>,
    pub shown: usize,
    pub current: Option<usize>,
    pub input_chars: Vec<String>,
    pub title: Option<String>,
}

/// Draws the hidden-state heatmap (units × time) on `canvas`.
pub fn draw_hidden_heatmap(
    canvas: &HtmlCanvasElement,
    d: &HiddenHeatmapData,
    s: Scale,
) -> Result<(), JsError> {
    let root = area(canvas)?;
    let title_bottom = title(
        &root,
        s,
        d.title
            .as_deref()
            .unwrap_or("Hidden state h_t (units × time)"),
    )?;
    let cols = d.h.len();
    let rows = d.h.iter().map(Vec::len).max().unwrap_or(0);
    if rows == 0 || cols == 0 {
        return super::message(&root, s, "No steps to show");
    }
    let scale = d
        .scale
        .filter(|v| v.is_finite() && *v > 0.0)
        .unwrap_or_else(|| {
            d.h.iter()
                .flatten()
                .filter(|v| v.is_finite())
                .fold(0.0f64, |a, &v| a.max(v.abs()))
        })
        .max(f64::MIN_POSITIVE);
    let g = Grid::new(&root, s, rows, cols, title_bottom);
    let numbers = g.cw as f64 >= 40.0 * s.dpr && g.ch as f64 >= 18.0 * s.dpr;
    for (col, h_t) in d.h.iter().enumerate().take(d.shown.min(cols)) {
        for (row, &v) in h_t.iter().enumerate() {
            let c = diverging(v, scale);
            root.draw(&Rectangle::new(g.cell(row, col), c.filled()))
                .map_err(js_error)?;
            if numbers {
                let [a, b] = g.cell(row, col);
                root.draw(&Text::new(
                    format!("{v:.2}").replace('-', "−"),
                    ((a.0 + b.0) / 2, (a.1 + b.1) / 2),
                    anchored(s, 12.0, text_on(c), HPos::Center, VPos::Center),
                ))
                .map_err(js_error)?;
            }
        }
    }
    let every = (s.px(14.0) as i32 / g.ch.max(1) + 1).max(1) as usize;
    for row in (0..rows).step_by(every) {
        row_label(&root, s, &g, row, format!("unit {}", row + 1))?;
    }
    frame(
        &root,
        s,
        &g,
        d.shown,
        d.current,
        &d.input_chars,
        "time step t (input)",
    )?;
    legend(&root, s, &g, (-scale, scale), |v| diverging(v, scale))?;
    root.present().map_err(js_error)
}

/// Draws the output probabilities (symbols × time) on `canvas`.
pub fn draw_output_probs(
    canvas: &HtmlCanvasElement,
    d: &OutputProbsData,
    s: Scale,
) -> Result<(), JsError> {
    let root = area(canvas)?;
    let title_bottom = title(
        &root,
        s,
        d.title
            .as_deref()
            .unwrap_or("Output probabilities p_t (symbols × time)"),
    )?;
    let cols = d.p.len();
    let rows = d.vocab.len();
    if rows == 0 || cols == 0 {
        return super::message(&root, s, "No steps to show");
    }
    let g = Grid::new(&root, s, rows, cols, title_bottom);
    let numbers = g.cw as f64 >= 40.0 * s.dpr && g.ch as f64 >= 18.0 * s.dpr;
    for (col, p_t) in d.p.iter().enumerate().take(d.shown.min(cols)) {
        for (row, &v) in p_t.iter().enumerate().take(rows) {
            let c = sequential(v);
            let [a, b] = g.cell(row, col);
            root.draw(&Rectangle::new([a, b], c.filled()))
                .map_err(js_error)?;
            if numbers {
                root.draw(&Text::new(
                    format!("{v:.2}"),
                    ((a.0 + b.0) / 2, (a.1 + b.1) / 2),
                    anchored(s, 12.0, text_on(c), HPos::Center, VPos::Center),
                ))
                .map_err(js_error)?;
            }
        }
        // The target framed in black (white inside, so it shows on any fill),
        // the prediction marked with a dot in the corner.
        if let Some(Some(k)) = d.targets.get(col)
            && *k < rows
        {
            let [a, b] = g.cell(*k, col);
            let inset = s.px(1.5) as i32;
            root.draw(&Rectangle::new(
                [(a.0 + inset, a.1 + inset), (b.0 - inset, b.1 - inset)],
                s.line(colors::TEXT, 2.5),
            ))
            .map_err(js_error)?;
        }
        if let Some(&k) = d.predicted.get(col)
            && k < rows
        {
            let [a, b] = g.cell(k, col);
            let r = (s.px(4.0) as i32).min(g.ch / 4).max(1);
            let c = sequential(p_t.get(k).copied().unwrap_or(0.0));
            root.draw(&Circle::new(
                (b.0 - r - s.px(3.0) as i32, a.1 + r + s.px(3.0) as i32),
                r,
                text_on(c).filled(),
            ))
            .map_err(js_error)?;
        }
    }
    let every = (s.px(14.0) as i32 / g.ch.max(1) + 1).max(1) as usize;
    for (row, sym) in d.vocab.iter().enumerate().step_by(every) {
        row_label(&root, s, &g, row, sym.clone())?;
    }
    frame(
        &root,
        s,
        &g,
        d.shown,
        d.current,
        &d.input_chars,
        "time step t (input)",
    )?;
    legend(&root, s, &g, (0.0, 1.0), sequential)?;
    root.present().map_err(js_error)
}

/// JS: `draw_hidden_heatmap_chart(canvas, {h, shown, current?, scale?, input_chars?, title?})`.
#[wasm_bindgen]
pub fn draw_hidden_heatmap_chart(
    canvas: &HtmlCanvasElement,
    data_obj: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    draw_hidden_heatmap(
        canvas,
        &data("hidden-state heatmap", data_obj)?,
        Scale::given(scale),
    )
}

/// JS: `draw_output_probs_chart(canvas, {p, vocab, targets, predicted, shown,
/// current?, input_chars?, title?})`.
#[wasm_bindgen]
pub fn draw_output_probs_chart(
    canvas: &HtmlCanvasElement,
    data_obj: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    draw_output_probs(
        canvas,
        &data("output-probability", data_obj)?,
        Scale::given(scale),
    )
}
