//! A sampled signal with its unknown future (shaded, or revealed dashed).

use super::*;

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

/// JS: `draw_why_signal_chart(canvas, {values, dx, known, reveal, title, x_desc, y_desc})`.
#[wasm_bindgen]
pub fn draw_why_signal_chart(
    canvas: &HtmlCanvasElement,
    data_obj: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    draw_signal(canvas, &data("signal", data_obj)?, Scale::given(scale))
}
