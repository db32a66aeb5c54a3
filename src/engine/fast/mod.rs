//! The fast training mode: the text-mode training step in float32.
//!
//! The exact engine is float64 throughout, and the step-through and gradient
//! views always use it. Training a character model does not need 16 digits,
//! and simd128 holds four f32 lanes against two f64 ones, so the same
//! kernels ([`crate::engine::kernels`], written once over
//! [`Real`](crate::engine::kernels::Real)) run about twice as many numbers
//! per instruction. One iteration is the exact engine's
//! (forward, full BPTT, clipping, optimiser step; `step.rs`) with every
//! tensor in f32; the loss and the norms are reported in f64.
//!
//! The f32 state lives only while [`FastTrainer`] trains: [`FastTrainer::load`]
//! rounds the session's f64 parameters and optimiser memory to f32, and
//! [`FastTrainer::store`] writes them back widened, which is exact. So after
//! the first f32 iteration the f64 copy holds f32 values, a later load is
//! exact too, and training in slices (the page's frames, a worker's
//! messages) reaches the same bits as training in one call.
//!
//! Layout: one flat vector `[W_xhᵀ (V×H), W_hh (H×H), W_hy (V×H), b_h (H), b_y (V)]`,
//! with W_xh transposed so that the column of a one-hot input is a
//! contiguous row, and the biases last so that "no biases" is a prefix.

mod math;
pub mod simd;
mod step;

pub use math::{exp, sigmoid, softmax_in_place, tanh};
pub use step::{FastGradients, FastStep, gradients};

use super::activation::Activation;
use super::clip::Clip;
use super::error::Result;
use super::optim::{Optimizer, OptimizerConfig};
use super::params::Params;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Which arithmetic text-mode training uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Precision {
    /// The exact engine (the default; what every view shows).
    #[default]
    #[serde(rename = "f64")]
    Float64,
    /// Training in float32 with four-lane SIMD.
    #[serde(rename = "f32")]
    Float32,
}

impl Precision {
    pub fn name(self) -> &'static str {
        match self {
            Self::Float64 => "f64",
            Self::Float32 => "f32",
        }
    }
}

/// Where the five tensors sit in the flat vector.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Layout {
    pub hidden: usize,
    pub vocab: usize,
}

impl Layout {
    /// W_xhᵀ, W_hh, W_hy, b_h, b_y (PARAM_NAMES order).
    pub fn ranges(self) -> [Range<usize>; 5] {
        let (h, v) = (self.hidden, self.vocab);
        let ends = [v * h, v * h + h * h, 2 * v * h + h * h];
        let bh = ends[2] + h;
        [
            0..ends[0],
            ends[0]..ends[1],
            ends[1]..ends[2],
            ends[2]..bh,
            bh..bh + v,
        ]
    }

    pub fn len(self) -> usize {
        self.ranges()[4].end
    }

    /// Number of weight entries: the prefix the optimiser updates without biases.
    pub fn weights(self) -> usize {
        self.ranges()[2].end
    }
}

/// Rounds `p` into the flat f32 layout (W_xh transposed).
fn flatten(p: &Params, out: &mut Vec<f32>) {
    let (h, v) = (p.hidden(), p.vocab_size());
    out.clear();
    for x in 0..v {
        out.extend(p.w_xh.column(x).iter().map(|&w| w as f32));
    }
    for s in &p.slices()[1..] {
        out.extend(s.iter().map(|&w| w as f32));
    }
    debug_assert_eq!(
        out.len(),
        Layout {
            hidden: h,
            vocab: v
        }
        .len()
    );
}

/// Writes the flat f32 layout back into `p`, widened (exact).
fn unflatten(flat: &[f32], p: &mut Params) {
    let layout = Layout {
        hidden: p.hidden(),
        vocab: p.vocab_size(),
    };
    let r = layout.ranges();
    for (x, row) in flat[r[0].clone()].chunks_exact(layout.hidden).enumerate() {
        p.w_xh
            .column_mut(x)
            .iter_mut()
            .zip(row)
            .for_each(|(o, &w)| *o = f64::from(w));
    }
    for (dst, k) in p.slices_mut().into_iter().skip(1).zip(1..) {
        dst.iter_mut()
            .zip(&flat[r[k].clone()])
            .for_each(|(o, &w)| *o = f64::from(w));
    }
}

