//! Vectors drawn as strips of cells (the bag-of-words pair).

use super::*;

/// One vector drawn as a strip.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Strip {
    pub label: String,
    pub values: Vec<f64>,
}

/// Vectors of one length, one strip each, a cell per entry (darker = more).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StripsData {
    pub rows: Vec<Strip>,
    pub title: String,
    pub x_desc: String,
}

pub fn draw_strips(canvas: &HtmlCanvasElement, d: &StripsData, s: Scale) -> Result<(), JsError> {
    let root = area(canvas)?;
    let below = text::title(&root, s, &d.title, 17.0, 10.0)?;
    let len = d.rows.iter().map(|r| r.values.len()).max().unwrap_or(0);
    if len == 0 || d.rows.is_empty() {
        return message(&below, s, "No vectors");
    }
    let (w, h) = below.dim_in_pixel();
    let px = |v: f64| (v * s.dpr).round() as i32;
    let label_w = d
        .rows
        .iter()
        .map(|r| text::Rich::new(14.0).width(&below, s, &r.label))
        .max()
        .unwrap_or(0)
        + px(12.0);
    let (x0, x1) = (label_w, w as i32 - px(12.0));
    let row_h = ((h as i32 - px(40.0)) / d.rows.len() as i32).clamp(px(12.0), px(44.0));
    let max = d
        .rows
        .iter()
        .flat_map(|r| &r.values)
        .fold(1.0f64, |m, &v| m.max(v));
    let cell = (x1 - x0) as f64 / len as f64;
    for (r, row) in d.rows.iter().enumerate() {
        let y = px(4.0) + r as i32 * row_h;
        let (top, bottom) = (y + px(3.0), y + row_h - px(3.0));
        text::Rich::new(14.0).draw(
            &below,
            s,
            &row.label,
            (px(4.0), (top + bottom) / 2),
            HPos::Left,
            VPos::Center,
        )?;
        below
            .draw(&Rectangle::new(
                [(x0, top), (x1, bottom)],
                UNKNOWN_FILL.filled(),
            ))
            .map_err(js_error)?;
        for (i, &v) in row.values.iter().enumerate() {
            if v == 0.0 || !v.is_finite() {
                continue;
            }
            let shade = (0.35 + 0.65 * (v / max).min(1.0)).clamp(0.0, 1.0);
            let c = colors::W_XH;
            let mix = |ch: u8| (255.0 - (255.0 - ch as f64) * shade).round() as u8;
            let left = x0 + (i as f64 * cell).floor() as i32;
            let right = (x0 + ((i + 1) as f64 * cell).ceil() as i32).max(left + px(2.0));
            below
                .draw(&Rectangle::new(
                    [(left, top), (right, bottom)],
                    RGBColor(mix(c.0), mix(c.1), mix(c.2)).filled(),
                ))
                .map_err(js_error)?;
        }
    }
    let axis_y = px(4.0) + d.rows.len() as i32 * row_h + px(4.0);
    for (at, label, pos) in [
        (x0, "0".to_string(), HPos::Left),
        (x1, (len - 1).to_string(), HPos::Right),
    ] {
        text::Rich::new(13.0).color(colors::AXIS).draw(
            &below,
            s,
            &label,
            (at, axis_y),
            pos,
            VPos::Top,
        )?;
    }
    text::Rich::new(14.0).draw(
        &below,
        s,
        &d.x_desc,
        ((x0 + x1) / 2, axis_y),
        HPos::Center,
        VPos::Top,
    )?;
    root.present().map_err(js_error)
}

/// JS: `draw_why_strips_chart(canvas, {rows: [{label, values}], title, x_desc})`.
#[wasm_bindgen]
pub fn draw_why_strips_chart(
    canvas: &HtmlCanvasElement,
    data_obj: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    draw_strips(canvas, &data("vectors", data_obj)?, Scale::given(scale))
}
