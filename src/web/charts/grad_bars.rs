//! Per-step gradient bars: ‖dL/dh_t‖ for t = 1..T (or any per-step norms),
//! the current step drawn in the event colour.

use super::{Scale, area, colors, data, message, text, tick, y_top};
use crate::web::charts::{HOUSE_LABEL_AREAS, axis_names, house_chart, house_mesh, x_label_slots};
use crate::web::js_error;
use plotters::prelude::*;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// What the bar chart draws: one bar per entry of `values`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GradBarsData {
    /// Bar heights (norms ≥ 0). NaN or ∞ is drawn as a labelled "exploded" bar.
    pub values: Vec<f64>,
    /// Label under each bar; "1", "2", … when absent.
    pub labels: Vec<String>,
    /// Index into `values` of the bar to highlight (the current step).
    pub highlight: Option<usize>,
    pub title: Option<String>,
    pub x_desc: Option<String>,
    pub y_desc: Option<String>,
}

/// Draws the bars on `canvas` (sized in device pixels by the page).
pub fn draw_grad_bars(
    canvas: &HtmlCanvasElement,
    d: &GradBarsData,
    s: Scale,
) -> Result<(), JsError> {
    let root = area(canvas)?;
    let n = d.values.len();
    let top = y_top(&d.values);
    let label = |i: usize| -> String {
        d.labels
            .get(i)
            .cloned()
            .unwrap_or_else(|| (i + 1).to_string())
    };
    let title = d.title.as_deref().unwrap_or("‖dL/dh_t‖ per time step");
    let below = text::title(&root, s, title, 17.0, 10.0)?;
    let mut chart = house_chart(&below, s)
        .build_cartesian_2d((0..n.max(1) - 1).into_segmented(), 0.0..top)
        .map_err(js_error)?;
    // Label every bar while they fit (24 at most, fewer on a phone).
    let x_format = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) if *i < n => label(*i),
        _ => String::new(),
    };
    house_mesh(&mut chart.configure_mesh(), s)
        .disable_x_mesh()
        .x_labels(n.clamp(1, 24).min(x_label_slots(&below, s, 24.0)))
        .y_labels(5)
        .x_label_formatter(&x_format)
        .y_label_formatter(&|v| tick(*v))
        .draw()
        .map_err(js_error)?;
    axis_names(
        &below,
        s,
        chart.plotting_area().get_pixel_range(),
        (d.x_desc.as_deref().unwrap_or("time step t"), 15.0),
        (d.y_desc.as_deref().unwrap_or("‖dL/dh_t‖"), 15.0),
        HOUSE_LABEL_AREAS,
    )?;
    if n == 0 {
        return message(&below, s, "No steps to show");
    }
    let gap = s.px(if n > 30 { 1.0 } else { 6.0 });
    let bars = d.values.iter().enumerate().map(|(i, &v)| {
        let color = if d.highlight == Some(i) {
            colors::EVENT
        } else {
            colors::GRADIENT
        };
        let height = if v.is_finite() { v.max(0.0) } else { top };
        let mut bar = Rectangle::new(
            [
                (SegmentValue::Exact(i), 0.0),
                (SegmentValue::Exact(i + 1), height),
            ],
            color.filled(),
        );
        bar.set_margin(0, 0, gap, gap);
        bar
    });
    chart.draw_series(bars).map_err(js_error)?;
    // A non-finite norm is a fact to show, not a number to draw.
    let marks = d
        .values
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.is_finite())
        .map(|(i, v)| {
            let text = if v.is_nan() { "NaN" } else { "∞" };
            Text::new(
                text.to_string(),
                (SegmentValue::CenterOf(i), top),
                s.font(15.0).color(&colors::BACKGROUND).pos(
                    plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Center,
                        plotters::style::text_anchor::VPos::Top,
                    ),
                ),
            )
        });
    chart.draw_series(marks).map_err(js_error)?;
    root.present().map_err(js_error)
}

/// JS: `draw_grad_bars_chart(canvas, {values, labels?, highlight?, title?, x_desc?, y_desc?})`.
#[wasm_bindgen]
pub fn draw_grad_bars_chart(
    canvas: &HtmlCanvasElement,
    data_obj: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    draw_grad_bars(
        canvas,
        &data("gradient bars", data_obj)?,
        Scale::given(scale),
    )
}
