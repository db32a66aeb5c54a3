//! The engine's vanilla RNN on token ids, as a [`Model`]: the word-level RNN
//! of the chapter "Why recurrence?" (tokens = words) and the autocomplete's
//! character RNN (tokens = characters) are both this.
//!
//! ```text
//! h_0 = 0 for every sequence s = [s_0, …, s_n]
//! h_t = tanh(W_xh x_t + W_hh h_{t−1} + b_h),  x_t = onehot(s_{t−1})
//! y_t = W_hy h_t + b_y,  p_t = softmax(y_t),  ℓ_t = −log p_t[s_t]      t = 1..n
//! L(B) = Σ_{s∈B} Σ_t ℓ_t / Σ_{s∈B} n_s          mean loss per predicted token
//! ```
//!
//! θ is the five tensors of [`Params`] laid end to end (W_xh [H, V],
//! W_hh \[H, H\], W_hy \[V, H\], b_h \[H\], b_y \[V\]). The loss and its gradient
//! come from the engine's own [`forward`] and [`backward`] (full BPTT), the
//! same code the other chapters show; the same weights are used at every
//! step, which is why what is learned about a word at one position serves at
//! every other.

use super::next_word::NextToken;
use super::{Model, Tensor, layout};
use crate::engine::activation::Activation;
use crate::engine::bptt::backward;
use crate::engine::error::{EngineError, Result};
use crate::engine::forward::{Trace, forward};
use crate::engine::kernels::{dot, rows_times, softmax_row, tanh};
use crate::engine::params::{ModelConfig, PARAM_NAMES, Params};
use ndarray::Array1;
use serde::{Deserialize, Serialize};

/// The shape and init of a [`TokenRnn`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RnnConfig {
    /// H, hidden units.
    pub hidden: usize,
    /// Weights are N(0, 1)·weight_scale.
    pub weight_scale: f64,
    /// W_hh starts at identity·I + N(0, 1)·weight_scale: with 1, a step
    /// keeps what the state holds unless the input changes it, so a clue
    /// survives the words after it from the first iteration on and training
    /// need not discover memory first (the "IRNN" init of Le, Jaitly & Hinton
    /// 2015, here with tanh). 0: the plain Gaussian init of the other chapters.
    pub identity: f64,
    /// Whether b_h and b_y are trained (they start at 0).
    pub bias: bool,
    pub seed: u64,
}

impl Default for RnnConfig {
    fn default() -> Self {
        Self {
            hidden: 32,
            weight_scale: 0.1,
            identity: 1.0,
            bias: true,
            seed: 1,
        }
    }
}

/// A vanilla RNN over token sequences, each read from h_0 = 0.
#[derive(Debug, Clone)]
pub struct TokenRnn {
    config: RnnConfig,
    vocab_size: usize,
    tensors: Vec<Tensor>,
    theta: Vec<f64>,
    seqs: Vec<Vec<usize>>,
}

impl TokenRnn {
    /// An RNN over `vocab_size` tokens trained on `seqs` (each at least two
    /// tokens long, ids below `vocab_size`).
    pub fn new(config: RnnConfig, vocab_size: usize, seqs: Vec<Vec<usize>>) -> Result<Self> {
        let model = ModelConfig {
            hidden: config.hidden,
            weight_scale: config.weight_scale,
            bias: config.bias,
            bias_scale: 0.0,
            activation: Activation::Tanh,
            seed: config.seed,
        };
        let mut params = Params::init(vocab_size, &model)?;
        crate::engine::error::non_negative_finite("the identity part of W_hh", config.identity)?;
        params
            .w_hh
            .diag_mut()
            .iter_mut()
            .for_each(|w| *w += config.identity);
        if let Some(&i) = seqs.iter().flatten().find(|&&i| i >= vocab_size) {
            return Err(EngineError::SymbolIndex {
                index: i,
                size: vocab_size,
            });
        }
        if seqs.is_empty() || seqs.iter().any(|s| s.len() < 2) {
            return Err(EngineError::TextTooShort { needed: 2 });
        }
        let (v, h) = (vocab_size, config.hidden);
        let (tensors, _) = layout(&[
            (PARAM_NAMES[0], &[h, v]),
            (PARAM_NAMES[1], &[h, h]),
            (PARAM_NAMES[2], &[v, h]),
            (PARAM_NAMES[3], &[h]),
            (PARAM_NAMES[4], &[v]),
        ]);
        let theta = params.slices().concat();
        Ok(Self {
            config,
            vocab_size,
            tensors,
            theta,
            seqs,
        })
    }

