//! Canvas charts drawn with plotters-canvas.
//!
//! Each chart is a stateless function `draw_x(canvas, &XData) -> Result`,
//! exported to JS as `draw_x_chart(canvas, data)` where `data` is a plain
//! object deserialised into `XData`. The page sizes every canvas in device
//! pixels (`canvas.width = CSS width × devicePixelRatio`); the helpers here
//! scale line widths, margins and fonts by the same ratio, so a chart is
//! crisp on a 4K screen and its text readable on a projector.
//!
//! One palette (Okabe & Ito's colour-blind-safe set) serves every chart and
//! is exported to JS by [`palette`], so diagrams drawn in JS use the very
//! same colour for W_xh, W_hh and W_hy.

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_canvas::CanvasBackend;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

#[cfg(feature = "lab")]
pub mod grad_bars;
pub mod loss;
pub mod scales;
#[cfg(feature = "lab")]
mod step_grid;
pub mod text;
#[cfg(feature = "lab")]
pub mod training;
#[cfg(feature = "lab")]
pub mod unrolled;
#[cfg(feature = "lab")]
pub mod vanishing;
#[cfg(feature = "why")]
pub mod why;

/// Okabe–Ito colours, with the dark ones used for lines and text so every
/// mark keeps ≥ 3:1 contrast on the white background (WCAG 1.4.11).
pub mod colors {
    use plotters::style::RGBColor;
    /// W_xh: input to hidden (blue).
    pub const W_XH: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    /// W_hh: hidden to hidden, the recurrence (vermillion).
    pub const W_HH: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    /// W_hy: hidden to output (bluish green).
    pub const W_HY: RGBColor = RGBColor(0x00, 0x9E, 0x73);
    /// b_h (reddish purple).
    pub const B_H: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
    /// b_y (orange).
    pub const B_Y: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
    /// The raw per-iteration loss.
    pub const LOSS: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    /// The smoothed loss, drawn over it.
    pub const SMOOTH: RGBColor = RGBColor(0x00, 0x00, 0x00);
    /// Events: clipping fired, the highlighted step.
    pub const EVENT: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    /// Gradients (‖dL/dh_t‖ bars).
    pub const GRADIENT: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    pub const TEXT: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);
    pub const AXIS: RGBColor = RGBColor(0x59, 0x59, 0x59);
    pub const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
    pub const BACKGROUND: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
}

fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// The palette as CSS colours, for JS-drawn diagrams.
#[derive(Serialize)]
struct Palette {
    #[serde(rename = "W_xh")]
    w_xh: String,
    #[serde(rename = "W_hh")]
    w_hh: String,
    #[serde(rename = "W_hy")]
    w_hy: String,
    b_h: String,
    b_y: String,
    loss: String,
    smooth_loss: String,
    event: String,
    gradient: String,
    text: String,
    axis: String,
    grid: String,
    background: String,
}

/// `{W_xh, W_hh, W_hy, b_h, b_y, loss, smooth_loss, event, gradient, text,
/// axis, grid, background}` as `#rrggbb` strings.
#[wasm_bindgen]
pub fn palette() -> Result<JsValue, JsError> {
    use colors::*;
    super::to_js(&Palette {
        w_xh: hex(W_XH),
        w_hh: hex(W_HH),
        w_hy: hex(W_HY),
        b_h: hex(B_H),
        b_y: hex(B_Y),
        loss: hex(LOSS),
        smooth_loss: hex(SMOOTH),
        event: hex(EVENT),
        gradient: hex(GRADIENT),
        text: hex(TEXT),
        axis: hex(AXIS),
        grid: hex(GRID),
        background: hex(BACKGROUND),
    })
}

/// Device pixels per chart pixel. Every size in the chart code is given in
/// "chart pixels" (CSS pixels at the default 16 px type) and multiplied by `dpr`.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// devicePixelRatio × (the page's root font size / 16): charts follow the
    /// screen's pixel density and the page's type size, so their labels are as
    /// readable as the text around them on a projector and on a 4K screen.
    pub dpr: f64,
}

impl Scale {
    /// The scale the page passes with every chart: devicePixelRatio × (the root font
    /// size / 16), computed where the canvases are sized (www/views/charts.js
    /// `chartScale`); 1 when absent or not a finite number above 0.
    pub fn given(scale: Option<f64>) -> Self {
        Self {
            dpr: scale.filter(|d| d.is_finite() && *d > 0.0).unwrap_or(1.0),
        }
    }

    /// A length in device pixels.
    pub fn px(self, css: f64) -> u32 {
        (css * self.dpr).round().max(1.0) as u32
    }

    /// A text style of `css` pixels in the house font ([`text::FONT`]) and colour.
    pub fn font(self, css: f64) -> TextStyle<'static> {
        (text::FONT, css * self.dpr)
            .into_font()
            .color(&colors::TEXT)
    }

    /// The first of `texts` (longest first) that fits across `area` at `css`
    /// pixels, where `reserved_css` pixels of the width go to margins and axis
    /// labels, with its style; if none fits, the last one, smaller to fit (down
    /// to 60%). For one-line labels such as axis names: a phone gets the short one.
    /// Returns the text and its size in CSS pixels.
    pub fn fitting<'t, DB: DrawingBackend>(
        self,
        area: &DrawingArea<DB, Shift>,
        texts: &[&'t str],
        css: f64,
        reserved_css: f64,
    ) -> (&'t str, f64) {
        let room = area.dim_in_pixel().0 as f64 - reserved_css * self.dpr;
        let width = |t: &str| text::Rich::new(css).width(area, self, t) as f64;
        if let Some(t) = texts.iter().find(|t| width(t) <= room) {
            return (t, css);
        }
        let last = texts.last().copied().unwrap_or("");
        let w = width(last);
        if w > 0.0 && room > 0.0 {
            (last, css * (room / w).max(0.6))
        } else {
            (last, css)
        }
    }

    /// A line style of `css` pixels width.
    pub fn line(self, color: RGBColor, css: f64) -> ShapeStyle {
        color.stroke_width(self.px(css))
    }
}

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
    root.fill(&colors::BACKGROUND).map_err(super::js_error)?;
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
            .map_err(super::js_error)?;
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

/// Writes a centred message over a chart area (e.g. "no data yet").
pub fn message(
    root: &DrawingArea<CanvasBackend, Shift>,
    scale: Scale,
    text: &str,
) -> Result<(), JsError> {
    let (w, h) = root.dim_in_pixel();
    text::Rich::new(16.0).color(colors::AXIS).draw(
        root,
        scale,
        text,
        ((w / 2) as i32, (h / 2) as i32),
        HPos::Center,
        VPos::Center,
    )
}

/// Deserialises a chart's data object, naming the chart in the error.
pub fn data<T: serde::de::DeserializeOwned>(chart: &str, value: JsValue) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| JsError::new(&format!("{chart} chart: bad data: {e}")))
}
