//! RNN Lab: a vanilla recurrent neural network, exact in float64, for teaching.
//!
//! The math lives in [`engine`]: pure Rust with no web types, natively testable.
//! The only WebAssembly boundary is `web` (compiled for `wasm32` only): one
//! `#[wasm_bindgen]` handle over an engine session, plus canvas charts.
//!
//! Notation follows the lecture:
//!
//! ```text
//! a_t = W_xh x_t + W_hh h_{t-1} + b_h      h_t = f(a_t)
//! y_t = W_hy h_t + b_y                     p_t = softmax(y_t)
//! L   = Σ_t −log p_t[target_t]
//! ```

pub mod engine;

#[cfg(target_arch = "wasm32")]
// A module of one family of chapters (scripts/build) leaves the others' helpers unused.
#[cfg_attr(
    not(all(
        feature = "lab",
        feature = "recap",
        feature = "why",
        feature = "types",
        feature = "charts",
        feature = "vanishing"
    )),
    allow(dead_code, unused_imports)
)]
pub mod web;
