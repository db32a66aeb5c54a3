//! Training sessions: convergence on "hello", determinism, text mode,
//! smooth loss, bounded histories, divergence handling, sampling.

use rnn_lab::engine::{
    Activation, Clip, LIMITS, ModelConfig, OptimizerConfig, OptimizerKind, Session, SessionConfig,
};

fn hello(scale: f64, seed: u64) -> Session {
    Session::new(SessionConfig {
        model: ModelConfig {
            hidden: 3,
            weight_scale: scale,
            seed,
            ..Default::default()
        },
        optimizer: OptimizerConfig::new(OptimizerKind::Adagrad, 0.1),
        clip: Clip::Value(5.0),
        ..Default::default()
    })
    .unwrap()
}

/// Iterations until the current weights give total loss < 0.1 and predict
/// e,l,l,o on "hello"; None if not within `max`.
fn iterations_to_learn(s: &mut Session, max: u64) -> Option<u64> {
    let elo = vec![1, 2, 2, 3];
    loop {
        let trace = s.trace();
        if trace.loss < 0.1 && trace.predicted() == elo {
            return Some(s.iteration());
        }
        if s.iteration() >= max {
            return None;
        }
        s.train(1).unwrap();
    }
}

#[test]
fn hello_is_learned_from_every_seed_and_both_scales() {
    let mut worst = 0;
    for scale in [0.01, 0.5] {
        for seed in 0..10 {
            let mut s = hello(scale, seed);
            let n = iterations_to_learn(&mut s, 500)
                .unwrap_or_else(|| panic!("scale {scale} seed {seed}: loss {}", s.trace().loss));
            worst = worst.max(n);
        }
    }
    eprintln!("hello learned within {worst} iterations for all 20 runs");
}

#[test]
fn same_seed_same_bits_different_seed_different_weights() {
    let text = "the cat sat on the mat; the dog sat on the log.";
    let config = |seed| SessionConfig {
        model: ModelConfig {
            hidden: 12,
            weight_scale: 0.1,
            bias: true,
            seed,
            ..Default::default()
        },
        text: text.into(),
        seq_len: Some(7),
        ..Default::default()
    };
    let run = |seed| {
        let mut s = Session::new(config(seed)).unwrap();
        s.train(120).unwrap();
        s
    };
    let (a, b, c) = (run(4), run(4), run(5));
    assert_eq!(a.params(), b.params());
    assert_eq!(a.history().loss.to_vec(), b.history().loss.to_vec());
    assert_eq!(a.history().dh_norms.to_vec(), b.history().dh_norms.to_vec());
    assert_eq!(a.smooth_loss().to_bits(), b.smooth_loss().to_bits());
    assert_eq!(
        a.sample(0, 80, 0.8, 9).unwrap(),
        b.sample(0, 80, 0.8, 9).unwrap()
    );
    assert_ne!(a.params(), c.params());
    assert_ne!(
        a.sample(0, 80, 0.8, 9).unwrap().text,
        a.sample(0, 80, 0.8, 10).unwrap().text
    );
}

#[test]
fn text_mode_follows_min_char_rnn() {
    // 23 characters, seq 5: sequences start at 0, 5, 10, 15; 20 + 5 + 1 > 23 wraps.
    let text = "abcdefghijklmnopqrstuvw";
    let mut s = Session::new(SessionConfig {
        model: ModelConfig {
            hidden: 4,
            ..Default::default()
        },
        text: text.into(),
        seq_len: Some(5),
        ..Default::default()
    })
    .unwrap();
    let v = s.vocab().len() as f64;
    assert!((s.smooth_loss() - (-(1.0 / v).ln() * 5.0)).abs() < 1e-12);
    let mut expected_smooth = s.smooth_loss();
    for (i, start) in [0usize, 5, 10, 15, 0, 5].into_iter().enumerate() {
        let (inputs, targets) = s.sequence();
        let want: Vec<usize> = (start..start + 5).collect();
        assert_eq!(inputs, want, "iteration {i}");
        assert_eq!(
            targets,
            want.iter().map(|&x| Some(x + 1)).collect::<Vec<_>>()
        );
        let h = s.h_prev();
        // h is zero at the start and after the wrap, carried otherwise.
        assert_eq!(h.iter().all(|&x| x == 0.0), start == 0, "iteration {i}");
        let before = s.trace();
        let report = s.train(1).unwrap();
        // The loss reported is the loss of that sequence before the update.
        assert_eq!(report.loss, before.loss);
        expected_smooth = 0.999 * expected_smooth + 0.001 * before.loss;
        assert_eq!(s.smooth_loss(), expected_smooth);
        if start != 15 {
            assert_eq!(s.h_prev(), before.last_state());
        }
    }
}

#[test]
fn word_mode_smooth_loss_starts_at_uniform_guessing() {
    let s = hello(0.5, 0);
    // −ln(1/V)·T with V = 4 symbols and T = 4 steps.
    assert!((s.smooth_loss() - 4.0 * 4f64.ln()).abs() < 1e-12);
}

#[test]
fn histories_stay_bounded_and_aligned() {
    let mut s = Session::new(SessionConfig {
        history_capacity: 50,
        ..Default::default()
    })
    .unwrap();
    s.train(500).unwrap();
    let h = s.history();
    assert_eq!(h.len(), 50);
    assert_eq!(h.iteration.to_vec(), (451..=500).collect::<Vec<u64>>());
    assert_eq!(h.loss.len(), 50);
    assert_eq!(h.grad_norms.len(), 50);
    assert_eq!(h.dh_norms.len(), 50);
    assert_eq!(h.clip_fired.len(), 50);
    assert!(h.dh_norms.iter().all(|d| d.len() == 5));
    assert_eq!(*h.smooth_loss.last().unwrap(), s.smooth_loss());
    let total = h
        .grad_norms
        .last()
        .unwrap()
        .iter()
        .map(|n| n * n)
        .sum::<f64>()
        .sqrt();
    assert!((total - h.grad_norm_total.last().unwrap()).abs() < 1e-12);
    s.reset(3);
    assert!(s.history().is_empty());
    assert_eq!(s.iteration(), 0);
}

