//! The feed-forward next-token predictor shared by the fixed-window and the
//! bag-of-words models: a sparse input vector x, an optional tanh hidden
//! layer, a softmax over the V tokens. The two models differ only in how
//! they turn the preceding tokens into x.
//!
//! ```text
//! without hidden layer:  y = W_xyᵀ x + b_y                     y: [V]
//! with H hidden units:   h = tanh(W_xhᵀ x + b_h),  y = W_hy h + b_y
//! p = softmax(y),  ℓ = −log p[target]
//! ```
//!
//! Shapes: `W_xy: [D, V]`, `W_xh: [D, H]`, `b_h: [H]`, `W_hy: [V, H]`,
//! `b_y: [V]`. The input weights are stored input-major (row j holds every
//! weight leaving input j, the lecture's matrix transposed): x has only a few
//! non-zero entries, so a forward pass reads a few whole rows and a backward
//! pass writes them, instead of striding through a D-wide matrix.
//!
//! Backward, for one example:
//! ```text
//! dy = p − onehot(target)                      [V]
//! dW_hy += dy hᵀ,  db_y += dy,  dh = W_hyᵀ dy  (or dW_xy[j] += x_j dy)
//! da = dh ⊙ (1 − h²),  dW_xh[j] += x_j da,  db_h += da
//! ```

use super::{Tensor, layout, softmax_in_place};
use crate::engine::kernels::{axpy, dot};
use crate::engine::rng::Rng;

/// A sparse input: (index, value) pairs, indices < D.
pub type SparseInput = Vec<(usize, f64)>;

/// The layer sizes and where each tensor lives in θ.
#[derive(Debug, Clone, PartialEq)]
pub struct SparseNet {
    /// D, the input size.
    pub inputs: usize,
    /// H, hidden units (0: no hidden layer).
    pub hidden: usize,
    /// V, the output size.
    pub outputs: usize,
    tensors: Vec<Tensor>,
    len: usize,
}

/// Scratch for one example: h and p.
#[derive(Debug, Clone)]
pub struct Activations {
    pub h: Vec<f64>,
    pub p: Vec<f64>,
}

impl SparseNet {
    pub fn new(inputs: usize, hidden: usize, outputs: usize) -> Self {
        let (tensors, len) = if hidden == 0 {
            layout(&[("W_xy", &[inputs, outputs]), ("b_y", &[outputs])])
        } else {
            layout(&[
                ("W_xh", &[inputs, hidden]),
                ("b_h", &[hidden]),
                ("W_hy", &[outputs, hidden]),
                ("b_y", &[outputs]),
            ])
        };
        Self {
            inputs,
            hidden,
            outputs,
            tensors,
            len,
        }
    }

    pub fn tensors(&self) -> &[Tensor] {
        &self.tensors
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// θ with weights N(0, 1)·`scale` (drawn tensor by tensor, row-major) and
    /// zero biases.
    pub fn init(&self, seed: u64, scale: f64) -> Vec<f64> {
        let mut rng = Rng::new(seed);
        let mut theta = vec![0.0; self.len];
        for t in &self.tensors {
            if t.shape.len() == 2 {
                theta[t.range()]
                    .iter_mut()
                    .for_each(|v| *v = rng.normal() * scale);
            }
        }
        theta
    }

    pub fn activations(&self) -> Activations {
        Activations {
            h: vec![0.0; self.hidden],
            p: vec![0.0; self.outputs],
        }
    }

    /// Offsets of the tensors: (input weights, b_h, W_hy, b_y); b_h and
    /// W_hy are unused without a hidden layer.
    fn offsets(&self) -> (usize, usize, usize, usize) {
        let o = |i: usize| self.tensors[i].offset;
        if self.hidden == 0 {
            (o(0), 0, 0, o(1))
        } else {
            (o(0), o(1), o(2), o(3))
        }
    }

    /// Forward pass: fills `act.h` (if any) and `act.p`.
    pub fn forward(&self, theta: &[f64], x: &[(usize, f64)], act: &mut Activations) {
        let (w_in, b_h, w_hy, b_y) = self.offsets();
        let v = self.outputs;
        let y = &mut act.p;
        y.copy_from_slice(&theta[b_y..b_y + v]);
        if self.hidden == 0 {
            for &(j, xj) in x {
                axpy(xj, &theta[w_in + j * v..w_in + (j + 1) * v], y);
            }
        } else {
            let hn = self.hidden;
            let h = &mut act.h;
            h.copy_from_slice(&theta[b_h..b_h + hn]);
            for &(j, xj) in x {
                axpy(xj, &theta[w_in + j * hn..w_in + (j + 1) * hn], h);
            }
            h.iter_mut().for_each(|a| *a = libm::tanh(*a));
            for (k, yk) in y.iter_mut().enumerate() {
                *yk += dot(&theta[w_hy + k * hn..w_hy + (k + 1) * hn], h);
            }
        }
        softmax_in_place(y);
    }

    /// −log p\[target\] for input x, and its gradient times `scale` added
    /// into `grad`. `act` is scratch (left holding this example's h and p).
    pub fn loss_and_gradient(
        &self,
        theta: &[f64],
        x: &[(usize, f64)],
        target: usize,
        scale: f64,
        grad: &mut [f64],
        act: &mut Activations,
    ) -> f64 {
        self.forward(theta, x, act);
        let loss = -act.p[target].max(f64::MIN_POSITIVE).ln();
        let (w_in, b_h, w_hy, b_y) = self.offsets();
        let v = self.outputs;
        // dy = (p − onehot(target))·scale, kept in p's buffer.
        let dy = &mut act.p;
        dy[target] -= 1.0;
        dy.iter_mut().for_each(|d| *d *= scale);
        axpy(1.0, dy, &mut grad[b_y..b_y + v]);
        if self.hidden == 0 {
            for &(j, xj) in x {
                axpy(xj, dy, &mut grad[w_in + j * v..w_in + (j + 1) * v]);
            }
            return loss;
        }
        let hn = self.hidden;
        let mut da = vec![0.0; hn];
        for (k, &dyk) in dy.iter().enumerate() {
            let row = w_hy + k * hn..w_hy + (k + 1) * hn;
            axpy(dyk, &act.h, &mut grad[row.clone()]);
            axpy(dyk, &theta[row], &mut da);
        }
        for (d, &h) in da.iter_mut().zip(&act.h) {
            *d *= 1.0 - h * h;
        }
        axpy(1.0, &da, &mut grad[b_h..b_h + hn]);
        for &(j, xj) in x {
            axpy(xj, &da, &mut grad[w_in + j * hn..w_in + (j + 1) * hn]);
        }
        loss
    }
}
