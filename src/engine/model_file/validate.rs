//! The checks a parsed model file passes before anything is built: sizes
//! first, then the vocabulary, the activation, the shapes and the numbers.

use super::parse::check_header;
use super::{ModelFile, ValidModel};
use crate::engine::error::{EngineError, Result};
use crate::engine::limits;
use crate::engine::{Activation, Params, Vocab};
use ndarray::{Array1, Array2};

impl ModelFile {
    /// Every check, sizes first: format and version; H, V and the text
    /// against [`LIMITS`](crate::engine::LIMITS); one character per vocabulary entry, no repeats,
    /// and the vocabulary is the text's (in order of first appearance, as
    /// the session builds it); the activation; every shape; finite numbers;
    /// zero biases when the model has none.
    pub fn validate(&self) -> Result<ValidModel> {
        check_header(&self.format, Some(self.version))?;
        let (h, v) = (self.hidden, self.vocab.len());
        limits::check_hidden(h)?;
        limits::check_vocab_size(v)?;
        if self.text.is_empty() {
            return Err(EngineError::EmptyText);
        }
        limits::check_text(&self.text, true)?;
        let mut symbols = Vec::with_capacity(v);
        for (i, s) in self.vocab.iter().enumerate() {
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => symbols.push(c),
                _ => {
                    return Err(EngineError::Shape {
                        field: format!("vocab[{i}]"),
                        message: format!("each symbol must be one character, got {s:?}"),
                    });
                }
            }
        }
        // The vocabulary is the text's symbols, each once, in the order the one-hot
        // positions use: first appearance for a word or a text, the task's own order for
        // the vanishing chapter's long-range task.
        let in_text = Vocab::from_text(&self.text)?;
        let mut sorted_file = symbols.clone();
        sorted_file.sort_unstable();
        let mut sorted_text = in_text.symbols().to_vec();
        sorted_text.sort_unstable();
        if sorted_file != sorted_text {
            return Err(EngineError::Invalid(format!(
                "the model file's vocabulary [{}] is not the one of its text, [{}]",
                self.vocab.join(", "),
                in_text
                    .symbols()
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let vocab = Vocab::from_symbols(symbols);
        let activation =
            Activation::try_from(self.activation.clone()).map_err(EngineError::Invalid)?;
        let params = Params {
            w_xh: to_matrix("w_xh", &self.w_xh, (h, v))?,
            w_hh: to_matrix("w_hh", &self.w_hh, (h, h))?,
            w_hy: to_matrix("w_hy", &self.w_hy, (v, h))?,
            b_h: to_vector("b_h", &self.b_h, h)?,
            b_y: to_vector("b_y", &self.b_y, v)?,
        };
        if !params.all_finite() {
            return Err(EngineError::Invalid(
                "the model file's weights contain NaN or infinite numbers".into(),
            ));
        }
        if !self.bias && params.b_h.iter().chain(&params.b_y).any(|&b| b != 0.0) {
            return Err(EngineError::Invalid(
                "the model has no biases, so b_h and b_y must be all zeros".into(),
            ));
        }
        Ok(ValidModel {
            text: self.text.clone(),
            vocab,
            hidden: h,
            activation,
            bias: self.bias,
            params,
        })
    }
}

fn to_matrix(name: &str, m: &[Vec<f64>], shape: (usize, usize)) -> Result<Array2<f64>> {
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

fn to_vector(name: &str, v: &[f64], len: usize) -> Result<Array1<f64>> {
    if v.len() != len {
        return Err(EngineError::Shape {
            field: name.into(),
            message: format!("expected {len} numbers, got {}", v.len()),
        });
    }
    Ok(Array1::from(v.to_vec()))
}