    pub fn config(&self) -> &RnnConfig {
        &self.config
    }

    /// The training sequences.
    pub fn sequences(&self) -> &[Vec<usize>] {
        &self.seqs
    }

    /// The input at each step is one one-hot: V, whatever the sequence length.
    pub fn input_size(&self) -> usize {
        self.vocab_size
    }

    /// Number of weights and biases (biases counted even when off).
    pub fn parameter_count(&self) -> usize {
        self.theta.len()
    }

    /// θ as the engine's [`Params`].
    pub fn to_params(&self) -> Params {
        let mut p = Params::zeros(self.vocab_size, self.config.hidden);
        for (dst, t) in p.slices_mut().into_iter().zip(&self.tensors) {
            dst.copy_from_slice(&self.theta[t.range()]);
        }
        p
    }

    /// The forward pass over `seq` from h_0 = 0: inputs s_0..s_{n−1}, every
    /// step scored against the next token.
    pub fn trace(&self, seq: &[usize]) -> Result<Trace> {
        trace(&self.to_params(), seq)
    }

    /// The state after reading `context` from h_0 = 0, and p(next | context).
    pub fn prime(&self, context: &[usize]) -> Result<(Vec<f64>, Vec<f64>)> {
        let params = self.to_params();
        let tr = forward(
            &params,
            Activation::Tanh,
            context,
            &vec![None; context.len()],
            &Array1::zeros(self.config.hidden),
        )?;
        let last = context.len() - 1;
        Ok((tr.h.row(last + 1).to_vec(), tr.p.row(last).to_vec()))
    }

    /// A one-step-at-a-time view of the current weights (for beam search).
    pub fn stepper(&self) -> Stepper {
        Stepper::new(self.to_params())
    }
}

fn trace(params: &Params, seq: &[usize]) -> Result<Trace> {
    if seq.len() < 2 {
        return Err(EngineError::TextTooShort { needed: 2 });
    }
    let n = seq.len() - 1;
    let targets: Vec<Option<usize>> = seq[1..].iter().copied().map(Some).collect();
    forward(
        params,
        Activation::Tanh,
        &seq[..n],
        &targets,
        &Array1::zeros(params.hidden()),
    )
}

impl Model for TokenRnn {
    super::flat_parameters!();
    fn examples(&self) -> usize {
        self.seqs.len()
    }
    fn loss_and_gradient(&self, batch: &[usize], grad: &mut [f64]) -> f64 {
        grad.fill(0.0);
        let params = self.to_params();
        let (mut loss, mut tokens) = (0.0, 0usize);
        for &i in batch {
            let tr = trace(&params, &self.seqs[i]).expect("sequences are validated");
            let g = backward(&params, &tr);
            for (t, src) in self.tensors.iter().zip(g.params.slices()) {
                grad[t.range()]
                    .iter_mut()
                    .zip(src)
                    .for_each(|(d, s)| *d += s);
            }
            loss += tr.loss;
            tokens += tr.len();
        }
        if !self.config.bias {
            for t in &self.tensors[3..] {
                grad[t.range()].fill(0.0);
            }
        }
        let scale = 1.0 / tokens.max(1) as f64;
        grad.iter_mut().for_each(|g| *g *= scale);
        loss * scale
    }
}

impl NextToken for TokenRnn {
    fn vocab_size(&self) -> usize {
        self.vocab_size
    }
    fn next_distribution(&self, context: &[usize]) -> Vec<f64> {
        self.prime(context)
            .map(|(_, p)| p)
            .unwrap_or_else(|_| vec![1.0 / self.vocab_size as f64; self.vocab_size])
    }
    fn sequence_distributions(&self, seq: &[usize]) -> Vec<Vec<f64>> {
        self.trace(seq)
            .map(|tr| tr.p.rows().into_iter().map(|r| r.to_vec()).collect())
            .unwrap_or_default()
    }
}

