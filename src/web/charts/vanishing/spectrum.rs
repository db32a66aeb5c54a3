//! The singular values of W_hh as bars, with the threshold 1/γ and the
//! spectral radius ρ as horizontal lines.

use super::{Area, Swatch, key_row};
use crate::engine::vanishing::Analysis;
use crate::web::charts::{HOUSE_LABEL_AREAS, axis_names, house_chart, house_mesh, x_label_slots};
use crate::web::charts::{Scale, colors, message, text, tick};
use crate::web::js_error;
use plotters::prelude::*;

const INDEX: &str = "index i of σ_i (largest first)";
const INDEX_SHORT: &str = "index i of σ_i";
use wasm_bindgen::JsError;

/// The singular values σ_1 ≥ … ≥ σ_H of W_hh as bars, with the threshold
/// 1/γ and the spectral radius ρ as horizontal lines.
pub fn draw_spectrum(root: &Area, a: &Analysis, s: Scale) -> Result<(), JsError> {
    let n = a.singular_values.len();
    let finite = |v: f64| v.is_finite().then_some(v);
    let top = a
        .singular_values
        .iter()
        .copied()
        .chain([a.threshold, a.spectral_radius])
        .filter_map(finite)
        .fold(0.0f64, f64::max)
        .max(1e-12)
        * 1.12;
    let title = format!("Singular values of W_hh (λ1 = σ_1 = {})", tick(a.lambda1));
    // Title and key above the plot: a legend box would hide the bars' tops.
    let mut items = vec![
        (Swatch::Bar(colors::W_HH.mix(0.85)), "σ_i".to_string()),
        (
            Swatch::Line(colors::TEXT, false),
            format!("threshold 1/γ = {}", tick(a.threshold)),
        ),
    ];
    if a.spectral_radius.is_finite() {
        items.push((
            Swatch::Line(colors::W_XH, true),
            // Short, so the key fits a third of a wide screen; the caption names ρ.
            format!("ρ = {}", tick(a.spectral_radius)),
        ));
    }
    let body = key_row(&text::title(root, s, &title, 17.0, 10.0)?, s, &items)?;
    let (x_desc, x_desc_css) = s.fitting(&body, &[INDEX, INDEX_SHORT], 15.0, 102.0);
    let mut chart = house_chart(&body, s)
        .margin_top(s.px(4.0))
        .build_cartesian_2d((0..n.max(1) - 1).into_segmented(), 0.0..top)
        .map_err(js_error)?;
    house_mesh(&mut chart.configure_mesh(), s)
        .disable_x_mesh()
        .x_labels(n.clamp(1, 16).min(x_label_slots(&body, s, 24.0)))
        .y_labels(6)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) if *i < n => (i + 1).to_string(),
            _ => String::new(),
        })
        .y_label_formatter(&|v| tick(*v))
        .draw()
        .map_err(js_error)?;
    axis_names(
        &body,
        s,
        chart.plotting_area().get_pixel_range(),
        (x_desc, x_desc_css),
        ("σ_i", 15.0),
        HOUSE_LABEL_AREAS,
    )?;
    if n == 0 || a.singular_values.iter().any(|v| !v.is_finite()) {
        return message(&body, s, "W_hh is not finite: no singular values");
    }
    let gap = s.px(if n > 24 { 1.0 } else { 4.0 });
    let bars = a.singular_values.iter().enumerate().map(|(i, &v)| {
        let mut bar = Rectangle::new(
            [
                (SegmentValue::Exact(i), 0.0),
                (SegmentValue::Exact(i + 1), v),
            ],
            colors::W_HH.mix(0.85).filled(),
        );
        bar.set_margin(0, 0, gap, gap);
        bar
    });
    chart.draw_series(bars).map_err(js_error)?;
    let hline = |y: f64| {
        vec![
            (SegmentValue::Exact(0), y),
            (SegmentValue::Exact(n.max(1)), y),
        ]
    };
    chart
        .draw_series(std::iter::once(PathElement::new(
            hline(a.threshold),
            s.line(colors::TEXT, 2.5),
        )))
        .map_err(js_error)?;
    if a.spectral_radius.is_finite() {
        chart
            .draw_series(DashedLineSeries::new(
                hline(a.spectral_radius),
                s.px(7.0),
                s.px(5.0),
                s.line(colors::W_XH, 2.0),
            ))
            .map_err(js_error)?;
    }
    root.present().map_err(js_error)
}
