//! A sentence as boxes x_1, x_2, …: the known ones, then the unknown.

use super::*;

/// A sentence as boxes, one per character: the first `known` written, then
/// a box with "?" (every box written when `reveal`, the unknown ones in
/// vermillion). Rows wrap to the canvas's width.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CharsData {
    pub chars: Vec<String>,
    pub known: usize,
    pub reveal: bool,
    pub title: String,
}

pub fn draw_chars(canvas: &HtmlCanvasElement, d: &CharsData, s: Scale) -> Result<(), JsError> {
    let root = area(canvas)?;
    let below = text::title(&root, s, &d.title, 17.0, 10.0)?;
    let shown = if d.reveal {
        d.chars.len()
    } else {
        (d.known + 1).min(d.chars.len())
    };
    if shown == 0 {
        return message(&below, s, "No characters");
    }
    let (w, h) = below.dim_in_pixel();
    let (w, h) = (w as f64 / s.dpr, h as f64 / s.dpr);
    // The largest box (36 px down to 12 px) with which every row fits.
    let mut size = 36.0;
    let fits = |size: f64| {
        let per_row = ((w - 16.0) / size).floor().max(1.0);
        let rows = (shown as f64 / per_row).ceil();
        rows * (size + 16.0) <= h
    };
    while size > 12.0 && !fits(size) {
        size -= 1.0;
    }
    let per_row = (((w - 16.0) / size).floor() as usize).max(1);
    let left = (w - (per_row.min(shown) as f64) * size) / 2.0;
    let px = |v: f64| (v * s.dpr).round() as i32;
    for i in 0..shown {
        let (row, col) = (i / per_row, i % per_row);
        let x = left + col as f64 * size;
        let y = 4.0 + row as f64 * (size + 16.0);
        let unknown = i >= d.known;
        let fill = if unknown {
            UNKNOWN_FILL
        } else {
            colors::BACKGROUND
        };
        let rect = [(px(x + 1.0), px(y)), (px(x + size - 1.0), px(y + size))];
        below
            .draw(&Rectangle::new(rect, fill.filled()))
            .map_err(js_error)?;
        below
            .draw(&Rectangle::new(rect, s.line(colors::AXIS, 1.0)))
            .map_err(js_error)?;
        let c = match (unknown && !d.reveal, d.chars[i].as_str()) {
            (true, _) => "?",
            (false, " ") => "␣",
            (false, c) => c,
        };
        let color = if unknown && d.reveal {
            colors::W_HH
        } else {
            colors::TEXT
        };
        let centre = px(x + size / 2.0);
        text::Rich::new(size * 0.6).color(color).draw(
            &below,
            s,
            c,
            (centre, px(y + size / 2.0)),
            HPos::Center,
            VPos::Center,
        )?;
        text::Rich::new(10.0).color(colors::AXIS).draw(
            &below,
            s,
            &(i + 1).to_string(),
            (centre, px(y + size + 1.0)),
            HPos::Center,
            VPos::Top,
        )?;
    }
    root.present().map_err(js_error)
}

/// JS: `draw_why_chars_chart(canvas, {chars, known, reveal, title})`.
#[wasm_bindgen]
pub fn draw_why_chars_chart(
    canvas: &HtmlCanvasElement,
    data_obj: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    draw_chars(canvas, &data("sentence", data_obj)?, Scale::given(scale))
}
