//! The vanishing/exploding-gradient chapter's charts, drawn straight from the
//! engine's [`Analysis`] and [`TrainingView`] (no JS round trip):
//!
//! - [`draw_past`]: ‖∂L_T/∂h_t‖ against t, log scale, with its bound;
//! - [`draw_chain`]: ‖∂h_T/∂h_k‖ against T − k, log scale, with (γλ1)^(T−k);
//! - [`draw_spectrum`]: the singular values of W_hh as bars, 1/γ and ρ as lines;
//! - [`draw_param_norms`]: ‖dL/dθ‖ per parameter over iterations, log scale,
//!   with a tick where clipping fired;
//! - [`heatmap::draw_heatmap`]: ‖dL/dh_t‖ per step × iteration, log colour scale.
//!
//! Log scales plot log10 of the value on a linear axis labelled in powers of
//! ten, so values far outside f64's range after renormalisation (0.1^200) and
//! exact zeros or non-finite values are handled explicitly: a NaN or ∞ is
//! never drawn as a number; it breaks the line and is named on the chart.

pub mod heatmap;

use super::{Scale, colors, message, tick};
use crate::engine::PARAM_NAMES;
use crate::engine::vanishing::Analysis;
use crate::engine::vanishing::training::TrainingView;
use crate::web::js_error;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsError;

pub use heatmap::draw_heatmap;

type Area = DrawingArea<CanvasBackend, Shift>;

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

