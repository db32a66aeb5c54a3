//! `Lab`, the handle over one vanilla RNN ([`RnnModel`]): word mode, text
//! mode or the vanishing chapter's task. Every method is a line or three:
//! read the argument, call the engine, hand back its plain data
//! ([`to_js`]) or its error (`?` turns an [`EngineError`] into a `JsError`
//! carrying the engine's message). Chapters add `#[wasm_bindgen] impl Lab`
//! blocks in their own files; nothing here computes math.

use super::{count, from_js, to_js};
use crate::engine::rnn::RnnModel;
use crate::engine::settings::{RnnSettings, RnnSettingsPatch, seed_from};
use crate::engine::views::{steps, symbols, training};
use crate::engine::{EngineError, LIMITS, Session};
use wasm_bindgen::prelude::*;

/// Most training iterations one call may run (the page trains in slices).
pub const MAX_ITERATIONS_PER_CALL: usize = LIMITS.iterations_per_call;
/// Most symbols one call to `sample` may draw.
pub const MAX_SAMPLE_LENGTH: usize = LIMITS.sample_length;

/// The handle over one vanilla RNN. In the module of the Vanishing gradients chapter
/// (built without `lab`: scripts/build) the same handle is the class `VanishingLab`, so
/// that it never stands for core's `Lab` among the page's exports (shell/engine-modules.js).
#[cfg_attr(feature = "lab", wasm_bindgen)]
#[cfg_attr(not(feature = "lab"), wasm_bindgen(js_name = VanishingLab))]
pub struct Lab {
    pub(crate) model: RnnModel,
}

impl Lab {
    pub(crate) fn session(&self) -> &Session {
        self.model.session()
    }
}

#[cfg_attr(feature = "lab", wasm_bindgen)]
#[cfg_attr(not(feature = "lab"), wasm_bindgen(js_class = VanishingLab))]
impl Lab {
    /// `new Lab({word, hidden, seed, scale, bias, act, opt, lr, clip, clipc, seq, k1, k2})`;
    /// missing keys take the defaults ("hello", H = 3, …).
    #[wasm_bindgen(constructor)]
    pub fn new(settings: JsValue) -> Result<Lab, JsError> {
        let settings: Option<RnnSettings> = from_js("settings", settings)?;
        Ok(Lab {
            model: RnnModel::new(settings.unwrap_or_default())?,
        })
    }

    /// The settings the model was made from (kept in step with every change).
    pub fn settings(&self) -> Result<JsValue, JsError> {
        to_js(self.model.setup())
    }

    /// Changes settings (see `RnnModel::configure`); returns `{rebuilt}`.
    pub fn configure(&mut self, patch: JsValue) -> Result<JsValue, JsError> {
        let patch: Option<RnnSettingsPatch> = from_js("settings", patch)?;
        let rebuilt = self.model.configure(&patch.unwrap_or_default())?;
        /// What `configure` answers (a struct, not serde_json's `json!`: no JSON code here).
        #[derive(serde::Serialize)]
        struct Configured {
            rebuilt: bool,
        }
        to_js(&Configured { rebuilt })
    }

    /// Fresh weights from `seed` (a whole number ≥ 0): iteration 0.
    pub fn reset(&mut self, seed: f64) -> Result<(), JsError> {
        Ok(self.model.reset(seed_from(seed)?)?)
    }

    /// `{iteration, loss, last_loss, smooth_loss, diverged, steps, vocab_size, hidden, history_len}`.
    pub fn status(&self) -> Result<JsValue, JsError> {
        to_js(&training::status(self.session()))
    }

    /// Trains `n` iterations (0 ≤ n ≤ [`Lab::max_iterations_per_call`]): the
    /// engine's `TrainReport`. On NaN/Inf: an error saying so; the last good
    /// weights are kept.
    pub fn train(&mut self, n: f64) -> Result<JsValue, JsError> {
        let n = count("the number of iterations", n, MAX_ITERATIONS_PER_CALL)?;
        to_js(&self.model.session_mut().train(n)?)
    }

    /// The most iterations one `train` call takes at this model's size: 10 000
    /// for "hello", fewer for big models (the engine's work budget per call,
    /// `limits().train_work`), so that no call blocks for long.
    pub fn max_iterations_per_call(&self) -> usize {
        self.session().max_iterations_per_call()
    }

