//! The house style shared by the charts with axes: margins, axis names,
//! the mesh, the drawing area, the y range and tick labels.

use super::*;

/// The label areas of a [`house_chart`] in CSS pixels: under the plot (x tick
/// labels and name), left of it (y tick labels and name).
pub const HOUSE_LABEL_AREAS: (f64, f64) = (46.0, 74.0);

/// A chart builder on `area` with the house margins: 46 px under the plot for the
/// x tick labels and name, 74 px on the left for the y ones, 18 px on the right so
/// the last x label is not cut.
pub fn house_chart<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    s: Scale,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(s.px(10.0))
        .margin_right(s.px(18.0))
        .x_label_area_size(s.px(HOUSE_LABEL_AREAS.0))
        .y_label_area_size(s.px(HOUSE_LABEL_AREAS.1));
    builder
}

/// The axis names of a chart built on `area`, typeset ([`text::Rich`]: `h_t`
/// with a real subscript), where plotters' `x_desc`/`y_desc` would put them:
/// `x` centred under the plot at the bottom of its label area, `y` read
/// upwards at the outer edge of its label area. `plot`: the plot's pixel
/// ranges (`chart.plotting_area().get_pixel_range()`); each name with its
/// size in CSS pixels; `label_areas`: as given to the chart builder (CSS px).
pub fn axis_names<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: Scale,
    plot: (std::ops::Range<i32>, std::ops::Range<i32>),
    x: (&str, f64),
    y: (&str, f64),
    label_areas: (f64, f64),
) -> Result<(), JsError> {
    let (ox, oy) = area.get_base_pixel();
    let (px, py) = plot;
    text::Rich::new(x.1).draw(
        area,
        s,
        x.0,
        (
            (px.start + px.end) / 2 - ox,
            py.end + s.px(label_areas.0) as i32 - oy,
        ),
        HPos::Center,
        VPos::Bottom,
    )?;
    text::Rich::new(y.1).vertical().draw(
        area,
        s,
        y.0,
        (
            px.start - s.px(label_areas.1) as i32 - ox,
            (py.start + py.end) / 2 - oy,
        ),
        HPos::Center,
        VPos::Top,
    )
}

/// How many x tick labels `css_each` pixels apart fit under a [`house_chart`]
/// plot on `area` (its label areas and margins taken off), at least 1: bar
/// charts label every bar while they fit and every other one on a phone.
pub fn x_label_slots<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: Scale,
    css_each: f64,
) -> usize {
    let plot = area.dim_in_pixel().0 as f64 / s.dpr - (74.0 + 18.0 + 20.0);
    ((plot / css_each).floor() as usize).max(1)
}

/// The house mesh: 14 px tick labels, axis lines, a light grid at the labelled
/// ticks only.
pub fn house_mesh<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    s: Scale,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    mesh.label_style(s.font(14.0))
        .axis_style(s.line(colors::AXIS, 1.0))
        .bold_line_style(s.line(colors::GRID, 1.0))
        .light_line_style(TRANSPARENT)
}

/// The canvas as a plotters drawing area, cleared to the background.
pub fn area(canvas: &HtmlCanvasElement) -> Result<DrawingArea<CanvasBackend, Shift>, JsError> {
    if canvas.width() == 0 || canvas.height() == 0 {
        return Err(JsError::new("the chart's canvas has no size"));
    }
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| JsError::new("this canvas has no 2D drawing context"))?;
    let root = backend.into_drawing_area();
    root.fill(&colors::BACKGROUND)
        .map_err(crate::web::js_error)?;
    Ok(root)
}

/// Upper end of a y axis starting at 0 for the finite values given: 5%
/// headroom, and 1 when there is nothing finite to show.
pub fn y_top<'a>(values: impl IntoIterator<Item = &'a f64>) -> f64 {
    let max = values
        .into_iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    if max > 0.0 { max * 1.05 } else { 1.0 }
}

/// A short, readable tick label: 3 significant digits, exponent form for
/// very small or large numbers.
pub fn tick(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 {
        "0".into()
    } else if !(1e-3..1e5).contains(&a) {
        format!("{v:.1e}")
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}
