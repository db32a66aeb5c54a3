//! The charts of "Why recurrence?": a signal with its unknown future, a
//! sentence as boxes x_1, x_2, …, several loss curves on one plot, and
//! vectors drawn as strips of cells (the bag-of-words pair).

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

/// A sampled signal: `values[i]` at x = `i · dx`; the first `known` drawn,
/// the rest shaded with a question mark (or drawn dashed when `reveal`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SignalData {
    pub values: Vec<f64>,
    pub dx: f64,
    pub known: usize,
    pub reveal: bool,
    pub title: String,
    pub x_desc: String,
    pub y_desc: String,
}

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

pub fn draw_signal(canvas: &HtmlCanvasElement, d: &SignalData, s: Scale) -> Result<(), JsError> {
    let root = area(canvas)?;
    let below = text::title(&root, s, &d.title, 17.0, 10.0)?;
    let n = d.values.len();
    let dx = if d.dx > 0.0 { d.dx } else { 1.0 };
    let x1 = (n.max(2) - 1) as f64 * dx;
    let (y0, y1) = range(&d.values);
    let mut chart = house_chart(&below, s)
        .build_cartesian_2d(0.0..x1, y0..y1)
        .map_err(js_error)?;
    house_mesh(&mut chart.configure_mesh(), s)
        .x_labels(6)
        .y_labels(4)
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .draw()
        .map_err(js_error)?;
    axis_names(
        &below,
        s,
        chart.plotting_area().get_pixel_range(),
        (&d.x_desc, 15.0),
        (&d.y_desc, 15.0),
        HOUSE_LABEL_AREAS,
    )?;
    if n == 0 {
        return message(&below, s, "No samples");
    }
    let known = d.known.min(n);
    let at = |i: usize| i as f64 * dx;
    if known < n {
        let from = at(known.saturating_sub(1));
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(from, y0), (x1, y1)],
                UNKNOWN_FILL.filled(),
            )))
            .map_err(js_error)?;
    }
    let line = |from: usize, to: usize| (from..to).map(move |i| (at(i), d.values[i]));
    chart
        .draw_series(LineSeries::new(line(0, known), s.line(colors::W_XH, 1.8)))
        .map_err(js_error)?;
    if known < n && d.reveal {
        chart
            .draw_series(LineSeries::new(
                line(known.saturating_sub(1), n),
                s.line(colors::W_HH, 1.8),
            ))
            .map_err(js_error)?;
    } else if known < n {
        let centre = chart.backend_coord(&((at(known) + x1) / 2.0, (y0 + y1) / 2.0));
        let (ox, oy) = below.get_base_pixel();
        text::Rich::new(44.0).color(colors::AXIS).draw(
            &below,
            s,
            "?",
            (centre.0 - ox, centre.1 - oy),
            HPos::Center,
            VPos::Center,
        )?;
    }
    root.present().map_err(js_error)
}

/// A sentence as boxes, one per character: the first `known` written, then
/// a box with "?" (every box written when `reveal`, the unknown ones in
/// vermillion). Rows wrap to the canvas's width.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CharsData {
    pub chars: Vec<String>,
    pub known: usize,
    pub reveal: bool,
    pub title: String,
}

pub fn draw_chars(canvas: &HtmlCanvasElement, d: &CharsData, s: Scale) -> Result<(), JsError> {
    let root = area(canvas)?;
    let below = text::title(&root, s, &d.title, 17.0, 10.0)?;
    let shown = if d.reveal {
        d.chars.len()
    } else {
        (d.known + 1).min(d.chars.len())
    };
    if shown == 0 {
        return message(&below, s, "No characters");
    }
    let (w, h) = below.dim_in_pixel();
    let (w, h) = (w as f64 / s.dpr, h as f64 / s.dpr);
    // The largest box (36 px down to 12 px) with which every row fits.
    let mut size = 36.0;
    let fits = |size: f64| {
        let per_row = ((w - 16.0) / size).floor().max(1.0);
        let rows = (shown as f64 / per_row).ceil();
        rows * (size + 16.0) <= h
    };
    while size > 12.0 && !fits(size) {
        size -= 1.0;
    }
    let per_row = (((w - 16.0) / size).floor() as usize).max(1);
    let left = (w - (per_row.min(shown) as f64) * size) / 2.0;
    let px = |v: f64| (v * s.dpr).round() as i32;
    for i in 0..shown {
        let (row, col) = (i / per_row, i % per_row);
        let x = left + col as f64 * size;
        let y = 4.0 + row as f64 * (size + 16.0);
        let unknown = i >= d.known;
        let fill = if unknown {
            UNKNOWN_FILL
        } else {
            colors::BACKGROUND
        };
        let rect = [(px(x + 1.0), px(y)), (px(x + size - 1.0), px(y + size))];
        below
            .draw(&Rectangle::new(rect, fill.filled()))
            .map_err(js_error)?;
        below
            .draw(&Rectangle::new(rect, s.line(colors::AXIS, 1.0)))
            .map_err(js_error)?;
        let c = match (unknown && !d.reveal, d.chars[i].as_str()) {
            (true, _) => "?",
            (false, " ") => "␣",
            (false, c) => c,
        };
        let color = if unknown && d.reveal {
            colors::W_HH
        } else {
            colors::TEXT
        };
        let centre = px(x + size / 2.0);
        text::Rich::new(size * 0.6).color(color).draw(
            &below,
            s,
            c,
            (centre, px(y + size / 2.0)),
            HPos::Center,
            VPos::Center,
        )?;
        text::Rich::new(10.0).color(colors::AXIS).draw(
            &below,
            s,
            &(i + 1).to_string(),
            (centre, px(y + size + 1.0)),
            HPos::Center,
            VPos::Top,
        )?;
    }
    root.present().map_err(js_error)
}

