//! `Lab`, the one handle JS holds: an engine [`Session`] plus the settings
//! the page made it from.
//!
//! Every method returns small plain data (serde-wasm-bindgen objects with
//! snake_case fields) or a `JsError` carrying the engine's message. Chapters
//! add their own `#[wasm_bindgen] impl Lab` blocks in their own files (see
//! the module docs of `web`); `session` and `settings` are `pub(crate)` for
//! them. What the settings mean and how they are checked: [`super::settings`].

use super::settings::{Settings, SettingsPatch, clip, optimizer, seed_from, session_config};
use super::snapshot;
use super::{js_error, to_js};
use crate::engine::Session;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The handle over one training session.
#[wasm_bindgen]
pub struct Lab {
    pub(crate) session: Session,
    pub(crate) settings: Settings,
}

/// Rust-side helpers (not exported), for the chapter blocks too.
impl Lab {
    /// A lab from typed settings.
    pub fn from_settings(settings: Settings) -> crate::engine::Result<Lab> {
        let session = Session::new(session_config(&settings)?)?;
        Ok(Lab { session, settings })
    }

    /// The engine session.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The settings the session was made from.
    pub fn settings_ref(&self) -> &Settings {
        &self.settings
    }

    /// T of the sequence the views show.
    pub fn step_count(&self) -> usize {
        self.session.seq_steps()
    }
}

/// What `status()` reports.
#[derive(Serialize)]
struct Status {
    iteration: u64,
    /// L of the sequence shown, with the current weights.
    loss: f64,
    /// L of the last training iteration (None before any).
    last_loss: Option<f64>,
    smooth_loss: f64,
    diverged: bool,
    steps: usize,
    vocab_size: usize,
    hidden: usize,
    history_len: usize,
}

/// What `history(from, to)` returns: entries `start..start+len` of the rings
/// (0 = oldest held), one per iteration.
#[derive(Serialize)]
struct HistorySlice {
    start: usize,
    /// How many iterations the rings hold in all.
    total: usize,
    iteration: Vec<u64>,
    loss: Vec<f64>,
    smooth_loss: Vec<f64>,
    grad_norms: Vec<[f64; 5]>,
    grad_norm_total: Vec<f64>,
    dh_norms: Vec<Vec<f64>>,
    clip_fired: Vec<bool>,
}

/// What `loss_history(max_points)` returns (the loss chart's data).
#[derive(Serialize, Default)]
struct LossCurve {
    iteration: Vec<u64>,
    loss: Vec<f64>,
    smooth_loss: Vec<f64>,
    clip_fired: Vec<bool>,
}

#[wasm_bindgen]
impl Lab {
    /// `new Lab({word, hidden, seed, scale, bias, act, opt, lr, clip, clipc, seq})`;
    /// missing keys take the defaults ("hello", H = 3, …).
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<Lab, JsError> {
        let settings: Settings = if config.is_undefined() || config.is_null() {
            Settings::default()
        } else {
            serde_wasm_bindgen::from_value(config)
                .map_err(|e| js_error(format!("bad settings: {e}")))?
        };
        Lab::from_settings(settings).map_err(js_error)
    }

    /// The current settings object.
    pub fn settings(&self) -> Result<JsValue, JsError> {
        to_js(&self.settings)
    }

    /// Changes settings. Model settings (word, hidden, seed, scale, bias,
    /// act, seq) rebuild the session with fresh weights; optimiser, learning
    /// rate and clipping change in place, keeping the weights and the
    /// iteration count. If the engine refuses, nothing changes.
    /// Returns `{rebuilt}`.
    pub fn configure(&mut self, patch: JsValue) -> Result<JsValue, JsError> {
        let patch: SettingsPatch = serde_wasm_bindgen::from_value(patch)
            .map_err(|e| js_error(format!("bad settings: {e}")))?;
        let rebuild = patch.changes_model(&self.settings);
        let next = patch.apply(&self.settings);
        if rebuild {
            *self = Lab::from_settings(next).map_err(js_error)?;
        } else {
            // Validate all before changing anything, so a refusal leaves the lab as it was.
            let (opt, clip) = (
                optimizer(&next).map_err(js_error)?,
                clip(&next).map_err(js_error)?,
            );
            if opt.kind != self.session.config().optimizer.kind {
                self.session.set_optimizer(opt).map_err(js_error)?;
            } else if opt.learning_rate != self.session.config().optimizer.learning_rate {
                self.session
                    .set_learning_rate(opt.learning_rate)
                    .map_err(js_error)?;
            }
            self.session.set_clip(clip).map_err(js_error)?;
            self.settings = next;
        }
        to_js(&serde_json::json!({ "rebuilt": rebuild }))
    }

    /// Fresh weights from `seed` (a whole number ≥ 0): iteration 0, optimiser
    /// memory and histories cleared.
    pub fn reset(&mut self, seed: f64) -> Result<(), JsError> {
        let seed = seed_from(seed)?;
        self.session.reset(seed);
        self.settings.seed = seed;
        Ok(())
    }

    /// T, the number of time steps of the sequence shown.
    pub fn steps(&self) -> usize {
        self.step_count()
    }

    /// The vocabulary, one string per symbol, in one-hot order.
    pub fn vocab(&self) -> Result<JsValue, JsError> {
        let v: Vec<String> = self
            .session
            .vocab()
            .symbols()
            .iter()
            .map(|c| c.to_string())
            .collect();
        to_js(&v)
    }

