//! One f32 training iteration: forward, full BPTT, clipping, optimiser step,
//! with the exact engine's equations (see `forward.rs` and `bptt.rs`):
//!
//! ```text
//! a_t = W_xh x_t + W_hh h_{t−1} + b_h,   h_t = f(a_t)
//! Y = H_{1..T} W_hyᵀ + b_y,              P = softmax(Y) by rows
//! dY = P − onehot(targets),              dW_hy = dYᵀ H_{1..T},  dH_y = dY W_hy
//! dh_t = dH_y[t] + W_hhᵀ da_{t+1},       da_t = dh_t ⊙ f′(h_t)
//! dW_hh = dAᵀ H_{0..T−1},                dW_xh[:, x_t] += da_t,  db_h = Σ da_t
//! ```
//!
//! f′ is read from h alone (1 − h², h(1 − h), [h > 0], 1), so a_t is not kept.

use super::math::{sigmoid, softmax_in_place, tanh};
use super::simd::{gemm_acc, rows_times, transpose_into};
use super::{FastSettings, FastTrainer, Layout};
use crate::engine::activation::Activation;
use crate::engine::clip::{Clip, ClipReport, clamp_on};
use crate::engine::kernels::{axpy, dot};
use crate::engine::optim::OptimizerKind;
use crate::engine::optim::rules::{AdamStep, adagrad_on, adam_on, momentum_on, sgd_on};
use crate::engine::params::Params;

/// The buffers of one iteration (T steps), reused.
#[derive(Debug, Clone, Default)]
pub(crate) struct Work {
    /// W_hhᵀ, then W_hyᵀ.
    transposed: Vec<f32>,
    /// h_0..h_T: [T+1, H].
    h: Vec<f32>,
    /// Logits, then p, then dY: [T, V].
    y: Vec<f32>,
    /// dY W_hy: [T, H].
    dh_y: Vec<f32>,
    /// dA: [T, H].
    da: Vec<f32>,
    /// W_hhᵀ da_{t+1}; dL/dh_0 at the end: [H].
    carry: Vec<f32>,
}

/// What one iteration produced (the loss and norms in f64).
#[derive(Debug, Clone, PartialEq)]
pub struct FastStep {
    pub loss: f64,
    /// h_T, the state handed to the next sequence.
    pub h_last: Vec<f32>,
    /// ‖dL/dθ‖ per tensor before clipping (PARAM_NAMES order).
    pub grad_norms: [f64; 5],
    /// ‖dL/dh_t‖ for t = 0..T.
    pub dh_norms: Vec<f64>,
    pub clip: ClipReport,
}

/// The forward pass and full BPTT in f32, widened for comparison with the
/// exact engine (the checks in tests/fast32.rs).
#[derive(Debug, Clone, PartialEq)]
pub struct FastGradients {
    pub loss: f64,
    /// h_0..h_T, row-major [T+1, H].
    pub h: Vec<f64>,
    /// p_t per step, row-major [T, V].
    pub p: Vec<f64>,
    pub grads: Params,
    /// dL/dh_0.
    pub h0: Vec<f64>,
}

/// f32 forward and gradients of one sequence (inputs at every step) with `params` rounded to f32.
pub fn gradients(
    params: &Params,
    activation: Activation,
    inputs: &[usize],
    targets: &[Option<usize>],
    h0: &[f64],
) -> FastGradients {
    let opt = crate::engine::optim::Optimizer::new(
        Default::default(),
        params.vocab_size(),
        params.hidden(),
    )
    .expect("a valid model's sizes");
    let settings = FastSettings {
        activation,
        bias: true,
        clip: Clip::Off,
        optimizer: Default::default(),
    };
    let mut t = FastTrainer::new(params, &opt, settings);
    let h0: Vec<f32> = h0.iter().map(|&v| v as f32).collect();
    let loss = t.forward(inputs, targets, &h0);
    let p: Vec<f64> = t.work.y.iter().map(|&v| f64::from(v)).collect();
    t.backward(inputs);
    let mut grads = Params::zeros(params.vocab_size(), params.hidden());
    super::unflatten(&t.grads, &mut grads);
    let widen = |v: &[f32]| v.iter().map(|&x| f64::from(x)).collect();
    FastGradients {
        loss,
        h: widen(&t.work.h),
        p,
        grads,
        h0: widen(&t.work.carry),
    }
}

