//! The RNN's parameters θ = (W_xh, W_hh, W_hy, b_h, b_y) and their init.
//!
//! Gradients have the same shapes, so [`Params`] doubles as the gradient
//! type; optimisers and clipping walk the five tensors as flat slices.

use super::activation::Activation;
use super::error::{EngineError, Result};
use super::limits::{self, LIMITS};
use super::rng::Rng;
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

/// Largest hidden size the engine accepts: [`LIMITS`]`.hidden` (the one table of limits).
pub const MAX_HIDDEN: usize = LIMITS.hidden;

/// Names of the five tensors, in draw and storage order (as in the fixtures).
pub const PARAM_NAMES: [&str; 5] = ["W_xh", "W_hh", "W_hy", "b_h", "b_y"];

/// Weights and biases of a vanilla RNN.
///
/// Shapes: `w_xh: [H, V]`, `w_hh: [H, H]`, `w_hy: [V, H]`, `b_h: [H]`, `b_y: [V]`,
/// all in standard (row-major) layout.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub w_xh: Array2<f64>,
    pub w_hh: Array2<f64>,
    pub w_hy: Array2<f64>,
    pub b_h: Array1<f64>,
    pub b_y: Array1<f64>,
}

/// How to build a model: sizes, init, activation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModelConfig {
    /// H, the number of hidden units (1..=[`MAX_HIDDEN`]).
    pub hidden: usize,
    /// Weights are N(0, 1)·weight_scale.
    pub weight_scale: f64,
    /// Whether b_h and b_y exist (off reproduces the lecture's slide exactly).
    pub bias: bool,
    /// Biases are N(0, 1)·bias_scale, or zero when bias_scale is 0.
    pub bias_scale: f64,
    pub activation: Activation,
    pub seed: u64,
}

impl Default for ModelConfig {
    fn default() -> Self {
        Self {
            hidden: 3,
            weight_scale: 0.5,
            bias: false,
            bias_scale: 0.0,
            activation: Activation::Tanh,
            seed: 0,
        }
    }
}

impl ModelConfig {
    /// Checks every field, naming the first bad one.
    pub fn validate(&self) -> Result<()> {
        check_hidden(self.hidden)?;
        super::error::non_negative_finite("weight scale", self.weight_scale)?;
        super::error::non_negative_finite("bias scale", self.bias_scale)?;
        Ok(())
    }
}

/// Hidden size must be in 1..=MAX_HIDDEN.
pub fn check_hidden(hidden: usize) -> Result<usize> {
    limits::check_hidden(hidden)
}

impl Params {
    /// All-zero parameters for V symbols and H hidden units. V and H come
    /// from a validated model (within [`LIMITS`]); code with other sizes
    /// checks them first (`limits::check_vocab_size`, `limits::check_hidden`).
    pub fn zeros(vocab_size: usize, hidden: usize) -> Self {
        Self {
            w_xh: Array2::zeros((hidden, vocab_size)),
            w_hh: Array2::zeros((hidden, hidden)),
            w_hy: Array2::zeros((vocab_size, hidden)),
            b_h: Array1::zeros(hidden),
            b_y: Array1::zeros(vocab_size),
        }
    }

    /// Gaussian init, drawn in the order W_xh, W_hh, W_hy, b_h, b_y, each row-major.
    /// Biases are drawn only when `config.bias` and `bias_scale > 0`.
    /// H and V must be within [`LIMITS`] (V up to `token_vocab`: a word
    /// model's; a character session holds V to `vocab` itself).
    pub fn init(vocab_size: usize, config: &ModelConfig) -> Result<Self> {
        config.validate()?;
        limits::check_token_vocab_size(vocab_size)?;
        let mut rng = Rng::new(config.seed);
        let mut p = Self::zeros(vocab_size, config.hidden);
        let scale = config.weight_scale;
        for w in [&mut p.w_xh, &mut p.w_hh, &mut p.w_hy] {
            w.iter_mut().for_each(|v| *v = rng.normal() * scale);
        }
        if config.bias && config.bias_scale > 0.0 {
            for b in [&mut p.b_h, &mut p.b_y] {
                b.iter_mut()
                    .for_each(|v| *v = rng.normal() * config.bias_scale);
            }
        }
        Ok(p)
    }

    /// H.
    pub fn hidden(&self) -> usize {
        self.w_hh.nrows()
    }

    /// V.
    pub fn vocab_size(&self) -> usize {
        self.w_hy.nrows()
    }

