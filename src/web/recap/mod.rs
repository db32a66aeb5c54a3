//! The "Recap" chapter's handles: one small `#[wasm_bindgen]` struct per
//! model kind ([`PerceptronLab`], [`MlpLab`], [`Word2VecLab`],
//! [`TextCnnLab`]), each over an engine [`Trained`] model built from a typed
//! setup (`engine::models::recap`), plus free functions on plain vectors
//! (the slide's analogy, the training windows). Every method forwards.
//!
//! Each handle answers what the page's `Model` class asks: `settings()`,
//! `status()`, `train(n)`, `loss_curve(max_points)`; that plumbing is one
//! macro, `recap_handle!` (below), and each file adds only what its model shows.
//!
//! [`Trained`]: crate::engine::models::trained::Trained

use super::{count, from_js, to_js};
use crate::engine::models::embedding::{self, slide_vectors};
use crate::engine::models::pasted;
use crate::engine::models::trained::MAX_STEPS_PER_CALL;
use crate::engine::models::windows::training_windows;
use wasm_bindgen::prelude::*;

/// A Recap handle: `pub struct $name { setup: $setup, lab: $built }`, made by
/// `new $name(settings)` from the JS settings (missing: the setup's defaults)
/// through `$setup::build()`, with `settings()`, `status()`, `train(n)` and
/// `loss_curve(max_points)` forwarded to the [`Trained`] model at
/// `self.lab` (or at `self.lab.<field>` when the built value wraps one).
///
/// [`Trained`]: crate::engine::models::trained::Trained
macro_rules! recap_handle {
    ($(#[$meta:meta])* $name:ident { $setup:ty => $built:ty, $what:literal $(, field: $field:ident)? }) => {
        $(#[$meta])*
        #[wasm_bindgen::prelude::wasm_bindgen]
        pub struct $name {
            setup: $setup,
            lab: $built,
        }

        #[wasm_bindgen::prelude::wasm_bindgen]
        impl $name {
            #[doc = concat!("`new ", stringify!($name), "(settings)`: the ", $what, " (missing keys: the defaults).")]
            #[wasm_bindgen(constructor)]
            pub fn new(
                settings: wasm_bindgen::JsValue,
            ) -> Result<$name, wasm_bindgen::JsError> {
                let setup: $setup = $crate::web::from_js($what, settings)?.unwrap_or_default();
                Ok($name {
                    lab: setup.build()?,
                    setup,
                })
            }

            /// The settings the model was built from.
            pub fn settings(&self) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsError> {
                $crate::web::to_js(&self.setup)
            }

            /// `{iteration, epoch, last_loss, diverged}`.
            pub fn status(&self) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsError> {
                $crate::web::to_js(&self.lab$(.$field)?.status())
            }

            /// `n` training steps (0 ≤ n ≤ 10 000 per call).
            pub fn train(&mut self, n: f64) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsError> {
                $crate::web::to_js(&self.lab$(.$field)?.train($crate::web::recap::steps(n)?)?)
            }

            /// The loss curve, at most `max_points` points.
            pub fn loss_curve(
                &self,
                max_points: f64,
            ) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsError> {
                let n = $crate::web::count("the number of points", max_points, usize::MAX)?;
                $crate::web::to_js(&self.lab$(.$field)?.loss_curve(n))
            }
        }
    };
}

pub mod mlp;
pub mod perceptron;
pub mod text_cnn;
pub mod word2vec;

pub use mlp::MlpLab;
pub use perceptron::PerceptronLab;
pub use text_cnn::TextCnnLab;
pub use word2vec::Word2VecLab;

/// A step count from JS: a whole number 0..=MAX_STEPS_PER_CALL.
fn steps(n: f64) -> Result<usize, JsError> {
    Ok(count("the number of steps", n, MAX_STEPS_PER_CALL)?)
}

/// Named vectors from JS: `[[word, [x, y, …]], …]`.
type Named = Vec<(String, Vec<f64>)>;

fn named(value: JsValue) -> Result<Named, JsError> {
    from_js("vectors", value)?
        .ok_or_else(|| JsError::new("give the vectors as [[word, [x, y]], …]"))
}

/// The slide's vectors: `[["man", [0.2, 0.2]], ["woman", …], ["king", …], ["queen", …]]`.
#[wasm_bindgen]
pub fn recap_slide_vectors() -> Result<JsValue, JsError> {
    to_js(&slide_vectors())
}

/// a : b :: c : ? over the given named vectors (`embedding::analogy`).
#[wasm_bindgen]
pub fn recap_analogy(vectors: JsValue, a: &str, b: &str, c: &str) -> Result<JsValue, JsError> {
    to_js(&embedding::analogy(&named(vectors)?, a, b, c)?)
}

/// Every named vector by cos(query, w_x), highest first (none excluded).
#[wasm_bindgen]
pub fn recap_cosines(vectors: JsValue, query: Vec<f64>) -> Result<JsValue, JsError> {
    to_js(&embedding::rank(&named(vectors)?, &query, &[]))
}

/// A pasted corpus checked (`pasted::check_corpus`): `{bytes, sentences, words,
/// vocab}`, or the error that says what is wrong with it.
#[wasm_bindgen]
pub fn recap_check_corpus(text: &str) -> Result<JsValue, JsError> {
    to_js(&pasted::check_corpus(text)?)
}

/// The CBOW and skip-gram windows of `sentence` with `window` words each side.
#[wasm_bindgen]
pub fn recap_windows(sentence: &str, window: f64) -> Result<JsValue, JsError> {
    to_js(&training_windows(
        sentence,
        count("the window", window, usize::MAX)?,
    )?)
}
