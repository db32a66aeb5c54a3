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
use super::{Scale, area, colors, data, tick};
use crate::web::js_error;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_canvas::CanvasBackend;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

type Area = DrawingArea<CanvasBackend, Shift>;

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

/// A grid with one column per step: where it sits, in device pixels.
struct Grid {
    x0: i32,
    y0: i32,
    cw: i32,
    ch: i32,
    rows: usize,
    cols: usize,
}

impl Grid {
    /// Lays out `rows × cols` cells in the area below a title, leaving room
    /// for row labels at the left, step labels below and a legend at the right.
    fn new(root: &Area, s: Scale, rows: usize, cols: usize) -> Grid {
        let (w, h) = root.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let left = s.px(62.0) as i32;
        let right = s.px(78.0) as i32;
        let top = s.px(34.0) as i32;
        let bottom = s.px(48.0) as i32;
        let cw = ((w - left - right) / cols.max(1) as i32).max(1);
        let ch = ((h - top - bottom) / rows.max(1) as i32)
            .clamp(1, s.px(56.0) as i32)
            .max(1);
        Grid {
            x0: left,
            y0: top,
            cw,
            ch,
            rows,
            cols,
        }
    }

    fn cell(&self, row: usize, col: usize) -> [(i32, i32); 2] {
        let x = self.x0 + col as i32 * self.cw;
        let y = self.y0 + row as i32 * self.ch;
        [(x, y), (x + self.cw, y + self.ch)]
    }

    fn bottom(&self) -> i32 {
        self.y0 + self.rows as i32 * self.ch
    }

    fn right(&self) -> i32 {
        self.x0 + self.cols as i32 * self.cw
    }
}

fn title(root: &Area, s: Scale, text: &str) -> Result<(), JsError> {
    let (w, _) = root.dim_in_pixel();
    root.draw(&Text::new(
        text.to_string(),
        ((w / 2) as i32, s.px(6.0) as i32),
        anchored(s, 16.0, colors::TEXT, HPos::Center, VPos::Top),
    ))
    .map_err(js_error)
}

/// Empty cells, the step labels under the columns, the frame and the current column.
fn frame(
    root: &Area,
    s: Scale,
    g: &Grid,
    shown: usize,
    current: Option<usize>,
    inputs: &[String],
    x_desc: &str,
) -> Result<(), JsError> {
    // The columns not computed yet: a light grid, drawn as lines (one call per line,
    // not one per cell: T = 63 by V = 27 would be 1,700 rectangles).
    let first = shown.min(g.cols);
    if first < g.cols {
        let grid = s.line(colors::GRID, 1.0);
        let x0 = g.x0 + first as i32 * g.cw;
        for row in 0..=g.rows {
            let y = g.y0 + row as i32 * g.ch;
            root.draw(&PathElement::new(vec![(x0, y), (g.right(), y)], grid))
                .map_err(js_error)?;
        }
        for col in first..=g.cols {
            let x = g.x0 + col as i32 * g.cw;
            root.draw(&PathElement::new(vec![(x, g.y0), (x, g.bottom())], grid))
                .map_err(js_error)?;
        }
    }
    // Step labels: every column while they fit, else every k-th.
    let every = ((s.px(26.0) as i32) / g.cw.max(1) + 1).max(1) as usize;
    for col in (0..g.cols).step_by(every) {
        let x = g.x0 + col as i32 * g.cw + g.cw / 2;
        root.draw(&Text::new(
            (col + 1).to_string(),
            (x, g.bottom() + s.px(4.0) as i32),
            anchored(s, 13.0, colors::AXIS, HPos::Center, VPos::Top),
        ))
        .map_err(js_error)?;
        if every == 1
            && let Some(c) = inputs.get(col)
        {
            root.draw(&Text::new(
                c.clone(),
                (x, g.bottom() + s.px(19.0) as i32),
                anchored(s, 12.0, colors::AXIS, HPos::Center, VPos::Top),
            ))
            .map_err(js_error)?;
        }
    }
    root.draw(&Text::new(
        x_desc.to_string(),
        (
            (g.x0 + g.right()) / 2,
            g.bottom() + s.px(if every == 1 { 33.0 } else { 21.0 }) as i32,
        ),
        anchored(s, 13.0, colors::AXIS, HPos::Center, VPos::Top),
    ))
    .map_err(js_error)?;
    root.draw(&Rectangle::new(
        [(g.x0, g.y0), (g.right(), g.bottom())],
        s.line(colors::AXIS, 1.0),
    ))
    .map_err(js_error)?;
    if let Some(t) = current.filter(|t| (1..=g.cols).contains(t)) {
        let [a, _] = g.cell(0, t - 1);
        let [_, b] = g.cell(g.rows - 1, t - 1);
        let pad = s.px(2.0) as i32;
        root.draw(&Rectangle::new(
            [(a.0 - pad, a.1 - pad), (b.0 + pad, b.1 + pad)],
            s.line(colors::EVENT, 3.0),
        ))
        .map_err(js_error)?;
    }
    Ok(())
}