/// (Σ g², max |g|) in one pass: the sum in [`dot`]'s order (so ‖g‖ has its bits),
/// the maximum for clipping by value.
fn sum_sq_and_max_abs(g: &[f32]) -> (f32, f32) {
    let mut acc = [0.0f32; 8];
    let mut max = [0.0f32; 8];
    let chunks = g.chunks_exact(8);
    let rest = chunks.remainder();
    for x in chunks {
        for k in 0..8 {
            acc[k] += x[k] * x[k];
            // A comparison, not f32::max: its NaN rule keeps LLVM from f32x4 lanes.
            let a = x[k].abs();
            max[k] = if a > max[k] { a } else { max[k] };
        }
    }
    let t = [
        acc[0] + acc[4],
        acc[1] + acc[5],
        acc[2] + acc[6],
        acc[3] + acc[7],
    ];
    let mut sum = (t[0] + t[2]) + (t[1] + t[3]);
    let mut top = max.iter().fold(0.0f32, |a, &b| a.max(b));
    for &x in rest {
        sum += x * x;
        top = top.max(x.abs());
    }
    // A NaN is not in `top`, but it is in `sum`: the caller stops on a non-finite norm.
    (sum, top)
}

/// h ← f(h) in place (h holds a_t on entry).
#[inline(always)]
fn activate(activation: Activation, h: &mut [f32]) {
    match activation {
        Activation::Tanh => h.iter_mut().for_each(|v| *v = tanh(*v)),
        Activation::Sigmoid => h.iter_mut().for_each(|v| *v = sigmoid(*v)),
        Activation::Relu => h
            .iter_mut()
            .for_each(|v| *v = if *v > 0.0 { *v } else { 0.0 }),
        Activation::Identity => {}
    }
}

/// d ← d ⊙ f′, with f′ from h_t = f(a_t).
#[inline(always)]
fn times_derivative(activation: Activation, d: &mut [f32], h: &[f32]) {
    let pairs = d.iter_mut().zip(h);
    match activation {
        Activation::Tanh => pairs.for_each(|(g, &v)| *g *= 1.0 - v * v),
        Activation::Sigmoid => pairs.for_each(|(g, &v)| *g *= v * (1.0 - v)),
        Activation::Relu => pairs.for_each(|(g, &v)| *g = if v > 0.0 { *g } else { 0.0 }),
        Activation::Identity => {}
    }
}

impl FastTrainer {
    /// Runs the sequence from `h0`: fills h and, in `work.y`, dY = P − onehot
    /// (0 on unscored steps). Returns L = Σ −log p_t[target_t] (f64).
    pub(crate) fn forward(
        &mut self,
        inputs: &[usize],
        targets: &[Option<usize>],
        h0: &[f32],
    ) -> f64 {
        let Layout { hidden, vocab } = self.layout;
        let [r_xh, r_hh, r_hy, r_bh, r_by] = self.layout.ranges();
        let (theta, w) = (&self.theta, &mut self.work);
        let steps = inputs.len();
        w.h.clear();
        w.h.extend_from_slice(&h0[..hidden]);
        w.h.resize((steps + 1) * hidden, 0.0);
        transpose_into(&theta[r_hh], (hidden, hidden), &mut w.transposed);
        let (w_xh_t, b_h) = (&theta[r_xh], &theta[r_bh]);
        for (s, &x) in inputs.iter().enumerate() {
            let (done, rest) = w.h.split_at_mut((s + 1) * hidden);
            let h_t = &mut rest[..hidden];
            let column = &w_xh_t[x * hidden..(x + 1) * hidden];
            for ((o, &xv), &bv) in h_t.iter_mut().zip(column).zip(b_h) {
                *o = xv + bv;
            }
            rows_times(&done[s * hidden..], &w.transposed, h_t);
            activate(self.settings.activation, h_t);
        }
        transpose_into(&theta[r_hy], (vocab, hidden), &mut w.transposed);
        w.y.clear();
        for _ in 0..steps {
            w.y.extend_from_slice(&theta[r_by.clone()]);
        }
        gemm_acc(
            (steps, hidden, vocab),
            &w.h[hidden..],
            (hidden, 1),
            &w.transposed,
            &mut w.y,
        );
        let mut loss = 0.0;
        for (row, target) in w.y.chunks_exact_mut(vocab).zip(targets) {
            match *target {
                Some(k) => {
                    let y_k = row[k];
                    let (max, lse) = softmax_in_place(row);
                    loss -= f64::from(y_k - max) - lse;
                    row[k] -= 1.0;
                }
                None => row.fill(0.0),
            }
        }
        loss
    }

