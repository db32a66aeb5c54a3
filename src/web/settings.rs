//! The page's settings (the URL table of `www/state.js`, typed) and how they
//! become an engine [`SessionConfig`]: parsing, partial updates, validation.
//! Every message in an error is the engine's own.

use super::js_error;
use crate::engine::{
    Activation, Clip, EngineError, ModelConfig, OptimizerConfig, OptimizerKind, SessionConfig,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// The page's settings, as the URL and the controls name them.
///
/// Unknown keys are ignored, so the page may pass its whole state object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The training text ("hello"): in word mode inputs text[..n−1], targets text[1..].
    pub word: String,
    /// H, hidden units.
    pub hidden: usize,
    /// Seed of the weight init.
    pub seed: u64,
    /// Weights start as N(0, 1)·scale.
    pub scale: f64,
    /// Whether b_h and b_y exist (they start at 0).
    pub bias: bool,
    /// tanh | sigmoid | relu | identity.
    pub act: String,
    /// sgd | momentum | adagrad | adam.
    pub opt: String,
    /// Learning rate.
    pub lr: f64,
    /// off | value | norm.
    pub clip: String,
    /// The clipping threshold c.
    pub clipc: f64,
    /// 0: word mode (the whole text is one sequence); s > 0: text mode with
    /// sequences of s steps, min-char-rnn style.
    pub seq: usize,
}

impl Default for Settings {
    /// The lecture's example: "hello", H = 3, the engine's defaults.
    fn default() -> Self {
        let s = SessionConfig::default();
        Self {
            word: s.text,
            hidden: s.model.hidden,
            seed: s.model.seed,
            scale: s.model.weight_scale,
            bias: s.model.bias,
            act: s.model.activation.name().into(),
            opt: s.optimizer.kind.name().into(),
            lr: s.optimizer.learning_rate,
            clip: "value".into(),
            clipc: 5.0,
            seq: 0,
        }
    }
}

/// A partial [`Settings`]: only the keys present change.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SettingsPatch {
    word: Option<String>,
    hidden: Option<usize>,
    seed: Option<u64>,
    scale: Option<f64>,
    bias: Option<bool>,
    act: Option<String>,
    opt: Option<String>,
    lr: Option<f64>,
    clip: Option<String>,
    clipc: Option<f64>,
    seq: Option<usize>,
}

impl SettingsPatch {
    /// Whether the patch changes what the model is (so it must be rebuilt).
    pub(crate) fn changes_model(&self, s: &Settings) -> bool {
        fn differs<T: PartialEq>(new: &Option<T>, old: &T) -> bool {
            new.as_ref().is_some_and(|n| n != old)
        }
        differs(&self.word, &s.word)
            || differs(&self.hidden, &s.hidden)
            || differs(&self.seed, &s.seed)
            || differs(&self.scale, &s.scale)
            || differs(&self.bias, &s.bias)
            || differs(&self.act, &s.act)
            || differs(&self.seq, &s.seq)
    }

    pub(crate) fn apply(self, s: &Settings) -> Settings {
        Settings {
            word: self.word.unwrap_or_else(|| s.word.clone()),
            hidden: self.hidden.unwrap_or(s.hidden),
            seed: self.seed.unwrap_or(s.seed),
            scale: self.scale.unwrap_or(s.scale),
            bias: self.bias.unwrap_or(s.bias),
            act: self.act.unwrap_or_else(|| s.act.clone()),
            opt: self.opt.unwrap_or_else(|| s.opt.clone()),
            lr: self.lr.unwrap_or(s.lr),
            clip: self.clip.unwrap_or_else(|| s.clip.clone()),
            clipc: self.clipc.unwrap_or(s.clipc),
            seq: self.seq.unwrap_or(s.seq),
        }
    }
}

pub(crate) fn activation(name: &str) -> crate::engine::Result<Activation> {
    Activation::parse(name).ok_or_else(|| {
        EngineError::Invalid(format!(
            "the activation must be tanh, sigmoid, relu or identity, got {name:?}"
        ))
    })
}

pub(crate) fn optimizer(s: &Settings) -> crate::engine::Result<OptimizerConfig> {
    let kind = OptimizerKind::parse(&s.opt).ok_or_else(|| {
        EngineError::Invalid(format!(
            "the optimiser must be sgd, momentum, adagrad or adam, got {:?}",
            s.opt
        ))
    })?;
    let cfg = OptimizerConfig::new(kind, s.lr);
    cfg.validate()?;
    Ok(cfg)
}

pub(crate) fn clip(s: &Settings) -> crate::engine::Result<Clip> {
    let c = match s.clip.as_str() {
        "off" => Clip::Off,
        "value" => Clip::Value(s.clipc),
        "norm" => Clip::Norm(s.clipc),
        other => {
            return Err(EngineError::Invalid(format!(
                "clipping must be off, value or norm, got {other:?}"
            )));
        }
    };
    c.validate()?;
    Ok(c)
}

/// The engine session a [`Settings`] describes (validated by the engine).
pub fn session_config(s: &Settings) -> crate::engine::Result<SessionConfig> {
    Ok(SessionConfig {
        model: ModelConfig {
            hidden: s.hidden,
            weight_scale: s.scale,
            bias: s.bias,
            bias_scale: 0.0,
            activation: activation(&s.act)?,
            seed: s.seed,
        },
        text: s.word.clone(),
        seq_len: (s.seq > 0).then_some(s.seq),
        optimizer: optimizer(s)?,
        clip: clip(s)?,
        ..SessionConfig::default()
    })
}

/// A seed from JS: a whole number in 0..=2^53 (what a JS number holds exactly).
pub(crate) fn seed_from(value: f64) -> Result<u64, JsError> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= 9_007_199_254_740_992.0
    {
        Ok(value as u64)
    } else {
        Err(js_error(format!(
            "the seed must be a whole number of at least 0, got {value}"
        )))
    }
}
