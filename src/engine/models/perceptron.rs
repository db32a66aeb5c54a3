//! The perceptron of the lecture's recap, on points of the plane:
//!
//! ```text
//! a = θ₀ + Σᵢ xᵢθᵢ = θ₀ + x₁θ₁ + x₂θ₂        θ: [3] = [θ₀, θ₁, θ₂] (bias first)
//! ŷ = g(a),  g ∈ {step, sigmoid, tanh, ReLU}
//! class = 1 if a > a* else 0                a* = 0 (step, sigmoid, tanh), ½ (ReLU)
//! ```
//!
//! The class is 1 when ŷ passes the middle of the two classes' targets
//! (½ for step and sigmoid, 0 for tanh, ½ for ReLU, whose targets are 0 and
//! "at least 1"), i.e. when a > a*. So the decision boundary is the line
//! θ₀ + θ₁x₁ + θ₂x₂ = a*: the lecture's θ₀ + Σ xᵢθᵢ = 0 for every g but
//! ReLU, whose boundary sits ½ above the line where it starts to fire.
//! The loss of one point (y ∈ {0, 1}, s = 2y − 1 ∈ {−1, +1}) depends on g:
//!
//! ```text
//! sigmoid  ℓ = −y log ŷ − (1 − y) log(1 − ŷ)     binary cross-entropy; ∂ℓ/∂a = ŷ − y
//! tanh     ℓ = ½(ŷ − s)²                          targets ±1, tanh's range; ∂ℓ/∂a = (ŷ − s)(1 − ŷ²)
//! relu     ℓ = ½ŷ² (y = 0),  ½ max(0, 1 − ŷ)² (y = 1)   ŷ = 0 or ŷ ≥ 1; ∂ℓ/∂a = 0 where a ≤ 0
//! step     ℓ = max(0, −s·a)                       the perceptron criterion; subgradient −s·x̃ when s·a ≤ 0
//! ```
//!
//! Squared error for tanh and ReLU keeps each target inside g's range, so
//! the loss can reach 0 (for ReLU a margin, "at least 1", rather than a
//! target of exactly 1, so that the loss is 0 exactly for lines that separate
//! with a margin: a ≤ 0 for class 0, a ≥ 1 for class 1, a* = ½ in the
//! middle). ReLU's gradient is 0 for every point with a ≤ 0: a
//! point on the wrong side there does not pull the line (a "dead" unit),
//! which the page can show. The step function has no useful gradient at
//! all: [`Perceptron::perceptron_rule_step`] is Rosenblatt's rule, and the
//! criterion's subgradient (x̃ = (1, x₁, x₂)) is what gradient descent sees.

use super::plane::{Grid, PlotBox, Points, clip_line, grid};
use super::{Model, Tensor, layout};
use crate::engine::activation::Activation;
use crate::engine::error::{EngineError, Result, positive_finite};
use crate::engine::rng::Rng;
use serde::{Deserialize, Serialize};

/// g in ŷ = g(θ₀ + Σ xᵢθᵢ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PerceptronActivation {
    Step,
    #[default]
    Sigmoid,
    Tanh,
    Relu,
}

impl PerceptronActivation {
    pub const ALL: [Self; 4] = [Self::Step, Self::Sigmoid, Self::Tanh, Self::Relu];

    /// g(a); the step is 1 for a > 0, else 0.
    pub fn apply(self, a: f64) -> f64 {
        match self {
            Self::Step => f64::from(u8::from(a > 0.0)),
            Self::Sigmoid => Activation::Sigmoid.apply(a),
            Self::Tanh => Activation::Tanh.apply(a),
            Self::Relu => a.max(0.0),
        }
    }

    /// a*: the class is 1 when a > a* (see the module docs).
    pub fn a_threshold(self) -> f64 {
        if self == Self::Relu { 0.5 } else { 0.0 }
    }