    /// The training state (weights, optimiser memory, counters, the history
    /// after iteration `since`) as one Float64Array: what a worker that trains
    /// this model sends the page's copy.
    pub fn export_state(&self, since: f64) -> Result<Vec<f64>, JsError> {
        Ok(self
            .session()
            .export_state(count("since", since, usize::MAX)? as u64))
    }

    /// Brings this copy to an exported state, bit for bit; a damaged state changes nothing.
    pub fn import_state(&mut self, state: &[f64]) -> Result<(), JsError> {
        Ok(self.model.session_mut().import_state(state)?)
    }

    /// Test-only: panics inside a method call, as a bug would, so that the page's
    /// recovery (rebuild the model from its settings, say so) can be tested end to end.
    pub fn debug_panic(&mut self) {
        panic!("a panic forced by debug_panic (test only)");
    }
}

/// What only the chapters of core read: the step-through views, sampling, the history,
/// text mode (the Vanishing gradients module's `VanishingLab` has none of them).
#[cfg(feature = "lab")]
#[wasm_bindgen]
impl Lab {
    /// A text-mode model: `{text, hidden, seq, …}` over text mode's defaults
    /// (min-char-rnn's, and the built-in paragraph).
    pub fn text(settings: JsValue) -> Result<Lab, JsError> {
        let patch: Option<RnnSettingsPatch> = from_js("text-mode settings", settings)?;
        Ok(Lab {
            model: RnnModel::text(&patch.unwrap_or_default())?,
        })
    }

    /// T, the number of time steps of the sequence shown.
    pub fn steps(&self) -> usize {
        self.session().seq_steps()
    }

    /// The vocabulary, one string per symbol, in one-hot order.
    pub fn vocab(&self) -> Result<JsValue, JsError> {
        to_js(&symbols(self.session().vocab()))
    }

    /// Every forward number at step t (1 ≤ t ≤ T).
    pub fn forward_snapshot(&self, t: f64) -> Result<JsValue, JsError> {
        let s = self.session();
        to_js(&steps::forward_snapshot(
            s.params(),
            &s.trace(),
            s.vocab(),
            count("t", t, usize::MAX)?,
        )?)
    }

    /// Every backward number at step t (1 ≤ t ≤ T).
    pub fn backward_snapshot(&self, t: f64) -> Result<JsValue, JsError> {
        let s = self.session();
        to_js(&steps::backward_snapshot(
            s.params(),
            &s.trace(),
            &s.gradients(),
            count("t", t, usize::MAX)?,
        )?)
    }

    /// The whole forward trace of the sequence shown.
    pub fn trace(&self) -> Result<JsValue, JsError> {
        to_js(&steps::trace_view(
            &self.session().trace(),
            self.session().vocab(),
        ))
    }

    /// Full-BPTT gradients of the sequence shown.
    pub fn gradients(&self) -> Result<JsValue, JsError> {
        to_js(&steps::gradients_view(
            &self.session().gradients(),
            self.session().trace().loss,
        ))
    }

    /// History entries `from..to` (0 = oldest held; `to` exclusive, both clamped).
    pub fn history(&self, from: Option<f64>, to: Option<f64>) -> Result<JsValue, JsError> {
        let (from, to) = (opt_index(from)?, opt_index(to)?);
        to_js(&self.session().history().slice(from, to))
    }

    /// The loss curve for a chart, at most `max_points` points (pooled).
    pub fn loss_history(&self, max_points: f64) -> Result<JsValue, JsError> {
        let n = count("the number of points", max_points, usize::MAX)?;
        to_js(&self.session().history().loss_curve(n))
    }

    /// `n` symbols sampled after symbol index `start` at temperature τ, seeded.
    pub fn sample(
        &self,
        start: f64,
        n: f64,
        temperature: f64,
        seed: f64,
    ) -> Result<JsValue, JsError> {
        let (start, n) = (
            count("the start symbol", start, usize::MAX)?,
            count("the sample length", n, MAX_SAMPLE_LENGTH)?,
        );
        to_js(
            &self
                .session()
                .sample(start, n, temperature, seed_from(seed)?)?,
        )
    }

    /// Finite differences against BPTT: `{entries, max_relative_error, passed}`.
    pub fn grad_check(&self) -> Result<JsValue, JsError> {
        to_js(&self.session().grad_check())
    }
}

/// An optional index from JS (undefined: none).
#[cfg(feature = "lab")]
fn opt_index(v: Option<f64>) -> Result<Option<usize>, EngineError> {
    v.map(|v| count("an index", v, usize::MAX)).transpose()
}
