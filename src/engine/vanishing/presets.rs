//! The chapter's five presets: settings a lecturer can jump to in one click.

use super::RecurrentInit;
use crate::engine::activation::Activation;
use serde::Serialize;

/// A setting a lecturer can jump to in one click.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Preset {
    pub name: &'static str,
    pub activation: Activation,
    pub lambda1: f64,
    pub init: RecurrentInit,
    /// Clip by global norm at this threshold; None = no clipping.
    pub clip_norm: Option<f64>,
    /// Distance d and sequence length T of the long-range task.
    pub distance: usize,
    pub length: usize,
    pub hidden: usize,
    /// Training iterations run when the preset loads (for the training charts).
    pub iterations: usize,
    /// What the preset shows, in one sentence.
    pub lesson: &'static str,
}

/// The five presets of the chapter.
pub const PRESETS: [Preset; 5] = [
    Preset {
        name: "vanishing",
        activation: Activation::Tanh,
        lambda1: 0.5,
        init: RecurrentInit::Gaussian,
        clip_norm: None,
        distance: 20,
        length: 40,
        hidden: 16,
        iterations: 100,
        lesson: "λ1 = 0.5 < 1/γ = 1: every step multiplies the gradient by at most 0.5, so it vanishes for sure.",
    },
    Preset {
        name: "edge",
        activation: Activation::Tanh,
        lambda1: 1.0,
        init: RecurrentInit::Orthogonal,
        clip_norm: None,
        distance: 20,
        length: 40,
        hidden: 16,
        iterations: 100,
        lesson: "λ1 = 1 = 1/γ: the bound is flat; only tanh′ < 1 makes the gradient shrink, slowly.",
    },
    Preset {
        name: "saturating",
        activation: Activation::Tanh,
        lambda1: 3.0,
        init: RecurrentInit::Orthogonal,
        clip_norm: None,
        distance: 20,
        length: 40,
        hidden: 16,
        iterations: 100,
        lesson: "λ1 = 3 > 1/γ allows explosion, but tanh saturates: f′ ≈ 0 on most units and the gradient still vanishes.",
    },
    Preset {
        name: "exploding",
        activation: Activation::Identity,
        lambda1: 1.5,
        init: RecurrentInit::Orthogonal,
        clip_norm: None,
        distance: 20,
        length: 40,
        hidden: 16,
        iterations: 20,
        lesson: "Identity with λ1 = 1.5: nothing saturates, ‖∂h_T/∂h_k‖ = 1.5^(T−k) grows and training blows up.",
    },
    Preset {
        name: "clipped",
        activation: Activation::Identity,
        lambda1: 1.5,
        init: RecurrentInit::Orthogonal,
        clip_norm: Some(1.0),
        distance: 20,
        length: 40,
        hidden: 16,
        iterations: 20,
        lesson: "The same exploding model with norm clipping at 1: the gradient is huge, but every step is cut to length 1.",
    },
];

/// The preset called `name`.
pub fn preset(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}