    /// (ℓ, ∂ℓ/∂a) for pre-activation `a` and class `y` (see the module docs).
    fn loss(self, a: f64, y: usize) -> (f64, f64) {
        let (yf, s) = if y == 1 { (1.0, 1.0) } else { (0.0, -1.0) };
        let g = self.apply(a);
        match self {
            Self::Step => {
                if s * a <= 0.0 {
                    (-s * a, -s)
                } else {
                    (0.0, 0.0)
                }
            }
            // −y log σ(a) − (1 − y) log(1 − σ(a)) = softplus(a) − y·a, stable for any a.
            Self::Sigmoid => (
                a.max(0.0) + libm::log1p(libm::exp(-a.abs())) - yf * a,
                g - yf,
            ),
            Self::Tanh => (0.5 * (g - s) * (g - s), (g - s) * (1.0 - g * g)),
            Self::Relu => {
                // Class 0 wants ŷ = 0, class 1 wants ŷ ≥ 1: the margin keeps
                // the loss's zero on the boundary a = 0 (a plain target of 1
                // would pull far class-1 points back and trade them off
                // against class-0 points just over the line).
                let r = if y == 1 { (1.0 - g).max(0.0) } else { g };
                let da = if a > 0.0 { -s * r } else { 0.0 };
                (0.5 * r * r, da)
            }
        }
    }
}

/// One term xᵢθᵢ of the written-out sum.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Term {
    pub x: f64,
    pub theta: f64,
    pub product: f64,
}

/// ŷ = g(θ₀ + x₁θ₁ + x₂θ₂) for one point, every number written out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WrittenSum {
    pub x: [f64; 2],
    pub theta0: f64,
    /// x₁θ₁ and x₂θ₂.
    pub terms: [Term; 2],
    /// a = θ₀ + x₁θ₁ + x₂θ₂.
    pub a: f64,
    /// ŷ = g(a).
    pub output: f64,
    /// The predicted class, \[a > a*\].
    pub class: usize,
    /// The point's true class, for a point of the data set.
    pub label: Option<usize>,
}

/// One update of the perceptron rule θ ← θ + η·s·x̃ on a misclassified point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleStep {
    /// The point used.
    pub index: usize,
    pub theta_before: [f64; 3],
    pub theta_after: [f64; 3],
}

/// Everything the perceptron view draws at the current θ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PerceptronSnapshot {
    pub activation: PerceptronActivation,
    pub theta: [f64; 3],
    /// θ₀ + θ₁x₁ + θ₂x₂ = a* inside the box, or None.
    pub boundary: Option<[[f64; 2]; 2]>,
    /// g(a) over the box.
    pub grid: Grid,
    pub accuracy: f64,
    /// Mean loss over every point.
    pub loss: f64,
}

/// A perceptron with its points.
#[derive(Debug, Clone, PartialEq)]
pub struct Perceptron {
    activation: PerceptronActivation,
    points: Points,
    tensors: Vec<Tensor>,
    theta: Vec<f64>,
    /// Where the perceptron rule resumes its scan for a misclassified point.
    cursor: usize,
}

impl Perceptron {
    /// A perceptron with g = `activation` on `points`, θ ~ N(0, 0.1²) from `seed`.
    pub fn new(points: Points, activation: PerceptronActivation, seed: u64) -> Result<Self> {
        if points.is_empty() || points.x.len() != points.y.len() || points.y.iter().any(|&y| y > 1)
        {
            return Err(EngineError::Invalid(
                "the perceptron needs at least one point, each of class 0 or 1".into(),
            ));
        }
        let (tensors, len) = layout(&[("theta", &[3])]);
        let mut rng = Rng::new(seed);
        let theta = (0..len).map(|_| 0.1 * rng.normal()).collect();
        Ok(Self {
            activation,
            points,
            tensors,
            theta,
            cursor: 0,
        })
    }

    pub fn activation(&self) -> PerceptronActivation {
        self.activation
    }

    pub fn set_activation(&mut self, activation: PerceptronActivation) {
        self.activation = activation;
    }

    pub fn points(&self) -> &Points {
        &self.points
    }

    /// θ = [θ₀, θ₁, θ₂].
    pub fn theta(&self) -> [f64; 3] {
        [self.theta[0], self.theta[1], self.theta[2]]
    }

    /// Sets θ (the sliders); refuses NaN/Inf and keeps the old θ.
    pub fn set_theta(&mut self, theta: [f64; 3]) -> Result<()> {
        if theta.iter().any(|t| !t.is_finite()) {
            return Err(EngineError::Invalid(format!(
                "θ must be finite numbers, got {theta:?}"
            )));
        }
        self.theta.copy_from_slice(&theta);
        Ok(())
    }

    /// a = θ₀ + x₁θ₁ + x₂θ₂.
    pub fn pre_activation(&self, x: [f64; 2]) -> f64 {
        self.theta[0] + x[0] * self.theta[1] + x[1] * self.theta[2]
    }

    /// The predicted class \[a > a*\].
    pub fn predict(&self, x: [f64; 2]) -> usize {
        usize::from(self.pre_activation(x) > self.activation.a_threshold())
    }

