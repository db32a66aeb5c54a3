//! "Multiple perceptrons": a 2-layer MLP on points of the plane, enough for
//! the XOR pattern that no single perceptron separates.
//!
//! ```text
//! a = W1 x + b1          W1: [H, 2], b1: [H]          H hidden units, 2..=16
//! h = f(a)               f ∈ {tanh, ReLU, sigmoid} (identity too: then the MLP is still one line)
//! z = W2 h + b2          softmax output: W2: [2, H], b2: [2];  p = softmax(z),  p(class 1) = p₁
//!                        sigmoid output: W2: [1, H], b2: [1];  p(class 1) = σ(z₀)
//! ℓ = −log p(y)          cross-entropy (for the sigmoid output, binary cross-entropy)
//! ```
//!
//! Backward, side by side with the forward pass:
//!
//! ```text
//! dz = p − onehot(y)  (sigmoid: σ(z₀) − y)
//! dW2 = dz hᵀ,  db2 = dz,  dh = W2ᵀ dz,  da = dh ⊙ f′(a),  dW1 = da xᵀ,  db1 = da
//! ```
//!
//! Each hidden unit k is a perceptron of its own: its line W1\[k\]·x + b1\[k\] = 0
//! is what [`Mlp::hidden_lines`] returns; the output layer combines them.

use super::plane::{Grid, PlotBox, Points, clip_line, grid};
use super::{Model, Tensor, layout, softmax_in_place};
use crate::engine::activation::Activation;
use crate::engine::error::{EngineError, Result};
use crate::engine::rng::Rng;
use serde::{Deserialize, Serialize};

/// Fewest hidden units.
pub const MIN_HIDDEN: usize = 2;
/// Most hidden units.
pub const MAX_HIDDEN: usize = 16;

/// The output layer for the two classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MlpOutput {
    /// Two logits and a softmax.
    #[default]
    Softmax,
    /// One logit and a sigmoid.
    Sigmoid,
}

/// The shape of an MLP and its seed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MlpConfig {
    pub hidden: usize,
    pub activation: Activation,
    pub output: MlpOutput,
    pub seed: u64,
}

impl Default for MlpConfig {
    fn default() -> Self {
        Self {
            hidden: 4,
            activation: Activation::Tanh,
            output: MlpOutput::Softmax,
            seed: 1,
        }
    }
}

/// One hidden unit's line W1\[k\]·x + b1\[k\] = 0.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HiddenLine {
    pub unit: usize,
    pub w: [f64; 2],
    pub b: f64,
    /// The line inside the box, or None.
    pub segment: Option<[[f64; 2]; 2]>,
}

/// Everything the MLP view draws at the current weights.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MlpSnapshot {
    /// p(class 1) over the box.
    pub grid: Grid,
    pub hidden_lines: Vec<HiddenLine>,
    pub accuracy: f64,
    /// Mean loss over every point.
    pub loss: f64,
}

/// A 2-layer MLP with its points.
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    config: MlpConfig,
    points: Points,
    tensors: Vec<Tensor>,
    theta: Vec<f64>,
}

/// The forward pass of one point, kept for the backward pass.
struct Forward {
    a: Vec<f64>,
    h: Vec<f64>,
    /// Softmax: p; sigmoid: [σ(z₀)].
    p: Vec<f64>,
    /// −log p(y) for y = 0 and y = 1, from the logits (stable when saturated).
    nll: [f64; 2],
}

impl Mlp {
    /// An MLP on `points`: W1 ~ N(0, 1), b1 ~ N(0, 0.5²) (so the hidden lines
    /// start spread over the plane, not all through the origin),
    /// W2 ~ N(0, 1/H), b2 = 0, all drawn from `config.seed`.
    pub fn new(config: MlpConfig, points: Points) -> Result<Self> {
        let h = config.hidden;
        if !(MIN_HIDDEN..=MAX_HIDDEN).contains(&h) {
            return Err(EngineError::HiddenSize {
                got: h,
                max: MAX_HIDDEN,
            });
        }
        if points.is_empty() || points.x.len() != points.y.len() || points.y.iter().any(|&y| y > 1)
        {
            return Err(EngineError::Invalid(
                "the MLP needs at least one point, each of class 0 or 1".into(),
            ));
        }
        let c = config.classes_out();
        let (tensors, len) =
            layout(&[("W1", &[h, 2]), ("b1", &[h]), ("W2", &[c, h]), ("b2", &[c])]);
        let mut rng = Rng::new(config.seed);
        let mut theta = vec![0.0; len];
        let scale = [1.0, 0.5, 1.0 / (h as f64).sqrt(), 0.0];
        for (t, s) in tensors.iter().zip(scale) {
            theta[t.range()]
                .iter_mut()
                .for_each(|v| *v = s * rng.normal());
        }
        Ok(Self {
            config,
            points,
            tensors,
            theta,
        })
    }

    pub fn config(&self) -> &MlpConfig {
        &self.config
    }

    pub fn points(&self) -> &Points {
        &self.points
    }

    fn part(&self, k: usize) -> &[f64] {
        &self.theta[self.tensors[k].range()]
    }