/// A red note in the top left of the plot (e.g. what was not drawn).
fn warn(root: &Area, s: Scale, text: &str, line: u32) -> Result<(), JsError> {
    let style = s
        .font(14.0)
        .color(&RGBColor(0xB0, 0x00, 0x20))
        .pos(Pos::new(HPos::Left, VPos::Top));
    root.draw(&Text::new(
        text.to_string(),
        (s.px(90.0) as i32, s.px(34.0 + 18.0 * line as f64) as i32),
        style,
    ))
    .map_err(js_error)
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

/// Where a legend goes so it does not cover a curve that rises (it goes
/// low on the right) or falls (high on the right) from left to right.
fn corner_for(first: f64, last: f64) -> SeriesLabelPosition {
    if first.is_finite() && last.is_finite() && last > first {
        SeriesLabelPosition::LowerRight
    } else {
        SeriesLabelPosition::UpperRight
    }
}

/// The log charts' coordinates: x linear, y in log10 units.
type LogChart<'a> = ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A vertical grey line at x, labelled at the end away from the legend.
fn key_line(
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
    let (y, v) = match legend_at {
        SeriesLabelPosition::UpperRight => (lo, VPos::Bottom),
        _ => (hi, VPos::Top),
    };
    chart
        .draw_series(std::iter::once(Text::new(
            text,
            (x, y),
            s.font(13.0).pos(Pos::new(HPos::Left, v)),
        )))
        .map_err(js_error)?;
    Ok(())
}

/// About one y label per decade, at most 8.
fn decade_labels(lo: f64, hi: f64) -> usize {
    ((hi - lo).round() as usize + 1).clamp(2, 8)
}

/// Options the page passes with the charts.
#[derive(Debug, Clone, Copy, Default)]
pub struct PastOptions {
    /// The distance d of the long-range task, to mark the key's step.
    pub key_distance: Option<usize>,
}

/// ‖∂L_T/∂h_t‖ against t (log scale), with ‖∂L_T/∂h_T‖ (γλ1)^(T−t) when only
/// the last step has a loss.
pub fn draw_past(root: &Area, a: &Analysis, opts: PastOptions) -> Result<(), JsError> {
    let s = Scale::current();
    let steps = a.steps as f64;
    let bound = a.single_loss.then_some(&a.dh_bound_log10);
    let (lo, hi) = log_range(
        a.dh_log10
            .iter()
            .chain(bound.into_iter().flatten())
            .copied(),
    );
    let title = if a.single_loss {
        "Gradient reaching the past: ‖∂L_T/∂h_t‖"
    } else {
        "Gradient reaching the past: ‖∂L/∂h_t‖"
    };
    let mut chart = ChartBuilder::on(root)
        .caption(title, s.font(17.0))
        .margin(s.px(10.0))
        .margin_right(s.px(18.0))
        .x_label_area_size(s.px(46.0))
        .y_label_area_size(s.px(74.0))
        .build_cartesian_2d(0.0..steps.max(1.0), lo..hi)
        .map_err(js_error)?;
    chart
        .configure_mesh()
        .label_style(s.font(14.0))
        .axis_desc_style(s.font(15.0))
        .x_desc("time step t")
        .y_desc("‖∂L/∂h_t‖ (log scale)")
        .x_labels(8)
        .y_labels(decade_labels(lo, hi))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| decade_label(*v))
        .axis_style(s.line(colors::AXIS, 1.0))
        .bold_line_style(s.line(colors::GRID, 1.0))
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(js_error)?;
    let corner = corner_for(a.dh_log10[0], a.dh_log10[a.steps]);
    if let Some(d) = opts.key_distance.filter(|&d| d <= a.steps) {
        let x = steps - d as f64;
        let text = format!(" key, t = T − d = {}", a.steps - d);
        key_line(&mut chart, s, x, (lo, hi), &corner, text)?;
    }
    if let Some(bound) = bound {
        let pts = bound.iter().enumerate().map(|(t, &v)| (t as f64, v));
        for (i, run) in finite_runs(pts).into_iter().enumerate() {
            let series = chart
                .draw_series(DashedLineSeries::new(
                    run,
                    s.px(7.0),
                    s.px(5.0),
                    s.line(colors::EVENT, 2.0),
                ))
                .map_err(js_error)?;
            if i == 0 {
                series
                    .label("bound ‖∂L_T/∂h_T‖·(γλ1)^(T−t)")
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 18, y)], colors::EVENT.stroke_width(2))
                    });
            }
        }
    }
    let pts = a.dh_log10.iter().enumerate().map(|(t, &v)| (t as f64, v));
    for (i, run) in finite_runs(pts).into_iter().enumerate() {
        let dots = run.len() <= 60;
        let series = chart
            .draw_series(LineSeries::new(run.clone(), s.line(colors::GRADIENT, 2.5)))
            .map_err(js_error)?;
        if i == 0 {
            series.label("from BPTT").legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], colors::GRADIENT.stroke_width(3))
            });
        }
        if dots {
            chart
                .draw_series(
                    run.into_iter()
                        .map(|p| Circle::new(p, s.px(2.5), colors::GRADIENT.filled())),
                )
                .map_err(js_error)?;
        }
    }
    legend!(chart, s, corner)?;
    let mut line = 0;
    if a.dh_log10.iter().any(|v| v.is_nan()) {
        warn(
            root,
            s,
            "Exploded: some ‖∂L/∂h_t‖ are NaN or ∞ and are not drawn",
            line,
        )?;
        line += 1;
    }
    if a.dh_log10.iter().any(|&v| v == f64::NEG_INFINITY) {
        warn(
            root,
            s,
            "Some ‖∂L/∂h_t‖ are exactly 0 (not on a log scale)",
            line,
        )?;
    }
    root.present().map_err(js_error)
}

