//! The vanishing/exploding-gradient chapter's charts, drawn straight from the
//! engine's [`Analysis`](crate::engine::vanishing::Analysis) and [`TrainingView`](crate::engine::vanishing::training::TrainingView) (no JS round trip):
//!
//! - [`draw_past`]: ‖∂L_T/∂h_t‖ against t, log scale, with its bound;
//! - [`draw_chain`]: ‖∂h_T/∂h_k‖ against T − k, log scale, with (γλ1)^(T−k);
//! - [`draw_spectrum`]: the singular values of W_hh as bars, 1/γ and ρ as lines;
//! - [`draw_param_norms`]: ‖dL/dθ‖ per parameter over iterations, log scale,
//!   with a tick where clipping fired;
//! - [`draw_heatmap`]: ‖dL/dh_t‖ per step × iteration, log colour scale.
//!
//! Log scales plot log10 of the value on a linear axis labelled in powers of
//! ten, so values far outside f64's range after renormalisation (0.1^200) and
//! exact zeros or non-finite values are handled explicitly: a NaN or ∞ is
//! never drawn as a number; it breaks the line and is named on the chart.

use super::{Scale, colors, message, tick};
use crate::web::js_error;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsError;

pub use heatmap::draw_heatmap;
pub use norms::draw_param_norms;
pub use past::{PastOptions, draw_chain, draw_past};
pub use spectrum::draw_spectrum;

pub(super) type Area = DrawingArea<CanvasBackend, Shift>;

/// Superscript digits for axis labels like 10⁻⁵.
fn superscript(n: i64) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut out = String::new();
    if n < 0 {
        out.push('⁻');
    }
    for c in n.unsigned_abs().to_string().chars() {
        out.push(DIGITS[c.to_digit(10).unwrap_or(0) as usize]);
    }
    out
}

/// The label of a point on a log10 axis: 10ᵏ at whole decades, else the number.
pub fn decade_label(v: f64) -> String {
    let r = v.round();
    if (v - r).abs() < 1e-9 {
        match r as i64 {
            0 => "1".into(),
            1 => "10".into(),
            k => format!("10{}", superscript(k)),
        }
    } else {
        tick(10f64.powf(v))
    }
}

/// A y range in log10 units covering the finite values: whole decades, at
/// least two of them, a little headroom; (−1, 1) when nothing is finite.
pub fn log_range(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        return (-1.0, 1.0);
    }
    let (mut lo, mut hi) = ((lo - 0.05).floor(), (hi + 0.05).ceil());
    if hi - lo < 2.0 {
        let mid = ((lo + hi) / 2.0).round();
        lo = mid - 1.0;
        hi = mid + 1.0;
    }
    (lo, hi)
}

/// Runs of consecutive finite points (a NaN/∞/−∞ breaks the line).
pub fn finite_runs(points: impl IntoIterator<Item = (f64, f64)>) -> Vec<Vec<(f64, f64)>> {
    let mut runs = vec![Vec::new()];
    for (x, y) in points {
        if x.is_finite() && y.is_finite() {
            runs.last_mut().expect("non-empty").push((x, y));
        } else if !runs.last().expect("non-empty").is_empty() {
            runs.push(Vec::new());
        }
    }
    runs.retain(|r| !r.is_empty());
    runs
}

/// Writes `notes` (what was not drawn, and why) in red above the chart and
/// returns the area left for the chart itself, so a note never covers data.
pub(super) fn with_notes(root: &Area, s: Scale, notes: &[&str]) -> Result<Area, JsError> {
    if notes.is_empty() {
        return Ok(root.clone());
    }
    let line = s.px(19.0);
    let (top, rest) = root.split_vertically(line * notes.len() as u32 + s.px(4.0));
    let style = s
        .font(14.0)
        .color(&RGBColor(0xB0, 0x00, 0x20))
        .pos(Pos::new(HPos::Left, VPos::Top));
    for (k, text) in notes.iter().enumerate() {
        top.draw(&Text::new(
            text.to_string(),
            (s.px(10.0) as i32, (s.px(4.0) + line * k as u32) as i32),
            style.clone(),
        ))
        .map_err(js_error)?;
    }
    Ok(rest)
}

