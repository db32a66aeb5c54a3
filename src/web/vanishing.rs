//! The vanishing/exploding-gradient chapter's methods on [`Lab`].
//!
//! The chapter keeps its own `Lab` (so the other chapters' model is not
//! touched): `vanishing_setup` replaces that lab's session by one training
//! on the long-range task (or on a text), with W_hh drawn and rescaled to
//! the chosen λ1; training is the lab's ordinary `train(n)`, so the
//! session's histories feed the training charts. `vanishing_draw` computes
//! the analysis once and draws every requested chart from it.

use super::charts::area;
use super::charts::vanishing::{
    PastOptions, draw_chain, draw_heatmap, draw_param_norms, draw_past, draw_spectrum,
};
use super::lab::Lab;
use super::settings::activation;
use super::{js_error, to_js};
use crate::engine::tasks::{LongRangeTask, TextTask};
use crate::engine::vanishing::training::TrainingView;
use crate::engine::vanishing::{
    Analysis, LAMBDA1_MAX, LAMBDA1_MIN, PRESETS, RecurrentInit, analyse, prepare_recurrent_weights,
};
use crate::engine::{
    Clip, EngineError, LossMode, ModelConfig, OptimizerConfig, OptimizerKind, Session,
    SessionConfig,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Largest hidden size and sequence length of this chapter.
pub const MAX_HIDDEN: usize = 64;
pub const MAX_LENGTH: usize = 200;
/// Sequences of the long-range task (8 filler patterns × the 2 keys).
pub const TASK_COUNT: usize = 16;

/// The chapter's settings, as the page passes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VanishingSettings {
    /// "task": the long-range task; "text": next-character on `text`.
    pub source: String,
    /// The text used when `source` is "text".
    pub text: String,
    /// "last" (loss at the last step only) or "per" (every step); text only.
    pub loss: String,
    /// Distance d between the key and the query (task).
    pub distance: usize,
    /// Sequence length T.
    pub length: usize,
    pub hidden: usize,
    /// tanh | sigmoid | relu | identity.
    pub act: String,
    /// gaussian | orthogonal.
    pub init: String,
    /// λ1 = σ_max(W_hh) of the initial weights.
    pub lambda1: f64,
    pub seed: u64,
    /// SGD learning rate.
    pub lr: f64,
    /// Clip by global norm at `clipc`.
    pub clip: bool,
    pub clipc: f64,
}

impl Default for VanishingSettings {
    /// The "vanishing" preset.
    fn default() -> Self {
        let p = &PRESETS[0];
        Self {
            source: "task".into(),
            text: "hello".into(),
            loss: "last".into(),
            distance: p.distance,
            length: p.length,
            hidden: p.hidden,
            act: p.activation.name().into(),
            init: p.init.name().into(),
            lambda1: p.lambda1,
            seed: 0,
            lr: 0.05,
            clip: false,
            clipc: 1.0,
        }
    }
}

fn invalid(message: String) -> EngineError {
    EngineError::Invalid(message)
}

/// The session the settings describe, with W_hh prepared.
pub fn vanishing_session(s: &VanishingSettings) -> crate::engine::Result<Session> {
    if !(1..=MAX_HIDDEN).contains(&s.hidden) {
        return Err(EngineError::HiddenSize {
            got: s.hidden,
            max: MAX_HIDDEN,
        });
    }
    if !(LAMBDA1_MIN..=LAMBDA1_MAX).contains(&s.lambda1) {
        return Err(invalid(format!(
            "λ1 must be between {LAMBDA1_MIN} and {LAMBDA1_MAX}, got {}",
            s.lambda1
        )));
    }
    let init = RecurrentInit::parse(&s.init).ok_or_else(|| {
        invalid(format!(
            "W_hh must be gaussian or orthogonal, got {:?}",
            s.init
        ))
    })?;
    let model = ModelConfig {
        hidden: s.hidden,
        weight_scale: 0.5,
        bias: false,
        bias_scale: 0.0,
        activation: activation(&s.act)?,
        seed: s.seed,
    };
    let clip = if s.clip {
        Clip::Norm(s.clipc)
    } else {
        Clip::Off
    };
    let base = SessionConfig {
        model,
        optimizer: OptimizerConfig::new(OptimizerKind::Sgd, s.lr),
        clip,
        ..SessionConfig::default()
    };
    let mut session = match s.source.as_str() {
        "task" => {
            let task = LongRangeTask::new(s.distance, s.length, TASK_COUNT, s.seed)?;
            let config = SessionConfig {
                text: task.text(),
                seq_len: Some(s.length),
                loss_mode: LossMode::LastStep,
                ..base
            };
            let mut session = Session::with_vocab(config, task.vocab)?;
            // Independent sequences: each starts from h_0 = 0.
            session.set_carry_state(false);
            session
        }
        "text" => {
            let loss_mode = match s.loss.as_str() {
                "last" => LossMode::LastStep,
                "per" => LossMode::PerStep,
                other => {
                    return Err(invalid(format!(
                        "the loss must be last or per, got {other:?}"
                    )));
                }
            };
            if s.length > MAX_LENGTH {
                return Err(invalid(format!(
                    "the sequence length must be at most {MAX_LENGTH}, got {}",
                    s.length
                )));
            }
            // Checks the text and cuts it exactly as the session will.
            TextTask::new(&s.text, s.length, loss_mode)?;
            Session::new(SessionConfig {
                text: s.text.clone(),
                seq_len: Some(s.length),
                loss_mode,
                ..base
            })?
        }
        other => {
            return Err(invalid(format!(
                "the source must be task or text, got {other:?}"
            )));
        }
    };
    let mut params = session.params().clone();
    prepare_recurrent_weights(&mut params, init, s.lambda1, s.seed)?;
    session.set_params(params)?;
    Ok(session)
}

