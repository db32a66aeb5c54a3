//! The page's settings (the URL table of `www/state.js`, typed) and how they
//! become a [`SessionConfig`]: parsing, partial updates, validation. Pure
//! Rust, so the path from any settings object to a session is tested
//! natively (`tests/hostile.rs` runs it on arbitrary input).
//!
//! Every size a setting carries is checked against [`LIMITS`](super::LIMITS)
//! by [`SessionConfig::check_limits`] before a session allocates anything;
//! every message in an error is the engine's own.

use super::error::{EngineError, Result};
use super::{Activation, Clip, ModelConfig, OptimizerConfig, OptimizerKind, SessionConfig};
use serde::{Deserialize, Serialize};

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

impl Settings {
    /// Settings from a JSON object; missing keys take the defaults. The text
    /// is checked against [`LIMITS`](super::LIMITS)`.model_file_bytes` before
    /// it is parsed.
    pub fn from_json(json: &str) -> Result<Settings> {
        parse_json(json, "settings")
    }
}

/// A partial [`Settings`]: only the keys present change.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct SettingsPatch {
    pub word: Option<String>,
    pub hidden: Option<usize>,
    pub seed: Option<u64>,
    pub scale: Option<f64>,
    pub bias: Option<bool>,
    pub act: Option<String>,
    pub opt: Option<String>,
    pub lr: Option<f64>,
    pub clip: Option<String>,
    pub clipc: Option<f64>,
    pub seq: Option<usize>,
}

impl SettingsPatch {
    /// A patch from a JSON object (see [`Settings::from_json`]).
    pub fn from_json(json: &str) -> Result<SettingsPatch> {
        parse_json(json, "settings")
    }

    /// Whether the patch changes what the model is (so it must be rebuilt).
    pub fn changes_model(&self, s: &Settings) -> bool {
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

    /// `s` with the patch's keys replaced.
    pub fn apply(self, s: &Settings) -> Settings {
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

/// A JSON text as `T`, refusing texts above the model-file limit before parsing.
fn parse_json<T: for<'de> Deserialize<'de>>(json: &str, what: &str) -> Result<T> {
    super::limits::at_most(
        "a JSON text (in bytes)",
        json.len(),
        super::LIMITS.model_file_bytes,
    )?;
    serde_json::from_str(json).map_err(|e| EngineError::Invalid(format!("bad {what}: {e}")))
}

/// The activation named `name`.
pub fn activation(name: &str) -> Result<Activation> {
    Activation::parse(name).ok_or_else(|| {
        EngineError::Invalid(format!(
            "the activation must be tanh, sigmoid, relu or identity, got {name:?}"
        ))
    })
}

/// The optimiser of `s` (kind and learning rate), validated.
pub fn optimizer(s: &Settings) -> Result<OptimizerConfig> {
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

/// The clipping of `s`, validated.
pub fn clip(s: &Settings) -> Result<Clip> {
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

/// The engine session a [`Settings`] describes, with every size checked
/// against [`LIMITS`](super::LIMITS) ([`SessionConfig::check_limits`]); the
/// rest is validated when the session is built.
pub fn session_config(s: &Settings) -> Result<SessionConfig> {
    let config = SessionConfig {
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
    };
    config.check_limits()?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{LIMITS, Session};

    #[test]
    fn defaults_build_the_lecture_example() {
        let s = Session::new(session_config(&Settings::default()).unwrap()).unwrap();
        assert_eq!(s.vocab().symbols(), &['h', 'e', 'l', 'o']);
        assert_eq!(Settings::from_json("{}").unwrap(), Settings::default());
    }

    #[test]
    fn patches_change_only_their_keys() {
        let s = Settings::default();
        let p = SettingsPatch::from_json(r#"{"lr": 0.5, "unknown": [1, 2]}"#).unwrap();
        assert!(!p.changes_model(&s));
        let next = p.apply(&s);
        assert_eq!(next.lr, 0.5);
        assert_eq!(next.word, s.word);
        let p = SettingsPatch::from_json(r#"{"hidden": 4}"#).unwrap();
        assert!(p.changes_model(&s));
    }

    #[test]
    fn sizes_are_refused_before_anything_is_built() {
        let big = Settings {
            seq: usize::MAX,
            word: "hello".into(),
            ..Settings::default()
        };
        assert!(matches!(
            session_config(&big),
            Err(EngineError::TooLarge { max: 256, .. })
        ));
        let long = Settings {
            word: "a".repeat(LIMITS.word_chars + 1),
            ..Settings::default()
        };
        assert!(matches!(
            session_config(&long),
            Err(EngineError::WordTooLong { .. })
        ));
        assert!(Settings::from_json(r#"{"hidden": -1}"#).is_err());
        assert!(Settings::from_json(r#"{"hidden": 1e300}"#).is_err());
        assert!(Settings::from_json("[").is_err());
    }
}
