//! The chapter's model, built from its settings: a session on the
//! long-range task (or on a text) with W_hh drawn and rescaled to λ1.
//!
//! ```text
//! W_hh ← λ1 · W / σ_max(W),  W Gaussian or orthogonal (from the seed)
//! ```
//! Training is plain SGD (with optional global-norm clipping), so what the
//! charts show is the gradient itself, not an optimiser's rescaling of it.

use super::{LAMBDA1_MAX, LAMBDA1_MIN, PRESETS, RecurrentInit, prepare_recurrent_weights};
use crate::engine::activation::Activation;
use crate::engine::clip::Clip;
use crate::engine::error::{EngineError, Result};
use crate::engine::forward::LossMode;
use crate::engine::optim::{OptimizerConfig, OptimizerKind};
use crate::engine::params::ModelConfig;
use crate::engine::session::{Session, SessionConfig};
use crate::engine::tasks::{LongRangeTask, TextTask};
use serde::{Deserialize, Serialize};

/// Largest hidden size and sequence length of this chapter.
pub const MAX_HIDDEN: usize = 64;
pub const MAX_LENGTH: usize = 200;
/// Sequences of the long-range task (8 filler patterns × the 2 keys).
pub const TASK_COUNT: usize = 16;

/// Where the sequences come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The long-range task: the answer at the end is a key seen d steps earlier.
    #[default]
    Task,
    /// Next-character prediction on a text.
    Text,
}

/// Which steps of a text sequence are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScoredSteps {
    /// The last step only (as the task).
    #[default]
    Last,
    /// Every step.
    Per,
}

/// The chapter's settings, as the page passes them (missing keys: the
/// "vanishing" preset).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VanishingSettings {
    pub source: Source,
    /// The text used when `source` is text.
    pub text: String,
    /// Text only: which steps carry a loss.
    pub loss: ScoredSteps,
    /// Distance d between the key and the query (task).
    pub distance: usize,
    /// Sequence length T.
    pub length: usize,
    pub hidden: usize,
    pub act: Activation,
    pub init: RecurrentInit,
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
            source: Source::Task,
            text: "hello".into(),
            loss: ScoredSteps::Last,
            distance: p.distance,
            length: p.length,
            hidden: p.hidden,
            act: p.activation,
            init: p.init,
            lambda1: p.lambda1,
            seed: 0,
            lr: 0.05,
            clip: false,
            clipc: 1.0,
        }
    }
}

impl VanishingSettings {
    /// Where the key sits (1-based) in the task; None for a text.
    pub fn key_step(&self) -> Option<usize> {
        (self.source == Source::Task).then(|| self.length.saturating_sub(self.distance))
    }

    /// The session these settings describe, with W_hh prepared; every
    /// setting checked first (a refusal builds nothing).
    pub fn session(&self) -> Result<Session> {
        if !(1..=MAX_HIDDEN).contains(&self.hidden) {
            return Err(EngineError::HiddenSize {
                got: self.hidden,
                max: MAX_HIDDEN,
            });
        }
        if !(LAMBDA1_MIN..=LAMBDA1_MAX).contains(&self.lambda1) {
            return Err(EngineError::Invalid(format!(
                "λ1 must be between {LAMBDA1_MIN} and {LAMBDA1_MAX}, got {}",
                self.lambda1
            )));
        }
        let base = SessionConfig {
            model: ModelConfig {
                hidden: self.hidden,
                weight_scale: 0.5,
                bias: false,
                bias_scale: 0.0,
                activation: self.act,
                seed: self.seed,
            },
            optimizer: OptimizerConfig::new(OptimizerKind::Sgd, self.lr),
            clip: if self.clip {
                Clip::Norm(self.clipc)
            } else {
                Clip::Off
            },
            ..SessionConfig::default()
        };
        let mut session = match self.source {
            Source::Task => {
                let task = LongRangeTask::new(self.distance, self.length, TASK_COUNT, self.seed)?;
                let config = SessionConfig {
                    text: task.text(),
                    seq_len: Some(self.length),
                    loss_mode: LossMode::LastStep,
                    ..base
                };
                let mut session = Session::with_vocab(config, task.vocab)?;
                // Independent sequences: each starts from h_0 = 0.
                session.set_carry_state(false);
                session
            }
            Source::Text => {
                let loss_mode = match self.loss {
                    ScoredSteps::Last => LossMode::LastStep,
                    ScoredSteps::Per => LossMode::PerStep,
                };
                if self.length > MAX_LENGTH {
                    return Err(EngineError::Invalid(format!(
                        "the sequence length must be at most {MAX_LENGTH}, got {}",
                        self.length
                    )));
                }
                // Checks the text and cuts it exactly as the session will.
                TextTask::new(&self.text, self.length, loss_mode)?;
                Session::new(SessionConfig {
                    text: self.text.clone(),
                    seq_len: Some(self.length),
                    loss_mode,
                    ..base
                })?
            }
        };
        let mut params = session.params().clone();
        prepare_recurrent_weights(&mut params, self.init, self.lambda1, self.seed)?;
        session.set_params(params)?;
        Ok(session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::analysis::spectral_norm;

    #[test]
    fn the_preset_builds_the_task_with_w_hh_at_lambda1() {
        let s = VanishingSettings::default();
        let session = s.session().unwrap();
        assert_eq!(session.seq_steps(), 40);
        let l1 = spectral_norm(session.params().w_hh.view());
        assert!((l1 - 0.5).abs() < 1e-9, "{l1}");
        assert_eq!(s.key_step(), Some(20));
        assert_eq!(session.trace().scored_steps(), 1);
    }

    #[test]
    fn settings_parse_from_the_pages_names_and_refusals_build_nothing() {
        let s: VanishingSettings =
            serde_json::from_str(r#"{"source":"text","text":"hello there","loss":"per","length":5,"act":"relu","init":"orthogonal"}"#)
                .unwrap();
        assert_eq!(
            (s.source, s.loss, s.act),
            (Source::Text, ScoredSteps::Per, Activation::Relu)
        );
        let session = s.session().unwrap();
        assert_eq!(session.trace().scored_steps(), 5);
        assert_eq!(s.key_step(), None);
        assert!(serde_json::from_str::<VanishingSettings>(r#"{"act":"softmax"}"#).is_err());
        for bad in [
            VanishingSettings {
                hidden: 65,
                ..Default::default()
            },
            VanishingSettings {
                lambda1: 3.5,
                ..Default::default()
            },
            VanishingSettings {
                lambda1: f64::NAN,
                ..Default::default()
            },
            VanishingSettings {
                source: Source::Text,
                length: 201,
                text: "ab".repeat(200),
                ..Default::default()
            },
            VanishingSettings {
                source: Source::Text,
                text: String::new(),
                ..Default::default()
            },
        ] {
            assert!(bad.session().is_err(), "{bad:?}");
        }
    }
}
