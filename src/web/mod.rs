//! The WebAssembly boundary (compiled for wasm32 only).
//!
//! One opaque handle, [`lab::Lab`], owns an engine session; JS asks it for
//! small copyable results (a snapshot of step t, a history slice) that cross
//! as plain objects through serde-wasm-bindgen. Charts are stateless
//! functions `draw_x(canvas, data)` in [`charts`].
//!
//! # Extending the handle from a chapter
//!
//! wasm-bindgen accepts several `#[wasm_bindgen] impl Lab` blocks for the
//! one struct, in different modules of this crate: each method becomes a
//! method of the same JS class. A chapter adds `src/web/<chapter>.rs`:
//!
//! ```ignore
//! use super::{lab::Lab, to_js, js_error};
//! use wasm_bindgen::prelude::*;
//!
//! #[wasm_bindgen]
//! impl Lab {
//!     /// What the chapter needs, computed by the engine.
//!     pub fn spectrum(&self) -> Result<JsValue, JsError> {
//!         to_js(&crate::engine::analysis::spectrum(self.session.params().w_hh.view()))
//!     }
//! }
//! ```
//!
//! and one `pub mod <chapter>;` line below. Method names are one namespace
//! across all blocks (a JS class has one `spectrum`): prefix with the chapter
//! when a name could clash. Results go through [`to_js`] (maps become plain
//! objects, field names stay snake_case) and engine errors through
//! [`js_error`], so every message reaching the page is the engine's own.

use serde::Serialize;
use wasm_bindgen::prelude::*;

pub mod bench;
pub mod charts;
pub mod lab;
pub mod model_file;
pub mod settings;
pub mod snapshot;
pub mod training;
pub mod unrolled;
pub mod vanishing;

/// The crate version, so the page can show what it runs.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Serialises a result for JS: plain objects (not `Map`s), numbers for u64.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// The one mapping from any error (engine or serde) to the JS error the page
/// shows: the message text only, which the engine writes for students.
pub fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}
