use super::*;
use crate::engine::models::{Trainer, check_gradient, gradient_ok};
use crate::engine::optim::{OptimizerConfig, OptimizerKind};

fn cloud() -> Points {
    Points::separable(11, 120).unwrap()
}

fn all(m: &Perceptron) -> Vec<usize> {
    (0..m.examples()).collect()
}

/// Trains with full-batch Adam from the seed's θ and returns the model and its losses.
fn trained(g: PerceptronActivation, steps: usize) -> (Perceptron, Vec<f64>) {
    train_from(Perceptron::new(cloud(), g, 5).unwrap(), steps)
}

fn train_from(mut m: Perceptron, steps: usize) -> (Perceptron, Vec<f64>) {
    let cfg = OptimizerConfig::new(OptimizerKind::Adam, 0.05);
    let mut t = Trainer::new(&m, cfg, 0, 0.0, 1).unwrap();
    t.train(&mut m, steps).unwrap();
    (m, t.losses)
}

#[test]
fn gradient_matches_central_differences_for_every_g() {
    for g in PerceptronActivation::ALL {
        let mut m = Perceptron::new(cloud(), g, 2).unwrap();
        // A line through the cloud, so both sides of every kink are used;
        // no point sits within 0.01 of a = 0, where step and ReLU have their kink.
        m.set_theta([0.3, 0.8, -0.6]).unwrap();
        let batch = all(&m);
        assert!(
            batch
                .iter()
                .all(|&i| m.pre_activation(m.points().x[i]).abs() > 0.01)
        );
        let checks = check_gradient(&mut m, &batch, 10);
        assert!(gradient_ok(&checks), "{g:?}: {checks:?}");
    }
}

#[test]
fn gradient_descent_separates_the_cloud_for_every_g() {
    // Stated: 100% accuracy on the 120 separable points within 400 Adam
    // steps for every g (the step function through its criterion).
    for g in PerceptronActivation::ALL {
        let (m, losses) = trained(g, 400);
        assert_eq!(m.accuracy(), 1.0, "{g:?}");
        assert!(losses.last().unwrap() < &losses[0], "{g:?}");
    }
    let (m, losses) = trained(PerceptronActivation::Sigmoid, 400);
    assert!(
        losses.last().unwrap() < &0.05,
        "BCE {}",
        losses.last().unwrap()
    );
    assert_eq!(
        m.loss(&all(&m)),
        m.snapshot(PlotBox::default(), 4, 4).unwrap().loss
    );
}

#[test]
fn relu_learns_nothing_when_every_point_is_dead() {
    // θ₀ = −5: a ≤ 0 for every point, ReLU outputs 0 everywhere and passes
    // no gradient back, so training cannot move the line at all.
    let mut m = Perceptron::new(cloud(), PerceptronActivation::Relu, 5).unwrap();
    m.set_theta([-5.0, 0.1, 0.1]).unwrap();
    let mut g = vec![1.0; 3];
    let loss = m.loss_and_gradient(&all(&m), &mut g);
    assert_eq!(g, vec![0.0; 3]);
    assert!(loss > 0.2, "class 1 costs ½ each: {loss}");
    let (m, _) = train_from(m, 50);
    assert_eq!(m.theta(), [-5.0, 0.1, 0.1]);
    assert_eq!(m.accuracy(), 0.5);
}

#[test]
fn the_perceptron_rule_converges_on_separable_points() {
    let mut m = Perceptron::new(cloud(), PerceptronActivation::Step, 5).unwrap();
    let mut updates = 0;
    while let Some(step) = m.perceptron_rule_step(0.1).unwrap() {
        // The point used was on the wrong side before the update.
        let x = m.points().x[step.index];
        let s = if m.points().y[step.index] == 1 {
            1.0
        } else {
            -1.0
        };
        let [t0, t1, t2] = step.theta_before;
        assert!(s * (t0 + t1 * x[0] + t2 * x[1]) <= 0.0);
        updates += 1;
        assert!(updates < 10_000, "no convergence");
    }
    assert_eq!(m.accuracy(), 1.0);
    assert!(updates > 0);
    assert!(m.perceptron_rule_step(-1.0).is_err());
}

#[test]
fn same_seed_same_bits() {
    let a = trained(PerceptronActivation::Tanh, 50);
    let b = trained(PerceptronActivation::Tanh, 50);
    assert_eq!(a.0.theta(), b.0.theta());
    assert_eq!(a.1, b.1);
    let other = Perceptron::new(cloud(), PerceptronActivation::Tanh, 6).unwrap();
    assert_ne!(
        other.theta(),
        Perceptron::new(cloud(), PerceptronActivation::Tanh, 5)
            .unwrap()
            .theta()
    );
}

#[test]
fn the_written_sum_adds_up_and_the_boundary_lies_on_a_zero() {
    let mut m = Perceptron::new(cloud(), PerceptronActivation::Sigmoid, 1).unwrap();
    m.set_theta([0.5, 2.0, -1.0]).unwrap();
    let s = m.explain_point([1.0, 3.0]).unwrap();
    assert_eq!(s.terms[0].product, 2.0);
    assert_eq!(s.terms[1].product, -3.0);
    assert_eq!(s.a, -0.5);
    assert_eq!(s.class, 0);
    assert!((s.output - 1.0 / (1.0 + 0.5f64.exp())).abs() < 1e-15);
    let e = m.explain(3).unwrap();
    assert_eq!(e.label, Some(m.points().y[3]));
    for p in m.boundary(&PlotBox::default()).unwrap() {
        assert!(m.pre_activation(p).abs() < 1e-12);
    }
    let snap = m.snapshot(PlotBox::default(), 3, 2).unwrap();
    assert_eq!(snap.grid.values.len(), 6);
    assert!(snap.grid.values.iter().all(|v| (0.0..=1.0).contains(v)));
}

#[test]
fn bad_input_is_refused_and_theta_kept() {
    let mut m = Perceptron::new(cloud(), PerceptronActivation::Relu, 1).unwrap();
    let before = m.theta();
    assert!(m.set_theta([f64::NAN, 0.0, 0.0]).is_err());
    assert_eq!(m.theta(), before);
    assert!(m.explain(10_000).is_err());
    assert!(m.explain_point([f64::INFINITY, 0.0]).is_err());
    assert!(m.grid(PlotBox::default(), 0, 10).is_err());
    let empty = Points {
        x: vec![],
        y: vec![],
    };
    assert!(Perceptron::new(empty, PerceptronActivation::Step, 1).is_err());
    let serde = serde_json::to_string(&PerceptronActivation::Relu).unwrap();
    assert_eq!(serde, "\"relu\"");
}
