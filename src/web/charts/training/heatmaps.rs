//! Small gradient heatmaps: each step's share of dW and their sum.

use super::*;

/// One small heatmap.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Panel {
    pub title: String,
    /// Rows of the matrix.
    pub matrix: Vec<Vec<f64>>,
    pub row_labels: Vec<String>,
    pub col_labels: Vec<String>,
    /// |v| at full colour (> 0); the largest |entry| when absent.
    pub scale: Option<f64>,
    /// Draw a thick frame (e.g. the sum the optimiser uses).
    pub emphasis: bool,
}

/// A grid of heatmaps, `columns` per row.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct HeatmapsData {
    pub panels: Vec<Panel>,
    pub columns: Option<usize>,
}

fn draw_panel(root: &Area, s: Scale, p: &Panel) -> Result<(), JsError> {
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let label = s.px(22.0) as i32;
    // The panel's title, on two lines where it is too long for one (narrow panels).
    let title_h =
        text::title_at(root, s, &p.title, 15.0, 2.0, s.px(4.0) as i32)?.max(s.px(24.0) as i32);
    let rows = p.matrix.len();
    let cols = p.matrix.iter().map(Vec::len).max().unwrap_or(0);
    if rows == 0 || cols == 0 {
        return Ok(());
    }
    let scale = p
        .scale
        .filter(|v| v.is_finite() && *v > 0.0)
        .unwrap_or_else(|| {
            p.matrix
                .iter()
                .flatten()
                .filter(|v| v.is_finite())
                .fold(0.0f64, |a, &v| a.max(v.abs()))
        })
        .max(f64::MIN_POSITIVE);
    let avail_w = (w - label - s.px(6.0) as i32).max(1);
    let avail_h = (h - title_h - label).max(1);
    let cell = (avail_w / cols as i32).min(avail_h / rows as i32).max(1);
    let x0 = label + (avail_w - cell * cols as i32) / 2;
    let y0 = title_h + label;
    let show_numbers = cell as f64 >= 34.0 * s.dpr;
    for (i, row) in p.matrix.iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            let (x, y) = (x0 + j as i32 * cell, y0 + i as i32 * cell);
            let c = diverging(v, scale);
            root.draw(&Rectangle::new([(x, y), (x + cell, y + cell)], c.filled()))
                .map_err(js_error)?;
            if show_numbers {
                root.draw(&Text::new(
                    format!("{v:.2}").replace('-', "−"),
                    (x + cell / 2, y + cell / 2),
                    anchored(s, 11.0, text_on(c), HPos::Center, VPos::Center),
                ))
                .map_err(js_error)?;
            }
        }
    }
    let frame = if p.emphasis {
        s.line(colors::TEXT, 2.5)
    } else {
        s.line(colors::AXIS, 1.0)
    };
    root.draw(&Rectangle::new(
        [(x0, y0), (x0 + cell * cols as i32, y0 + cell * rows as i32)],
        frame,
    ))
    .map_err(js_error)?;
    // Labels while they fit (one per cell at ≥ 10 CSS px).
    if cell as f64 >= 10.0 * s.dpr {
        for (j, l) in p.col_labels.iter().enumerate().take(cols) {
            root.draw(&Text::new(
                l.clone(),
                (x0 + j as i32 * cell + cell / 2, y0 - s.px(3.0) as i32),
                anchored(s, 12.0, colors::AXIS, HPos::Center, VPos::Bottom),
            ))
            .map_err(js_error)?;
        }
        for (i, l) in p.row_labels.iter().enumerate().take(rows) {
            root.draw(&Text::new(
                l.clone(),
                (x0 - s.px(4.0) as i32, y0 + i as i32 * cell + cell / 2),
                anchored(s, 12.0, colors::AXIS, HPos::Right, VPos::Center),
            ))
            .map_err(js_error)?;
        }
    }
    Ok(())
}

/// Draws the heatmaps on `canvas`.
pub fn draw_heatmaps(
    canvas: &HtmlCanvasElement,
    d: &HeatmapsData,
    s: Scale,
) -> Result<(), JsError> {
    let root = area(canvas)?;
    let n = d.panels.len();
    if n == 0 {
        return super::super::message(&root, s, "Nothing to show");
    }
    let columns = d.columns.unwrap_or(n).clamp(1, n);
    let rows = n.div_ceil(columns);
    let cells = root.split_evenly((rows, columns));
    for (panel, cell) in d.panels.iter().zip(cells.iter()) {
        draw_panel(&cell.margin(4, 4, 4, 4), s, panel)?;
    }
    root.present().map_err(js_error)
}

/// JS: `draw_heatmaps_chart(canvas, {panels: [{title, matrix, row_labels?,
/// col_labels?, scale?, emphasis?}], columns?})`.
#[wasm_bindgen]
pub fn draw_heatmaps_chart(
    canvas: &HtmlCanvasElement,
    data_obj: JsValue,
    scale: Option<f64>,
) -> Result<(), JsError> {
    draw_heatmaps(canvas, &data("heatmaps", data_obj)?, Scale::given(scale))
}