/// What `vanishing_setup` returns.
#[derive(Serialize)]
struct SetupReport {
    steps: usize,
    vocab: Vec<String>,
    /// Where the key sits (1-based), for the task.
    key_step: Option<usize>,
}

/// What `vanishing_draw` returns: the numbers it drew.
#[derive(Serialize)]
struct DrawReport<'a> {
    analysis: Option<&'a Analysis>,
    training: Option<TrainingSummary>,
    diverged: bool,
    iteration: u64,
}

/// The training view's headline numbers (the arrays stay in Rust).
#[derive(Serialize)]
struct TrainingSummary {
    held: usize,
    columns: usize,
    clip_fired_total: usize,
    /// Mean loss over the newest ≤ 100 iterations.
    recent_loss: Option<f64>,
    /// log10 of the largest global gradient norm shown.
    peak_grad_log10: Option<f64>,
}

/// What `vanishing_sequence` returns: the sequence the charts analyse.
#[derive(Serialize)]
struct SequenceView {
    input_chars: Vec<String>,
    /// The target of the last step (the key, in the task).
    answer: Option<String>,
    /// arg max p_T.
    predicted: Option<String>,
    /// p_T of every symbol, in vocabulary order.
    p_last: Vec<f64>,
    vocab: Vec<String>,
}

/// The canvases `vanishing_draw` may draw on; any may be absent.
struct Canvases {
    past: Option<HtmlCanvasElement>,
    chain: Option<HtmlCanvasElement>,
    spectrum: Option<HtmlCanvasElement>,
    norms: Option<HtmlCanvasElement>,
    heat: Option<HtmlCanvasElement>,
}

fn canvas_field(obj: &JsValue, name: &str) -> Result<Option<HtmlCanvasElement>, JsError> {
    let v = js_sys::Reflect::get(obj, &JsValue::from_str(name))
        .map_err(|_| js_error(format!("charts: cannot read {name}")))?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.dyn_into::<HtmlCanvasElement>()
        .map(Some)
        .map_err(|_| js_error(format!("charts: {name} is not a canvas")))
}

impl Lab {
    /// The chapter's training view of this lab's history.
    pub fn vanishing_training_view(&self, columns: usize) -> TrainingView {
        TrainingView::from_history(self.session.history(), columns.clamp(1, 400))
    }
}

#[wasm_bindgen]
impl Lab {
    /// Rebuilds this lab's session for the chapter from `{source, text, loss,
    /// distance, length, hidden, act, init, lambda1, seed, lr, clip, clipc}`
    /// (missing keys: the "vanishing" preset). Fresh weights, W_hh rescaled to
    /// λ1, iteration 0. If the engine refuses, the lab is unchanged.
    /// Returns `{steps, vocab, key_step}`.
    pub fn vanishing_setup(&mut self, settings: JsValue) -> Result<JsValue, JsError> {
        let s: VanishingSettings = if settings.is_undefined() || settings.is_null() {
            VanishingSettings::default()
        } else {
            serde_wasm_bindgen::from_value(settings)
                .map_err(|e| js_error(format!("bad settings: {e}")))?
        };
        let session = vanishing_session(&s).map_err(js_error)?;
        self.session = session;
        to_js(&SetupReport {
            steps: self.session.seq_steps(),
            vocab: self
                .session
                .vocab()
                .symbols()
                .iter()
                .map(|c| c.to_string())
                .collect(),
            key_step: (s.source == "task").then(|| s.length - s.distance),
        })
    }

