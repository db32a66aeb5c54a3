//! The WebAssembly boundary (compiled for wasm32 only).

use wasm_bindgen::prelude::*;

pub mod bench;

/// The crate version, so the page can show what it runs.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
