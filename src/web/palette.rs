//! One palette (Okabe & Ito's colour-blind-safe set) for every chart, and
//! its export to JS ([`palette()`]) for the diagrams drawn there.

use super::*;
use plotters::style::RGBColor;

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
    crate::web::to_js(&Palette {
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
