//! Tests of [`Trainer`](super::Trainer): batches, clipping, the bounded loss
//! history, and the gradient-check framework on a least-squares line.

use super::super::{Tensor, check_gradient, gradient_ok, layout};
use super::*;

/// Least squares on a line: ℓ_i = ½(w·x_i + b − y_i)², a model small
/// enough to check the framework itself.
struct Line {
    tensors: Vec<Tensor>,
    theta: Vec<f64>,
    xs: Vec<f64>,
    ys: Vec<f64>,
    /// Doubles dL/dw: a wrong backward pass the check must catch.
    bug: bool,
}

impl Model for Line {
    fn tensors(&self) -> &[Tensor] {
        &self.tensors
    }
    fn params(&self) -> &[f64] {
        &self.theta
    }
    fn params_mut(&mut self) -> &mut [f64] {
        &mut self.theta
    }
    fn examples(&self) -> usize {
        self.xs.len()
    }
    fn loss_and_gradient(&self, batch: &[usize], grad: &mut [f64]) -> f64 {
        grad.fill(0.0);
        let (w, b) = (self.theta[0], self.theta[1]);
        let n = batch.len() as f64;
        let mut loss = 0.0;
        for &i in batch {
            let r = w * self.xs[i] + b - self.ys[i];
            loss += 0.5 * r * r / n;
            grad[0] += r * self.xs[i] / n;
            grad[1] += r / n;
        }
        if self.bug {
            grad[0] *= 2.0;
        }
        loss
    }
}

fn line() -> Line {
    let (tensors, len) = layout(&[("w", &[1]), ("b", &[1])]);
    assert_eq!(len, 2);
    let xs: Vec<f64> = (0..20).map(|i| i as f64 / 10.0).collect();
    let ys = xs.iter().map(|x| 3.0 * x - 1.0).collect();
    Line {
        tensors,
        theta: vec![0.0, 0.0],
        xs,
        ys,
        bug: false,
    }
}

#[test]
fn gradient_check_passes_and_catches_a_wrong_gradient() {
    let mut m = line();
    m.theta = vec![0.3, -0.2];
    let checks = check_gradient(&mut m, &[0, 3, 7], 10);
    assert!(gradient_ok(&checks), "{checks:?}");
    assert_eq!(m.theta, vec![0.3, -0.2], "θ is restored");
    m.bug = true;
    let checks = check_gradient(&mut m, &[0, 3, 7], 10);
    assert!(!gradient_ok(&checks));
    assert!(checks[0].max_relative_error > 0.1 && checks[1].max_relative_error < 1e-6);
}

#[test]
fn every_rule_fits_the_line_and_runs_are_reproducible() {
    for kind in [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Adagrad,
        OptimizerKind::Adam,
    ] {
        let lr = if kind == OptimizerKind::Adagrad {
            0.5
        } else {
            0.05
        };
        let run = || {
            let mut m = line();
            let mut t = Trainer::new(&m, OptimizerConfig::new(kind, lr), 4, 0.0, 7).unwrap();
            t.train(&mut m, 3000).unwrap();
            (m.theta, t.losses)
        };
        let (theta, losses) = run();
        assert!((theta[0] - 3.0).abs() < 0.05, "{kind:?}: {theta:?}");
        assert!((theta[1] + 1.0).abs() < 0.05, "{kind:?}: {theta:?}");
        assert_eq!(run(), (theta, losses), "same seed, same bits");
    }
}

#[test]
fn batches_cover_every_example_once_per_epoch() {
    let m = line();
    let mut t = Trainer::new(&m, OptimizerConfig::default(), 5, 0.0, 1).unwrap();
    let mut seen: Vec<usize> = (0..3).flat_map(|_| t.next_batch(20)).collect();
    assert_eq!(t.epoch(), 0, "15 of 20 examples: no pass completed");
    seen.extend(t.next_batch(20));
    assert_eq!(t.epoch(), 1, "the pass ends with its last example");
    seen.sort();
    assert_eq!(seen, (0..20).collect::<Vec<_>>());
    t.next_batch(20);
    assert_eq!(t.epoch(), 1);
}

#[test]
fn the_loss_history_is_bounded_and_pools_neighbours() {
    let opt = OptimizerConfig::new(OptimizerKind::Sgd, 0.05);
    let mut m = line();
    let mut exact = Trainer::new(&m, opt, 3, 0.0, 5).unwrap();
    exact.train(&mut m, 1000).unwrap();
    let every: Vec<f64> = exact.losses.clone();
    assert_eq!((every.len(), exact.loss_stride()), (1000, 1));

    let mut m = line();
    let mut pooled = Trainer::new(&m, opt, 3, 0.0, 5)
        .unwrap()
        .with_loss_capacity(8);
    pooled.train(&mut m, 1000).unwrap();
    // 1000 steps in at most 8 entries: a stride of 128 (7 full entries, the
    // last 104 steps still pending).
    assert_eq!((pooled.loss_stride(), pooled.losses.len()), (128, 7));
    for (i, &l) in pooled.losses.iter().enumerate() {
        let run = &every[i * 128..(i + 1) * 128];
        let mean = run.iter().sum::<f64>() / 128.0;
        assert!(
            (l - mean).abs() < 1e-12 * mean.abs().max(1.0),
            "{i}: {l} vs {mean}"
        );
    }
    assert_eq!(pooled.last_loss(), every.last().copied());
    assert_eq!(pooled.steps(), 1000);

    // The default bound: three times LOSS_HISTORY steps keep at most LOSS_HISTORY.
    let mut m = line();
    let mut long = Trainer::new(&m, opt, 3, 0.0, 5).unwrap();
    for _ in 0..3 * LOSS_HISTORY / 1000 + 1 {
        long.train(&mut m, 1000).unwrap();
    }
    assert!(long.losses.len() <= LOSS_HISTORY, "{}", long.losses.len());
    assert_eq!(long.loss_stride(), 4);
    assert!((long.losses[0] - every[..4].iter().sum::<f64>() / 4.0).abs() < 1e-12);
}

#[test]
fn a_diverging_step_keeps_the_weights() {
    let mut m = line();
    m.ys[0] = f64::NAN;
    let mut t = Trainer::new(&m, OptimizerConfig::new(OptimizerKind::Sgd, 0.1), 0, 0.0, 1).unwrap();
    assert!(t.step(&mut m).is_err());
    assert_eq!(m.theta, vec![0.0, 0.0]);
}
