//! Chapter "Training: backpropagation through time": the shared-weight
//! gradient as a sum over steps, text mode, truncated BPTT's timeline.
//!
//! The backward pass itself (every factor at every step) is the unrolled
//! chapter's `unrolled_backward`, drawn on the same diagram; training,
//! sampling and the gradient check are the Lab's own `train`, `sample`,
//! `grad_check`. This block adds what only this chapter shows:
//!
//! ```text
//! dW_xh = Σ_t da_t x_tᵀ [H,V]    dW_hh = Σ_t da_t h_{t−1}ᵀ [H,H]    dW_hy = Σ_t dy_t h_tᵀ [V,H]
//! ```
//!
//! one term per step (`training_contributions(t)`), and text mode: a second
//! `Lab` made by `Lab.training_text(options)` over a long text, min-char-rnn
//! style (sequences of `seq` steps, h carried), with truncated BPTT(k1, k2)
//! (`training_set_truncation`) and its timeline (`training_timeline`).
//!
//! Text mode is a second `Lab` object (the same struct, its own session),
//! held by the page beside the word model: no field is added to `Lab`.

use super::lab::Lab;
use super::settings::Settings;
use super::snapshot::rows;
use super::{js_error, to_js};
use crate::engine::contributions::step_contribution;
use crate::engine::timeline::timeline;
use crate::engine::{EngineError, Params};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// The built-in paragraph for text mode (our own text, ~2.6 KB of ASCII).
pub const PARAGRAPH: &str = include_str!("../../data/paragraph.txt");
/// Longest text accepted in text mode, in bytes of UTF-8.
pub const MAX_TEXT_BYTES: usize = 100 * 1024;
/// Largest hidden size and sequence length offered in text mode.
pub const MAX_TEXT_HIDDEN: usize = 256;
pub const MAX_TEXT_SEQ: usize = 256;

/// What `Lab.training_text(options)` accepts. Defaults: min-char-rnn
/// (H = 100, seq 25, N(0,1)·0.01, Adagrad lr 0.1, clip by value at 5).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct TextOptions {
    pub text: String,
    pub hidden: usize,
    pub seq: usize,
    pub seed: u64,
    pub scale: f64,
    pub act: String,
    pub opt: String,
    pub lr: f64,
    pub clip: String,
    pub clipc: f64,
    /// Truncated BPTT (k1, k2); k2 defaults to k1; none: full BPTT.
    pub k1: Option<usize>,
    pub k2: Option<usize>,
}

impl Default for TextOptions {
    fn default() -> Self {
        Self {
            text: PARAGRAPH.into(),
            hidden: 100,
            seq: 25,
            seed: 0,
            scale: 0.01,
            act: "tanh".into(),
            opt: "adagrad".into(),
            lr: 0.1,
            clip: "value".into(),
            clipc: 5.0,
            k1: None,
            k2: None,
        }
    }
}

/// Checks a pasted text and the text-mode sizes, in the words the page shows.
pub fn check_text_options(o: &TextOptions) -> crate::engine::Result<()> {
    if o.text.is_empty() {
        return Err(EngineError::Invalid(
            "the text is empty: paste some text or use the built-in paragraph".into(),
        ));
    }
    if o.text.len() > MAX_TEXT_BYTES {
        return Err(EngineError::Invalid(format!(
            "the text is {:.1} KB; at most 100 KB can be trained on",
            o.text.len() as f64 / 1024.0
        )));
    }
    if !(1..=MAX_TEXT_HIDDEN).contains(&o.hidden) {
        return Err(EngineError::HiddenSize {
            got: o.hidden,
            max: MAX_TEXT_HIDDEN,
        });
    }
    if !(1..=MAX_TEXT_SEQ).contains(&o.seq) {
        return Err(EngineError::Invalid(format!(
            "the sequence length must be between 1 and {MAX_TEXT_SEQ}, got {}",
            o.seq
        )));
    }
    let chars = o.text.chars().count();
    if chars < o.seq + 1 {
        return Err(EngineError::Invalid(format!(
            "the text has {chars} characters; with sequences of {} it needs at least {}",
            o.seq,
            o.seq + 1
        )));
    }
    Ok(())
}

/// (k1, k2) from the options: k2 defaults to k1.
fn truncation(k1: Option<usize>, k2: Option<usize>) -> Option<(usize, usize)> {
    k1.map(|k1| (k1, k2.unwrap_or(k1)))
}