/// One RNN step at a time, for search: `(h_{t−1}, x) → (h_t, p_t)`, the same
/// sums in the same order as the forward pass's recurrence (the logits may
/// differ from its matrix product in the last bits).
#[derive(Debug, Clone)]
pub struct Stepper {
    params: Params,
    /// W_hhᵀ, row-major: row j is column j of W_hh.
    w_hh_t: Vec<f64>,
}

impl Stepper {
    pub fn new(params: Params) -> Self {
        let w_hh_t = params.w_hh.t().iter().copied().collect();
        Self { params, w_hh_t }
    }

    pub fn hidden(&self) -> usize {
        self.params.hidden()
    }

    /// h_t and p_t after reading token `x` in state `h`.
    pub fn step(&self, h: &[f64], x: usize) -> (Vec<f64>, Vec<f64>) {
        let (hidden, v) = (self.params.hidden(), self.params.vocab_size());
        let mut a: Vec<f64> = self
            .params
            .w_xh
            .column(x)
            .iter()
            .zip(&self.params.b_h)
            .map(|(w, b)| w + b)
            .collect();
        rows_times(h, &self.w_hh_t, &mut a);
        let h_new: Vec<f64> = a.iter().map(|&v| tanh(v)).collect();
        let w_hy = self.params.w_hy.as_slice().expect("standard layout");
        let y: Vec<f64> = (0..v)
            .map(|k| dot(&w_hy[k * hidden..(k + 1) * hidden], &h_new) + self.params.b_y[k])
            .collect();
        let mut p = vec![0.0; v];
        softmax_row(&y, &mut p);
        (h_new, p)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{check_gradient, gradient_ok};
    use super::*;

    fn rnn(bias: bool) -> TokenRnn {
        let seqs = vec![vec![0, 3, 4, 3, 1], vec![0, 4, 1], vec![0, 2, 2, 4, 3, 1]];
        let cfg = RnnConfig {
            hidden: 4,
            weight_scale: 0.6,
            identity: 0.5,
            bias,
            seed: 2,
        };
        TokenRnn::new(cfg, 5, seqs).unwrap()
    }

    #[test]
    fn gradients_match_central_differences() {
        let mut m = rnn(true);
        let n = m.theta.len();
        m.theta[n - 6..].iter_mut().for_each(|b| *b = 0.2);
        let checks = check_gradient(&mut m, &[0, 2], 30);
        assert!(gradient_ok(&checks), "{checks:?}");
        let mut m = rnn(false);
        let mut g = vec![0.0; n];
        m.loss_and_gradient(&[0, 1, 2], &mut g);
        assert!(g[n - 9..].iter().all(|&v| v == 0.0), "no bias gradient");
        assert!(gradient_ok(&check_gradient(&mut m, &[1], 30)[..3]));
    }

    #[test]
    fn loss_is_the_mean_per_token_and_queries_agree() {
        let m = rnn(true);
        let l = m.loss(&[0, 1]);
        let sum = m.trace(&m.seqs[0]).unwrap().loss + m.trace(&m.seqs[1]).unwrap().loss;
        assert!((l - sum / 6.0).abs() < 1e-14);
        let s = &m.seqs[2];
        let rows = m.sequence_distributions(s);
        assert_eq!(rows.len(), 5);
        let (h, p) = m.prime(&s[..3]).unwrap();
        assert_eq!(p, rows[2]);
        // The stepper walks the same states.
        let st = m.stepper();
        let mut hs = vec![0.0; 4];
        let mut ps = Vec::new();
        for &x in &s[..3] {
            (hs, ps) = st.step(&hs, x);
        }
        assert_eq!(hs, h);
        assert!(ps.iter().zip(&p).all(|(a, b)| (a - b).abs() < 1e-14));
        assert_eq!(m.parameter_count(), 4 * 5 + 16 + 5 * 4 + 4 + 5);
    }

    #[test]
    fn bad_sequences_are_refused() {
        let cfg = RnnConfig::default();
        assert!(TokenRnn::new(cfg, 5, vec![vec![0, 5]]).is_err());
        assert!(TokenRnn::new(cfg, 5, vec![vec![0]]).is_err());
        assert!(TokenRnn::new(cfg, 5, vec![]).is_err());
    }
}
