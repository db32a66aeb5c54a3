//! The vanishing/exploding-gradient chapter's charts, drawn straight from the
//! engine's [`Analysis`](crate::engine::vanishing::Analysis) and [`TrainingView`](crate::engine::vanishing::training::TrainingView) (no JS round trip):
//!
//! - [`draw_past`]: ‖∂loss_T/∂h_t‖ against t, log scale, with its bound;
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

use super::{Scale, colors, message, text, tick};
use crate::web::js_error;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
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
    let rich = text::Rich::new(14.0).color(RGBColor(0xB0, 0x00, 0x20));
    // Each note on as many lines as it needs between 10 px margins (a phone).
    let room = root.dim_in_pixel().0 as i32 - 2 * s.px(10.0) as i32;
    let lines: Vec<String> = notes
        .iter()
        .flat_map(|n| text::fill_lines(n, |t| rich.width(root, s, t), room))
        .collect();
    let (top, rest) = root.split_vertically(line * lines.len() as u32 + s.px(4.0));
    for (k, line_text) in lines.into_iter().enumerate() {
        rich.draw(
            &top,
            s,
            &line_text,
            (s.px(10.0) as i32, (s.px(4.0) + line * k as u32) as i32),
            HPos::Left,
            VPos::Top,
        )?;
    }
    Ok(rest)
}

/// The corner of the plot (x0..x1 × lo..hi) holding the fewest points of
/// `curves` (densified along each segment): a label there covers the least data.
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

/// Whether the corner `pos` is in the upper half of the plot.
fn is_upper(pos: &SeriesLabelPosition) -> bool {
    matches!(
        pos,
        SeriesLabelPosition::UpperRight | SeriesLabelPosition::UpperLeft
    )
}

/// The log charts' coordinates: x linear, y in log10 units.
pub(super) type LogChart<'a> =
    ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A vertical grey line at x, labelled at the end (top or bottom) of the
/// quiet corner `quiet`, on a white patch so the label stays readable over a
/// curve; right of the line, or left of it where it would leave the plot.
pub(super) fn key_line(
    chart: &mut LogChart<'_>,
    s: Scale,
    x: f64,
    (lo, hi): (f64, f64),
    quiet: &SeriesLabelPosition,
    text: String,
) -> Result<(), JsError> {
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(x, lo), (x, hi)],
            s.line(colors::AXIS, 1.0),
        )))
        .map_err(js_error)?;
    let at_top = is_upper(quiet);
    let rich = text::Rich::new(13.0);
    let area = chart.plotting_area();
    let (tw, th) = (
        rich.width(area, s, &text),
        text::size(area, "Hg", &s.font(13.0)).1,
    );
    let (px, py) = area.map_coordinate(&(x, if at_top { hi } else { lo }));
    let pad = s.px(3.0) as i32;
    let right_edge = area.get_pixel_range().0.end;
    let left = if px + 2 * pad + tw > right_edge {
        px - pad - tw
    } else {
        px + pad
    };
    let (top, bottom) = if at_top {
        (py, py + th + 2 * pad)
    } else {
        (py - th - 2 * pad, py)
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
    rich.draw(
        &root,
        s,
        &text,
        shift((left, top + pad)),
        HPos::Left,
        VPos::Top,
    )?;
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

/// Key entries (swatch + label) across the top of `area`, centred: one row
/// where they fit, else as many rows as they need (a phone). Returns the area below.
/// An entry wider than the canvas makes the whole key smaller, down to 60%.
pub(super) fn key_row(area: &Area, s: Scale, items: &[(Swatch, String)]) -> Result<Area, JsError> {
    let rich = text::Rich::new(14.0);
    let measure = |s: Scale| -> Vec<i32> {
        items
            .iter()
            .map(|(_, label)| s.px(30.0) as i32 + rich.width(area, s, label))
            .collect()
    };
    let (w, _) = area.dim_in_pixel();
    let room = w as i32 - s.px(20.0) as i32;
    let widest = measure(s).into_iter().max().unwrap_or(0);
    let s = if widest > room && room > 0 {
        Scale {
            dpr: s.dpr * (room as f64 / widest as f64).max(0.6),
        }
    } else {
        s
    };
    let widths = measure(s);
    let swatch = s.px(22.0) as i32;
    let gap = s.px(8.0) as i32;
    let space = s.px(22.0) as i32;
    let rows = text::flow(&widths, space, room);
    let row_h = s.px(22.0) as i32;
    let (strip, rest) = area.split_vertically(row_h * rows.len() as i32 + s.px(6.0) as i32);
    for (r, row) in rows.into_iter().enumerate() {
        let total: i32 = widths[row.clone()].iter().sum::<i32>() + space * (row.len() as i32 - 1);
        let mut x = ((w as i32 - total) / 2).max(0);
        let y = s.px(3.0) as i32 + row_h * r as i32 + row_h / 2;
        for ((sw, label), tw) in items[row.clone()].iter().zip(&widths[row]) {
            match sw {
                Swatch::Bar(c) => strip.draw(&Rectangle::new(
                    [
                        (x + s.px(4.0) as i32, y - s.px(6.0) as i32),
                        (x + swatch - s.px(4.0) as i32, y + s.px(6.0) as i32),
                    ],
                    c.filled(),
                )),
                Swatch::Tick(c) => strip.draw(&PathElement::new(
                    vec![
                        (x + swatch / 2, y - s.px(7.0) as i32),
                        (x + swatch / 2, y + s.px(7.0) as i32),
                    ],
                    s.line(*c, 2.0),
                )),
                Swatch::Line(c, false) => strip.draw(&PathElement::new(
                    vec![(x, y), (x + swatch, y)],
                    s.line(*c, 2.5),
                )),
                Swatch::Line(c, true) => strip
                    .draw(&PathElement::new(
                        vec![(x, y), (x + swatch * 2 / 5, y)],
                        s.line(*c, 2.0),
                    ))
                    .and_then(|_| {
                        strip.draw(&PathElement::new(
                            vec![(x + swatch * 3 / 5, y), (x + swatch, y)],
                            s.line(*c, 2.0),
                        ))
                    }),
            }
            .map_err(js_error)?;
            rich.draw(
                &strip,
                s,
                label,
                (x + swatch + gap, y),
                HPos::Left,
                VPos::Center,
            )?;
            x += tw + space;
        }
    }
    Ok(rest)
}

pub mod draw;
pub mod heatmap;
pub mod norms;
pub mod past;
pub mod spectrum;