/// ‖∂h_T/∂h_k‖₂ against the distance T − k (log scale), with (γλ1)^(T−k).
pub fn draw_chain(root: &Area, a: &Analysis, opts: PastOptions) -> Result<(), JsError> {
    let s = Scale::current();
    let steps = a.steps as f64;
    let (lo, hi) = log_range(
        a.jacobian_log10
            .iter()
            .chain(&a.bound_log10)
            .copied()
            .chain([0.0]),
    );
    let mut chart = ChartBuilder::on(root)
        .caption("Jacobian products ‖∂h_T/∂h_k‖ against T − k", s.font(17.0))
        .margin(s.px(10.0))
        .margin_right(s.px(18.0))
        .x_label_area_size(s.px(46.0))
        .y_label_area_size(s.px(74.0))
        .build_cartesian_2d(0.0..steps.max(1.0), lo..hi)
        .map_err(js_error)?;
    chart
        .configure_mesh()
        .label_style(s.font(14.0))
        .axis_desc_style(s.font(15.0))
        .x_desc("distance T − k (steps back from the last)")
        .y_desc("spectral norm (log scale)")
        .x_labels(8)
        .y_labels(decade_labels(lo, hi))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| decade_label(*v))
        .axis_style(s.line(colors::AXIS, 1.0))
        .bold_line_style(s.line(colors::GRID, 1.0))
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(js_error)?;
    // The level 1 = 10⁰: above it the gradient grows with distance, below it shrinks.
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (steps, 0.0)],
            s.line(colors::AXIS, 1.0),
        )))
        .map_err(js_error)?;
    let corner = corner_for(a.jacobian_log10[0], a.jacobian_log10[a.steps - 1]);
    if let Some(d) = opts.key_distance.filter(|&d| d <= a.steps) {
        key_line(
            &mut chart,
            s,
            d as f64,
            (lo, hi),
            &corner,
            format!(" d = {d}"),
        )?;
    }
    let factor = a.bound_factor;
    let bound_pts = a
        .bound_log10
        .iter()
        .enumerate()
        .map(|(i, &v)| ((i + 1) as f64, v));
    for (i, run) in finite_runs(bound_pts).into_iter().enumerate() {
        let series = chart
            .draw_series(DashedLineSeries::new(
                run,
                s.px(7.0),
                s.px(5.0),
                s.line(colors::EVENT, 2.0),
            ))
            .map_err(js_error)?;
        if i == 0 {
            series
                .label(format!("bound (γλ1)^(T−k), γλ1 = {}", tick(factor)))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], colors::EVENT.stroke_width(2))
                });
        }
    }
    let pts = a
        .jacobian_log10
        .iter()
        .enumerate()
        .map(|(i, &v)| ((i + 1) as f64, v));
    for (i, run) in finite_runs(pts).into_iter().enumerate() {
        let series = chart
            .draw_series(LineSeries::new(run, s.line(colors::W_HH, 2.5)))
            .map_err(js_error)?;
        if i == 0 {
            series
                .label("‖∂h_T/∂h_k‖ of this model")
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], colors::W_HH.stroke_width(3))
                });
        }
    }
    legend!(chart, s, corner)?;
    let mut line = 0;
    if a.jacobian_log10.iter().any(|v| v.is_nan()) {
        warn(
            root,
            s,
            "Exploded: some products are NaN or ∞ and are not drawn",
            line,
        )?;
        line += 1;
    }
    if a.jacobian_log10.iter().any(|&v| v == f64::NEG_INFINITY) {
        warn(
            root,
            s,
            "Some products are exactly 0 (every unit dead)",
            line,
        )?;
    }
    root.present().map_err(js_error)
}