    /// The five tensors as flat row-major slices, in [`PARAM_NAMES`] order.
    pub fn slices(&self) -> [&[f64]; 5] {
        [
            self.w_xh.as_slice().expect("standard layout"),
            self.w_hh.as_slice().expect("standard layout"),
            self.w_hy.as_slice().expect("standard layout"),
            self.b_h.as_slice().expect("standard layout"),
            self.b_y.as_slice().expect("standard layout"),
        ]
    }

    /// Mutable flat slices, in [`PARAM_NAMES`] order.
    pub fn slices_mut(&mut self) -> [&mut [f64]; 5] {
        [
            self.w_xh.as_slice_mut().expect("standard layout"),
            self.w_hh.as_slice_mut().expect("standard layout"),
            self.w_hy.as_slice_mut().expect("standard layout"),
            self.b_h.as_slice_mut().expect("standard layout"),
            self.b_y.as_slice_mut().expect("standard layout"),
        ]
    }

    /// Whether every number is finite.
    pub fn all_finite(&self) -> bool {
        self.slices()
            .iter()
            .all(|s| s.iter().all(|v| v.is_finite()))
    }

    /// √(Σ θ²) over all five tensors.
    pub fn global_norm(&self) -> f64 {
        self.slices()
            .iter()
            .flat_map(|s| s.iter())
            .map(|v| v * v)
            .sum::<f64>()
            .sqrt()
    }

    /// ‖·‖₂ of each tensor, in [`PARAM_NAMES`] order.
    pub fn norms(&self) -> [f64; 5] {
        self.slices()
            .map(|s| s.iter().map(|v| v * v).sum::<f64>().sqrt())
    }

    /// Sets b_h and b_y to zero (used when biases are off).
    pub fn zero_biases(&mut self) {
        self.b_h.fill(0.0);
        self.b_y.fill(0.0);
    }

    /// Adds `other` into `self` (gradient accumulation).
    pub fn add_assign(&mut self, other: &Params) {
        for (a, b) in self.slices_mut().into_iter().zip(other.slices()) {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
    }

    /// Checks that all shapes agree with V = `vocab_size` and H = `hidden`.
    pub fn check_shapes(&self, vocab_size: usize, hidden: usize) -> Result<()> {
        let want = [(hidden, vocab_size), (hidden, hidden), (vocab_size, hidden)];
        let got = [self.w_xh.dim(), self.w_hh.dim(), self.w_hy.dim()];
        for ((name, w), g) in PARAM_NAMES.iter().zip(want).zip(got) {
            if w != g {
                return Err(EngineError::Shape {
                    field: (*name).into(),
                    message: format!("expected shape {w:?}, got {g:?}"),
                });
            }
        }
        for (name, len, want) in [
            ("b_h", self.b_h.len(), hidden),
            ("b_y", self.b_y.len(), vocab_size),
        ] {
            if len != want {
                return Err(EngineError::Shape {
                    field: name.into(),
                    message: format!("expected length {want}, got {len}"),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_is_deterministic_and_scaled() {
        let cfg = ModelConfig {
            hidden: 8,
            seed: 42,
            ..Default::default()
        };
        let a = Params::init(5, &cfg).unwrap();
        assert_eq!(a, Params::init(5, &cfg).unwrap());
        assert_ne!(
            a,
            Params::init(
                5,
                &ModelConfig {
                    seed: 43,
                    ..cfg.clone()
                }
            )
            .unwrap()
        );
        assert!(a.b_h.iter().all(|&v| v == 0.0));
        let biased = Params::init(
            5,
            &ModelConfig {
                bias: true,
                bias_scale: 0.1,
                ..cfg
            },
        )
        .unwrap();
        assert!(biased.b_y.iter().any(|&v| v != 0.0));
        assert_eq!(a.w_xh.dim(), (8, 5));
        assert_eq!(a.w_hy.dim(), (5, 8));
    }

    #[test]
    fn bad_configs_are_refused() {
        assert!(matches!(
            Params::init(LIMITS.token_vocab + 1, &ModelConfig::default()),
            Err(EngineError::TooLarge { .. })
        ));
        for hidden in [0, MAX_HIDDEN + 1] {
            let cfg = ModelConfig {
                hidden,
                ..Default::default()
            };
            assert!(matches!(
                Params::init(4, &cfg),
                Err(EngineError::HiddenSize { .. })
            ));
        }
        let cfg = ModelConfig {
            weight_scale: f64::NAN,
            ..Default::default()
        };
        assert!(Params::init(4, &cfg).is_err());
    }
}