/// One named curve.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

/// A horizontal line with a name (a floor the loss cannot go below).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Reference {
    pub name: String,
    pub value: f64,
}

/// Several curves against the training step (1, 2, …), each pooled to at
/// most two points per pixel column by the mean of its bucket.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CurvesData {
    pub series: Vec<Series>,
    pub reference: Option<Reference>,
    pub title: String,
    pub x_desc: String,
    pub y_desc: String,
}

/// (x, mean of the bucket) with at most `max` points, finite values only.
fn pooled(values: &[f64], max: usize) -> Vec<(f64, f64)> {
    let size = values.len().div_ceil(max.max(1)).max(1);
    values
        .chunks(size)
        .enumerate()
        .filter_map(|(b, c)| {
            let finite: Vec<f64> = c.iter().copied().filter(|v| v.is_finite()).collect();
            (!finite.is_empty()).then(|| {
                let x = (b * size) as f64 + (c.len() as f64 + 1.0) / 2.0;
                (x, finite.iter().sum::<f64>() / finite.len() as f64)
            })
        })
        .collect()
}

pub fn draw_curves(canvas: &HtmlCanvasElement, d: &CurvesData, s: Scale) -> Result<(), JsError> {
    let root = area(canvas)?;
    let below = text::title(&root, s, &d.title, 17.0, 10.0)?;
    let mut entries: Vec<(&str, Swatch)> = d
        .series
        .iter()
        .zip(SERIES.iter().cycle())
        .map(|(c, &col)| (c.name.as_str(), Swatch::Line(col, 2.5)))
        .collect();
    if let Some(r) = &d.reference {
        entries.push((r.name.as_str(), Swatch::Line(colors::AXIS, 1.5)));
    }
    let n = d.series.iter().map(|c| c.values.len()).max().unwrap_or(0);
    let plot = if n == 0 {
        legend_space(&below, s, &entries)?
    } else {
        legend(&below, s, &entries)?
    };
    let top = y_top(
        d.series
            .iter()
            .flat_map(|c| &c.values)
            .chain(d.reference.iter().map(|r| &r.value)),
    );
    let x1 = (n as f64).max(10.0);
    let mut chart = house_chart(&plot, s)
        .margin_top(s.px(4.0))
        .build_cartesian_2d(0.0..x1, 0.0..top)
        .map_err(js_error)?;
    house_mesh(&mut chart.configure_mesh(), s)
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| tick(*v))
        .draw()
        .map_err(js_error)?;
    axis_names(
        &plot,
        s,
        chart.plotting_area().get_pixel_range(),
        (&d.x_desc, 15.0),
        (&d.y_desc, 15.0),
        HOUSE_LABEL_AREAS,
    )?;
    if let Some(r) = &d.reference {
        let dash = DashedLineSeries::new(
            [(0.0, r.value), (x1, r.value)],
            s.px(6.0),
            s.px(4.0),
            s.line(colors::AXIS, 1.5),
        );
        chart.draw_series(dash).map_err(js_error)?;
    }
    if n == 0 {
        return message(&plot, s, "Training has not started");
    }
    let columns = plot.dim_in_pixel().0 as usize;
    for (c, &col) in d.series.iter().zip(SERIES.iter().cycle()) {
        chart
            .draw_series(LineSeries::new(
                pooled(&c.values, columns),
                s.line(col, 2.0),
            ))
            .map_err(js_error)?;
    }
    root.present().map_err(js_error)
}

/// One vector drawn as a strip.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Strip {
    pub label: String,
    pub values: Vec<f64>,
}

