//! Which optimiser and its hyper-parameters: [`OptimizerKind`],
//! [`OptimizerConfig`] and their validation (the memory and the step are in
//! `mod.rs`, the update rules in `rules.rs`).

use crate::engine::error::{EngineError, Result, positive_finite};
use serde::{Deserialize, Serialize};

/// Which update rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", try_from = "String")]
pub enum OptimizerKind {
    Sgd,
    Momentum,
    #[default]
    Adagrad,
    Adam,
}

impl OptimizerKind {
    /// Lower-case name, as in URLs and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sgd => "sgd",
            Self::Momentum => "momentum",
            Self::Adagrad => "adagrad",
            Self::Adam => "adam",
        }
    }

    /// Parses a lower-case name.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Sgd, Self::Momentum, Self::Adagrad, Self::Adam]
            .into_iter()
            .find(|k| k.name() == name)
    }

    /// How many tensors of memory per parameter tensor the rule keeps.
    pub(super) fn moments(self) -> usize {
        match self {
            Self::Sgd => 0,
            Self::Momentum | Self::Adagrad => 1,
            Self::Adam => 2,
        }
    }
}

/// The update rule and its hyper-parameters (each rule reads the ones it uses).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OptimizerConfig {
    pub kind: OptimizerKind,
    /// lr, finite and > 0.
    pub learning_rate: f64,
    /// μ for momentum, in [0, 1).
    pub momentum: f64,
    /// β1 for Adam, in [0, 1).
    pub beta1: f64,
    /// β2 for Adam, in [0, 1).
    pub beta2: f64,
    /// eps for Adagrad (inside the square root, as min-char-rnn) and Adam (outside).
    pub eps: f64,
}

impl Default for OptimizerConfig {
    /// Adagrad with lr 0.1, as min-char-rnn.
    fn default() -> Self {
        Self {
            kind: OptimizerKind::Adagrad,
            learning_rate: 0.1,
            momentum: 0.9,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }
}

impl OptimizerConfig {
    /// A config of `kind` with learning rate `lr` and the usual defaults.
    pub fn new(kind: OptimizerKind, learning_rate: f64) -> Self {
        Self {
            kind,
            learning_rate,
            ..Self::default()
        }
    }

    /// Checks every field, naming the first bad one.
    pub fn validate(&self) -> Result<()> {
        check_learning_rate(self.learning_rate)?;
        unit_interval("momentum μ", self.momentum)?;
        unit_interval("Adam's β1", self.beta1)?;
        unit_interval("Adam's β2", self.beta2)?;
        positive_finite("eps", self.eps)?;
        Ok(())
    }
}

/// The learning rate must be finite and > 0.
pub fn check_learning_rate(lr: f64) -> Result<f64> {
    if lr.is_finite() && lr > 0.0 {
        Ok(lr)
    } else {
        Err(EngineError::LearningRate(lr))
    }
}

fn unit_interval(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && (0.0..1.0).contains(&value) {
        Ok(value)
    } else {
        Err(EngineError::BadNumber {
            name,
            got: value,
            hint: " in [0, 1)",
        })
    }
}

impl TryFrom<String> for OptimizerKind {
    type Error = String;

    /// From its lower-case name, with a message that lists the choices.
    fn try_from(name: String) -> std::result::Result<Self, String> {
        Self::parse(&name).ok_or_else(|| {
            format!("the optimiser must be sgd, momentum, adagrad or adam, got {name:?}")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_configs_are_refused() {
        for lr in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                OptimizerConfig::new(OptimizerKind::Sgd, lr).validate(),
                Err(EngineError::LearningRate(_))
            ));
        }
        let bad = OptimizerConfig {
            momentum: 1.0,
            ..Default::default()
        };
        assert!(bad.validate().is_err());
        let bad = OptimizerConfig {
            eps: 0.0,
            ..Default::default()
        };
        assert!(bad.validate().is_err());
    }

    #[test]
    fn names_round_trip_and_serde_is_lowercase() {
        for k in ["sgd", "momentum", "adagrad", "adam"] {
            assert_eq!(OptimizerKind::parse(k).unwrap().name(), k);
        }
        let json = serde_json::to_string(&OptimizerConfig::default()).unwrap();
        assert!(json.contains("\"kind\":\"adagrad\""), "{json}");
    }
}
