//! Optimiser steps and clipping against their textbook formulas, written
//! out here element by element (independently of engine::optim).

use rnn_lab::engine::{
    Clip, ModelConfig, Optimizer, OptimizerConfig, OptimizerKind, PARAM_NAMES, Params,
};

const V: usize = 4;
const H: usize = 3;

fn random(seed: u64, scale: f64) -> Params {
    Params::init(
        V,
        &ModelConfig {
            hidden: H,
            weight_scale: scale,
            bias: true,
            bias_scale: scale,
            seed,
            ..Default::default()
        },
    )
    .unwrap()
}

fn flat(p: &Params) -> Vec<f64> {
    p.slices().concat()
}

/// Runs `steps` updates with gradients drawn from seeds 10, 11, …
fn run(kind: OptimizerKind, cfg: OptimizerConfig, steps: usize) -> (Params, Vec<Vec<f64>>) {
    let mut p = random(1, 0.5);
    let mut opt = Optimizer::new(OptimizerConfig { kind, ..cfg }, V, H).unwrap();
    let mut grads = Vec::new();
    for s in 0..steps {
        let g = random(10 + s as u64, 1.0);
        assert!(opt.step(&mut p, &g, true));
        grads.push(flat(&g));
    }
    (p, grads)
}

fn assert_close(got: &[f64], want: &[f64], what: &str) {
    assert_eq!(got.len(), want.len());
    for (i, (a, b)) in got.iter().zip(want).enumerate() {
        assert!(
            (a - b).abs() <= 1e-15 * b.abs().max(1.0),
            "{what}[{i}]: {a} vs {b}"
        );
    }
}

#[test]
fn sgd() {
    let cfg = OptimizerConfig::new(OptimizerKind::Sgd, 0.3);
    let (p, gs) = run(OptimizerKind::Sgd, cfg, 3);
    let mut theta = flat(&random(1, 0.5));
    for g in &gs {
        for (t, gi) in theta.iter_mut().zip(g) {
            *t -= 0.3 * gi;
        }
    }
    assert_close(&flat(&p), &theta, "θ");
}

#[test]
fn classical_momentum() {
    let cfg = OptimizerConfig {
        momentum: 0.8,
        ..OptimizerConfig::new(OptimizerKind::Momentum, 0.05)
    };
    let (p, gs) = run(OptimizerKind::Momentum, cfg, 4);
    let mut theta = flat(&random(1, 0.5));
    let mut v = vec![0.0; theta.len()];
    for g in &gs {
        for i in 0..theta.len() {
            v[i] = 0.8 * v[i] - 0.05 * g[i]; // v = μv − lr·g
            theta[i] += v[i]; // θ += v
        }
    }
    assert_close(&flat(&p), &theta, "θ");
}

#[test]
fn adagrad_as_min_char_rnn() {
    let cfg = OptimizerConfig::new(OptimizerKind::Adagrad, 0.1);
    let (p, gs) = run(OptimizerKind::Adagrad, cfg, 5);
    let mut theta = flat(&random(1, 0.5));
    let mut mem = vec![0.0; theta.len()];
    for g in &gs {
        for i in 0..theta.len() {
            mem[i] += g[i] * g[i]; // mem += dparam * dparam
            theta[i] += -0.1 * g[i] / (mem[i] + 1e-8).sqrt(); // param += -lr * dparam / np.sqrt(mem + 1e-8)
        }
    }
    assert_close(&flat(&p), &theta, "θ");
}

#[test]
fn adam_with_bias_correction() {
    let cfg = OptimizerConfig {
        beta1: 0.85,
        beta2: 0.99,
        eps: 1e-7,
        ..OptimizerConfig::new(OptimizerKind::Adam, 0.01)
    };
    let (p, gs) = run(OptimizerKind::Adam, cfg, 6);
    let mut theta = flat(&random(1, 0.5));
    let (mut m, mut v) = (vec![0.0; theta.len()], vec![0.0; theta.len()]);
    for (t, g) in gs.iter().enumerate() {
        let t = (t + 1) as i32;
        for i in 0..theta.len() {
            m[i] = 0.85 * m[i] + 0.15 * g[i];
            v[i] = 0.99 * v[i] + 0.01 * g[i] * g[i];
            let m_hat = m[i] / (1.0 - 0.85f64.powi(t));
            let v_hat = v[i] / (1.0 - 0.99f64.powi(t));
            theta[i] -= 0.01 * m_hat / (v_hat.sqrt() + 1e-7);
        }
    }
    // powi and the engine's pow may differ in the last bit: compare to 1e-13.
    for (a, b) in flat(&p).iter().zip(&theta) {
        assert!((a - b).abs() < 1e-13, "{a} vs {b}");
    }
    // The first Adam step moves every entry by almost exactly lr (m̂/√v̂ = ±1).
    let mut q = random(1, 0.5);
    let mut opt = Optimizer::new(cfg, V, H).unwrap();
    let g = random(10, 1.0);
    opt.step(&mut q, &g, true);
    for ((a, b), gi) in flat(&q).iter().zip(flat(&random(1, 0.5))).zip(flat(&g)) {
        assert!(((b - a) - 0.01 * gi.signum()).abs() < 1e-7);
    }
}

#[test]
fn memory_is_kept_across_lr_changes_and_reset_clears_it() {
    let mut p = random(1, 0.5);
    let g = random(10, 1.0);
    let mut opt = Optimizer::new(OptimizerConfig::default(), V, H).unwrap();
    opt.step(&mut p, &g, true);
    opt.set_learning_rate(0.5).unwrap();
    let mem: Vec<f64> = flat(&opt.state()[0]);
    assert_close(
        &mem,
        &flat(&g).iter().map(|x| x * x).collect::<Vec<_>>(),
        "mem",
    );
    assert!(opt.set_learning_rate(-1.0).is_err());
    opt.reset();
    assert!(flat(&opt.state()[0]).iter().all(|&m| m == 0.0));
    assert_eq!(opt.steps(), 0);
}

#[test]
fn clipping_by_value_and_by_norm() {
    let g = random(3, 4.0);
    let gv = flat(&g);
    let norm = gv.iter().map(|x| x * x).sum::<f64>().sqrt();

    let mut by_value = g.clone();
    let r = Clip::Value(2.0).apply(&mut by_value);
    let want: Vec<f64> = gv.iter().map(|x| x.clamp(-2.0, 2.0)).collect();
    assert_eq!(flat(&by_value), want);
    assert_eq!(r.fired, gv.iter().any(|x| x.abs() > 2.0));
    assert!((r.norm_before - norm).abs() < 1e-12);
    let after = want.iter().map(|x| x * x).sum::<f64>().sqrt();
    assert!((r.norm_after - after).abs() < 1e-12);

    // Pascanu et al.: if ‖g‖ ≥ c then g ← c·g/‖g‖.
    let c = norm / 3.0;
    let mut by_norm = g.clone();
    let r = Clip::Norm(c).apply(&mut by_norm);
    assert!(r.fired);
    let want: Vec<f64> = gv.iter().map(|x| x * (c / norm)).collect();
    assert_close(&flat(&by_norm), &want, "clipped g");
    assert!((r.norm_after - c).abs() < 1e-12);

    let mut untouched = g.clone();
    let r = Clip::Norm(norm * 1.01).apply(&mut untouched);
    assert!(!r.fired);
    assert_eq!(untouched, g);
    assert_eq!(PARAM_NAMES.len(), g.slices().len());
}
