//! Model files: the weights as JSON a student can save and load back, and the
//! one parser that reads them, refusing anything that would not load.
//!
//! ```text
//! {"format": "rnn-lab-model", "version": 1, "text": "hello", "vocab": ["h","e","l","o"],
//!  "hidden": 3, "activation": "tanh", "bias": false,
//!  "w_xh": [[…V…] × H], "w_hh": [[…H…] × H], "w_hy": [[…H…] × V], "b_h": [H], "b_y": [V]}
//! ```
//!
//! [`parse`] reads a file's JSON text in three passes, each bounded before the next runs
//! ([`read`] does passes 2 and 3 for a file already parsed, e.g. by the page's `JSON.parse`):
//! 1. the JSON text's size against [`LIMITS`](crate::engine::LIMITS)`.model_file_bytes`;
//! 2. the header (`format`, `version`) alone, so a file from a newer app is
//!    refused as such rather than for a field it does not recognise;
//! 3. the whole file, where every list is refused as soon as it holds more
//!    than a limit allows (rows and columns ≤ max(H, V) limits, the
//!    vocabulary ≤ V limit, the text ≤ the text limit): whatever the file
//!    says, parsing allocates at most about (2·256² + 256² + 512)·8 bytes
//!    ≈ 1.6 MB of numbers plus the text.
//!
//! Then [`ModelFile::validate`] checks the sizes against [`LIMITS`](crate::engine::LIMITS) before
//! anything is built, then the vocabulary, the shapes and the numbers. A
//! [`ValidModel`] is known to load: [`ValidModel::load`] builds the new
//! session on the side, so a refused file leaves the caller's model as it was.
//!
//! The three stages are three files: `parse.rs` (size, header, bounded
//! deserialisation), `validate.rs` ([`ModelFile::validate`]) and `load.rs`
//! (what a [`ValidModel`] builds).

mod load;
mod parse;
#[cfg(test)]
mod tests;
mod validate;

pub use parse::{parse, read};

use super::{Activation, Params, Session, Vocab};
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// The `format` tag of a model file.
pub const MODEL_FORMAT: &str = "rnn-lab-model";
/// The newest file version this engine reads (and the one it writes).
pub const MODEL_VERSION: u64 = 1;

/// A model file as written by the app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    #[serde(deserialize_with = "parse::tag")]
    pub format: String,
    pub version: u64,
    /// The text the model was made for, and its vocabulary (the order of
    /// the one-hot inputs and of the outputs).
    #[serde(deserialize_with = "parse::text")]
    pub text: String,
    #[serde(deserialize_with = "parse::symbols")]
    pub vocab: Vec<String>,
    pub hidden: usize,
    #[serde(deserialize_with = "parse::tag")]
    pub activation: String,
    pub bias: bool,
    #[serde(deserialize_with = "parse::matrix")]
    pub w_xh: Vec<Vec<f64>>,
    #[serde(deserialize_with = "parse::matrix")]
    pub w_hh: Vec<Vec<f64>>,
    #[serde(deserialize_with = "parse::matrix")]
    pub w_hy: Vec<Vec<f64>>,
    #[serde(deserialize_with = "parse::vector")]
    pub b_h: Vec<f64>,
    #[serde(deserialize_with = "parse::vector")]
    pub b_y: Vec<f64>,
}

/// A model file that passed every check: it loads.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidModel {
    pub text: String,
    pub vocab: Vocab,
    pub hidden: usize,
    pub activation: Activation,
    pub bias: bool,
    pub params: Params,
}

impl ModelFile {
    /// The file for `session`'s model, trained on `text` (the page's word).
    pub fn from_session(session: &Session, text: &str) -> ModelFile {
        let p = session.params();
        let cfg = &session.config().model;
        let rows = |m: &Array2<f64>| m.rows().into_iter().map(|r| r.to_vec()).collect();
        ModelFile {
            format: MODEL_FORMAT.into(),
            version: MODEL_VERSION,
            text: text.into(),
            vocab: session
                .vocab()
                .symbols()
                .iter()
                .map(|c| c.to_string())
                .collect(),
            hidden: cfg.hidden,
            activation: cfg.activation.name().into(),
            bias: cfg.bias,
            w_xh: rows(&p.w_xh),
            w_hh: rows(&p.w_hh),
            w_hy: rows(&p.w_hy),
            b_h: p.b_h.to_vec(),
            b_y: p.b_y.to_vec(),
        }
    }
}