/// The singular values σ_1 ≥ … ≥ σ_H of W_hh as bars, with the threshold
/// 1/γ and the spectral radius ρ as horizontal lines.
pub fn draw_spectrum(root: &Area, a: &Analysis) -> Result<(), JsError> {
    let s = Scale::current();
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
        * 1.9; // room above the bars and the threshold line for the legend
    let title = format!("Singular values of W_hh (λ1 = σ_1 = {})", tick(a.lambda1));
    let mut chart = ChartBuilder::on(root)
        .caption(title, s.font(17.0))
        .margin(s.px(10.0))
        .margin_right(s.px(18.0))
        .x_label_area_size(s.px(46.0))
        .y_label_area_size(s.px(74.0))
        .build_cartesian_2d((0..n.max(1) - 1).into_segmented(), 0.0..top)
        .map_err(js_error)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .label_style(s.font(14.0))
        .axis_desc_style(s.font(15.0))
        .x_desc("index i of σ_i (largest first)")
        .y_desc("σ_i")
        .x_labels(n.clamp(1, 16))
        .y_labels(6)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) if *i < n => (i + 1).to_string(),
            _ => String::new(),
        })
        .y_label_formatter(&|v| tick(*v))
        .axis_style(s.line(colors::AXIS, 1.0))
        .bold_line_style(s.line(colors::GRID, 1.0))
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(js_error)?;
    if n == 0 || a.singular_values.iter().any(|v| !v.is_finite()) {
        return message(root, s, "W_hh is not finite: no singular values");
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
    chart
        .draw_series(bars)
        .map_err(js_error)?
        .label("σ_i")
        .legend(|(x, y)| {
            Rectangle::new(
                [(x, y - 5), (x + 14, y + 5)],
                colors::W_HH.mix(0.85).filled(),
            )
        });
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
        .map_err(js_error)?
        .label(format!("threshold 1/γ = {}", tick(a.threshold)))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colors::TEXT.stroke_width(3)));
    if a.spectral_radius.is_finite() {
        chart
            .draw_series(DashedLineSeries::new(
                hline(a.spectral_radius),
                s.px(7.0),
                s.px(5.0),
                s.line(colors::W_XH, 2.0),
            ))
            .map_err(js_error)?
            .label(format!("spectral radius ρ = {}", tick(a.spectral_radius)))
            .legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], colors::W_XH.stroke_width(2))
            });
    }
    legend!(chart, s)?;
    root.present().map_err(js_error)
}

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
pub fn draw_param_norms(root: &Area, v: &TrainingView) -> Result<(), JsError> {
    let s = Scale::current();
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
    let mut chart = ChartBuilder::on(root)
        .caption(
            "Gradient norm of each parameter during training",
            s.font(17.0),
        )
        .margin(s.px(10.0))
        .margin_right(s.px(18.0))
        .x_label_area_size(s.px(46.0))
        .y_label_area_size(s.px(74.0))
        .build_cartesian_2d(x0..x1, lo..hi)
        .map_err(js_error)?;
    chart
        .configure_mesh()
        .label_style(s.font(14.0))
        .axis_desc_style(s.font(15.0))
        .x_desc("iteration")
        .y_desc("‖dL/dθ‖ before clipping (log)")
        .x_labels(6)
        .y_labels(decade_labels(lo, hi))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| decade_label(*v))
        .axis_style(s.line(colors::AXIS, 1.0))
        .bold_line_style(s.line(colors::GRID, 1.0))
        .light_line_style(TRANSPARENT)
        .draw()
        .map_err(js_error)?;
    if v.iterations.is_empty() {
        return message(root, s, "Train to see the gradient norms");
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
    let any_fired = v.clip_fired.iter().any(|&f| f);
    let series = chart.draw_series(fired).map_err(js_error)?;
    if any_fired {
        series.label("clipping fired").legend(|(x, y)| {
            PathElement::new(
                vec![(x + 9, y - 6), (x + 9, y + 6)],
                colors::EVENT.stroke_width(2),
            )
        });
    }
    for &p in &shown {
        let color = PARAM_COLORS[p];
        let pts = xs.iter().zip(&v.grad_norms_log10).map(|(&x, g)| (x, g[p]));
        let dots = xs.len() <= 40;
        for (i, run) in finite_runs(pts).into_iter().enumerate() {
            let series = chart
                .draw_series(LineSeries::new(run.clone(), s.line(color, 2.0)))
                .map_err(js_error)?;
            if i == 0 {
                series
                    .label(format!("‖dL/d{}‖", PARAM_NAMES[p]))
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(3))
                    });
            }
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
    legend!(chart, s)?;
    let mut line = 0;
    if v.grad_norms_log10
        .iter()
        .any(|g| shown.iter().any(|&p| g[p].is_nan()))
    {
        warn(
            root,
            s,
            "Exploded: some gradient norms are NaN or ∞ and are not drawn",
            line,
        )?;
        line += 1;
    }
    if v.grad_norms_log10
        .iter()
        .any(|g| shown.iter().any(|&p| g[p] == f64::NEG_INFINITY))
    {
        warn(
            root,
            s,
            "Some gradients are exactly 0: not drawn on a log scale",
            line,
        )?;
    }
    root.present().map_err(js_error)
}
