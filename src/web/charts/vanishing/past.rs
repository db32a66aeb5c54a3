//! The two charts of the gradient reaching the past: ‖∂loss_T/∂h_t‖ against t
//! and ‖∂h_T/∂h_k‖ against T − k, both on log scales with their bounds.

use super::{
    Area, Swatch, decade_label, decade_labels, finite_runs, key_line, key_row, log_range,
    quiet_corner, with_notes,
};
use crate::engine::vanishing::Analysis;
use crate::web::charts::{HOUSE_LABEL_AREAS, axis_names, house_chart, house_mesh};
use crate::web::charts::{Scale, colors, text, tick};
use crate::web::js_error;
use plotters::prelude::*;
use wasm_bindgen::JsError;

const JACOBIAN_TITLE: &str = "Jacobian products ‖∂h_T/∂h_k‖ against T − k";
const DISTANCE: &str = "distance T − k (steps back from the last)";
const DISTANCE_SHORT: &str = "distance T − k";

/// Options the page passes with the charts.
#[derive(Debug, Clone, Copy, Default)]
pub struct PastOptions {
    /// The distance d of the long-range task, to mark the key's step.
    pub key_distance: Option<usize>,
}

/// ‖∂loss_T/∂h_t‖ against t (log scale), with ‖∂loss_T/∂h_T‖ (γλ1)^(T−t) when only
/// the last step has a loss.
pub fn draw_past(root: &Area, a: &Analysis, opts: PastOptions, s: Scale) -> Result<(), JsError> {
    let mut notes = Vec::new();
    if a.dh_log10.iter().any(|v| v.is_nan()) {
        notes.push("Exploded: some ‖∂L/∂h_t‖ are NaN or ∞ and are not drawn");
    }
    if a.dh_log10.contains(&f64::NEG_INFINITY) {
        notes.push("Some ‖∂L/∂h_t‖ are exactly 0: not drawn on a log scale");
    }
    let root = &with_notes(root, s, &notes)?;
    let steps = a.steps as f64;
    let bound = a.single_loss.then_some(&a.dh_bound_log10);
    let (lo, hi) = log_range(
        a.dh_log10
            .iter()
            .chain(bound.into_iter().flatten())
            .copied(),
    );
    let title = if a.single_loss {
        "Gradient reaching the past: ‖∂loss_T/∂h_t‖"
    } else {
        "Gradient reaching the past: ‖∂L/∂h_t‖"
    };
    // Title and key above the plot (on more lines on a phone): the key covers no data.
    let mut items = vec![(Swatch::Line(colors::GRADIENT, false), "from BPTT".into())];
    if bound.is_some_and(|b| b.iter().any(|v| v.is_finite())) {
        items.push((
            Swatch::Line(colors::EVENT, true),
            "bound ‖∂loss_T/∂h_T‖·(γλ1)^(T−t)".into(),
        ));
    }
    let below = key_row(&text::title(root, s, title, 17.0, 10.0)?, s, &items)?;
    let mut chart = house_chart(&below, s)
        .margin_top(s.px(4.0))
        .build_cartesian_2d(0.0..steps.max(1.0), lo..hi)
        .map_err(js_error)?;
    house_mesh(&mut chart.configure_mesh(), s)
        .x_labels(8)
        .y_labels(decade_labels(lo, hi))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| decade_label(*v))
        .draw()
        .map_err(js_error)?;
    axis_names(
        &below,
        s,
        chart.plotting_area().get_pixel_range(),
        ("time step t", 15.0),
        ("‖∂L/∂h_t‖ (log scale)", 15.0),
        HOUSE_LABEL_AREAS,
    )?;
    let curve = |v: &[f64], x0: usize| -> Vec<(f64, f64)> {
        v.iter()
            .enumerate()
            .map(|(i, &y)| ((i + x0) as f64, y))
            .filter(|(_, y)| y.is_finite())
            .collect()
    };
    let mut curves = vec![curve(&a.dh_log10, 0)];
    curves.extend(bound.map(|b| curve(b, 0)));
    let corner = quiet_corner(&curves, (0.0, steps.max(1.0)), (lo, hi));
    if let Some(d) = opts.key_distance.filter(|&d| d <= a.steps) {
        let x = steps - d as f64;
        let text = format!("key, t = T − d = {}", a.steps - d);
        key_line(&mut chart, s, x, (lo, hi), &corner, text)?;
    }
    let pts = a.dh_log10.iter().enumerate().map(|(t, &v)| (t as f64, v));
    for run in finite_runs(pts) {
        let dots = run.len() <= 60;
        chart
            .draw_series(LineSeries::new(run.clone(), s.line(colors::GRADIENT, 2.5)))
            .map_err(js_error)?;
        if dots {
            chart
                .draw_series(
                    run.into_iter()
                        .map(|p| Circle::new(p, s.px(2.5), colors::GRADIENT.filled())),
                )
                .map_err(js_error)?;
        }
    }
    if let Some(bound) = bound {
        let pts = bound.iter().enumerate().map(|(t, &v)| (t as f64, v));
        for run in finite_runs(pts) {
            chart
                .draw_series(DashedLineSeries::new(
                    run,
                    s.px(7.0),
                    s.px(5.0),
                    s.line(colors::EVENT, 2.0),
                ))
                .map_err(js_error)?;
        }
    }
    root.present().map_err(js_error)
}

