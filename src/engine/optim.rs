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

use super::error::{EngineError, Result, positive_finite};
use super::kernels::multiversion;
use super::params::Params;
use serde::{Deserialize, Serialize};

/// Which update rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    Sgd,
    Momentum,
    #[default]
    Adagrad,
    Adam,
}

impl OptimizerKind {
    /// Lower-case name, as in URLs and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sgd => "sgd",
            Self::Momentum => "momentum",
            Self::Adagrad => "adagrad",
            Self::Adam => "adam",
        }
    }

    /// Parses a lower-case name.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Sgd, Self::Momentum, Self::Adagrad, Self::Adam]
            .into_iter()
            .find(|k| k.name() == name)
    }

    /// How many tensors of memory per parameter tensor the rule keeps.
    fn moments(self) -> usize {
        match self {
            Self::Sgd => 0,
            Self::Momentum | Self::Adagrad => 1,
            Self::Adam => 2,
        }
    }
}

/// The update rule and its hyper-parameters (each rule reads the ones it uses).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OptimizerConfig {
    pub kind: OptimizerKind,
    /// lr, finite and > 0.
    pub learning_rate: f64,
    /// μ for momentum, in [0, 1).
    pub momentum: f64,
    /// β1 for Adam, in [0, 1).
    pub beta1: f64,
    /// β2 for Adam, in [0, 1).
    pub beta2: f64,
    /// eps for Adagrad (inside the square root, as min-char-rnn) and Adam (outside).
    pub eps: f64,
}

impl Default for OptimizerConfig {
    /// Adagrad with lr 0.1, as min-char-rnn.
    fn default() -> Self {
        Self {
            kind: OptimizerKind::Adagrad,
            learning_rate: 0.1,
            momentum: 0.9,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }
}

impl OptimizerConfig {
    /// A config of `kind` with learning rate `lr` and the usual defaults.
    pub fn new(kind: OptimizerKind, learning_rate: f64) -> Self {
        Self {
            kind,
            learning_rate,
            ..Self::default()
        }
    }

    /// Checks every field, naming the first bad one.
    pub fn validate(&self) -> Result<()> {
        check_learning_rate(self.learning_rate)?;
        unit_interval("momentum μ", self.momentum)?;
        unit_interval("Adam's β1", self.beta1)?;
        unit_interval("Adam's β2", self.beta2)?;
        positive_finite("eps", self.eps)?;
        Ok(())
    }
}

/// The learning rate must be finite and > 0.
pub fn check_learning_rate(lr: f64) -> Result<f64> {
    if lr.is_finite() && lr > 0.0 {
        Ok(lr)
    } else {
        Err(EngineError::LearningRate(lr))
    }
}

fn unit_interval(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && (0.0..1.0).contains(&value) {
        Ok(value)
    } else {
        Err(EngineError::BadNumber {
            name,
            got: value,
            hint: " in [0, 1)",
        })
    }
}

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
    /// A fresh optimiser (zero memory) for V symbols and H hidden units.
    pub fn new(config: OptimizerConfig, vocab_size: usize, hidden: usize) -> Result<Self> {
        config.validate()?;
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

// The update rules on flat slices (θ, g, old memory → new memory, θ′);
// each returns whether every new number is finite.

multiversion! {
/// θ′ = θ − lr·g.
fn sgd(th: &[f64], g: &[f64], out: &mut [f64], lr: f64) -> bool {
    let mut ok = true;
    for ((o, &t), &gi) in out.iter_mut().zip(th).zip(g) {
        *o = t - lr * gi;
        ok &= o.is_finite();
    }
    ok
}
}

multiversion! {
/// v′ = μ·v − lr·g;  θ′ = θ + v′.
fn momentum(th: &[f64], g: &[f64], v0: &[f64], v1: &mut [f64], out: &mut [f64], lr: f64, mu: f64) -> bool {
    let mut ok = true;
    for ((((o, &t), &gi), &v), vn) in out.iter_mut().zip(th).zip(g).zip(v0).zip(v1.iter_mut()) {
        *vn = mu * v - lr * gi;
        *o = t + *vn;
        ok &= o.is_finite() & vn.is_finite();
    }
    ok
}
}

multiversion! {
/// m′ = m + g²;  θ′ = θ − lr·g/√(m′ + eps).
fn adagrad(th: &[f64], g: &[f64], m0: &[f64], m1: &mut [f64], out: &mut [f64], lr: f64, eps: f64) -> bool {
    let mut ok = true;
    for ((((o, &t), &gi), &m), mn) in out.iter_mut().zip(th).zip(g).zip(m0).zip(m1.iter_mut()) {
        *mn = m + gi * gi;
        *o = t - lr * gi / (*mn + eps).sqrt();
        ok &= o.is_finite() & mn.is_finite();
    }
    ok
}
}

multiversion! {
/// m′ = β1·m + (1−β1)·g;  v′ = β2·v + (1−β2)·g²;
/// θ′ = θ − lr·(m′/c1)/(√(v′/c2) + eps), with c1 = 1−β1ᵗ, c2 = 1−β2ᵗ.
#[allow(clippy::too_many_arguments)]
fn adam(
    th: &[f64],
    g: &[f64],
    out: &mut [f64],
    m0: &[f64],
    m1: &mut [f64],
    v0: &[f64],
    v1: &mut [f64],
    lr: f64,
    b1: f64,
    b2: f64,
    eps: f64,
    c1: f64,
    c2: f64,
) -> bool {
    let mut ok = true;
    for i in 0..out.len().min(th.len()).min(g.len()).min(m0.len()).min(m1.len()).min(v0.len()).min(v1.len()) {
        let gi = g[i];
        m1[i] = b1 * m0[i] + (1.0 - b1) * gi;
        v1[i] = b2 * v0[i] + (1.0 - b2) * gi * gi;
        let m_hat = m1[i] / c1;
        let v_hat = v1[i] / c2;
        out[i] = th[i] - lr * m_hat / (v_hat.sqrt() + eps);
        ok &= out[i].is_finite() & v1[i].is_finite();
    }
    ok
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

    #[test]
    fn bad_configs_are_refused() {
        for lr in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                OptimizerConfig::new(OptimizerKind::Sgd, lr).validate(),
                Err(EngineError::LearningRate(_))
            ));
        }
        let bad = OptimizerConfig {
            momentum: 1.0,
            ..Default::default()
        };
        assert!(bad.validate().is_err());
        let bad = OptimizerConfig {
            eps: 0.0,
            ..Default::default()
        };
        assert!(bad.validate().is_err());
    }

    #[test]
    fn names_round_trip_and_serde_is_lowercase() {
        for k in ["sgd", "momentum", "adagrad", "adam"] {
            assert_eq!(OptimizerKind::parse(k).unwrap().name(), k);
        }
        let json = serde_json::to_string(&OptimizerConfig::default()).unwrap();
        assert!(json.contains("\"kind\":\"adagrad\""), "{json}");
    }
}
