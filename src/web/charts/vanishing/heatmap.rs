//! The time-step × iteration heatmap of ‖dL/dh_t‖ on a log colour scale
//! (viridis: perceptually uniform and colour-blind-safe), with a colour bar.
//!
//! Up to 200 iterations × 201 steps are 40,000 cells: drawn as one RGBA
//! image put into the plot area (one canvas call), not as 40,000 rectangles.

use super::{Area, decade_label, message};
use crate::engine::vanishing::training::TrainingView;
use crate::web::charts::scales::along;
use crate::web::charts::{Scale, axis_names, colors, text};
use crate::web::js_error;
use plotters::prelude::*;
use wasm_bindgen::{JsCast, JsError, JsValue};
use web_sys::HtmlCanvasElement;

const TITLE: &str = "‖dL/dh_t‖ per time step and iteration";

/// Viridis at 0, 0.1, …, 1 (matplotlib's colour map).
const VIRIDIS: [(u8, u8, u8); 11] = [
    (0x44, 0x01, 0x54),
    (0x48, 0x24, 0x75),
    (0x41, 0x44, 0x87),
    (0x35, 0x5F, 0x8D),
    (0x2A, 0x78, 0x8E),
    (0x21, 0x91, 0x8C),
    (0x22, 0xA8, 0x84),
    (0x44, 0xBF, 0x70),
    (0x7A, 0xD1, 0x51),
    (0xBD, 0xDF, 0x26),
    (0xFD, 0xE7, 0x25),
];

/// Cells whose value is NaN or ∞ (exploded), or missing: a grey outside the map.
const NOT_FINITE: (u8, u8, u8) = (0xBD, 0xBD, 0xBD);

/// The viridis colour at u ∈ [0, 1] (clamped), interpolated linearly.
pub fn viridis(u: f64) -> (u8, u8, u8) {
    let u = if u.is_nan() { 0.0 } else { u.clamp(0.0, 1.0) };
    let RGBColor(r, g, b) = along(&VIRIDIS, u);
    (r, g, b)
}

/// The colour of one cell: log10 value `v` on the scale lo..hi.
fn cell_colour(v: f64, lo: f64, hi: f64) -> (u8, u8, u8) {
    if v == f64::NEG_INFINITY {
        VIRIDIS[0] // exactly 0: below any positive value
    } else if !v.is_finite() {
        NOT_FINITE
    } else {
        viridis((v - lo) / (hi - lo))
    }
}

/// Puts an RGBA image at device pixel (x, y) of `canvas` (ImageData and
/// putImageData reached through JS reflection: no extra web-sys features).
fn put_image(
    canvas: &HtmlCanvasElement,
    rgba: &[u8],
    width: u32,
    x: i32,
    y: i32,
) -> Result<(), JsValue> {
    let height = rgba.len() as u32 / 4 / width.max(1);
    let ctx = canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("no 2D context"))?;
    let ctor: js_sys::Function =
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("ImageData"))?.dyn_into()?;
    let data = js_sys::Uint8ClampedArray::from(rgba);
    let args = js_sys::Array::of3(&data, &width.into(), &height.into());
    let image = js_sys::Reflect::construct(&ctor, &args)?;
    let put: js_sys::Function =
        js_sys::Reflect::get(&ctx, &JsValue::from_str("putImageData"))?.dyn_into()?;
    put.call3(&ctx, &image, &x.into(), &y.into())?;
    Ok(())
}