/// Vectors of one length, one strip each, a cell per entry (darker = more).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StripsData {
    pub rows: Vec<Strip>,
    pub title: String,
    pub x_desc: String,
}

pub fn draw_strips(canvas: &HtmlCanvasElement, d: &StripsData, s: Scale) -> Result<(), JsError> {
    let root = area(canvas)?;
    let below = text::title(&root, s, &d.title, 17.0, 10.0)?;
    let len = d.rows.iter().map(|r| r.values.len()).max().unwrap_or(0);
    if len == 0 || d.rows.is_empty() {
        return message(&below, s, "No vectors");
    }
    let (w, h) = below.dim_in_pixel();
    let px = |v: f64| (v * s.dpr).round() as i32;
    let label_w = d
        .rows
        .iter()
        .map(|r| text::Rich::new(14.0).width(&below, s, &r.label))
        .max()
        .unwrap_or(0)
        + px(12.0);
    let (x0, x1) = (label_w, w as i32 - px(12.0));
    let row_h = ((h as i32 - px(40.0)) / d.rows.len() as i32).clamp(px(12.0), px(44.0));
    let max = d
        .rows
        .iter()
        .flat_map(|r| &r.values)
        .fold(1.0f64, |m, &v| m.max(v));
    let cell = (x1 - x0) as f64 / len as f64;
    for (r, row) in d.rows.iter().enumerate() {
        let y = px(4.0) + r as i32 * row_h;
        let (top, bottom) = (y + px(3.0), y + row_h - px(3.0));
        text::Rich::new(14.0).draw(
            &below,
            s,
            &row.label,
            (px(4.0), (top + bottom) / 2),
            HPos::Left,
            VPos::Center,
        )?;
        below
            .draw(&Rectangle::new(
                [(x0, top), (x1, bottom)],
                UNKNOWN_FILL.filled(),
            ))
            .map_err(js_error)?;
        for (i, &v) in row.values.iter().enumerate() {
            if v == 0.0 || !v.is_finite() {
                continue;
            }
            let shade = (0.35 + 0.65 * (v / max).min(1.0)).clamp(0.0, 1.0);
            let c = colors::W_XH;
            let mix = |ch: u8| (255.0 - (255.0 - ch as f64) * shade).round() as u8;
            let left = x0 + (i as f64 * cell).floor() as i32;
            let right = (x0 + ((i + 1) as f64 * cell).ceil() as i32).max(left + px(2.0));
            below
                .draw(&Rectangle::new(
                    [(left, top), (right, bottom)],
                    RGBColor(mix(c.0), mix(c.1), mix(c.2)).filled(),
                ))
                .map_err(js_error)?;
        }
    }
    let axis_y = px(4.0) + d.rows.len() as i32 * row_h + px(4.0);
    for (at, label, pos) in [
        (x0, "0".to_string(), HPos::Left),
        (x1, (len - 1).to_string(), HPos::Right),
    ] {
        text::Rich::new(13.0).color(colors::AXIS).draw(
            &below,
            s,
            &label,
            (at, axis_y),
            pos,
            VPos::Top,
        )?;
    }
    text::Rich::new(14.0).draw(
        &below,
        s,
        &d.x_desc,
        ((x0 + x1) / 2, axis_y),
        HPos::Center,
        VPos::Top,
    )?;
    root.present().map_err(js_error)
}

/// JS: `draw_why_signal_chart(canvas, {values, dx, known, reveal, title, x_desc, y_desc})`.
#[wasm_bindgen]
pub fn draw_why_signal_chart(
    canvas: &HtmlCanvasElement,
    data_obj: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    draw_signal(canvas, &data("signal", data_obj)?, Scale::given(scale))
}

/// JS: `draw_why_chars_chart(canvas, {chars, known, reveal, title})`.
#[wasm_bindgen]
pub fn draw_why_chars_chart(
    canvas: &HtmlCanvasElement,
    data_obj: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    draw_chars(canvas, &data("sentence", data_obj)?, Scale::given(scale))
}

/// JS: `draw_why_curves_chart(canvas, {series: [{name, values}], reference?, title, x_desc, y_desc})`.
#[wasm_bindgen]
pub fn draw_why_curves_chart(
    canvas: &HtmlCanvasElement,
    data_obj: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    draw_curves(canvas, &data("curves", data_obj)?, Scale::given(scale))
}

/// JS: `draw_why_strips_chart(canvas, {rows: [{label, values}], title, x_desc})`.
#[wasm_bindgen]
pub fn draw_why_strips_chart(
    canvas: &HtmlCanvasElement,
    data_obj: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    draw_strips(canvas, &data("vectors", data_obj)?, Scale::given(scale))
}
