//! Colour scales and text styles shared by the grid charts (training
//! heatmaps, the unrolled chapter's hidden-state and probability grids).

use super::{Scale, colors};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// NaN and ±∞ are drawn grey on every scale.
const NOT_FINITE: RGBColor = RGBColor(0x80, 0x80, 0x80);

/// ColorBrewer's RdBu (7 classes), blue below 0, near white at 0, red
/// above: the diverging scale of the unrolled diagram (www/diagram/colors.js),
/// so a cell means the same colour in both, readable with colour-blindness.
const RDBU: [(u8, u8, u8); 7] = [
    (0x21, 0x66, 0xac),
    (0x67, 0xa9, 0xcf),
    (0xd1, 0xe5, 0xf0),
    (0xf7, 0xf7, 0xf7),
    (0xfd, 0xdb, 0xc7),
    (0xef, 0x8a, 0x62),
    (0xb2, 0x18, 0x2b),
];

/// ColorBrewer's Blues: white at 0 to dark blue at 1.
const BLUES: [(u8, u8, u8); 5] = [
    (0xff, 0xff, 0xff),
    (0xc6, 0xdb, 0xef),
    (0x6b, 0xae, 0xd6),
    (0x21, 0x71, 0xb5),
    (0x08, 0x30, 0x6b),
];

/// The colour at `u` in 0..=1 along evenly spaced `stops`, mixed linearly.
pub fn along(stops: &[(u8, u8, u8)], u: f64) -> RGBColor {
    let pos = u * (stops.len() - 1) as f64;
    let k = (pos.floor() as usize).min(stops.len() - 2);
    let f = pos - k as f64;
    let (a, b) = (stops[k], stops[k + 1]);
    let mix = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The diverging colour of `v` on the scale ±`scale` (clamped); NaN/∞ grey.
pub fn diverging(v: f64, scale: f64) -> RGBColor {
    if !v.is_finite() {
        return NOT_FINITE;
    }
    along(&RDBU, ((v / scale).clamp(-1.0, 1.0) + 1.0) / 2.0)
}

/// White at 0 to dark blue at 1 (ColorBrewer Blues), clamped; NaN/∞ grey.
pub fn sequential(p: f64) -> RGBColor {
    if !p.is_finite() {
        return NOT_FINITE;
    }
    along(&BLUES, p.clamp(0.0, 1.0))
}

/// Black or white text, whichever reads on `bg`.
pub fn text_on(bg: RGBColor) -> RGBColor {
    let l = 0.299 * bg.0 as f64 + 0.587 * bg.1 as f64 + 0.114 * bg.2 as f64;
    if l > 150.0 {
        colors::TEXT
    } else {
        colors::BACKGROUND
    }
}

/// Text in the house font of `size` CSS pixels in `color`, anchored at (h, v).
pub fn anchored(s: Scale, size: f64, color: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    (super::text::FONT, size * s.dpr)
        .into_font()
        .color(&color)
        .pos(Pos::new(h, v))
}