    /// The fraction of points classified right.
    pub fn accuracy(&self) -> f64 {
        self.points.accuracy(|x| self.predict(x))
    }

    /// ŷ = g(a) over `plot_box` on an nx × ny grid.
    pub fn grid(&self, plot_box: PlotBox, nx: usize, ny: usize) -> Result<Grid> {
        grid(plot_box, nx, ny, |x| {
            self.activation.apply(self.pre_activation(x))
        })
    }

    /// The decision boundary θ₀ + θ₁x₁ + θ₂x₂ = a* clipped to `plot_box`.
    pub fn boundary(&self, plot_box: &PlotBox) -> Option<[[f64; 2]; 2]> {
        let w0 = self.theta[0] - self.activation.a_threshold();
        clip_line(w0, self.theta[1], self.theta[2], plot_box)
    }

    /// The written-out sum for any point of the plane.
    pub fn explain_point(&self, x: [f64; 2]) -> Result<WrittenSum> {
        if !(x[0].is_finite() && x[1].is_finite()) {
            return Err(EngineError::Invalid(format!(
                "the point must have finite coordinates, got {x:?}"
            )));
        }
        let term = |i: usize| Term {
            x: x[i],
            theta: self.theta[i + 1],
            product: x[i] * self.theta[i + 1],
        };
        let a = self.pre_activation(x);
        Ok(WrittenSum {
            x,
            theta0: self.theta[0],
            terms: [term(0), term(1)],
            a,
            output: self.activation.apply(a),
            class: self.predict(x),
            label: None,
        })
    }

    /// The written-out sum for point `i` of the data set, with its class.
    pub fn explain(&self, i: usize) -> Result<WrittenSum> {
        let x = *self.points.x.get(i).ok_or_else(|| {
            EngineError::Invalid(format!(
                "point {i} does not exist; there are {} points",
                self.points.len()
            ))
        })?;
        let mut sum = self.explain_point(x)?;
        sum.label = Some(self.points.y[i]);
        Ok(sum)
    }

    /// Rosenblatt's rule: the next point (cycling from where the last step
    /// stopped) with s·a ≤ 0 moves θ ← θ + η·s·x̃, x̃ = (1, x₁, x₂).
    /// `None` when every point is on its side: the rule has converged.
    pub fn perceptron_rule_step(&mut self, learning_rate: f64) -> Result<Option<RuleStep>> {
        let eta = positive_finite("the learning rate", learning_rate)?;
        let n = self.points.len();
        for k in 0..n {
            let i = (self.cursor + k) % n;
            let x = self.points.x[i];
            let s = if self.points.y[i] == 1 { 1.0 } else { -1.0 };
            if s * self.pre_activation(x) <= 0.0 {
                let before = self.theta();
                let after = [
                    before[0] + eta * s,
                    before[1] + eta * s * x[0],
                    before[2] + eta * s * x[1],
                ];
                self.set_theta(after)?;
                self.cursor = (i + 1) % n;
                return Ok(Some(RuleStep {
                    index: i,
                    theta_before: before,
                    theta_after: after,
                }));
            }
        }
        Ok(None)
    }

    /// Everything the view draws, at the current θ.
    pub fn snapshot(&self, plot_box: PlotBox, nx: usize, ny: usize) -> Result<PerceptronSnapshot> {
        let all: Vec<usize> = (0..self.examples()).collect();
        Ok(PerceptronSnapshot {
            activation: self.activation,
            theta: self.theta(),
            boundary: self.boundary(&plot_box),
            grid: self.grid(plot_box, nx, ny)?,
            accuracy: self.accuracy(),
            loss: self.loss(&all),
        })
    }
}

impl Model for Perceptron {
    super::flat_parameters!();
    fn examples(&self) -> usize {
        self.points.len()
    }
    /// The mean of ℓ over `batch`; ∂ℓ/∂θ = ∂ℓ/∂a · (1, x₁, x₂).
    fn loss_and_gradient(&self, batch: &[usize], grad: &mut [f64]) -> f64 {
        grad.fill(0.0);
        let n = batch.len().max(1) as f64;
        let mut loss = 0.0;
        for &i in batch {
            let x = self.points.x[i];
            let (l, da) = self
                .activation
                .loss(self.pre_activation(x), self.points.y[i]);
            loss += l / n;
            grad[0] += da / n;
            grad[1] += da * x[0] / n;
            grad[2] += da * x[1] / n;
        }
        loss
    }
}

#[cfg(test)]
#[path = "perceptron_tests.rs"]
mod tests;
