//! Optimisers: one update θ ← θ + Δθ from a (clipped) gradient g.
//!
//! ```text
//! SGD        θ −= lr·g
//! momentum   v = μ·v − lr·g;            θ += v           (classical momentum)
//! Adagrad    m += g²;                   θ −= lr·g/√(m + eps)   (exactly min-char-rnn)
//! Adam       m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²;  t += 1
//!            m̂ = m/(1−β1ᵗ);  v̂ = v/(1−β2ᵗ);  θ −= lr·m̂/(√v̂ + eps)   (Kingma & Ba 2015)
//! ```
//!
//! Every tensor is walked as a flat row-major slice. The update is written
//! into a second buffer and only swapped in when every new number is finite,
//! so a step that would produce NaN/Inf leaves the parameters and the
//! optimiser's memory exactly as they were, without copying them first.
//!
//! - this file: [`Optimizer`], the memory and the step that applies a rule
//!   to each of the five tensors;
//! - `config.rs`: [`OptimizerKind`], [`OptimizerConfig`] and their checks;
//! - `rules.rs`: the four update rules on flat slices.

mod config;
pub(crate) mod rules;

pub use config::{OptimizerConfig, OptimizerKind, check_learning_rate};

use super::error::{EngineError, Result};
use super::params::Params;
use rules::{adagrad, adam, momentum, sgd};

/// An optimiser with its memory (velocity, Σg², or Adam's two moments).
#[derive(Debug, Clone)]
pub struct Optimizer {
    config: OptimizerConfig,
    /// Memory tensors, shaped like the parameters: [v] (momentum), [m] (Adagrad),
    /// [m, v] (Adam), [] (SGD).
    state: Vec<Params>,
    /// Where the next state is written before it is accepted.
    next_state: Vec<Params>,
    /// Where the next parameters are written before they are accepted.
    next_params: Params,
    /// Number of accepted steps (Adam's t).
    steps: u64,
}

/// Equal when the rule, the memory and the step count are (scratch space aside).
impl PartialEq for Optimizer {
    fn eq(&self, other: &Self) -> bool {
        self.config == other.config && self.state == other.state && self.steps == other.steps
    }
}

impl Optimizer {
    /// A fresh optimiser (zero memory) for V symbols and H hidden units
    /// (both within [`LIMITS`](super::LIMITS)).
    pub fn new(config: OptimizerConfig, vocab_size: usize, hidden: usize) -> Result<Self> {
        config.validate()?;
        super::limits::check_token_vocab_size(vocab_size)?;
        super::limits::check_hidden(hidden)?;
        let zeros = || Params::zeros(vocab_size, hidden);
        let n = config.kind.moments();
        Ok(Self {
            config,
            state: (0..n).map(|_| zeros()).collect(),
            next_state: (0..n).map(|_| zeros()).collect(),
            next_params: zeros(),
            steps: 0,
        })
    }

    pub fn config(&self) -> &OptimizerConfig {
        &self.config
    }

    /// Changes the learning rate, keeping the memory.
    pub fn set_learning_rate(&mut self, lr: f64) -> Result<()> {
        self.config.learning_rate = check_learning_rate(lr)?;
        Ok(())
    }

    /// Number of steps taken.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The memory tensors: `[v]` momentum, `[m]` Adagrad (Σ g²), `[m, v]` Adam, `[]` SGD.
    pub fn state(&self) -> &[Params] {
        &self.state
    }

    /// Replaces the memory (e.g. Adagrad's m from a reference case). Shapes must match.
    pub fn set_state(&mut self, state: Vec<Params>) -> Result<()> {
        if state.len() != self.state.len() {
            return Err(EngineError::Invalid(format!(
                "{} keeps {} memory tensors, got {}",
                self.config.kind.name(),
                self.state.len(),
                state.len()
            )));
        }
        let (v, h) = (self.next_params.vocab_size(), self.next_params.hidden());
        for s in &state {
            s.check_shapes(v, h)?;
        }
        self.state = state;
        Ok(())
    }

    /// Sets the step count (Adam's t), e.g. when a copy takes over another's state.
    pub fn set_steps(&mut self, steps: u64) {
        self.steps = steps;
    }

    /// Forgets the memory and the step count.
    pub fn reset(&mut self) {
        for s in &mut self.state {
            s.slices_mut().into_iter().for_each(|x| x.fill(0.0));
        }
        self.steps = 0;
    }

