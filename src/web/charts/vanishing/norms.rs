//! ‖dL/dθ‖ of each parameter tensor over the training iterations (log
//! scale, before clipping), with a tick where clipping fired.

use super::{
    Area, Swatch, decade_label, decade_labels, finite_runs, key_row, log_range, with_notes,
};
use crate::engine::PARAM_NAMES;
use crate::engine::vanishing::training::TrainingView;
use crate::web::charts::{HOUSE_LABEL_AREAS, axis_names, house_chart, house_mesh};
use crate::web::charts::{Scale, colors, message, text};
use crate::web::js_error;
use plotters::prelude::*;
use wasm_bindgen::JsError;

const TITLE: &str = "Gradient norm of each parameter during training";

/// Colours of the five parameter tensors, in PARAM_NAMES order.
const PARAM_COLORS: [RGBColor; 5] = [
    colors::W_XH,
    colors::W_HH,
    colors::W_HY,
    colors::B_H,
    colors::B_Y,
];

/// ‖dL/dθ‖ of each tensor over the iterations (log scale, before clipping),
/// a tick at the top where clipping fired.
pub fn draw_param_norms(root: &Area, v: &TrainingView, s: Scale) -> Result<(), JsError> {
    let mut notes = Vec::new();
    let any = |f: fn(f64) -> bool| {
        v.grad_norms_log10
            .iter()
            .any(|g| g[..3].iter().any(|&x| f(x)))
    };
    if any(f64::is_nan) {
        notes.push("Exploded: some gradient norms are NaN or ∞ and are not drawn");
    }
    if any(|x| x == f64::NEG_INFINITY) {
        notes.push("Some gradients are exactly 0: not drawn on a log scale");
    }
    let root = &with_notes(root, s, &notes)?;
    let (x0, x1) = match (v.iterations.first(), v.iterations.last()) {
        (Some(&a), Some(&b)) => (a as f64, (b as f64).max(a as f64 + 10.0)),
        _ => (0.0, 10.0),
    };
    let shown: Vec<usize> = (0..5)
        .filter(|&p| v.grad_norms_log10.iter().any(|g| g[p].is_finite()))
        .collect();
    let (lo, hi) = log_range(
        shown
            .iter()
            .flat_map(|&p| v.grad_norms_log10.iter().map(move |g| g[p])),
    );
    // Title and key above the plot (each on two lines on a phone): the lines fill the plot.
    let mut items: Vec<(Swatch, String)> = (0..5)
        .filter(|p| shown.contains(p) || *p < 3)
        .map(|p| {
            (
                Swatch::Line(PARAM_COLORS[p], false),
                PARAM_NAMES[p].to_string(),
            )
        })
        .collect();
    if v.clip_fired.iter().any(|&f| f) {
        items.push((Swatch::Tick(colors::EVENT), "clipped".into()));
    }
    let body = key_row(&text::title(root, s, TITLE, 17.0, 10.0)?, s, &items)?;
    let mut chart = house_chart(&body, s)
        .margin_top(s.px(4.0))
        .build_cartesian_2d(x0..x1, lo..hi)
        .map_err(js_error)?;
    house_mesh(&mut chart.configure_mesh(), s)
        .x_labels(6)
        .y_labels(decade_labels(lo, hi))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| decade_label(*v))
        .draw()
        .map_err(js_error)?;
    axis_names(
        &body,
        s,
        chart.plotting_area().get_pixel_range(),
        ("iteration", 15.0),
        ("‖dL/dθ‖ before clipping (log)", 15.0),
        HOUSE_LABEL_AREAS,
    )?;
    if v.iterations.is_empty() {
        return message(&body, s, "Train to see the gradient norms");
    }
    let xs: Vec<f64> = v.iterations.iter().map(|&i| i as f64).collect();
    // Clipping first, so the lines stay on top: a short tick under the top edge.
    let tick_len = (hi - lo) * 0.05;
    let fired = xs
        .iter()
        .zip(&v.clip_fired)
        .filter(|(_, f)| **f)
        .map(|(&x, _)| {
            PathElement::new(
                vec![(x, hi), (x, hi - tick_len)],
                s.line(colors::EVENT, 1.5),
            )
        });
    chart.draw_series(fired).map_err(js_error)?;
    for &p in &shown {
        let color = PARAM_COLORS[p];
        let pts = xs.iter().zip(&v.grad_norms_log10).map(|(&x, g)| (x, g[p]));
        let dots = xs.len() <= 40;
        for run in finite_runs(pts) {
            chart
                .draw_series(LineSeries::new(run.clone(), s.line(color, 2.0)))
                .map_err(js_error)?;
            if dots {
                chart
                    .draw_series(
                        run.into_iter()
                            .map(|q| Circle::new(q, s.px(2.5), color.filled())),
                    )
                    .map_err(js_error)?;
            }
        }
    }
    root.present().map_err(js_error)
}