    /// Everything the chapter computes for the next sequence with the current
    /// weights: see `engine::vanishing::Analysis` (snake_case fields).
    pub fn vanishing_analysis(&self) -> Result<JsValue, JsError> {
        to_js(&analyse(self.session.params(), &self.session.trace()))
    }

    /// The sequence the analysis uses (the one the next iteration trains on):
    /// `{input_chars, answer, predicted, p_last, vocab}`.
    pub fn vanishing_sequence(&self) -> Result<JsValue, JsError> {
        let trace = self.session.trace();
        let vocab = self.session.vocab();
        let sym = |i: usize| vocab.symbol(i).map(|c| c.to_string()).unwrap_or_default();
        let last = trace.len() - 1;
        let p_last = trace.p.row(last).to_vec();
        let predicted = p_last
            .iter()
            .all(|v| v.is_finite())
            .then(|| sym(crate::engine::forward::argmax(trace.p.row(last))));
        to_js(&SequenceView {
            input_chars: trace
                .inputs
                .iter()
                .map(|i| i.map(sym).unwrap_or_default())
                .collect(),
            answer: trace.targets[last].map(sym),
            predicted,
            p_last,
            vocab: vocab.symbols().iter().map(|c| c.to_string()).collect(),
        })
    }

    /// The training charts' data: at most `columns` iterations of the history
    /// (see `engine::vanishing::training::TrainingView`).
    pub fn vanishing_training(&self, columns: usize) -> Result<JsValue, JsError> {
        to_js(&self.vanishing_training_view(columns))
    }

    /// Draws the chapter's charts on the canvases given in `{past, chain,
    /// spectrum, norms, heat}` (absent ones are skipped), sized in device
    /// pixels by the page. `key_distance`: d, to mark the key (0: none);
    /// `columns`: iterations in the heatmap. The analysis is computed once.
    /// Returns `{analysis, training, diverged, iteration}` of what was drawn.
    pub fn vanishing_draw(
        &self,
        canvases: JsValue,
        key_distance: usize,
        columns: usize,
    ) -> Result<JsValue, JsError> {
        let c = Canvases {
            past: canvas_field(&canvases, "past")?,
            chain: canvas_field(&canvases, "chain")?,
            spectrum: canvas_field(&canvases, "spectrum")?,
            norms: canvas_field(&canvases, "norms")?,
            heat: canvas_field(&canvases, "heat")?,
        };
        let opts = PastOptions {
            key_distance: (key_distance > 0).then_some(key_distance),
        };
        let analysis = (c.past.is_some() || c.chain.is_some() || c.spectrum.is_some())
            .then(|| analyse(self.session.params(), &self.session.trace()));
        if let Some(a) = &analysis {
            if let Some(canvas) = &c.past {
                draw_past(&area(canvas)?, a, opts)?;
            }
            if let Some(canvas) = &c.chain {
                draw_chain(&area(canvas)?, a, opts)?;
            }
            if let Some(canvas) = &c.spectrum {
                draw_spectrum(&area(canvas)?, a)?;
            }
        }
        let training = if c.norms.is_some() || c.heat.is_some() {
            let view = self.vanishing_training_view(columns);
            if let Some(canvas) = &c.norms {
                draw_param_norms(&area(canvas)?, &view)?;
            }
            if let Some(canvas) = &c.heat {
                draw_heatmap(&area(canvas)?, canvas, &view)?;
            }
            let recent = self.session.history().loss.tail(100);
            Some(TrainingSummary {
                held: view.held,
                columns: view.columns(),
                clip_fired_total: view.clip_fired_total,
                recent_loss: (!recent.is_empty())
                    .then(|| recent.iter().sum::<f64>() / recent.len() as f64),
                peak_grad_log10: view
                    .grad_norm_total_log10
                    .iter()
                    .copied()
                    .filter(|v| v.is_finite())
                    .reduce(f64::max),
            })
        } else {
            None
        };
        to_js(&DrawReport {
            analysis: analysis.as_ref(),
            training,
            diverged: self.session.diverged(),
            iteration: self.session.iteration(),
        })
    }

    /// The five presets: `[{name, activation, lambda1, init, clip_norm,
    /// distance, length, hidden, iterations, lesson}]`.
    pub fn vanishing_presets() -> Result<JsValue, JsError> {
        to_js(&PRESETS)
    }
}