    /// One update of `params` with gradient `grads` (already clipped).
    ///
    /// With `update_biases == false`, b_h and b_y (and their memory) are left
    /// exactly as they are. If any new parameter or memory value is NaN/Inf,
    /// nothing changes and `false` is returned.
    pub fn step(&mut self, params: &mut Params, grads: &Params, update_biases: bool) -> bool {
        let tensors = if update_biases { 5 } else { 3 };
        let cfg = self.config;
        let lr = cfg.learning_rate;
        let mut finite = true;
        // Adam's bias corrections for the step being taken (t = steps + 1).
        let t = (self.steps + 1) as f64;
        let c1 = 1.0 - libm::pow(cfg.beta1, t);
        let c2 = 1.0 - libm::pow(cfg.beta2, t);
        {
            let theta = params.slices();
            let g = grads.slices();
            let out = self.next_params.slices_mut();
            let old: Vec<[&[f64]; 5]> = self.state.iter().map(|s| s.slices()).collect();
            let mut new: Vec<[&mut [f64]; 5]> =
                self.next_state.iter_mut().map(|s| s.slices_mut()).collect();
            for k in 0..5 {
                if k >= tensors {
                    out[k].copy_from_slice(theta[k]);
                    for (n, o) in new.iter_mut().zip(&old) {
                        n[k].copy_from_slice(o[k]);
                    }
                    continue;
                }
                let (th, gk) = (theta[k], g[k]);
                let ok = match cfg.kind {
                    OptimizerKind::Sgd => sgd(th, gk, &mut *out[k], lr),
                    OptimizerKind::Momentum => momentum(
                        th,
                        gk,
                        old[0][k],
                        &mut *new[0][k],
                        &mut *out[k],
                        lr,
                        cfg.momentum,
                    ),
                    OptimizerKind::Adagrad => adagrad(
                        th,
                        gk,
                        old[0][k],
                        &mut *new[0][k],
                        &mut *out[k],
                        lr,
                        cfg.eps,
                    ),
                    OptimizerKind::Adam => {
                        let (first, second) = new.split_at_mut(1);
                        adam(
                            th,
                            gk,
                            &mut *out[k],
                            old[0][k],
                            &mut *first[0][k],
                            old[1][k],
                            &mut *second[0][k],
                            lr,
                            cfg.beta1,
                            cfg.beta2,
                            cfg.eps,
                            c1,
                            c2,
                        )
                    }
                };
                finite &= ok;
            }
        }
        if finite {
            std::mem::swap(params, &mut self.next_params);
            std::mem::swap(&mut self.state, &mut self.next_state);
            self.steps += 1;
        }
        finite
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::params::ModelConfig;

    fn setup(kind: OptimizerKind) -> (Optimizer, Params, Params) {
        let cfg = ModelConfig {
            hidden: 2,
            bias: true,
            bias_scale: 0.3,
            ..Default::default()
        };
        let p = Params::init(3, &cfg).unwrap();
        let g = Params::init(
            3,
            &ModelConfig {
                seed: 9,
                weight_scale: 2.0,
                ..cfg
            },
        )
        .unwrap();
        (
            Optimizer::new(OptimizerConfig::new(kind, 0.05), 3, 2).unwrap(),
            p,
            g,
        )
    }

    #[test]
    fn sgd_is_theta_minus_lr_g() {
        let (mut opt, mut p, g) = setup(OptimizerKind::Sgd);
        let before = p.clone();
        assert!(opt.step(&mut p, &g, true));
        for (k, (a, b)) in p.slices().iter().zip(before.slices()).enumerate() {
            for i in 0..a.len() {
                assert_eq!(a[i], b[i] - 0.05 * g.slices()[k][i]);
            }
        }
    }

    #[test]
    fn biases_stay_put_when_off() {
        for kind in [
            OptimizerKind::Sgd,
            OptimizerKind::Momentum,
            OptimizerKind::Adagrad,
            OptimizerKind::Adam,
        ] {
            let (mut opt, mut p, g) = setup(kind);
            let before = p.clone();
            assert!(opt.step(&mut p, &g, false));
            assert_eq!(p.b_h, before.b_h);
            assert_eq!(p.b_y, before.b_y);
            assert_ne!(p.w_hh, before.w_hh);
        }
    }

    #[test]
    fn non_finite_step_changes_nothing() {
        let (mut opt, mut p, mut g) = setup(OptimizerKind::Adagrad);
        assert!(opt.step(&mut p, &g, true));
        let (p1, s1) = (p.clone(), opt.state().to_vec());
        g.w_hh[[0, 1]] = f64::NAN;
        assert!(!opt.step(&mut p, &g, true));
        assert_eq!(p, p1);
        assert_eq!(opt.state(), &s1[..]);
        assert_eq!(opt.steps(), 1);
    }
}
