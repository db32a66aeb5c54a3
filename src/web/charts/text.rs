//! Text on the charts: the app's own font, titles that wrap onto a second line
//! and keys that wrap into rows where a phone's canvas is too narrow, so no
//! text is cut off at a canvas edge whatever its width.
//!
//! Widths are measured in the font itself (plotters lays a span out in the
//! page), and the font is the app's own (`@font-face` in www/style.css, loaded
//! before the first draw by www/fonts.js): the same layout on every machine.

use super::Scale;
use crate::web::js_error;
use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use wasm_bindgen::JsError;

/// The charts' font family: the app's sans (www/fonts), then DejaVu Sans, the
/// face it is a subset of, then any. The diagram uses the same (FONT in
/// www/diagram/draw.js).
pub const FONT: &str = "\"RNN Lab Sans\", \"DejaVu Sans\", sans-serif";

/// The width and height of `text` in `style`, in device pixels (0 if it cannot be measured).
pub fn size<DB: DrawingBackend, CT: CoordTranslate>(
    area: &DrawingArea<DB, CT>,
    text: &str,
    style: &TextStyle,
) -> (i32, i32) {
    area.estimate_text_size(text, style)
        .map(|(w, h)| (w as i32, h as i32))
        .unwrap_or((0, 0))
}

/// `text` on one line if it is at most `room` wide, else on two, broken at the
/// space that makes the longer line shortest.
pub fn two_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    room: i32,
) -> Vec<String> {
    if size(area, text, style).0 <= room {
        return vec![text.to_string()];
    }
    let mut best: Option<(i32, usize)> = None;
    for (i, _) in text.match_indices(' ') {
        let (a, b) = (text[..i].trim_end(), text[i..].trim_start());
        if a.is_empty() || b.is_empty() {
            continue;
        }
        let longer = size(area, a, style).0.max(size(area, b, style).0);
        if best.is_none_or(|(w, _)| longer < w) {
            best = Some((longer, i));
        }
    }
    match best {
        Some((_, i)) => vec![
            text[..i].trim_end().to_string(),
            text[i..].trim_start().to_string(),
        ],
        None => vec![text.to_string()],
    }
}

/// `text` filled into lines of at most `room` (greedy, at spaces); a word wider
/// than `room` stays whole on its own line.
pub fn fill_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    room: i32,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if let Some(line) = lines.last_mut() {
            let longer = format!("{line} {word}");
            if size(area, &longer, style).0 <= room {
                *line = longer;
                continue;
            }
        }
        lines.push(word.to_string());
    }
    lines
}

/// The lines of a title of `css` pixels in `room` device pixels, and its style:
/// one line, or two, and smaller only if a line still does not fit (one long word).
fn title_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: Scale,
    text: &str,
    css: f64,
    room: i32,
) -> (Vec<String>, TextStyle<'static>) {
    let style = s.font(css);
    let lines = two_lines(area, text, &style, room);
    let widest = lines
        .iter()
        .map(|l| size(area, l, &style).0)
        .max()
        .unwrap_or(0);
    if widest > room && room > 0 {
        let smaller = s.font(css * (room as f64 / widest as f64).max(0.5));
        let lines = two_lines(area, text, &smaller, room);
        return (lines, smaller);
    }
    (lines, style)
}

/// Draws `text` as a title of `css` pixels centred at the top of `area`, on two
/// lines where one does not fit between margins of `side_css` pixels, and
/// returns the area below it (as plotters' `titled` does, but never cut off).
pub fn title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: Scale,
    text: &str,
    css: f64,
    side_css: f64,
) -> Result<DrawingArea<DB, Shift>, JsError> {
    let bottom = title_at(area, s, text, css, side_css, s.px(5.0) as i32)?;
    Ok(area.split_vertically(bottom + s.px(5.0) as i32).1)
}

/// Draws the title lines from `top` (device pixels) down; returns the y of their bottom.
pub fn title_at<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: Scale,
    text: &str,
    css: f64,
    side_css: f64,
    top: i32,
) -> Result<i32, JsError> {
    let (w, _) = area.dim_in_pixel();
    let room = w as i32 - 2 * s.px(side_css) as i32;
    let (lines, style) = title_lines(area, s, text, css, room);
    let line_h = size(area, "Hg", &style).1.max(1);
    let style = style.pos(Pos::new(HPos::Center, VPos::Top));
    let mut y = top;
    for line in lines {
        area.draw(&Text::new(line, (w as i32 / 2, y), style.clone()))
            .map_err(js_error)?;
        y += line_h;
    }
    Ok(y)
}

/// Rows of items of the given widths, each row at most `room` wide with `gap`
/// between items: the index ranges of the rows (an item wider than `room` gets
/// a row of its own).
pub fn flow(widths: &[i32], gap: i32, room: i32) -> Vec<std::ops::Range<usize>> {
    let mut rows = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (i, &w) in widths.iter().enumerate() {
        if i > start && used + gap + w > room {
            rows.push(start..i);
            start = i;
            used = 0;
        }
        used += if i > start { gap + w } else { w };
    }
    if start < widths.len() {
        rows.push(start..widths.len());
    }
    rows
}
