use super::*;
use crate::engine::models::perceptron::{Perceptron, PerceptronActivation};
use crate::engine::models::{Trainer, check_gradient, gradient_ok};
use crate::engine::optim::{OptimizerConfig, OptimizerKind};

/// The XOR data of the tests: 200 points, σ = 0.35.
fn xor() -> Points {
    Points::xor(1, 200, 0.35).unwrap()
}

fn config(activation: Activation, output: MlpOutput) -> MlpConfig {
    MlpConfig {
        hidden: 4,
        activation,
        output,
        seed: 3,
    }
}

fn adam() -> OptimizerConfig {
    OptimizerConfig::new(OptimizerKind::Adam, 0.05)
}

fn train(mut m: Mlp, steps: usize) -> (Mlp, Vec<f64>) {
    let mut t = Trainer::new(&m, adam(), 0, 0.0, 1).unwrap();
    t.train(&mut m, steps).unwrap();
    (m, t.losses)
}

#[test]
fn gradient_matches_central_differences() {
    let batch: Vec<usize> = (0..200).step_by(9).collect();
    for activation in [Activation::Tanh, Activation::Sigmoid, Activation::Relu] {
        for output in [MlpOutput::Softmax, MlpOutput::Sigmoid] {
            let mut m = Mlp::new(config(activation, output), xor()).unwrap();
            // ReLU's kink: seed 3 leaves every pre-activation of the batch
            // at least 0.01 away from 0, so ±ε never switches a unit.
            let margin = batch
                .iter()
                .flat_map(|&i| m.forward(m.points().x[i]).a)
                .fold(f64::INFINITY, |acc, a| acc.min(a.abs()));
            assert!(margin > 0.01, "{margin}");
            let checks = check_gradient(&mut m, &batch, 20);
            assert!(
                gradient_ok(&checks),
                "{activation:?} {output:?}: {checks:?}"
            );
        }
    }
}

#[test]
fn the_mlp_solves_xor_and_a_perceptron_cannot() {
    // Stated: ≥ 95% on the XOR data within 300 full-batch Adam steps (lr
    // 0.05, H = 4) for every hidden activation and output. Measured: 100%
    // for all six, first ≥ 95% after 10–35 steps; ~30 ms per 300 steps.
    for activation in [Activation::Tanh, Activation::Sigmoid, Activation::Relu] {
        for output in [MlpOutput::Softmax, MlpOutput::Sigmoid] {
            let (m, losses) = train(Mlp::new(config(activation, output), xor()).unwrap(), 300);
            assert!(
                m.accuracy() >= 0.95,
                "{activation:?} {output:?}: {}",
                m.accuracy()
            );
            assert!(losses.last().unwrap() < &0.2, "{losses:?}");
        }
    }
    // A perceptron trained the same way stays at or below 3 blobs of 4 (55% here) ...
    let mut p = Perceptron::new(xor(), PerceptronActivation::Sigmoid, 3).unwrap();
    let mut t = Trainer::new(&p, adam(), 0, 0.0, 1).unwrap();
    t.train(&mut p, 1500).unwrap();
    assert!(p.accuracy() <= 0.76, "{}", p.accuracy());
    // ... and no line at all does better than about 75%: 720 directions × 121 offsets.
    let pts = xor();
    let mut best = 0.0f64;
    for k in 0..720 {
        let phi = k as f64 * std::f64::consts::PI / 360.0;
        for j in -60..=60 {
            let c = j as f64 * 0.05;
            let acc = pts.accuracy(|x| usize::from(x[0] * phi.cos() + x[1] * phi.sin() > c));
            best = best.max(acc);
        }
    }
    assert!(best <= 0.78, "{best}");
}

#[test]
fn same_seed_same_bits() {
    let run = || {
        train(
            Mlp::new(config(Activation::Relu, MlpOutput::Softmax), xor()).unwrap(),
            100,
        )
    };
    let (a, la) = run();
    let (b, lb) = run();
    assert_eq!(a.params(), b.params());
    assert_eq!(la, lb);
    let other = Mlp::new(
        MlpConfig {
            seed: 4,
            ..config(Activation::Relu, MlpOutput::Softmax)
        },
        xor(),
    );
    assert_ne!(
        other.unwrap().params(),
        Mlp::new(config(Activation::Relu, MlpOutput::Softmax), xor())
            .unwrap()
            .params()
    );
}

#[test]
fn snapshot_shows_regions_and_one_line_per_hidden_unit() {
    let m = Mlp::new(config(Activation::Tanh, MlpOutput::Sigmoid), xor()).unwrap();
    let snap = m.snapshot(PlotBox::default(), 20, 10).unwrap();
    assert_eq!(snap.grid.values.len(), 200);
    assert!(snap.grid.values.iter().all(|p| (0.0..=1.0).contains(p)));
    assert_eq!(snap.hidden_lines.len(), 4);
    for line in &snap.hidden_lines {
        for p in line.segment.iter().flatten() {
            let v = line.w[0] * p[0] + line.w[1] * p[1] + line.b;
            assert!(v.abs() < 1e-9, "{v}");
        }
    }
    let h = m.hidden([0.5, -0.5]);
    assert_eq!(h.len(), 4);
    assert_eq!(
        m.tensor("W2").unwrap().len(),
        4,
        "one logit for the sigmoid output"
    );
}

#[test]
fn bad_shapes_are_refused() {
    for hidden in [0, 1, MAX_HIDDEN + 1] {
        let cfg = MlpConfig {
            hidden,
            ..MlpConfig::default()
        };
        assert!(Mlp::new(cfg, xor()).is_err());
    }
    let empty = Points {
        x: vec![],
        y: vec![],
    };
    assert!(Mlp::new(MlpConfig::default(), empty).is_err());
    let json = serde_json::to_string(&MlpConfig::default()).unwrap();
    assert!(
        json.contains("\"softmax\"") && json.contains("\"tanh\""),
        "{json}"
    );
}
