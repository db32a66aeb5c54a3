//! The hidden-layer nonlinearity f and its derivative f′.
//!
//! tanh is the engine's one tanh, [`kernels::tanh`]: branch-free, within
//! ~2 ulp of libm's, and the same one the forward kernels vectorise, so
//! `apply` and the forward pass agree to the bit. Sigmoid uses `libm::exp`
//! instead of `f64::exp` so that native and wasm builds produce bit-identical
//! numbers (std defers to the platform's libm natively).

use super::kernels;
use serde::{Deserialize, Serialize};

/// f in `h_t = f(a_t)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase", try_from = "String")]
pub enum Activation {
    #[default]
    Tanh,
    Sigmoid,
    Relu,
    Identity,
}

impl Activation {
    /// All activations, in the order the app lists them.
    pub const ALL: [Activation; 4] = [Self::Tanh, Self::Sigmoid, Self::Relu, Self::Identity];

    /// f(a); tanh is [`kernels::tanh`], as in the forward pass.
    #[inline]
    pub fn apply(self, a: f64) -> f64 {
        match self {
            Self::Tanh => kernels::tanh(a),
            Self::Sigmoid => 1.0 / (1.0 + libm::exp(-a)),
            Self::Relu => a.max(0.0),
            Self::Identity => a,
        }
    }

    /// f′(a), given both a and h = f(a) (tanh and sigmoid are cheapest from h).
    #[inline]
    pub fn derivative(self, a: f64, h: f64) -> f64 {
        match self {
            Self::Tanh => 1.0 - h * h,
            Self::Sigmoid => h * (1.0 - h),
            Self::Relu => {
                if a > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Self::Identity => 1.0,
        }
    }

    /// γ = sup |f′|: 1 for tanh, ReLU and identity, 1/4 for sigmoid.
    /// Pascanu et al.'s bound ‖∂h_t/∂h_k‖ ≤ (γ λ1)^(t−k) uses it.
    pub fn gamma(self) -> f64 {
        match self {
            Self::Sigmoid => 0.25,
            _ => 1.0,
        }
    }

    /// Lower-case name, as in URLs and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Tanh => "tanh",
            Self::Sigmoid => "sigmoid",
            Self::Relu => "relu",
            Self::Identity => "identity",
        }
    }

    /// Parses a lower-case name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Whether a unit with this pre-activation sits where f′ is nearly 0
    /// (|f′| < 5% of γ): saturated tanh/sigmoid, or a dead ReLU.
    pub fn is_saturated(self, a: f64, h: f64) -> bool {
        self.derivative(a, h).abs() < 0.05 * self.gamma()
    }
}

impl TryFrom<String> for Activation {
    type Error = String;

    /// From its lower-case name, with a message that lists the choices.
    fn try_from(name: String) -> std::result::Result<Self, String> {
        Self::parse(&name).ok_or_else(|| {
            format!("the activation must be tanh, sigmoid, relu or identity, got {name:?}")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivative_matches_central_difference() {
        for act in Activation::ALL {
            for &a in &[-2.3, -0.4, 0.3, 1.7] {
                let e = 1e-6;
                let numeric = (act.apply(a + e) - act.apply(a - e)) / (2.0 * e);
                let exact = act.derivative(a, act.apply(a));
                assert!(
                    (numeric - exact).abs() < 1e-8,
                    "{act:?} at {a}: {numeric} vs {exact}"
                );
                assert!(exact.abs() <= act.gamma() + 1e-12);
            }
        }
    }

    #[test]
    fn apply_agrees_with_the_forward_pass_to_the_bit() {
        // The forward kernels compute h_t = f(a_t) their own way (tanh
        // vectorised); apply must give the very same numbers.
        let config = crate::engine::params::ModelConfig {
            hidden: 5,
            weight_scale: 2.0,
            bias: true,
            ..Default::default()
        };
        let params = crate::engine::params::Params::init(4, &config).unwrap();
        for act in Activation::ALL {
            let inputs = [0, 1, 2, 2, 3, 0];
            let targets = [None; 6];
            let h0 = ndarray::Array1::from_elem(5, 0.3);
            let tr = crate::engine::forward::forward(&params, act, &inputs, &targets, &h0).unwrap();
            for ((s, i), &a) in tr.a.indexed_iter() {
                assert_eq!(
                    act.apply(a).to_bits(),
                    tr.h[[s + 1, i]].to_bits(),
                    "{act:?} at a = {a}"
                );
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for act in Activation::ALL {
            assert_eq!(Activation::parse(act.name()), Some(act));
        }
        assert_eq!(Activation::parse("softplus"), None);
    }
}
