//! Model export and import: the weights as a JSON file a TA can save and
//! load back. A second `#[wasm_bindgen] impl Lab` block, in its own module,
//! as every chapter's methods are.

use super::lab::Lab;
use super::to_js;
use crate::engine::Activation;
use crate::engine::views::rows;
use crate::engine::{EngineError, Params, Session};
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// The model file written by `params()` and read by `import_params()`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelFile {
    pub format: String,
    pub version: u32,
    /// The text the model was made for, and its vocabulary (the order of
    /// the one-hot inputs and of the outputs).
    pub text: String,
    pub vocab: Vec<String>,
    pub hidden: usize,
    pub activation: String,
    pub bias: bool,
    pub w_xh: Vec<Vec<f64>>,
    pub w_hh: Vec<Vec<f64>>,
    pub w_hy: Vec<Vec<f64>>,
    pub b_h: Vec<f64>,
    pub b_y: Vec<f64>,
}

/// The `format` tag of a model file.
pub const MODEL_FORMAT: &str = "rnn-lab-model";

fn matrix(name: &str, m: &[Vec<f64>], shape: (usize, usize)) -> crate::engine::Result<Array2<f64>> {
    let bad = |message: String| EngineError::Shape {
        field: name.into(),
        message,
    };
    if m.len() != shape.0 {
        return Err(bad(format!("expected {} rows, got {}", shape.0, m.len())));
    }
    if let Some((i, r)) = m.iter().enumerate().find(|(_, r)| r.len() != shape.1) {
        return Err(bad(format!(
            "row {} has {} numbers, expected {}",
            i + 1,
            r.len(),
            shape.1
        )));
    }
    Array2::from_shape_vec(shape, m.concat()).map_err(|e| bad(e.to_string()))
}

fn vector(name: &str, v: &[f64], len: usize) -> crate::engine::Result<Array1<f64>> {
    if v.len() != len {
        return Err(EngineError::Shape {
            field: name.into(),
            message: format!("expected {len} numbers, got {}", v.len()),
        });
    }
    Ok(Array1::from(v.to_vec()))
}

impl ModelFile {
    /// Parameters from a parsed file, checked against the session's
    /// vocabulary, hidden size and activation (shapes and finiteness are
    /// checked again by the session).
    pub fn to_params(&self, session: &Session) -> crate::engine::Result<Params> {
        if self.format != MODEL_FORMAT {
            return Err(EngineError::Invalid(format!(
                "this is not an RNN Lab model file (format {:?})",
                self.format
            )));
        }
        let vocab: Vec<String> = session
            .vocab()
            .symbols()
            .iter()
            .map(|c| c.to_string())
            .collect();
        if self.vocab != vocab {
            return Err(EngineError::Invalid(format!(
                "the model's vocabulary [{}] is not the current one [{}]: set the word to {:?} first",
                self.vocab.join(", "),
                vocab.join(", "),
                self.text
            )));
        }
        let cfg = &session.config().model;
        if self.hidden != cfg.hidden {
            return Err(EngineError::Invalid(format!(
                "the model has {} hidden units, the current one {}: set the hidden size first",
                self.hidden, cfg.hidden
            )));
        }
        let act = Activation::parse(&self.activation).ok_or_else(|| {
            EngineError::Invalid(format!(
                "the activation must be tanh, sigmoid, relu or identity, got {:?}",
                self.activation
            ))
        })?;
        if act != cfg.activation {
            return Err(EngineError::Invalid(format!(
                "the model uses {}: set the activation to {} first",
                self.activation, self.activation
            )));
        }
        let (v, h) = (vocab.len(), self.hidden);
        Ok(Params {
            w_xh: matrix("w_xh", &self.w_xh, (h, v))?,
            w_hh: matrix("w_hh", &self.w_hh, (h, h))?,
            w_hy: matrix("w_hy", &self.w_hy, (v, h))?,
            b_h: vector("b_h", &self.b_h, h)?,
            b_y: vector("b_y", &self.b_y, v)?,
        })
    }
}

#[wasm_bindgen]
impl Lab {
    /// The model as a file object (`JSON.stringify` it to save).
    pub fn params(&self) -> Result<JsValue, JsError> {
        let p = self.session().params();
        let cfg = &self.session().config().model;
        to_js(&ModelFile {
            format: MODEL_FORMAT.into(),
            version: 1,
            text: self.model.text_of().to_string(),
            vocab: self
                .session()
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
        })
    }

    /// Loads weights from a model file's JSON text. The vocabulary, hidden
    /// size and activation must match the current settings; shapes and
    /// numbers are checked; on any error the current model stays as it is.
    pub fn import_params(&mut self, json: &str) -> Result<(), JsError> {
        // The engine's parser: size, version and the engine's limits first, every
        // list bounded while it is read, numbers read back bit for bit.
        let model = crate::engine::model_file::parse(json)?;
        let params = model.params_for(self.session())?;
        Ok(self.model.session_mut().set_params(params)?)
    }
}
