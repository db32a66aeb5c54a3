//! The WebAssembly boundary (compiled for wasm32 only).
//!
//! One small handle per model kind ([`lab::Lab`]: the vanilla RNN) owns an
//! engine model; JS asks it for small copyable results that cross as plain
//! objects through serde-wasm-bindgen. Every method is one to three lines
//! over the engine: no math lives here. Engine errors become `JsError`s by
//! `?` (the engine's message is what the page shows). Charts are stateless
//! functions `draw_x(canvas, data)` in [`charts`].
//!
//! # Extending a handle from a chapter
//!
//! wasm-bindgen accepts several `#[wasm_bindgen] impl Lab` blocks for the
//! one struct, in different modules: each method becomes a method of the
//! same JS class. A chapter adds `src/web/<chapter>.rs` with a block whose
//! methods forward to `crate::engine::views::<chapter>`, and one `pub mod`
//! line below. Method names are one namespace across all blocks: prefix
//! with the chapter when a name could clash.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

// Each family of chapters is one cargo feature, and one wasm module of the page
// (scripts/build): www/pkg/core (`lab`), vanishing (the `Lab` again, as `VanishingLab`,
// with the chapter's analysis), recap, why, types, and charts (every chart, with
// plotters: the page loads it after its first paint). What every module needs (the palette,
// limits, version) is always here.
#[cfg(feature = "lab")]
pub mod bench;
#[cfg(feature = "charts")]
pub mod charts;
#[cfg(any(feature = "lab", feature = "vanishing"))]
pub mod lab;
#[cfg(any(feature = "lab", feature = "vanishing"))]
pub mod model_file;
pub mod palette;
#[cfg(feature = "recap")]
pub mod recap;
#[cfg(feature = "lab")]
pub mod training;
#[cfg(feature = "types")]
pub mod types;
#[cfg(feature = "lab")]
pub mod unrolled;
#[cfg(feature = "vanishing")]
pub mod vanishing;
#[cfg(feature = "why")]
pub mod why;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// Runs once when the module is instantiated: a panic (a bug, never bad input: the
/// engine refuses that with an error) logs the Rust message before the trap, so the
/// page's fault handler and the console both say what happened.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error(&format!("RNN Lab engine panicked: {info}"));
    }));
}

/// The engine's limits (H, V, word, text, seq, iterations per call, sample length, …):
/// the page's fields take their ranges from this one table (www/state.js).
#[wasm_bindgen]
pub fn limits() -> Result<JsValue, JsError> {
    to_js(&crate::engine::LIMITS)
}

/// The crate version, so the page can show what it runs.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Serialises a result for JS: plain objects (not `Map`s), numbers for u64.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    Ok(value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}

/// Reads typed settings from JS; `undefined`/`null` is `None`. A wrong key
/// value is refused with the engine's wording ("bad settings: …").
pub fn from_js<T: DeserializeOwned>(what: &str, value: JsValue) -> Result<Option<T>, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    serde_wasm_bindgen::from_value(value)
        .map(Some)
        .map_err(|e| JsError::new(&format!("bad {what}: {e}")))
}

pub use crate::engine::settings::whole_number as count;

/// A JS error from anything displayable (chart back-end errors, which are
/// not `std::error::Error` in every case): the message text only.
pub fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}