/// ‖∂h_T/∂h_k‖₂ against the distance T − k (log scale), with (γλ1)^(T−k).
pub fn draw_chain(root: &Area, a: &Analysis, opts: PastOptions, s: Scale) -> Result<(), JsError> {
    let mut notes = Vec::new();
    if a.jacobian_log10.iter().any(|v| v.is_nan()) {
        notes.push("Exploded: some products are NaN or ∞ and are not drawn");
    }
    if a.jacobian_log10.contains(&f64::NEG_INFINITY) {
        notes.push("Some products are exactly 0 (every unit dead): not drawn");
    }
    let root = &with_notes(root, s, &notes)?;
    let steps = a.steps as f64;
    let (lo, hi) = log_range(
        a.jacobian_log10
            .iter()
            .chain(&a.bound_log10)
            .copied()
            .chain([0.0]),
    );
    let factor = a.bound_factor;
    let mut items = Vec::new();
    if a.jacobian_log10.iter().any(|v| v.is_finite()) {
        items.push((
            Swatch::Line(colors::GRADIENT, false),
            "‖∂h_T/∂h_k‖ of this model".to_string(),
        ));
    }
    if a.bound_log10.iter().any(|v| v.is_finite()) {
        items.push((
            Swatch::Line(colors::EVENT, true),
            format!("bound (γλ1)^(T−k), γλ1 = {}", tick(factor)),
        ));
    }
    let below = key_row(
        &text::title(root, s, JACOBIAN_TITLE, 17.0, 10.0)?,
        s,
        &items,
    )?;
    let (x_desc, x_desc_css) = s.fitting(&below, &[DISTANCE, DISTANCE_SHORT], 15.0, 102.0);
    let mut chart = house_chart(&below, s)
        .margin_top(s.px(4.0))
        .build_cartesian_2d(0.0..steps.max(1.0), lo..hi)
        .map_err(js_error)?;
    house_mesh(&mut chart.configure_mesh(), s)
        .x_labels(8)
        .y_labels(decade_labels(lo, hi))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| decade_label(*v))
        .draw()
        .map_err(js_error)?;
    axis_names(
        &below,
        s,
        chart.plotting_area().get_pixel_range(),
        (x_desc, x_desc_css),
        ("spectral norm (log scale)", 15.0),
        HOUSE_LABEL_AREAS,
    )?;
    // The level 1 = 10⁰: above it the gradient grows with distance, below it shrinks.
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (steps, 0.0)],
            s.line(colors::AXIS, 1.0),
        )))
        .map_err(js_error)?;
    let curve = |v: &[f64]| -> Vec<(f64, f64)> {
        v.iter()
            .enumerate()
            .map(|(i, &y)| ((i + 1) as f64, y))
            .filter(|(_, y)| y.is_finite())
            .collect()
    };
    let curves = [curve(&a.jacobian_log10), curve(&a.bound_log10)];
    let corner = quiet_corner(&curves, (0.0, steps.max(1.0)), (lo, hi));
    if let Some(d) = opts.key_distance.filter(|&d| d <= a.steps) {
        key_line(
            &mut chart,
            s,
            d as f64,
            (lo, hi),
            &corner,
            format!("d = {d}"),
        )?;
    }
    let pts = a
        .jacobian_log10
        .iter()
        .enumerate()
        .map(|(i, &v)| ((i + 1) as f64, v));
    for run in finite_runs(pts) {
        chart
            .draw_series(LineSeries::new(run, s.line(colors::GRADIENT, 2.5)))
            .map_err(js_error)?;
    }
    let bound_pts = a
        .bound_log10
        .iter()
        .enumerate()
        .map(|(i, &v)| ((i + 1) as f64, v));
    for run in finite_runs(bound_pts) {
        chart
            .draw_series(DashedLineSeries::new(
                run,
                s.px(7.0),
                s.px(5.0),
                s.line(colors::EVENT, 2.0),
            ))
            .map_err(js_error)?;
    }
    root.present().map_err(js_error)
}