/// Draws the heatmap on `root` (the whole canvas `canvas`).
pub fn draw_heatmap(
    root: &Area,
    canvas: &HtmlCanvasElement,
    v: &TrainingView,
    s: Scale,
) -> Result<(), JsError> {
    let notes: &[&str] = if v.heat_log10.iter().any(|x| x.is_nan()) {
        &["Grey: NaN, ∞ or no value (not drawn as a number)"]
    } else {
        &[]
    };
    let root = &super::with_notes(root, s, notes)?;
    let cols = v.columns();
    let rows = v.rows;
    let (w, _) = root.dim_in_pixel();
    let bar_width = s.px(120.0).min(w / 3);
    let (main, bar) = root.split_horizontally(w - bar_width);
    let (x0, x1) = match (v.iterations.first(), v.iterations.last()) {
        (Some(&a), Some(&b)) if cols > 1 => {
            let half = (b - a) as f64 / (cols - 1) as f64 / 2.0;
            (a as f64 - half, b as f64 + half)
        }
        (Some(&a), _) => (a as f64 - 0.5, a as f64 + 0.5),
        _ => (0.0, 10.0),
    };
    let y_top = rows.max(1) as f64 - 0.5;
    // The title over the map only (the colour bar is beside it), on two lines if need be.
    let below = text::title(&main, s, TITLE, 17.0, 10.0)?;
    let title_h = below.get_base_pixel().1 - main.get_base_pixel().1;
    let mut chart = ChartBuilder::on(&below)
        .margin(s.px(10.0))
        .x_label_area_size(s.px(46.0))
        .y_label_area_size(s.px(64.0))
        .build_cartesian_2d(x0..x1, -0.5..y_top)
        .map_err(js_error)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .label_style(s.font(14.0))
        .x_labels(6)
        .y_labels(8)
        // Only whole iterations (a narrow range would repeat a rounded label).
        .x_label_formatter(&|x| {
            if (x - x.round()).abs() < 1e-6 {
                format!("{x:.0}")
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|y| format!("{y:.0}"))
        .axis_style(s.line(colors::AXIS, 1.0))
        .draw()
        .map_err(js_error)?;
    axis_names(
        &below,
        s,
        chart.plotting_area().get_pixel_range(),
        ("iteration", 15.0),
        ("time step t", 15.0),
        (46.0, 64.0),
    )?;
    let Some((mut lo, mut hi)) = v.heat_range else {
        let msg = if cols == 0 {
            "Train to fill the heatmap"
        } else {
            "No finite gradient to colour"
        };
        return message(&below, s, msg);
    };
    if hi - lo < 1e-9 {
        lo -= 0.5;
        hi += 0.5;
    }
    let (px, py) = chart.plotting_area().get_pixel_range();
    let (pw, ph) = (
        (px.end - px.start).max(1) as usize,
        (py.end - py.start).max(1) as usize,
    );
    let mut rgba = vec![255u8; pw * ph * 4];
    for j in 0..ph {
        // Row 0 of the image is the top: t = rows − 1.
        let t = rows - 1 - (j * rows / ph).min(rows - 1);
        for i in 0..pw {
            let c = (i * cols / pw).min(cols - 1);
            let (r, g, b) = cell_colour(v.heat_log10[t * cols + c], lo, hi);
            let k = (j * pw + i) * 4;
            rgba[k..k + 4].copy_from_slice(&[r, g, b, 255]);
        }
    }
    put_image(canvas, &rgba, pw as u32, px.start, py.start)
        .map_err(|e| js_error(format!("the heatmap could not be drawn: {e:?}")))?;
    colour_bar(&bar, s, title_h, lo, hi)?;
    root.present().map_err(js_error)
}

/// The colour scale: viridis from lo to hi (log10 units), labelled in decades,
/// level with the map under a title `title_h` device pixels high.
fn colour_bar(area: &Area, s: Scale, title_h: i32, lo: f64, hi: f64) -> Result<(), JsError> {
    let mut chart = ChartBuilder::on(area)
        .margin_top(title_h as u32 + s.px(10.0))
        .margin_bottom(s.px(56.0))
        .margin_left(s.px(6.0))
        .margin_right(s.px(4.0))
        .y_label_area_size(s.px(52.0))
        .build_cartesian_2d(0.0..1.0, lo..hi)
        .map_err(js_error)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .label_style(s.font(13.0))
        .y_labels(6)
        .y_label_formatter(&|y| decade_label(*y))
        .axis_style(s.line(colors::AXIS, 1.0))
        .draw()
        .map_err(js_error)?;
    let n = 96;
    chart
        .draw_series((0..n).map(|k| {
            let a = lo + (hi - lo) * k as f64 / n as f64;
            let b = lo + (hi - lo) * (k + 1) as f64 / n as f64;
            let (r, g, bl) = viridis((k as f64 + 0.5) / n as f64);
            Rectangle::new([(0.0, a), (1.0, b)], RGBColor(r, g, bl).filled())
        }))
        .map_err(js_error)?;
    let (w, h) = area.dim_in_pixel();
    area.draw(&Text::new(
        "log scale".to_string(),
        ((w / 2) as i32, (h - s.px(30.0)) as i32),
        s.font(13.0).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Top,
        )),
    ))
    .map_err(js_error)?;
    Ok(())
}