fn row_label(root: &Area, s: Scale, g: &Grid, row: usize, text: String) -> Result<(), JsError> {
    root.draw(&Text::new(
        text,
        (g.x0 - s.px(6.0) as i32, g.y0 + row as i32 * g.ch + g.ch / 2),
        anchored(s, 13.0, colors::AXIS, HPos::Right, VPos::Center),
    ))
    .map_err(js_error)
}

/// A vertical colour legend at the right of the grid: `color(u)` for u from
/// `lo` (bottom) to `hi` (top), labelled at both ends and the middle.
fn legend(
    root: &Area,
    s: Scale,
    g: &Grid,
    (lo, hi): (f64, f64),
    color: impl Fn(f64) -> RGBColor,
) -> Result<(), JsError> {
    let x = g.right() + s.px(14.0) as i32;
    let w = s.px(14.0) as i32;
    let top = g.y0;
    let h = (g.bottom() - g.y0).max(s.px(60.0) as i32);
    let n = 40;
    for k in 0..n {
        let u = 1.0 - (k as f64 + 0.5) / n as f64;
        let y1 = top + h * k / n;
        let y2 = top + h * (k + 1) / n;
        root.draw(&Rectangle::new(
            [(x, y1), (x + w, y2)],
            color(lo + (hi - lo) * u).filled(),
        ))
        .map_err(js_error)?;
    }
    root.draw(&Rectangle::new(
        [(x, top), (x + w, top + h)],
        s.line(colors::AXIS, 1.0),
    ))
    .map_err(js_error)?;
    for (v, y, vpos) in [
        (hi, top, VPos::Top),
        ((lo + hi) / 2.0, top + h / 2, VPos::Center),
        (lo, top + h, VPos::Bottom),
    ] {
        root.draw(&Text::new(
            tick(v).replace('-', "−"),
            (x + w + s.px(4.0) as i32, y),
            anchored(s, 12.0, colors::AXIS, HPos::Left, vpos),
        ))
        .map_err(js_error)?;
    }
    Ok(())
}

/// Draws the hidden-state heatmap (units × time) on `canvas`.
pub fn draw_hidden_heatmap(
    canvas: &HtmlCanvasElement,
    d: &HiddenHeatmapData,
) -> Result<(), JsError> {
    let s = Scale::current();
    let root = area(canvas)?;
    title(
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
    let g = Grid::new(&root, s, rows, cols);
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
pub fn draw_output_probs(canvas: &HtmlCanvasElement, d: &OutputProbsData) -> Result<(), JsError> {
    let s = Scale::current();
    let root = area(canvas)?;
    title(
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
    let g = Grid::new(&root, s, rows, cols);
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
) -> Result<(), JsError> {
    draw_hidden_heatmap(canvas, &data("hidden-state heatmap", data_obj)?)
}

/// JS: `draw_output_probs_chart(canvas, {p, vocab, targets, predicted, shown,
/// current?, input_chars?, title?})`.
#[wasm_bindgen]
pub fn draw_output_probs_chart(
    canvas: &HtmlCanvasElement,
    data_obj: JsValue,
) -> Result<(), JsError> {
    draw_output_probs(canvas, &data("output-probability", data_obj)?)
}
