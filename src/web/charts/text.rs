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

/// `text` on one line if it is at most `room` wide (as `width` measures it),
/// else on two, broken at the space that makes the longer line shortest.
pub fn two_lines(text: &str, width: impl Fn(&str) -> i32, room: i32) -> Vec<String> {
    if width(text) <= room {
        return vec![text.to_string()];
    }
    let mut best: Option<(i32, usize)> = None;
    for (i, _) in text.match_indices(' ') {
        let (a, b) = (text[..i].trim_end(), text[i..].trim_start());
        if a.is_empty() || b.is_empty() {
            continue;
        }
        let longer = width(a).max(width(b));
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

/// `text` filled into lines of at most `room` (as `width` measures them;
/// greedy, at spaces); a word wider than `room` stays whole on its own line.
pub fn fill_lines(text: &str, width: impl Fn(&str) -> i32, room: i32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if let Some(line) = lines.last_mut() {
            let longer = format!("{line} {word}");
            if width(&longer) <= room {
                *line = longer;
                continue;
            }
        }
        lines.push(word.to_string());
    }
    lines
}

/// The lines of a title of `css` pixels in `room` device pixels, and its size:
/// one line, or two, and smaller only if a line still does not fit (one long word).
fn title_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: Scale,
    text: &str,
    css: f64,
    room: i32,
) -> (Vec<String>, Rich) {
    let rich = Rich::new(css);
    let lines = two_lines(text, |t| rich.width(area, s, t), room);
    let widest = lines
        .iter()
        .map(|l| rich.width(area, s, l))
        .max()
        .unwrap_or(0);
    if widest > room && room > 0 {
        let smaller = Rich::new(css * (room as f64 / widest as f64).max(0.5));
        let lines = two_lines(text, |t| smaller.width(area, s, t), room);
        return (lines, smaller);
    }
    (lines, rich)
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
    let (lines, rich) = title_lines(area, s, text, css, room);
    let line_h = size(area, "Hg", &s.font(rich.css)).1.max(1);
    let mut y = top;
    for line in lines {
        rich.draw(area, s, &line, (w as i32 / 2, y), HPos::Center, VPos::Top)?;
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

/// A piece of typeset text: on the line, or a subscript or superscript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Base,
    Sub,
    Sup,
}

/// The lecture's notation as pieces of text, with the rules of `math()` in
/// www/views/common.js (the page's captions) and `notation()` in
/// www/diagram/draw.js: `W_hh` and `h_{t−1}` → subscripts `hh`, `t−1`;
/// `(γλ1)^(T−k)`, `W^{n}`, `10^−6` → superscripts `T−k`, `n`, `−6`. An
/// underscore or caret not followed by one of these forms stays as it is.
pub fn notation(text: &str) -> Vec<(Script, String)> {
    fn alnum(c: char) -> bool {
        c.is_ascii_alphanumeric()
    }
    /// The text up to `close` after position `at` (None if there is no `close`).
    fn group(rest: &str, close: char) -> Option<(&str, usize)> {
        rest.find(close).map(|end| (&rest[..end], end + 1))
    }
    let mut out: Vec<(Script, String)> = Vec::new();
    let mut push = |script: Script, piece: &str| {
        if piece.is_empty() {
            return;
        }
        match out.last_mut() {
            Some((last, text)) if *last == script => text.push_str(piece),
            _ => out.push((script, piece.to_string())),
        }
    };
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let c = rest.chars().next().expect("i is on a char boundary");
        let after = &rest[c.len_utf8()..];
        let found = match c {
            '_' => match after.chars().next() {
                Some('{') => group(&after[1..], '}').map(|(g, n)| (Script::Sub, g, 1 + n)),
                Some(d) if alnum(d) => {
                    let n = after.find(|ch: char| !alnum(ch)).unwrap_or(after.len());
                    Some((Script::Sub, &after[..n], n))
                }
                _ => None,
            },
            '^' => match after.chars().next() {
                Some('{') => group(&after[1..], '}').map(|(g, n)| (Script::Sup, g, 1 + n)),
                Some('(') => group(&after[1..], ')').map(|(g, n)| (Script::Sup, g, 1 + n)),
                Some(_) => {
                    // An optional minus, then letters, digits and dots ending in a letter or digit.
                    let sign = after
                        .chars()
                        .next()
                        .filter(|&ch| ch == '−' || ch == '-')
                        .map_or(0, char::len_utf8);
                    let body = &after[sign..];
                    let n = body
                        .find(|ch: char| !(alnum(ch) || ch == '.'))
                        .unwrap_or(body.len());
                    let n = body[..n].trim_end_matches('.').len();
                    (n > 0).then(|| (Script::Sup, &after[..sign + n], sign + n))
                }
                None => None,
            },
            _ => None,
        };
        match found {
            Some((script, piece, used)) => {
                push(script, piece);
                i += c.len_utf8() + used;
            }
            None => {
                push(Script::Base, &rest[..c.len_utf8()]);
                i += c.len_utf8();
            }
        }
    }
    out
}

