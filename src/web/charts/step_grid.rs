//! The step grid both charts of the unrolled chapter draw on: one column per
//! time step and one row per unit or symbol, with the title, row and step
//! labels, the not-yet-computed columns, the frame of the current step and a
//! colour legend. Sizes are CSS pixels scaled by the device pixel ratio.

use super::scales::anchored;
use super::{Scale, colors, tick};
use crate::web::js_error;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;

type Area = DrawingArea<CanvasBackend, Shift>;

/// A grid with one column per step: where it sits, in device pixels.
pub(super) struct Grid {
    pub(super) x0: i32,
    pub(super) y0: i32,
    pub(super) cw: i32,
    pub(super) ch: i32,
    pub(super) rows: usize,
    pub(super) cols: usize,
}

impl Grid {
    /// Lays out `rows × cols` cells below a title whose bottom is at `title_bottom`
    /// (device pixels, from [`title`]), leaving room for row labels at the left,
    /// step labels below and a legend at the right.
    pub(super) fn new(root: &Area, s: Scale, rows: usize, cols: usize, title_bottom: i32) -> Grid {
        let (w, h) = root.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let left = s.px(62.0) as i32;
        let right = s.px(78.0) as i32;
        let top = (title_bottom + s.px(8.0) as i32).max(s.px(34.0) as i32);
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

    pub(super) fn cell(&self, row: usize, col: usize) -> [(i32, i32); 2] {
        let x = self.x0 + col as i32 * self.cw;
        let y = self.y0 + row as i32 * self.ch;
        [(x, y), (x + self.cw, y + self.ch)]
    }

    pub(super) fn bottom(&self) -> i32 {
        self.y0 + self.rows as i32 * self.ch
    }

    pub(super) fn right(&self) -> i32 {
        self.x0 + self.cols as i32 * self.cw
    }
}

/// The chart's title, centred at the top (on two lines where a phone's canvas
/// is too narrow for one); returns the y of its bottom in device pixels.
pub(super) fn title(root: &Area, s: Scale, text: &str) -> Result<i32, JsError> {
    super::text::title_at(root, s, text, 16.0, 4.0, s.px(6.0) as i32)
}

/// Empty cells, the step labels under the columns, the frame and the current column.
pub(super) fn frame(
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

pub(super) fn row_label(
    root: &Area,
    s: Scale,
    g: &Grid,
    row: usize,
    text: String,
) -> Result<(), JsError> {
    root.draw(&Text::new(
        text,
        (g.x0 - s.px(6.0) as i32, g.y0 + row as i32 * g.ch + g.ch / 2),
        anchored(s, 13.0, colors::AXIS, HPos::Right, VPos::Center),
    ))
    .map_err(js_error)
}

/// A vertical colour legend at the right of the grid: `color(u)` for u from
/// `lo` (bottom) to `hi` (top), labelled at both ends and the middle.
pub(super) fn legend(
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