/// Draws the legend box of a chart in the upper right.
macro_rules! legend {
    ($chart:expr, $s:expr) => {
        legend!($chart, $s, SeriesLabelPosition::UpperRight)
    };
    ($chart:expr, $s:expr, $pos:expr) => {
        $chart
            .configure_series_labels()
            .position($pos)
            .label_font($s.font(14.0))
            .background_style(WHITE.mix(0.9))
            .border_style($s.line(colors::AXIS, 1.0))
            .margin($s.px(8.0))
            .draw()
            .map_err(js_error)
    };
}

/// The corner of the plot (x0..x1 × lo..hi) holding the fewest points of
/// `curves` (densified along each segment): a legend there covers the least data.
pub(super) fn quiet_corner(
    curves: &[Vec<(f64, f64)>],
    (x0, x1): (f64, f64),
    (lo, hi): (f64, f64),
) -> SeriesLabelPosition {
    let (w, h) = (x1 - x0, hi - lo);
    let mut points = Vec::new();
    for c in curves {
        for pair in c.windows(2) {
            let ((xa, ya), (xb, yb)) = (pair[0], pair[1]);
            points.extend((0..8).map(|k| {
                let f = k as f64 / 8.0;
                (xa + (xb - xa) * f, ya + (yb - ya) * f)
            }));
        }
        points.extend(c.last().copied());
    }
    let corners = [
        (SeriesLabelPosition::UpperRight, true, true),
        (SeriesLabelPosition::UpperLeft, false, true),
        (SeriesLabelPosition::LowerRight, true, false),
        (SeriesLabelPosition::LowerLeft, false, false),
    ];
    let count = |right: bool, upper: bool| {
        points
            .iter()
            .filter(|(x, y)| {
                let in_x = if right {
                    *x >= x0 + 0.45 * w
                } else {
                    *x <= x0 + 0.55 * w
                };
                let in_y = if upper {
                    *y >= hi - 0.4 * h
                } else {
                    *y <= lo + 0.4 * h
                };
                in_x && in_y
            })
            .count()
    };
    let mut best = (usize::MAX, SeriesLabelPosition::UpperRight);
    for (pos, right, upper) in corners {
        let n = count(right, upper);
        if n < best.0 {
            best = (n, pos);
        }
    }
    best.1
}

/// Whether a legend at `pos` sits in the upper half, and on the right.
fn corner_sides(pos: &SeriesLabelPosition) -> (bool, bool) {
    match pos {
        SeriesLabelPosition::UpperRight => (true, true),
        SeriesLabelPosition::UpperLeft => (true, false),
        SeriesLabelPosition::LowerLeft => (false, false),
        _ => (false, true),
    }
}

/// The log charts' coordinates: x linear, y in log10 units.
pub(super) type LogChart<'a> =
    ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A vertical grey line at x, labelled at the end away from the legend, on
/// a white patch so the label stays readable over a curve.
pub(super) fn key_line(
    chart: &mut LogChart<'_>,
    s: Scale,
    x: f64,
    (lo, hi): (f64, f64),
    legend_at: &SeriesLabelPosition,
    text: String,
) -> Result<(), JsError> {
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(x, lo), (x, hi)],
            s.line(colors::AXIS, 1.0),
        )))
        .map_err(js_error)?;
    let (legend_upper, _) = corner_sides(legend_at);
    let font = s.font(13.0);
    let area = chart.plotting_area();
    let (tw, th) = area.estimate_text_size(&text, &font).unwrap_or((0, 0));
    let (px, py) = area.map_coordinate(&(x, if legend_upper { lo } else { hi }));
    let pad = s.px(3.0) as i32;
    let (tw, th) = (tw as i32, th as i32);
    let left = px + pad;
    let (top, bottom) = if legend_upper {
        (py - th - 2 * pad, py)
    } else {
        (py, py + th + 2 * pad)
    };
    // Pixel coordinates on the whole canvas: draw on the root, not in chart units.
    let root = area.strip_coord_spec();
    let (ox, oy) = root.get_base_pixel();
    let shift = |(a, b): (i32, i32)| (a - ox, b - oy);
    root.draw(&Rectangle::new(
        [shift((left - pad, top)), shift((left + tw + pad, bottom))],
        WHITE.mix(0.85).filled(),
    ))
    .map_err(js_error)?;
    root.draw(&Text::new(
        text,
        shift((left, top + pad)),
        font.pos(Pos::new(HPos::Left, VPos::Top)),
    ))
    .map_err(js_error)?;
    Ok(())
}