    fn forward(&self, x: [f64; 2]) -> Forward {
        let (w1, b1, w2, b2) = (self.part(0), self.part(1), self.part(2), self.part(3));
        let f = self.config.activation;
        let a: Vec<f64> = (0..self.config.hidden)
            .map(|k| w1[2 * k] * x[0] + w1[2 * k + 1] * x[1] + b1[k])
            .collect();
        let h: Vec<f64> = a.iter().map(|&v| f.apply(v)).collect();
        let mut p: Vec<f64> = b2
            .iter()
            .enumerate()
            .map(|(c, b)| {
                b + w2[c * h.len()..(c + 1) * h.len()]
                    .iter()
                    .zip(&h)
                    .map(|(w, v)| w * v)
                    .sum::<f64>()
            })
            .collect();
        let nll = match self.config.output {
            MlpOutput::Softmax => {
                let z = [p[0], p[1]];
                let lse = softmax_in_place(&mut p);
                [lse - z[0], lse - z[1]]
            }
            MlpOutput::Sigmoid => {
                // −log σ(z) = softplus(−z), −log(1 − σ(z)) = softplus(z).
                let z = p[0];
                let softplus = |v: f64| v.max(0.0) + libm::log1p(libm::exp(-v.abs()));
                p[0] = Activation::Sigmoid.apply(z);
                [softplus(z), softplus(-z)]
            }
        };
        Forward { a, h, p, nll }
    }

    /// p(class 1 | x).
    pub fn probability(&self, x: [f64; 2]) -> f64 {
        let p = self.forward(x).p;
        *p.last().unwrap_or(&0.0)
    }

    /// The hidden layer h = f(W1 x + b1) at x.
    pub fn hidden(&self, x: [f64; 2]) -> Vec<f64> {
        self.forward(x).h
    }

    /// The predicted class [p(class 1) > ½].
    pub fn predict(&self, x: [f64; 2]) -> usize {
        usize::from(self.probability(x) > 0.5)
    }

    /// The fraction of points classified right.
    pub fn accuracy(&self) -> f64 {
        self.points.accuracy(|x| self.predict(x))
    }

    /// p(class 1) over `plot_box` on an nx × ny grid: the decision regions.
    pub fn grid(&self, plot_box: PlotBox, nx: usize, ny: usize) -> Result<Grid> {
        grid(plot_box, nx, ny, |x| self.probability(x))
    }

    /// Each hidden unit's line W1\[k\]·x + b1\[k\] = 0, clipped to `plot_box`.
    pub fn hidden_lines(&self, plot_box: &PlotBox) -> Vec<HiddenLine> {
        let (w1, b1) = (self.part(0), self.part(1));
        (0..self.config.hidden)
            .map(|k| HiddenLine {
                unit: k,
                w: [w1[2 * k], w1[2 * k + 1]],
                b: b1[k],
                segment: clip_line(b1[k], w1[2 * k], w1[2 * k + 1], plot_box),
            })
            .collect()
    }

    /// Everything the view draws, at the current weights.
    pub fn snapshot(&self, plot_box: PlotBox, nx: usize, ny: usize) -> Result<MlpSnapshot> {
        let all: Vec<usize> = (0..self.examples()).collect();
        Ok(MlpSnapshot {
            grid: self.grid(plot_box, nx, ny)?,
            hidden_lines: self.hidden_lines(&plot_box),
            accuracy: self.accuracy(),
            loss: self.loss(&all),
        })
    }
}

impl MlpConfig {
    /// Output units: 2 for softmax, 1 for sigmoid.
    fn classes_out(&self) -> usize {
        match self.output {
            MlpOutput::Softmax => 2,
            MlpOutput::Sigmoid => 1,
        }
    }
}

impl Model for Mlp {
    super::flat_parameters!();
    fn examples(&self) -> usize {
        self.points.len()
    }
    fn loss_and_gradient(&self, batch: &[usize], grad: &mut [f64]) -> f64 {
        grad.fill(0.0);
        let n = batch.len().max(1) as f64;
        let hn = self.config.hidden;
        let c = self.config.classes_out();
        let f = self.config.activation;
        let r: Vec<_> = self.tensors.iter().map(|t| t.range()).collect();
        let w2 = self.part(2);
        let mut loss = 0.0;
        let mut dz = vec![0.0; c];
        for &i in batch {
            let (x, y) = (self.points.x[i], self.points.y[i]);
            let fw = self.forward(x);
            loss += fw.nll[y] / n;
            match self.config.output {
                MlpOutput::Softmax => {
                    dz.copy_from_slice(&fw.p);
                    dz[y] -= 1.0;
                }
                MlpOutput::Sigmoid => dz[0] = fw.p[0] - y as f64,
            }
            for (j, d) in dz.iter().enumerate() {
                grad[r[3].start + j] += d / n;
                for k in 0..hn {
                    grad[r[2].start + j * hn + k] += d * fw.h[k] / n;
                }
            }
            for k in 0..hn {
                let dh: f64 = (0..c).map(|j| w2[j * hn + k] * dz[j]).sum();
                let da = dh * f.derivative(fw.a[k], fw.h[k]) / n;
                grad[r[0].start + 2 * k] += da * x[0];
                grad[r[0].start + 2 * k + 1] += da * x[1];
                grad[r[1].start + k] += da;
            }
        }
        loss
    }
}

#[cfg(test)]
#[path = "mlp_tests.rs"]
mod tests;
