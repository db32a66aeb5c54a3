//! The vanilla RNN's settings as the page and its links name them, typed
//! (serde into the engine's own enums), with partial updates, and how they
//! become a [`SessionConfig`].
//!
//! One settings type serves word mode ("hello", the whole text is one
//! sequence) and text mode (min-char-rnn: sequences of `seq` steps with the
//! state carried); text mode starts from [`RnnSettings::text_mode`] and
//! takes the same keys.

use super::activation::Activation;
use super::clip::Clip;
use super::error::{EngineError, Result};
use super::fast::Precision;
use super::limits::LIMITS;
use super::optim::{OptimizerConfig, OptimizerKind};
use super::params::ModelConfig;
use super::session::SessionConfig;
use serde::{Deserialize, Serialize};

/// The built-in paragraph of text mode (our own text, ~2.6 KB of ASCII).
pub const PARAGRAPH: &str = include_str!("../../data/paragraph.txt");
/// Longest text accepted in text mode, in bytes of UTF-8 ([`LIMITS`]`.text_bytes`).
pub const MAX_TEXT_BYTES: usize = LIMITS.text_bytes;
/// Largest hidden size and sequence length offered in text mode ([`LIMITS`]).
pub const MAX_TEXT_HIDDEN: usize = LIMITS.hidden;
pub const MAX_TEXT_SEQ: usize = LIMITS.seq;

/// How the gradient is clipped, by name (the threshold is `clipc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", try_from = "String")]
pub enum ClipKind {
    Off,
    #[default]
    Value,
    Norm,
}

impl TryFrom<String> for ClipKind {
    type Error = String;

    fn try_from(name: String) -> std::result::Result<Self, String> {
        match name.as_str() {
            "off" => Ok(Self::Off),
            "value" => Ok(Self::Value),
            "norm" => Ok(Self::Norm),
            _ => Err(format!("clipping must be off, value or norm, got {name:?}")),
        }
    }
}

/// The settings of one vanilla-RNN model. Unknown keys are ignored, so the
/// page may pass its whole state object; missing keys take the defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RnnSettings {
    /// The training text: in word mode inputs text[..n−1], targets text[1..].
    #[serde(alias = "text")]
    pub word: String,
    /// H, hidden units.
    pub hidden: usize,
    /// Seed of the weight init.
    pub seed: u64,
    /// Weights start as N(0, 1)·scale.
    pub scale: f64,
    /// Whether b_h and b_y exist (they start at 0).
    pub bias: bool,
    pub act: Activation,
    pub opt: OptimizerKind,
    pub lr: f64,
    pub clip: ClipKind,
    /// The clipping threshold c.
    pub clipc: f64,
    /// 0: word mode; s > 0: text mode with sequences of s steps.
    pub seq: usize,
    /// Truncated BPTT (k1, k2): k1 none = full BPTT; k2 defaults to k1.
    pub k1: Option<usize>,
    pub k2: Option<usize>,
    /// With truncation: an optimiser step after each chunk (the lecture's
    /// and min-char-rnn's way) rather than one step per sequence.
    pub update_per_chunk: bool,
    /// Text-mode training in f64 (exact) or f32 (fast); the views stay f64.
    pub precision: Precision,
}

impl Default for RnnSettings {
    /// The lecture's example: "hello", H = 3, the engine's defaults.
    fn default() -> Self {
        let s = SessionConfig::default();
        Self {
            word: s.text,
            hidden: s.model.hidden,
            seed: s.model.seed,
            scale: s.model.weight_scale,
            bias: s.model.bias,
            act: s.model.activation,
            opt: s.optimizer.kind,
            lr: s.optimizer.learning_rate,
            clip: ClipKind::Value,
            clipc: 5.0,
            seq: 0,
            k1: None,
            k2: None,
            update_per_chunk: s.update_per_chunk,
            precision: s.precision,
        }
    }
}

/// A partial [`RnnSettings`]: only the keys present change.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct RnnSettingsPatch {
    #[serde(alias = "text")]
    pub word: Option<String>,
    pub hidden: Option<usize>,
    pub seed: Option<u64>,
    pub scale: Option<f64>,
    pub bias: Option<bool>,
    pub act: Option<Activation>,
    pub opt: Option<OptimizerKind>,
    pub lr: Option<f64>,
    pub clip: Option<ClipKind>,
    pub clipc: Option<f64>,
    pub seq: Option<usize>,
    /// `Some(None)` (JSON null) switches truncation off.
    #[serde(deserialize_with = "some")]
    pub k1: Option<Option<usize>>,
    #[serde(deserialize_with = "some")]
    pub k2: Option<Option<usize>>,
    pub update_per_chunk: Option<bool>,
    pub precision: Option<Precision>,
}

/// A present key (even null) is `Some`: null means "none", absent means "keep".
fn some<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Option<usize>>, D::Error> {
    Option::<usize>::deserialize(d).map(Some)
}

impl RnnSettings {
    /// Text mode's defaults (min-char-rnn): the built-in paragraph, H = 100,
    /// seq 25, N(0,1)·0.01, biases on, Adagrad lr 0.1, clip by value at 5.
    pub fn text_mode() -> Self {
        Self {
            word: PARAGRAPH.into(),
            hidden: 100,
            seq: 25,
            scale: 0.01,
            bias: true,
            ..Self::default()
        }
    }