/// What the training step reads, as the session has it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FastSettings {
    pub activation: Activation,
    pub bias: bool,
    pub clip: Clip,
    pub optimizer: OptimizerConfig,
}

/// A session's parameters and optimiser memory in f32, with the buffers one
/// iteration needs (kept across iterations: no allocation per step).
#[derive(Debug, Clone)]
pub struct FastTrainer {
    pub(crate) layout: Layout,
    pub(crate) settings: FastSettings,
    pub(crate) theta: Vec<f32>,
    pub(crate) next_theta: Vec<f32>,
    pub(crate) memory: Vec<Vec<f32>>,
    pub(crate) next_memory: Vec<Vec<f32>>,
    /// Optimiser steps taken (Adam's t).
    pub(crate) steps: u64,
    pub(crate) grads: Vec<f32>,
    pub(crate) work: step::Work,
}

impl FastTrainer {
    /// An f32 copy of `params` and `optimizer`'s memory.
    pub fn new(params: &Params, optimizer: &Optimizer, settings: FastSettings) -> Self {
        let mut t = FastTrainer {
            layout: Layout {
                hidden: params.hidden(),
                vocab: params.vocab_size(),
            },
            settings,
            theta: Vec::new(),
            next_theta: Vec::new(),
            memory: Vec::new(),
            next_memory: Vec::new(),
            steps: 0,
            grads: Vec::new(),
            work: step::Work::default(),
        };
        t.load(params, optimizer, settings);
        t
    }

    /// Takes the (possibly changed) parameters, memory and settings again,
    /// rounded to f32, keeping the buffers.
    pub fn load(&mut self, params: &Params, optimizer: &Optimizer, settings: FastSettings) {
        self.layout = Layout {
            hidden: params.hidden(),
            vocab: params.vocab_size(),
        };
        self.settings = settings;
        flatten(params, &mut self.theta);
        self.next_theta.clone_from(&self.theta);
        let state = optimizer.state();
        self.memory.resize_with(state.len(), Vec::new);
        for (m, s) in self.memory.iter_mut().zip(state) {
            flatten(s, m);
        }
        self.next_memory.clone_from(&self.memory);
        self.steps = optimizer.steps();
        self.grads.clear();
        self.grads.resize(self.layout.len(), 0.0);
    }

    /// Writes the f32 parameters and memory back, widened to f64 (exact).
    pub fn store(&self, params: &mut Params, optimizer: &mut Optimizer) -> Result<()> {
        unflatten(&self.theta, params);
        let mut state = optimizer.state().to_vec();
        for (s, m) in state.iter_mut().zip(&self.memory) {
            unflatten(m, s);
        }
        optimizer.set_state(state)?;
        optimizer.set_steps(self.steps);
        Ok(())
    }

    /// The f32 parameters, widened, as [`Params`].
    pub fn params(&self) -> Params {
        let mut p = Params::zeros(self.layout.vocab, self.layout.hidden);
        unflatten(&self.theta, &mut p);
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::params::ModelConfig;

    #[test]
    fn flatten_and_unflatten_round_trip_f32_values() {
        let cfg = ModelConfig {
            hidden: 5,
            bias: true,
            bias_scale: 0.3,
            ..Default::default()
        };
        let p = Params::init(7, &cfg).unwrap();
        let mut flat = Vec::new();
        flatten(&p, &mut flat);
        let layout = Layout {
            hidden: 5,
            vocab: 7,
        };
        assert_eq!(flat.len(), layout.len());
        // W_xh[2, 3] sits in row 3 of W_xhᵀ; b_y last.
        assert_eq!(flat[3 * 5 + 2], p.w_xh[[2, 3]] as f32);
        assert_eq!(flat[layout.len() - 1], p.b_y[6] as f32);
        let mut back = Params::zeros(7, 5);
        unflatten(&flat, &mut back);
        for (a, b) in back.slices().iter().zip(p.slices()) {
            for (&x, &y) in a.iter().zip(b) {
                assert_eq!(x, y as f32 as f64);
            }
        }
        let mut again = Vec::new();
        flatten(&back, &mut again);
        assert_eq!(again, flat, "f32 values survive the round trip exactly");
    }
}