    /// Full BPTT of the last [`FastTrainer::forward`] into `grads` (zeroed
    /// first); returns ‖dL/dh_t‖ for t = 0..T. `work.carry` ends as dL/dh_0.
    pub(crate) fn backward(&mut self, inputs: &[usize]) -> Vec<f64> {
        let Layout { hidden, vocab } = self.layout;
        let [r_xh, r_hh, r_hy, r_bh, r_by] = self.layout.ranges();
        let steps = inputs.len();
        let (theta, g) = (&self.theta, &mut self.grads);
        let Work {
            h,
            y: dy,
            dh_y,
            da,
            carry,
            ..
        } = &mut self.work;
        g.fill(0.0);
        // dW_hy = dYᵀ H_{1..T}: A = dYᵀ read from dY with strides (1, V).
        gemm_acc(
            (vocab, steps, hidden),
            dy,
            (1, vocab),
            &h[hidden..],
            &mut g[r_hy.clone()],
        );
        for row in dy.chunks_exact(vocab) {
            axpy(1.0, row, &mut g[r_by.clone()]);
        }
        dh_y.clear();
        dh_y.resize(steps * hidden, 0.0);
        gemm_acc((steps, vocab, hidden), dy, (vocab, 1), &theta[r_hy], dh_y);
        da.clear();
        da.resize(steps * hidden, 0.0);
        carry.clear();
        carry.resize(hidden, 0.0);
        let mut dh_norms = vec![0.0; steps + 1];
        let w_hh = &theta[r_hh.clone()];
        for s in (0..steps).rev() {
            let da_t = &mut da[s * hidden..(s + 1) * hidden];
            for ((d, &from_y), &c) in da_t.iter_mut().zip(&dh_y[s * hidden..]).zip(carry.iter()) {
                *d = from_y + c;
            }
            dh_norms[s + 1] = f64::from(dot(da_t, da_t)).sqrt();
            times_derivative(
                self.settings.activation,
                da_t,
                &h[(s + 1) * hidden..(s + 2) * hidden],
            );
            carry.fill(0.0);
            rows_times(da_t, w_hh, carry);
        }
        dh_norms[0] = f64::from(dot(carry, carry)).sqrt();
        // dW_hh = dAᵀ H_{0..T−1}: A = dAᵀ read from dA with strides (1, H).
        gemm_acc(
            (hidden, steps, hidden),
            da,
            (1, hidden),
            &h[..steps * hidden],
            &mut g[r_hh],
        );
        let (w_xh_t, b_h) = (r_xh.start, r_bh);
        for (da_t, &x) in da.chunks_exact(hidden).zip(inputs) {
            axpy(
                1.0,
                da_t,
                &mut g[w_xh_t + x * hidden..w_xh_t + (x + 1) * hidden],
            );
            axpy(1.0, da_t, &mut g[b_h.clone()]);
        }
        dh_norms
    }