    /// The clipping the settings describe.
    pub fn clip(&self) -> Clip {
        match self.clip {
            ClipKind::Off => Clip::Off,
            ClipKind::Value => Clip::Value(self.clipc),
            ClipKind::Norm => Clip::Norm(self.clipc),
        }
    }

    pub fn optimizer(&self) -> OptimizerConfig {
        OptimizerConfig::new(self.opt, self.lr)
    }

    /// (k1, k2) with k2 defaulting to k1; None: full BPTT.
    pub fn truncation(&self) -> Option<(usize, usize)> {
        self.k1.map(|k1| (k1, self.k2.unwrap_or(k1)))
    }

    /// Text mode's own limits, in the words the page shows (the session
    /// checks the rest).
    pub fn check_text_mode(&self) -> Result<()> {
        if self.seq == 0 {
            return Ok(());
        }
        if self.word.is_empty() {
            return Err(EngineError::Invalid(
                "the text is empty: paste some text or use the built-in paragraph".into(),
            ));
        }
        if self.word.len() > MAX_TEXT_BYTES {
            return Err(EngineError::Invalid(format!(
                "the text is {:.1} KB; at most 100 KB can be trained on",
                self.word.len() as f64 / 1024.0
            )));
        }
        if !(1..=MAX_TEXT_HIDDEN).contains(&self.hidden) {
            return Err(EngineError::HiddenSize {
                got: self.hidden,
                max: MAX_TEXT_HIDDEN,
            });
        }
        if self.seq > MAX_TEXT_SEQ {
            return Err(EngineError::Invalid(format!(
                "the sequence length must be between 1 and {MAX_TEXT_SEQ}, got {}",
                self.seq
            )));
        }
        let chars = self.word.chars().count();
        if chars < self.seq + 1 {
            return Err(EngineError::Invalid(format!(
                "the text has {chars} characters; with sequences of {} it needs at least {}",
                self.seq,
                self.seq + 1
            )));
        }
        Ok(())
    }

    /// The engine session these settings describe (checked by the engine).
    pub fn session_config(&self) -> Result<SessionConfig> {
        self.check_text_mode()?;
        let optimizer = self.optimizer();
        optimizer.validate()?;
        let clip = self.clip();
        clip.validate()?;
        Ok(SessionConfig {
            model: ModelConfig {
                hidden: self.hidden,
                weight_scale: self.scale,
                bias: self.bias,
                bias_scale: 0.0,
                activation: self.act,
                seed: self.seed,
            },
            text: self.word.clone(),
            seq_len: (self.seq > 0).then_some(self.seq),
            optimizer,
            clip,
            truncation: self.truncation(),
            update_per_chunk: self.update_per_chunk,
            precision: self.precision,
            ..SessionConfig::default()
        })
    }
}

impl RnnSettingsPatch {
    /// Whether the patch changes what the model is (so it must be rebuilt
    /// with fresh weights); optimiser, learning rate, clipping, truncation
    /// and when the update happens change in place.
    pub fn changes_model(&self, s: &RnnSettings) -> bool {
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

    /// `s` with the patch's keys applied.
    pub fn apply(&self, s: &RnnSettings) -> RnnSettings {
        let p = self.clone();
        RnnSettings {
            word: p.word.unwrap_or_else(|| s.word.clone()),
            hidden: p.hidden.unwrap_or(s.hidden),
            seed: p.seed.unwrap_or(s.seed),
            scale: p.scale.unwrap_or(s.scale),
            bias: p.bias.unwrap_or(s.bias),
            act: p.act.unwrap_or(s.act),
            opt: p.opt.unwrap_or(s.opt),
            lr: p.lr.unwrap_or(s.lr),
            clip: p.clip.unwrap_or(s.clip),
            clipc: p.clipc.unwrap_or(s.clipc),
            seq: p.seq.unwrap_or(s.seq),
            k1: p.k1.unwrap_or(s.k1),
            k2: p.k2.unwrap_or(s.k2),
            update_per_chunk: p.update_per_chunk.unwrap_or(s.update_per_chunk),
            precision: p.precision.unwrap_or(s.precision),
        }
    }
}

/// A seed from a JS number: a whole number in 0..=2^53 (what a double holds exactly).
pub fn seed_from(value: f64) -> Result<u64> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= 9_007_199_254_740_992.0
    {
        Ok(value as u64)
    } else {
        Err(EngineError::Invalid(format!(
            "the seed must be a whole number of at least 0, got {value}"
        )))
    }
}

/// A count or index from a JS number: a whole number in 0..=max. JS passes
/// any double (−1, 1e300, NaN), which a `usize` parameter would silently
/// wrap (−1 becomes 4294967295 iterations); every such argument of the web
/// handles comes through here instead.
pub fn whole_number(name: &str, value: f64, max: usize) -> Result<usize> {
    let limit = (max as f64).min(9_007_199_254_740_992.0);
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= limit {
        Ok(value as usize)
    } else if max < usize::MAX {
        Err(EngineError::Invalid(format!(
            "{name} must be a whole number from 0 to {max}, got {value}"
        )))
    } else {
        Err(EngineError::Invalid(format!(
            "{name} must be a whole number of at least 0, got {value}"
        )))
    }
}

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;
