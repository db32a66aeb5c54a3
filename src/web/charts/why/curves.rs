//! Several loss curves on one plot, each pooled to the chart's width.

use super::*;
use crate::engine::views::curve::pool_curve;

/// One named curve: `values[i]` is the mean loss of steps
/// i·step + 1 ..= (i + 1)·step (a trainer pools its history past a length).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
    /// Steps per value; missing, below 1 or not a number: 1.
    pub step: f64,
}

impl Series {
    fn step(&self) -> f64 {
        if self.step >= 1.0 && self.step.is_finite() {
            self.step
        } else {
            1.0
        }
    }

    /// The last step the curve covers.
    fn last_step(&self) -> f64 {
        self.values.len() as f64 * self.step()
    }
}

/// A horizontal line with a name (a floor the loss cannot go below).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Reference {
    pub name: String,
    pub value: f64,
}

/// Several curves against the training step (1, 2, …), each pooled to at
/// most one point per pixel column by the mean of its bucket.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CurvesData {
    pub series: Vec<Series>,
    pub reference: Option<Reference>,
    pub title: String,
    pub x_desc: String,
    pub y_desc: String,
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
    let last_step = d.series.iter().map(Series::last_step).fold(0.0, f64::max);
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
    let x1 = last_step.max(10.0);
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
                pool_curve(&c.values, columns, c.step()),
                s.line(col, 2.0),
            ))
            .map_err(js_error)?;
    }
    root.present().map_err(js_error)
}

/// JS: `draw_why_curves_chart(canvas, {series: [{name, values, step?}], reference?, title, x_desc, y_desc})`.
#[wasm_bindgen]
pub fn draw_why_curves_chart(
    canvas: &HtmlCanvasElement,
    data_obj: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    draw_curves(canvas, &data("curves", data_obj)?, Scale::given(scale))
}