/// One step's share of the three weight gradients, and the sums around it.
#[derive(Debug, Clone, Serialize)]
struct ContributionsView {
    t: usize,
    steps: usize,
    /// "W_xh", "W_hh", "W_hy": the order of every list below.
    names: [&'static str; 3],
    /// The full shape of each matrix (the lists below may be cropped).
    shape: [[usize; 2]; 3],
    /// Row and column labels of each matrix (units "1".."H", symbols).
    row_labels: [Vec<String>; 3],
    col_labels: [Vec<String>; 3],
    /// Step t's term: da_t x_tᵀ, da_t h_{t−1}ᵀ, dy_t h_tᵀ.
    step: [Vec<Vec<f64>>; 3],
    /// Σ over s = t..T: what the backward pass has accumulated when it
    /// reaches step t (going from T down).
    so_far: [Vec<Vec<f64>>; 3],
    /// The engine's gradient (full BPTT, what the optimiser uses).
    gradient: [Vec<Vec<f64>>; 3],
    /// max |Σ_{s=1..T} term_s − gradient| per matrix: 0 up to rounding.
    sum_error: [f64; 3],
    /// Largest |entry| over every step's term and the gradient, per matrix:
    /// one colour scale for all pictures of that matrix.
    max_abs: [f64; 3],
}

fn three(p: &Params) -> [&ndarray::Array2<f64>; 3] {
    [&p.w_xh, &p.w_hh, &p.w_hy]
}

fn max_abs(m: &ndarray::Array2<f64>) -> f64 {
    m.iter()
        .filter(|v| v.is_finite())
        .fold(0.0f64, |a, &v| a.max(v.abs()))
}

/// What `training_timeline()` returns: the engine's timeline and the text.
#[derive(Debug, Clone, Serialize)]
struct TimelineView {
    #[serde(flatten)]
    timeline: crate::engine::timeline::Timeline,
    /// The input symbol of each step t = 1..T.
    inputs: Vec<String>,
    /// Where the sequence starts in the text.
    pointer: usize,
}

/// What `training_info()` returns.
#[derive(Debug, Clone, Serialize)]
struct TextInfo {
    /// Characters of the training text.
    text_chars: usize,
    vocab_size: usize,
    hidden: usize,
    /// Steps per sequence (T).
    seq: usize,
    /// Where the next sequence starts.
    pointer: usize,
    truncation: Option<(usize, usize)>,
    parameters: usize,
}

#[wasm_bindgen]
impl Lab {
    /// The built-in paragraph of text mode.
    pub fn training_paragraph() -> String {
        PARAGRAPH.to_string()
    }

    /// A text-mode lab: `{text, hidden, seq, seed, scale, act, opt, lr,
    /// clip, clipc, k1?, k2?}` (missing keys: min-char-rnn's defaults and the
    /// built-in paragraph). Refuses an empty text or one above 100 KB,
    /// H or seq outside 1..=256, and anything the engine refuses.
    pub fn training_text(options: JsValue) -> Result<Lab, JsError> {
        let o: TextOptions = if options.is_undefined() || options.is_null() {
            TextOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options)
                .map_err(|e| js_error(format!("bad text-mode settings: {e}")))?
        };
        check_text_options(&o).map_err(js_error)?;
        let settings = Settings {
            word: o.text.clone(),
            hidden: o.hidden,
            seed: o.seed,
            scale: o.scale,
            bias: true,
            act: o.act.clone(),
            opt: o.opt.clone(),
            lr: o.lr,
            clip: o.clip.clone(),
            clipc: o.clipc,
            seq: o.seq,
        };
        let mut lab = Lab::from_settings(settings).map_err(js_error)?;
        lab.session
            .set_truncation(truncation(o.k1, o.k2))
            .map_err(js_error)?;
        Ok(lab)
    }

    /// Truncated BPTT(k1, k2) for training from now on (no reset); k1
    /// undefined: full BPTT. k2 defaults to k1.
    pub fn training_set_truncation(
        &mut self,
        k1: Option<usize>,
        k2: Option<usize>,
    ) -> Result<(), JsError> {
        self.session
            .set_truncation(truncation(k1, k2))
            .map_err(js_error)
    }