/// About one y label per decade, at most 8.
pub(super) fn decade_labels(lo: f64, hi: f64) -> usize {
    ((hi - lo).round() as usize + 1).clamp(2, 8)
}

/// The mark in front of a key entry.
pub(super) enum Swatch {
    Bar(RGBAColor),
    /// A line, dashed or not.
    Line(RGBColor, bool),
    /// A short vertical tick (an event such as clipping).
    Tick(RGBColor),
}

/// One centred row of key entries (swatch + label) across `area`.
pub(super) fn key_row(area: &Area, s: Scale, items: &[(Swatch, String)]) -> Result<(), JsError> {
    key_row_at(area, s, items, false)
}

/// [`key_row`] at scale `s`; `shrunk` once it has been made smaller to fit.
fn key_row_at(
    area: &Area,
    s: Scale,
    items: &[(Swatch, String)],
    shrunk: bool,
) -> Result<(), JsError> {
    let font = s.font(14.0);
    let swatch = s.px(22.0) as i32;
    let gap = s.px(8.0) as i32;
    let space = s.px(22.0) as i32;
    let widths: Vec<i32> = items
        .iter()
        .map(|(_, label)| {
            area.estimate_text_size(label, &font)
                .map(|(w, _)| w as i32)
                .unwrap_or(0)
        })
        .collect();
    let total: i32 = widths.iter().map(|w| swatch + gap + w).sum::<i32>()
        + space * (items.len() as i32 - 1).max(0);
    let (w, h) = area.dim_in_pixel();
    if total > w as i32 && !shrunk {
        // Too wide (a phone): the same key a size smaller, down to 60%.
        let f = (w as f64 / total as f64).max(0.6);
        return key_row_at(area, Scale { dpr: s.dpr * f }, items, true);
    }
    let mut x = ((w as i32 - total) / 2).max(0);
    let y = h as i32 / 2;
    let style = font.pos(plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Left,
        plotters::style::text_anchor::VPos::Center,
    ));
    for ((sw, label), tw) in items.iter().zip(widths) {
        match sw {
            Swatch::Bar(c) => area.draw(&Rectangle::new(
                [
                    (x + s.px(4.0) as i32, y - s.px(6.0) as i32),
                    (x + swatch - s.px(4.0) as i32, y + s.px(6.0) as i32),
                ],
                c.filled(),
            )),
            Swatch::Tick(c) => area.draw(&PathElement::new(
                vec![
                    (x + swatch / 2, y - s.px(7.0) as i32),
                    (x + swatch / 2, y + s.px(7.0) as i32),
                ],
                s.line(*c, 2.0),
            )),
            Swatch::Line(c, false) => area.draw(&PathElement::new(
                vec![(x, y), (x + swatch, y)],
                s.line(*c, 2.5),
            )),
            Swatch::Line(c, true) => area
                .draw(&PathElement::new(
                    vec![(x, y), (x + swatch * 2 / 5, y)],
                    s.line(*c, 2.0),
                ))
                .and_then(|_| {
                    area.draw(&PathElement::new(
                        vec![(x + swatch * 3 / 5, y), (x + swatch, y)],
                        s.line(*c, 2.0),
                    ))
                }),
        }
        .map_err(js_error)?;
        area.draw(&Text::new(
            label.clone(),
            (x + swatch + gap, y),
            style.clone(),
        ))
        .map_err(js_error)?;
        x += swatch + gap + tw + space;
    }
    Ok(())
}

pub mod draw;
pub mod heatmap;
pub mod norms;
pub mod past;
pub mod spectrum;
