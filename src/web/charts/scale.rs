//! [`Scale`]: device pixels per chart pixel, and the sizes and fonts it gives.

use super::*;

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