    /// Clips `grads` as the exact engine does (by value or by global norm);
    /// returns ‖g‖ per tensor before clipping and the report, None if not finite.
    fn clip(&mut self) -> Option<([f64; 5], ClipReport)> {
        let ranges = self.layout.ranges();
        let g = &mut self.grads;
        if !self.settings.bias {
            g[ranges[3].start..].fill(0.0);
        }
        let mut max_abs = 0.0f32;
        let norms = ranges.clone().map(|r| {
            let (sum_sq, max) = sum_sq_and_max_abs(&g[r]);
            max_abs = max_abs.max(max);
            f64::from(sum_sq).sqrt()
        });
        let total = norms.iter().map(|n| n * n).sum::<f64>().sqrt();
        if !total.is_finite() {
            return None;
        }
        let norm_of = |g: &[f32]| f64::from(dot(g, g)).sqrt();
        let fired = match self.settings.clip {
            Clip::Off => false,
            // Clamping writes every gradient: only when one is out of range (rarely,
            // once training has settled), and then as the exact engine does.
            Clip::Value(c) => max_abs > c as f32 && clamp_on(g, c as f32),
            Clip::Norm(c) if total >= c => {
                let scale = (c / total) as f32;
                g.iter_mut().for_each(|v| *v *= scale);
                true
            }
            Clip::Norm(_) => false,
        };
        let norm_after = if fired { norm_of(g) } else { total };
        let report = ClipReport {
            fired,
            norm_before: total,
            norm_after,
        };
        Some((norms, report))
    }

    /// θ ← θ + Δθ by the session's optimiser, into the second buffers; kept
    /// only if every new number is finite (returns whether it was).
    fn update(&mut self) -> bool {
        let cfg = self.settings.optimizer;
        let n = if self.settings.bias {
            self.layout.len()
        } else {
            self.layout.weights()
        };
        let (th, g) = (&self.theta[..n], &self.grads[..n]);
        let out = &mut self.next_theta[..n];
        let lr = cfg.learning_rate as f32;
        let (old, new) = (&self.memory, &mut self.next_memory);
        let ok = match cfg.kind {
            OptimizerKind::Sgd => sgd_on(th, g, out, lr),
            OptimizerKind::Momentum => momentum_on(
                (th, g),
                (&old[0][..n], &mut new[0][..n]),
                out,
                (lr, cfg.momentum as f32),
            ),
            OptimizerKind::Adagrad => adagrad_on(
                (th, g),
                (&old[0][..n], &mut new[0][..n]),
                out,
                (lr, cfg.eps as f32),
            ),
            OptimizerKind::Adam => {
                let t = (self.steps + 1) as f64;
                let k = AdamStep {
                    lr,
                    b1: cfg.beta1 as f32,
                    b2: cfg.beta2 as f32,
                    eps: cfg.eps as f32,
                    c1: (1.0 - libm::pow(cfg.beta1, t)) as f32,
                    c2: (1.0 - libm::pow(cfg.beta2, t)) as f32,
                };
                let (first, second) = new.split_at_mut(1);
                adam_on(
                    (th, g),
                    (&old[0][..n], &mut first[0][..n]),
                    (&old[1][..n], &mut second[0][..n]),
                    out,
                    k,
                )
            }
        };
        if ok {
            // Without biases the tails (b_h, b_y and their memory) stay as they are.
            std::mem::swap(&mut self.theta, &mut self.next_theta);
            std::mem::swap(&mut self.memory, &mut self.next_memory);
            self.next_theta[n..].copy_from_slice(&self.theta[n..]);
            for (next, kept) in self.next_memory.iter_mut().zip(&self.memory) {
                next[n..].copy_from_slice(&kept[n..]);
            }
            self.steps += 1;
        }
        ok
    }

    /// One training iteration on `inputs` → `targets` from state `h0`. None on
    /// NaN/Inf, and then the parameters and memory are exactly as they were.
    pub fn step(
        &mut self,
        inputs: &[usize],
        targets: &[Option<usize>],
        h0: &[f32],
    ) -> Option<FastStep> {
        let loss = self.forward(inputs, targets, h0);
        if !loss.is_finite() {
            return None;
        }
        let dh_norms = self.backward(inputs);
        let (grad_norms, clip) = self.clip()?;
        if !self.update() {
            return None;
        }
        let hidden = self.layout.hidden;
        let h_last = self.work.h[inputs.len() * hidden..(inputs.len() + 1) * hidden].to_vec();
        Some(FastStep {
            loss,
            h_last,
            grad_norms,
            dh_norms,
            clip,
        })
    }
}