/// Sub- and superscripts are this much of the text's size.
const SCRIPT_SIZE: f64 = 0.72;

/// Where a piece's centre sits from the text's centre line, in ems: a
/// subscript's baseline 0.2 em under the text's, a superscript's 0.38 em over
/// it (the middle of DejaVu Sans's em box is 0.26 em over its baseline).
fn script_shift(script: Script) -> f64 {
    let centre = 0.26;
    match script {
        Script::Base => 0.0,
        Script::Sub => centre + 0.2 - centre * SCRIPT_SIZE,
        Script::Sup => centre - 0.38 - centre * SCRIPT_SIZE,
    }
}

/// Typeset text: the lecture's notation ([`notation`]) drawn with real
/// subscripts and superscripts, `css` pixels high, in one colour.
#[derive(Debug, Clone, Copy)]
pub struct Rich {
    pub css: f64,
    pub color: RGBColor,
    /// Read bottom to top (a y axis name).
    pub vertical: bool,
}

impl Rich {
    /// `css` pixels in the house text colour.
    pub fn new(css: f64) -> Self {
        Rich {
            css,
            color: super::colors::TEXT,
            vertical: false,
        }
    }

    pub fn color(self, color: RGBColor) -> Self {
        Rich { color, ..self }
    }

    pub fn vertical(self) -> Self {
        Rich {
            vertical: true,
            ..self
        }
    }

    fn style(&self, s: Scale, script: Script) -> TextStyle<'_> {
        let css = if script == Script::Base {
            self.css
        } else {
            self.css * SCRIPT_SIZE
        };
        s.font(css).color(&self.color)
    }

    /// The width of one piece, its spaces kept (plotters measures text in an
    /// HTML span, which drops a piece's leading and trailing spaces).
    fn piece_width<DB: DrawingBackend, CT: CoordTranslate>(
        &self,
        area: &DrawingArea<DB, CT>,
        s: Scale,
        script: Script,
        piece: &str,
    ) -> i32 {
        size(area, &piece.replace(' ', "\u{a0}"), &self.style(s, script)).0
    }

    /// The width of `text` typeset, in device pixels.
    pub fn width<DB: DrawingBackend, CT: CoordTranslate>(
        &self,
        area: &DrawingArea<DB, CT>,
        s: Scale,
        text: &str,
    ) -> i32 {
        notation(text)
            .iter()
            .map(|(script, piece)| self.piece_width(area, s, *script, piece))
            .sum()
    }

    /// Draws `text` typeset at `at` (device pixels in `area`), anchored like
    /// plotters text: `h` along the text, `v` across it (the em box's top,
    /// centre or bottom).
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        s: Scale,
        text: &str,
        at: (i32, i32),
        h: HPos,
        v: VPos,
    ) -> Result<(), JsError> {
        let pieces = notation(text);
        let widths: Vec<i32> = pieces
            .iter()
            .map(|(script, piece)| self.piece_width(area, s, *script, piece))
            .collect();
        let total: i32 = widths.iter().sum();
        let em = self.css * s.dpr;
        // Distance along the text from `at` to its start, and across it to its centre line.
        let start = match h {
            HPos::Left => 0,
            HPos::Center => -total / 2,
            HPos::Right => -total,
        };
        let across = match v {
            VPos::Top => em / 2.0,
            VPos::Center => 0.0,
            VPos::Bottom => -em / 2.0,
        };
        let mut along = start;
        for ((script, piece), w) in pieces.iter().zip(widths) {
            let shift = (across + script_shift(*script) * em).round() as i32;
            let (pos, style) = if self.vertical {
                // Rotated a quarter turn anticlockwise: along is up, across is right.
                let style = self.style(s, *script).transform(FontTransform::Rotate270);
                ((at.0 + shift, at.1 - along), style)
            } else {
                ((at.0 + along, at.1 + shift), self.style(s, *script))
            };
            area.draw(&Text::new(
                piece.clone(),
                pos,
                style.pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(js_error)?;
            along += w;
        }
        Ok(())
    }
}
