//! The loss curve: loss and smooth loss against the training iteration,
//! with a tick at the top wherever gradient clipping fired.

use super::{Scale, Swatch, area, colors, data, legend, legend_space, message, text, tick, y_top};
use crate::web::charts::{HOUSE_LABEL_AREAS, axis_names, house_chart, house_mesh};
use crate::web::js_error;
use plotters::prelude::*;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// What the loss chart draws; field names match `Lab.history()`, so a
/// history slice can be passed as it is. All vectors have one entry per
/// iteration (`clip_fired` may be empty).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LossData {
    pub iteration: Vec<f64>,
    pub loss: Vec<f64>,
    pub smooth_loss: Vec<f64>,
    pub clip_fired: Vec<bool>,
    /// Caption above the plot.
    pub title: Option<String>,
}

/// Contiguous runs of finite points, so a NaN or ∞ breaks the line instead
/// of being drawn as a number.
fn finite_runs(xs: &[f64], ys: &[f64]) -> Vec<Vec<(f64, f64)>> {
    let mut runs = vec![Vec::new()];
    for (&x, &y) in xs.iter().zip(ys) {
        if x.is_finite() && y.is_finite() {
            runs.last_mut().expect("non-empty").push((x, y));
        } else if !runs.last().expect("non-empty").is_empty() {
            runs.push(Vec::new());
        }
    }
    runs.retain(|r| !r.is_empty());
    runs
}

/// Draws the loss curve on `canvas` (sized in device pixels by the page).
pub fn draw_loss(canvas: &HtmlCanvasElement, d: &LossData, s: Scale) -> Result<(), JsError> {
    let root = area(canvas)?;
    let n = d.iteration.len();
    let (x0, x1) = match (d.iteration.first(), d.iteration.last()) {
        // At least 10 iterations wide, so the whole-number ticks stay distinct.
        (Some(&a), Some(&b)) => (a.min(b), b.max(a.min(b) + 10.0)),
        _ => (0.0, 10.0),
    };
    let top = y_top(d.loss.iter().chain(&d.smooth_loss));
    let title = d.title.as_deref().unwrap_or("Loss during training");
    let below = text::title(&root, s, title, 17.0, 10.0)?;
    let mut entries = vec![
        ("loss", Swatch::Line(colors::LOSS, 1.5)),
        ("smooth loss", Swatch::Line(colors::SMOOTH, 3.0)),
    ];
    if d.clip_fired.iter().any(|&f| f) {
        entries.push(("clipping fired", Swatch::Tick(colors::EVENT)));
    }
    // The key once there are lines to name (its room is kept, so the plot does not move).
    let plot = if n == 0 {
        legend_space(&below, s, &entries)?
    } else {
        legend(&below, s, &entries)?
    };
    let mut chart = house_chart(&plot, s)
        .margin_top(s.px(4.0))
        .build_cartesian_2d(x0..x1, 0.0..top)
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
        ("iteration", 15.0),
        ("loss L", 15.0),
        HOUSE_LABEL_AREAS,
    )?;
    if n == 0 {
        return message(&plot, s, "Train to see the loss fall");
    }
    let loss_style = s.line(colors::LOSS, 1.5);
    for run in finite_runs(&d.iteration, &d.loss) {
        chart
            .draw_series(LineSeries::new(run, loss_style))
            .map_err(js_error)?;
    }
    let smooth_style = s.line(colors::SMOOTH, 3.0);
    for run in finite_runs(&d.iteration, &d.smooth_loss) {
        chart
            .draw_series(LineSeries::new(run, smooth_style))
            .map_err(js_error)?;
    }
    let clipped: Vec<f64> = d
        .iteration
        .iter()
        .zip(&d.clip_fired)
        .filter(|&(_, &fired)| fired)
        .map(|(&x, _)| x)
        .collect();
    if !clipped.is_empty() {
        let event = s.line(colors::EVENT, 2.0);
        let tick_len = top * 0.06;
        chart
            .draw_series(
                clipped
                    .into_iter()
                    .map(|x| PathElement::new(vec![(x, top), (x, top - tick_len)], event)),
            )
            .map_err(js_error)?;
    }
    root.present().map_err(js_error)
}

/// JS: `draw_loss_chart(canvas, {iteration, loss, smooth_loss, clip_fired?, title?})`.
#[wasm_bindgen]
pub fn draw_loss_chart(
    canvas: &HtmlCanvasElement,
    data_obj: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    draw_loss(canvas, &data("loss", data_obj)?, Scale::given(scale))
}