#[test]
fn clipping_is_reported_and_counted() {
    // A large learning rate on identity units makes large gradients.
    let mut s = Session::new(SessionConfig {
        model: ModelConfig {
            hidden: 6,
            weight_scale: 1.0,
            activation: Activation::Identity,
            ..Default::default()
        },
        text: "abcabcabcabd".into(),
        optimizer: OptimizerConfig::new(OptimizerKind::Sgd, 0.05),
        clip: Clip::Norm(1.0),
        ..Default::default()
    })
    .unwrap();
    let g = s.gradients().params;
    let norm = g.global_norm();
    assert!(
        norm > 1.0,
        "test needs a gradient above the threshold: {norm}"
    );
    let r = s.train(1).unwrap();
    assert!(r.clip.fired);
    assert_eq!(r.clip_fired_count, 1);
    assert!((r.clip.norm_before - norm).abs() < 1e-12 * norm);
    assert!((r.clip.norm_after - 1.0).abs() < 1e-12);
    assert_eq!(r.grad_norm, r.clip.norm_before);
    assert_eq!(s.history().clip_fired.to_vec(), vec![true]);
}

#[test]
fn divergence_keeps_the_last_good_weights() {
    // Identity units, no clipping and a huge SGD step: NaN/Inf within a few iterations.
    let mut s = Session::new(SessionConfig {
        model: ModelConfig {
            hidden: 8,
            weight_scale: 2.0,
            activation: Activation::Identity,
            ..Default::default()
        },
        text: "abcdefgh".into(),
        optimizer: OptimizerConfig::new(OptimizerKind::Sgd, 1e6),
        clip: Clip::Off,
        ..Default::default()
    })
    .unwrap();
    let mut good = s.clone();
    let err = loop {
        match s.train(1) {
            Ok(_) => good = s.clone(),
            Err(e) => break e,
        }
        assert!(s.iteration() < 100, "did not diverge");
    };
    let failed_at = good.iteration() + 1;
    assert_eq!(
        err,
        rnn_lab::engine::EngineError::Diverged {
            iteration: failed_at
        }
    );
    assert!(s.diverged());
    assert_eq!(s.params(), good.params());
    assert!(s.params().all_finite());
    assert_eq!(s.iteration(), good.iteration());
    assert_eq!(s.optimizer(), good.optimizer());
    // Later calls refuse the same way, until a reset.
    assert_eq!(s.train(5).unwrap_err(), err);
    assert_eq!(s.params(), good.params());
    s.reset(0);
    assert!(!s.diverged());
    assert!(s.train(1).is_ok());
    assert!(err.to_string().contains("diverged"));
}

#[test]
fn biases_off_stay_zero_for_every_optimiser() {
    for kind in [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Adagrad,
        OptimizerKind::Adam,
    ] {
        let mut s = Session::new(SessionConfig {
            optimizer: OptimizerConfig::new(kind, 0.05),
            ..Default::default()
        })
        .unwrap();
        let w0 = s.params().w_hh.clone();
        s.train(30).unwrap();
        let p = s.params();
        assert!(
            p.b_h.iter().chain(p.b_y.iter()).all(|&b| b == 0.0),
            "{kind:?}"
        );
        assert_ne!(p.w_hh, w0, "{kind:?} must still train the weights");
    }
}

#[test]
fn changing_settings_mid_run() {
    let mut s = hello(0.5, 1);
    s.train(10).unwrap();
    let p = s.params().clone();
    s.set_learning_rate(0.01).unwrap();
    assert_eq!(s.iteration(), 10);
    assert_eq!(s.params(), &p);
    assert_eq!(s.config().optimizer.learning_rate, 0.01);
    s.set_optimizer(OptimizerConfig::new(OptimizerKind::Adam, 0.01))
        .unwrap();
    assert_eq!(s.optimizer().steps(), 0);
    s.set_clip(Clip::Norm(1.0)).unwrap();
    s.set_truncation(Some((2, 2))).unwrap();
    s.train(5).unwrap();
    assert_eq!(s.iteration(), 15);
    assert_eq!(s.optimizer().steps(), 5);
}

#[test]
fn gradient_check_passes_on_the_sessions() {
    let s = hello(0.5, 0);
    let r = s.grad_check();
    assert!(r.passed, "{r:?}");
    assert_eq!(r.entries.len(), 3, "biases are off: only the three weights");
    let big = Session::new(SessionConfig {
        model: ModelConfig {
            hidden: 40,
            weight_scale: 0.1,
            bias: true,
            bias_scale: 0.1,
            ..Default::default()
        },
        text: "a longer text, with more symbols: so W_xh has many entries!".into(),
        seq_len: Some(12),
        ..Default::default()
    })
    .unwrap();
    let r = big.grad_check();
    assert!(r.passed, "{r:?}");
    assert_eq!(r.entries.len(), 5);
    // W_hh has 1600 entries: an evenly spaced subset, as many as the budget
    // (entries × steps) allows for five tensors of twelve steps.
    let per_tensor = (LIMITS.grad_check_budget / (12 * 5)).min(200);
    assert!(r.entries.iter().all(|e| e.checked <= per_tensor));
    assert_eq!(r.entries[1].checked, per_tensor);
}
