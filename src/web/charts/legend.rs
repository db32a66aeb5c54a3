//! The legend across the top of a chart: one row where it fits, more on a
//! phone.

use super::*;

/// What a legend entry shows beside its label.
#[derive(Debug, Clone, Copy)]
pub enum Swatch {
    /// A horizontal line of the series' colour and width (chart pixels).
    Line(RGBColor, f64),
    /// A short vertical tick (event markers).
    Tick(RGBColor),
    /// A filled square (bars).
    Box(RGBColor),
}

/// A legend across the top of `area`, centred, so it never covers the data:
/// one row where it fits, else as many rows as it needs (a phone). Returns the
/// area below it. An entry wider than the canvas makes the whole legend
/// smaller, down to 60%.
pub fn legend(
    area: &DrawingArea<CanvasBackend, Shift>,
    s: Scale,
    entries: &[(&str, Swatch)],
) -> Result<DrawingArea<CanvasBackend, Shift>, JsError> {
    legend_or_space(area, s, entries, true)
}

/// The area [`legend`] would leave, without drawing it (a chart with no data
/// yet keeps its plot where the data will put it).
pub fn legend_space(
    area: &DrawingArea<CanvasBackend, Shift>,
    s: Scale,
    entries: &[(&str, Swatch)],
) -> Result<DrawingArea<CanvasBackend, Shift>, JsError> {
    legend_or_space(area, s, entries, false)
}

fn legend_or_space(
    area: &DrawingArea<CanvasBackend, Shift>,
    s: Scale,
    entries: &[(&str, Swatch)],
    draw: bool,
) -> Result<DrawingArea<CanvasBackend, Shift>, JsError> {
    let rich = text::Rich::new(14.0);
    let measure = |s: Scale| -> Vec<i32> {
        entries
            .iter()
            .map(|(label, _)| s.px(30.0) as i32 + rich.width(area, s, label))
            .collect()
    };
    let (w, _) = area.dim_in_pixel();
    let room = w as i32 - s.px(20.0) as i32;
    let widest = measure(s).into_iter().max().unwrap_or(0);
    let s = if widest > room && room > 0 {
        Scale {
            dpr: s.dpr * (room as f64 / widest as f64).max(0.6),
        }
    } else {
        s
    };
    let widths = measure(s);
    let (sample, gap, sep) = (s.px(24.0) as i32, s.px(6.0) as i32, s.px(22.0) as i32);
    let rows = text::flow(&widths, sep, room);
    let row_h = s.px(22.0) as i32;
    let (strip, rest) = area.split_vertically(row_h * rows.len() as i32 + s.px(6.0) as i32);
    if !draw {
        return Ok(rest);
    }
    for (r, row) in rows.into_iter().enumerate() {
        let total: i32 = widths[row.clone()].iter().sum::<i32>() + sep * (row.len() as i32 - 1);
        let mut x = (w as i32 - total).max(0) / 2;
        let y = s.px(3.0) as i32 + row_h * r as i32 + row_h / 2;
        for ((label, swatch), tw) in entries[row.clone()].iter().zip(&widths[row]) {
            let half = s.px(7.0) as i32;
            match *swatch {
                Swatch::Line(c, width) => strip.draw(&PathElement::new(
                    vec![(x, y), (x + sample, y)],
                    s.line(c, width),
                )),
                Swatch::Tick(c) => strip.draw(&PathElement::new(
                    vec![(x + sample / 2, y - half), (x + sample / 2, y + half)],
                    s.line(c, 2.0),
                )),
                Swatch::Box(c) => strip.draw(&Rectangle::new(
                    [
                        (x + sample / 2 - half, y - half),
                        (x + sample / 2 + half, y + half),
                    ],
                    c.filled(),
                )),
            }
            .map_err(crate::web::js_error)?;
            rich.draw(
                &strip,
                s,
                label,
                (x + sample + gap, y),
                HPos::Left,
                VPos::Center,
            )?;
            x += tw + sep;
        }
    }
    Ok(rest)
}
