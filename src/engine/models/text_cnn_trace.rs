//! What the text-CNN view draws for one sentence: the n × k sentence
//! matrix, each filter's feature map, the pooled max and the n-gram it came
//! from, the concatenated vector z and the class probabilities.

use super::TextCnn;
use crate::engine::error::{EngineError, Result};
use crate::engine::models::argmax;
use crate::engine::models::tokens::{check_size, words};
use serde::Serialize;

/// One filter on one sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilterTrace {
    pub width: usize,
    /// j, the filter's index within its width.
    pub index: usize,
    /// c_j\[p\] for p = 0..P_h (after the ReLU).
    pub feature_map: Vec<f64>,
    /// ẑ = max_p c_j\[p\] ...
    pub max: f64,
    /// ... at p* (the first on ties; for a filter that is off everywhere,
    /// max 0, the position closest to firing) ...
    pub start: usize,
    /// ... from these words (fewer than h when the window runs past the end).
    pub ngram: Vec<String>,
}

/// Everything the CNN view draws for one sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CnnTrace {
    pub words: Vec<String>,
    /// Whether each word was unknown (and read as `<unk>`).
    pub unknown: Vec<bool>,
    /// X: n rows of k.
    pub matrix: Vec<Vec<f64>>,
    /// Per width, then per filter.
    pub filters: Vec<FilterTrace>,
    /// z, the pooled maxima concatenated.
    pub pooled: Vec<f64>,
    pub classes: Vec<String>,
    pub probabilities: Vec<f64>,
    pub predicted: usize,
}

impl TextCnn {
    /// Everything the view draws for `text`: the sentence matrix, each
    /// filter's feature map and where its max came from, z and p.
    pub fn trace(&self, text: &str) -> Result<CnnTrace> {
        check_size("sentence", text)?;
        let words = words(text);
        if words.is_empty() {
            return Err(EngineError::Invalid(
                "the sentence is empty: type some words".into(),
            ));
        }
        let ids = self.encode(&words);
        let fw = self.forward(&ids);
        let k = self.config.embed_dim;
        let e = self.part("E");
        let mut filters = Vec::new();
        for (wi, &h) in self.config.widths.iter().enumerate() {
            for j in 0..self.config.filters {
                let f = wi * self.config.filters + j;
                let start = fw.starts[f];
                filters.push(FilterTrace {
                    width: h,
                    index: j,
                    feature_map: fw.pre[f].iter().map(|a| a.max(0.0)).collect(),
                    max: fw.z[f],
                    start,
                    ngram: words.iter().skip(start).take(h).cloned().collect(),
                });
            }
        }
        Ok(CnnTrace {
            unknown: ids.iter().map(|&i| i == 0).collect(),
            matrix: ids
                .iter()
                .map(|&i| e[i * k..(i + 1) * k].to_vec())
                .collect(),
            words,
            filters,
            predicted: argmax(&fw.p),
            pooled: fw.z,
            classes: self.classes.clone(),
            probabilities: fw.p,
        })
    }
}