    /// `{iteration, loss, last_loss, smooth_loss, diverged, steps, vocab_size, hidden, history_len}`.
    pub fn status(&self) -> Result<JsValue, JsError> {
        let trace = self.session.trace();
        to_js(&Status {
            iteration: self.session.iteration(),
            loss: trace.loss,
            last_loss: self.session.last_loss(),
            smooth_loss: self.session.smooth_loss(),
            diverged: self.session.diverged(),
            steps: trace.len(),
            vocab_size: self.session.vocab().len(),
            hidden: self.session.config().model.hidden,
            history_len: self.session.history().len(),
        })
    }

    /// Every forward number at step t (1 ≤ t ≤ T): see `snapshot::ForwardSnapshot`.
    pub fn forward_snapshot(&self, t: usize) -> Result<JsValue, JsError> {
        let trace = self.session.trace();
        let snap =
            snapshot::forward_snapshot(self.session.params(), &trace, self.session.vocab(), t)
                .map_err(js_error)?;
        to_js(&snap)
    }

    /// Every backward number at step t (1 ≤ t ≤ T): see `snapshot::BackwardSnapshot`.
    pub fn backward_snapshot(&self, t: usize) -> Result<JsValue, JsError> {
        let trace = self.session.trace();
        let grads = self.session.gradients();
        let snap = snapshot::backward_snapshot(self.session.params(), &trace, &grads, t)
            .map_err(js_error)?;
        to_js(&snap)
    }

    /// The whole forward trace of the sequence shown: see `snapshot::TraceView`.
    pub fn trace(&self) -> Result<JsValue, JsError> {
        to_js(&snapshot::trace_view(
            &self.session.trace(),
            self.session.vocab(),
        ))
    }

    /// Full-BPTT gradients of the sequence shown: see `snapshot::GradientsView`.
    pub fn gradients(&self) -> Result<JsValue, JsError> {
        let grads = self.session.gradients();
        to_js(&snapshot::gradients_view(&grads, self.session.trace().loss))
    }

    /// Trains `n` iterations: `{iterations_run, iteration, loss, smooth_loss,
    /// clip: {fired, norm_before, norm_after}, clip_fired_count, grad_norm}`.
    /// On NaN/Inf: an error saying so; the last good weights are kept.
    pub fn train(&mut self, n: usize) -> Result<JsValue, JsError> {
        let report = self.session.train(n).map_err(js_error)?;
        to_js(&report)
    }

    /// History entries `from..to` (0 = oldest held; `to` exclusive, both
    /// clamped; omitted: everything held).
    pub fn history(&self, from: Option<usize>, to: Option<usize>) -> Result<JsValue, JsError> {
        let h = self.session.history();
        let total = h.len();
        let to = to.unwrap_or(total).min(total);
        let from = from.unwrap_or(0).min(to);
        fn take<T: Clone>(r: &crate::engine::Ring<T>, from: usize, to: usize) -> Vec<T> {
            r.iter().skip(from).take(to - from).cloned().collect()
        }
        to_js(&HistorySlice {
            start: from,
            total,
            iteration: take(&h.iteration, from, to),
            loss: take(&h.loss, from, to),
            smooth_loss: take(&h.smooth_loss, from, to),
            grad_norms: take(&h.grad_norms, from, to),
            grad_norm_total: take(&h.grad_norm_total, from, to),
            dh_norms: take(&h.dh_norms, from, to),
            clip_fired: take(&h.clip_fired, from, to),
        })
    }

    /// The loss curve for a chart, at most `max_points` points (≥ 2):
    /// `{iteration, loss, smooth_loss, clip_fired}`. When the history holds
    /// more, consecutive iterations are pooled into buckets: the bucket's last
    /// iteration and smooth loss, its mean loss, and whether clipping fired in
    /// any of its iterations.
    pub fn loss_history(&self, max_points: usize) -> Result<JsValue, JsError> {
        let h = self.session.history();
        let n = h.len();
        let bucket = n.div_ceil(max_points.max(2)).max(1);
        let iteration: Vec<u64> = h.iteration.iter().copied().collect();
        let loss: Vec<f64> = h.loss.iter().copied().collect();
        let smooth: Vec<f64> = h.smooth_loss.iter().copied().collect();
        let fired: Vec<bool> = h.clip_fired.iter().copied().collect();
        let mut out = LossCurve::default();
        for start in (0..n).step_by(bucket) {
            let end = (start + bucket).min(n);
            out.iteration.push(iteration[end - 1]);
            out.loss
                .push(loss[start..end].iter().sum::<f64>() / (end - start) as f64);
            out.smooth_loss.push(smooth[end - 1]);
            out.clip_fired.push(fired[start..end].iter().any(|&f| f));
        }
        to_js(&out)
    }

    /// `n` symbols sampled after symbol index `start` at temperature τ, seeded:
    /// `{indices, text, probs}`.
    pub fn sample(
        &self,
        start: usize,
        n: usize,
        temperature: f64,
        seed: f64,
    ) -> Result<JsValue, JsError> {
        let s = self
            .session
            .sample(start, n, temperature, seed_from(seed)?)
            .map_err(js_error)?;
        to_js(&s)
    }

    /// Finite differences against BPTT: `{entries: [{name, max_relative_error,
    /// checked}], max_relative_error, passed}`.
    pub fn grad_check(&self) -> Result<JsValue, JsError> {
        to_js(&self.session.grad_check())
    }
}