    /// `{text_chars, vocab_size, hidden, seq, pointer, truncation, parameters}`.
    pub fn training_info(&self) -> Result<JsValue, JsError> {
        let s = &self.session;
        to_js(&TextInfo {
            text_chars: s.data().len(),
            vocab_size: s.vocab().len(),
            hidden: s.config().model.hidden,
            seq: s.seq_steps(),
            pointer: s.pointer(),
            truncation: s.config().truncation,
            parameters: s.params().slices().iter().map(|x| x.len()).sum(),
        })
    }

    /// Step t's contribution (1 ≤ t ≤ T) to dW_xh, dW_hh, dW_hy, the sum
    /// accumulated from T down to t, and the engine's gradient (see
    /// `ContributionsView`). Matrices are cropped to their first `max_size`
    /// rows and columns (default: all), for pictures of large models; the
    /// scales and the sum check use the whole matrices.
    pub fn training_contributions(
        &self,
        t: usize,
        max_size: Option<usize>,
    ) -> Result<JsValue, JsError> {
        let trace = self.session.trace();
        let grads = self.session.gradients();
        let steps = trace.len();
        if !(1..=steps).contains(&t) {
            return Err(js_error(format!(
                "step t must be between 1 and {steps}, got {t}"
            )));
        }
        let (vocab, hidden) = (grads.dy.ncols(), grads.da.ncols());
        // One term at a time: memory stays O(H²) whatever T is.
        let mut here = Params::zeros(vocab, hidden);
        let mut so_far = Params::zeros(vocab, hidden);
        let mut total = Params::zeros(vocab, hidden);
        let mut m = [0.0f64; 3];
        for s in 1..=steps {
            let term = step_contribution(&trace, &grads, s).map_err(js_error)?;
            for (k, a) in three(&term).into_iter().enumerate() {
                m[k] = m[k].max(max_abs(a));
            }
            total.add_assign(&term);
            if s >= t {
                so_far.add_assign(&term);
            }
            if s == t {
                here = term;
            }
        }
        let mut err = [0.0f64; 3];
        for (k, (a, b)) in three(&total)
            .into_iter()
            .zip(three(&grads.params))
            .enumerate()
        {
            m[k] = m[k].max(max_abs(b));
            err[k] = max_abs(&(a - b));
        }
        let n = max_size.unwrap_or(usize::MAX).max(1);
        let units: Vec<String> = (1..=hidden.min(n)).map(|i| i.to_string()).collect();
        let symbols: Vec<String> = self
            .session
            .vocab()
            .symbols()
            .iter()
            .take(n)
            .map(|c| c.to_string())
            .collect();
        let crop = |a: &ndarray::Array2<f64>| {
            rows(
                &a.slice(ndarray::s![..a.nrows().min(n), ..a.ncols().min(n)])
                    .to_owned(),
            )
        };
        let r = |p: &Params| three(p).map(crop);
        to_js(&ContributionsView {
            t,
            steps,
            names: ["W_xh", "W_hh", "W_hy"],
            shape: three(&grads.params).map(|a| [a.nrows(), a.ncols()]),
            row_labels: [units.clone(), units.clone(), symbols.clone()],
            col_labels: [symbols, units.clone(), units],
            step: r(&here),
            so_far: r(&so_far),
            gradient: r(&grads.params),
            sum_error: err,
            max_abs: m.map(|v| if v > 0.0 { v } else { 1.0 }),
        })
    }

    /// The truncated-BPTT timeline of the sequence trained next, for
    /// (k1, k2) (k1 undefined: full BPTT): chunks, ‖h_t‖ carried forward,
    /// ‖dh_t‖ inside the chunks, the discarded ‖dL_chunk/dh_start‖, and the
    /// full-BPTT values beside them; `inputs` are the symbols of the steps.
    pub fn training_timeline(
        &self,
        k1: Option<usize>,
        k2: Option<usize>,
    ) -> Result<JsValue, JsError> {
        let s = &self.session;
        let tl = timeline(s, truncation(k1, k2)).map_err(js_error)?;
        let inputs = s
            .sequence()
            .0
            .iter()
            .map(|&i| s.vocab().symbol(i).map(String::from).unwrap_or_default())
            .collect();
        to_js(&TimelineView {
            timeline: tl,
            inputs,
            pointer: s.pointer(),
        })
    }

    /// The index of the first symbol of the sequence trained next: where a
    /// sample starts by default.
    pub fn training_start_symbol(&self) -> usize {
        self.session.sequence().0.first().copied().unwrap_or(0)
    }
}
