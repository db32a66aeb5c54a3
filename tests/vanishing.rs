//! The vanishing/exploding-gradient chapter's engine (issue 6, "Engine tests"):
//! Pascanu's bound on a real model, growth with identity, W_hh's singular
//! values against an independent eigen-solver, the long-range task, rescaling,
//! and the fast Jacobian norms against the exact Jacobi SVD.

use ndarray::{Array1, Array2};
use rnn_lab::engine::analysis::{jacobian_to_last, singular_values, spectral_radius};
use rnn_lab::engine::tasks::{
    KEY_SYMBOLS, LongRangeTask, QUERY_SYMBOL, TextTask, chunk_starts, text_sequences,
};
use rnn_lab::engine::vanishing::training::TrainingView;
use rnn_lab::engine::vanishing::{
    PRESETS, RecurrentInit, analyse, jacobian_chain, prepare_recurrent_weights, preset,
    random_orthogonal, rescale_to_lambda1, spectral_radius_fast,
};
use rnn_lab::engine::{
    Activation, Clip, LossMode, ModelConfig, OptimizerConfig, OptimizerKind, Params, Rng, Session,
    SessionConfig, Trace, forward,
};

/// A random model for the long-range task with W_hh rescaled to λ1.
fn model(
    hidden: usize,
    seed: u64,
    activation: Activation,
    init: RecurrentInit,
    lambda1: f64,
) -> Params {
    let config = ModelConfig {
        hidden,
        weight_scale: 0.5,
        seed,
        activation,
        ..Default::default()
    };
    let mut p = Params::init(LongRangeTask::task_vocab().len(), &config).unwrap();
    prepare_recurrent_weights(&mut p, init, lambda1, seed).unwrap();
    p
}

fn task_trace(p: &Params, activation: Activation, distance: usize, length: usize) -> Trace {
    let task = LongRangeTask::new(distance, length, 4, 11).unwrap();
    let s = &task.sequences[0];
    forward(
        p,
        activation,
        &s.inputs,
        &s.targets,
        &Array1::zeros(p.hidden()),
    )
    .unwrap()
}

#[test]
fn tanh_below_threshold_decays_geometrically_under_the_bound() {
    // H = 16, T = 60, λ1 = 0.5, tanh (γ = 1): ‖∂h_T/∂h_k‖ ≤ 0.5^(T−k), and each
    // step back multiplies it by at most γλ1 = 0.5 (submultiplicativity).
    for seed in 0..4 {
        for init in [RecurrentInit::Gaussian, RecurrentInit::Orthogonal] {
            let p = model(16, seed, Activation::Tanh, init, 0.5);
            let tr = task_trace(&p, Activation::Tanh, 20, 60);
            let a = analyse(&p, &tr);
            assert_eq!(a.steps, 60);
            assert!((a.lambda1 - 0.5).abs() < 1e-12);
            assert_eq!(a.jacobian_log10.len(), 60);
            for (i, (&j, &b)) in a.jacobian_log10.iter().zip(&a.bound_log10).enumerate() {
                let n = (i + 1) as f64;
                assert!((b - n * 0.5f64.log10()).abs() < 1e-12);
                assert!(
                    j <= b + 1e-9,
                    "{init:?} seed {seed}, n = {n}: {j} > bound {b}"
                );
            }
            for w in a.jacobian_log10.windows(2) {
                assert!(w[1] - w[0] <= 0.5f64.log10() + 1e-9, "not geometric: {w:?}");
            }
            // And ∂L_T/∂h_t obeys its bound ‖∂L_T/∂h_T‖ (γλ1)^(T−t).
            assert!(a.single_loss);
            for (t, (&d, &b)) in a.dh_log10.iter().zip(&a.dh_bound_log10).enumerate() {
                assert!(d <= b + 1e-9, "t = {t}: {d} > {b}");
            }
            assert!(!a.exploded);
        }
    }
}

#[test]
fn identity_above_threshold_grows() {
    // Orthogonal W_hh scaled to 1.5 with f = identity: ∂h_T/∂h_k = W_hh^(T−k)
    // has norm exactly 1.5^(T−k), the bound itself.
    for seed in 0..3 {
        let p = model(
            16,
            seed,
            Activation::Identity,
            RecurrentInit::Orthogonal,
            1.5,
        );
        let a = analyse(&p, &task_trace(&p, Activation::Identity, 20, 60));
        assert!((a.spectral_radius - 1.5).abs() < 1e-9);
        for w in a.jacobian_log10.windows(2) {
            assert!(w[1] > w[0], "does not grow: {w:?}");
        }
        for (&j, &b) in a.jacobian_log10.iter().zip(&a.bound_log10) {
            assert!((j - b).abs() < 1e-9, "{j} vs {b}");
        }
        // The gradient reaching h_0 is far larger than the one at h_T.
        assert!(a.dh_log10[0] > a.dh_log10[60] + 5.0);
        assert_eq!(a.saturated_fraction, 0.0);
    }
}

#[test]
fn above_threshold_is_necessary_not_sufficient() {
    // A Gaussian W_hh at λ1 = 1.5 has a spectral radius below 1, so even with
    // the identity the products shrink in the long run: Gelfand's
    // ‖W^n‖^(1/n) → ρ, far below the bound's 1.5.
    let p = model(16, 2, Activation::Identity, RecurrentInit::Gaussian, 1.5);
    let a = analyse(&p, &task_trace(&p, Activation::Identity, 20, 60));
    assert!(a.spectral_radius < 1.0, "ρ = {}", a.spectral_radius);
    assert!(a.jacobian_log10[59] < 0.0);
    assert!(a.jacobian_log10[59] < a.bound_log10[59] - 5.0);
    let rate = (a.jacobian_log10[59] - a.jacobian_log10[39]) / 20.0;
    assert!(
        (rate - a.spectral_radius.log10()).abs() < 0.05,
        "rate {rate}"
    );
}

#[test]
fn tanh_saturates_with_large_lambda1() {
    let calm = model(16, 0, Activation::Tanh, RecurrentInit::Orthogonal, 0.5);
    let hot = model(16, 0, Activation::Tanh, RecurrentInit::Orthogonal, 3.0);
    let a_calm = analyse(&calm, &task_trace(&calm, Activation::Tanh, 20, 60));
    let a_hot = analyse(&hot, &task_trace(&hot, Activation::Tanh, 20, 60));
    assert!(a_calm.saturated_fraction < 0.05);
    assert!(a_hot.saturated_fraction > 0.25);
    // Saturation keeps the Jacobian far below the bound 3^(T−k).
    assert!(a_hot.jacobian_log10[59] < a_hot.bound_log10[59] - 10.0);
    // The fraction is the share of (t, unit) with |f′| < 5% of γ.
    let tr = task_trace(&hot, Activation::Tanh, 20, 60);
    let count = (0..60)
        .flat_map(|s| (0..16).map(move |i| (s, i)))
        .filter(|&(s, i)| (1.0 - tr.h[[s + 1, i]].powi(2)).abs() < 0.05)
        .count();
    assert_eq!(a_hot.saturated_fraction, count as f64 / 960.0);
}

/// Eigenvalues of a symmetric matrix by the cyclic Jacobi method (rotations
/// that zero one off-diagonal pair at a time), independent of the engine's
/// one-sided Jacobi SVD.
fn symmetric_eigenvalues(mut a: Array2<f64>) -> Vec<f64> {
    let n = a.nrows();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).map(move |j| (i, j)))
            .filter(|(i, j)| i != j)
            .map(|(i, j)| a[[i, j]].powi(2))
            .sum();
        if off < 1e-30 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[[p, q]].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[[q, q]] - a[[p, p]]) / (2.0 * a[[p, q]]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[[k, p]], a[[k, q]]);
                    a[[k, p]] = c * akp - s * akq;
                    a[[k, q]] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[[p, k]], a[[q, k]]);
                    a[[p, k]] = c * apk - s * aqk;
                    a[[q, k]] = s * apk + c * aqk;
                }
            }
        }
    }
    let mut ev: Vec<f64> = (0..n).map(|i| a[[i, i]]).collect();
    ev.sort_by(|x, y| y.total_cmp(x));
    ev
}

#[test]
fn singular_values_match_eigenvalues_of_the_gram_matrix() {
    for (hidden, seed) in [(1, 0), (5, 1), (16, 2), (33, 3), (64, 4)] {
        for init in [RecurrentInit::Gaussian, RecurrentInit::Orthogonal] {
            let p = model(hidden, seed, Activation::Tanh, init, 1.3);
            let w = &p.w_hh;
            let ev = symmetric_eigenvalues(w.t().dot(w));
            let a = analyse(&p, &task_trace(&p, Activation::Tanh, 5, 10));
            assert_eq!(a.singular_values.len(), hidden);
            for (s, e) in a.singular_values.iter().zip(&ev) {
                assert!(
                    (s - e.max(0.0).sqrt()).abs() < 1e-9,
                    "H {hidden} {init:?}: σ {s} vs √λ {}",
                    e.sqrt()
                );
            }
            if init == RecurrentInit::Orthogonal {
                assert!(a.singular_values.iter().all(|s| (s - 1.3).abs() < 1e-12));
            }
        }
    }
}

#[test]
fn rescaling_hits_lambda1() {
    for hidden in [1, 5, 16, 64] {
        for init in [RecurrentInit::Gaussian, RecurrentInit::Orthogonal] {
            for lambda1 in [0.1, 0.5, 0.99, 1.0, 1.5, 2.25, 3.0] {
                let p = model(hidden, hidden as u64, Activation::Tanh, init, lambda1);
                let sigma = singular_values(p.w_hh.view())[0];
                assert!((sigma - lambda1).abs() < 1e-12, "{sigma} vs {lambda1}");
            }
        }
    }
    // The shape of W_hh is kept: rescaling is multiplication by one number.
    let mut w = Array2::from_shape_fn((3, 3), |(i, j)| (i * 3 + j) as f64 - 4.0);
    let before = w.clone();
    let f = rescale_to_lambda1(&mut w, 2.0).unwrap();
    assert!((&w - &(before * f)).iter().all(|v| v.abs() < 1e-15));
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(rescale_to_lambda1(&mut w.clone(), bad).is_err());
    }
    assert!(rescale_to_lambda1(&mut Array2::zeros((4, 4)), 1.0).is_err());
}

#[test]
fn orthogonal_init_is_orthogonal_and_seeded() {
    let q = random_orthogonal(32, 9);
    let qtq = q.t().dot(&q);
    for ((i, j), v) in qtq.indexed_iter() {
        let want = if i == j { 1.0 } else { 0.0 };
        assert!((v - want).abs() < 1e-13);
    }
    assert_eq!(q, random_orthogonal(32, 9));
    assert_ne!(q, random_orthogonal(32, 10));
}

#[test]
fn fast_jacobian_norms_equal_the_exact_svd() {
    // The chapter's power-iteration chain against the engine's
    // product-by-product Jacobi SVD, over activations, inits and λ1.
    let mut worst = 0.0f64;
    for (k, activation) in Activation::ALL.into_iter().enumerate() {
        for init in [RecurrentInit::Gaussian, RecurrentInit::Orthogonal] {
            for lambda1 in [0.3, 1.0, 2.5] {
                let seed = k as u64 * 10 + (lambda1 * 10.0) as u64;
                let p = model(12, seed, activation, init, lambda1 / activation.gamma());
                let tr = task_trace(&p, activation, 10, 30);
                let exact = jacobian_to_last(&p, &tr);
                let fast = jacobian_chain(&p, &tr);
                for (kk, (&e, &f)) in exact.spectral.iter().zip(&fast.log10_spectral).enumerate() {
                    if e == 0.0 {
                        assert_eq!(f, f64::NEG_INFINITY);
                        continue;
                    }
                    let rel = (10f64.powf(f - e.log10()) - 1.0).abs();
                    worst = worst.max(rel);
                    assert!(
                        rel < 1e-7,
                        "{activation:?} {init:?} λ1 {lambda1} k {kk}: {rel:e}"
                    );
                }
                for (&e, &f) in exact.frobenius.iter().zip(&fast.log10_frobenius) {
                    if e > 0.0 {
                        assert!((10f64.powf(f - e.log10()) - 1.0).abs() < 1e-10);
                    }
                }
            }
        }
    }
    println!("worst relative error of the fast spectral norms: {worst:e}");
}

#[test]
fn fast_spectral_radius_matches_the_engine() {
    let mut rng = Rng::new(5);
    for n in [1, 2, 7, 16, 40] {
        let m = Array2::from_shape_fn((n, n), |_| rng.normal());
        let (a, b) = (spectral_radius(m.view()), spectral_radius_fast(m.view()));
        assert!((a - b).abs() <= 1e-8 * a, "n {n}: {a} vs {b}");
    }
    let nilpotent = ndarray::arr2(&[[0.0, 5.0], [0.0, 0.0]]);
    assert_eq!(spectral_radius_fast(nilpotent.view()), 0.0);
}

#[test]
fn long_range_targets_are_the_key_d_steps_back() {
    for (distance, length) in [(2, 4), (5, 12), (40, 60), (100, 102), (100, 200)] {
        let task = LongRangeTask::new(distance, length, 16, 3).unwrap();
        let sym = |i: usize| task.vocab.symbols()[i];
        let mut counts = [0, 0];
        for (i, s) in task.sequences.iter().enumerate() {
            assert_eq!(s.inputs.len(), length);
            // Scored at the last step only, and the target is the key.
            assert!(s.targets[..length - 1].iter().all(|t| t.is_none()));
            let answer = sym(s.targets[length - 1].unwrap());
            let key_step = length - distance; // 1-based
            assert_eq!(sym(s.inputs[key_step - 1]), answer);
            assert_eq!(sym(s.inputs[length - 1]), QUERY_SYMBOL);
            // Between the key and the query there is only filler.
            for &x in &s.inputs[key_step..length - 1] {
                assert!(!KEY_SYMBOLS.contains(&sym(x)) && sym(x) != QUERY_SYMBOL);
            }
            // The first input is the previous sequence's answer.
            let prev = &task.sequences[(i + 15) % 16];
            assert_eq!(s.inputs[0], prev.targets[length - 1].unwrap());
            counts[KEY_SYMBOLS.iter().position(|&k| k == answer).unwrap()] += 1;
            // Its twin has the same filler and the other key.
            let twins = task
                .sequences
                .iter()
                .filter(|o| o.inputs[1..key_step - 1] == s.inputs[1..key_step - 1])
                .filter(|o| o.inputs[key_step..] == s.inputs[key_step..])
                .filter(|o| o.targets[length - 1] != s.targets[length - 1])
                .count();
            assert!(twins >= 1);
        }
        assert_eq!(counts, [8, 8]);
    }
    let a = LongRangeTask::new(10, 20, 8, 1).unwrap();
    assert_eq!(a, LongRangeTask::new(10, 20, 8, 1).unwrap());
    assert_ne!(
        a.sequences,
        LongRangeTask::new(10, 20, 8, 2).unwrap().sequences
    );
}

#[test]
fn the_session_reads_the_task_text_one_sequence_per_iteration() {
    let task = LongRangeTask::new(6, 10, 8, 4).unwrap();
    let text = task.text();
    assert_eq!(text.chars().count(), 8 * 10 + 1);
    assert_eq!(
        chunk_starts(81, 10),
        (0..8).map(|i| i * 10).collect::<Vec<_>>()
    );
    let cut = text_sequences(&task.vocab, &text, 10, LossMode::LastStep).unwrap();
    assert_eq!(cut, task.sequences);
    let mut session = Session::with_vocab(
        SessionConfig {
            model: ModelConfig {
                hidden: 4,
                ..Default::default()
            },
            text,
            seq_len: Some(10),
            loss_mode: LossMode::LastStep,
            optimizer: OptimizerConfig::new(OptimizerKind::Sgd, 0.05),
            ..Default::default()
        },
        task.vocab.clone(),
    )
    .unwrap();
    session.set_carry_state(false);
    for round in 0..2 {
        for (i, s) in task.sequences.iter().enumerate() {
            let (inputs, targets) = session.sequence();
            assert_eq!(
                (&inputs, &targets),
                (&s.inputs, &s.targets),
                "round {round}, {i}"
            );
            assert!(session.h_prev().iter().all(|&v| v == 0.0));
            session.train(1).unwrap();
        }
    }
}

#[test]
fn any_text_is_cut_like_the_session_cuts_it() {
    let text = "hello world, hello rnn";
    let t = TextTask::new(text, 5, LossMode::PerStep).unwrap();
    let mut session = Session::new(SessionConfig {
        text: text.into(),
        seq_len: Some(5),
        ..Default::default()
    })
    .unwrap();
    for s in &t.sequences {
        assert_eq!(session.sequence(), (s.inputs.clone(), s.targets.clone()));
        session.train(1).unwrap();
    }
    // After the last chunk the session wraps to the first.
    assert_eq!(session.sequence().0, t.sequences[0].inputs);
    let last = TextTask::new(text, 5, LossMode::LastStep).unwrap();
    assert!(
        last.sequences
            .iter()
            .all(|s| s.targets[..4].iter().all(Option::is_none))
    );
}

/// Trains the long-range task through a Session (SGD, the chapter's set-up)
/// and returns the mean loss of the last 160 iterations.
fn trained_loss(distance: usize, seed: u64, iterations: usize) -> f64 {
    let task = LongRangeTask::new(distance, distance + 2, 16, seed).unwrap();
    let mut session = Session::with_vocab(
        SessionConfig {
            model: ModelConfig {
                hidden: 16,
                seed,
                ..Default::default()
            },
            text: task.text(),
            seq_len: Some(distance + 2),
            loss_mode: LossMode::LastStep,
            optimizer: OptimizerConfig::new(OptimizerKind::Sgd, 0.05),
            clip: Clip::Norm(5.0),
            ..Default::default()
        },
        task.vocab.clone(),
    )
    .unwrap();
    session.set_carry_state(false);
    let mut p = session.params().clone();
    prepare_recurrent_weights(&mut p, RecurrentInit::Gaussian, 0.5, seed).unwrap();
    session.set_params(p).unwrap();
    session.train(iterations).unwrap();
    let loss = session.history().loss.tail(160);
    loss.iter().sum::<f64>() / loss.len() as f64
}

#[test]
fn the_loss_stalls_for_large_distances() {
    // Short gaps are learnt; over long gaps the gradient from the answer
    // never reaches the key and the loss stays near ln 2 (a coin toss).
    for seed in 0..3 {
        let near = trained_loss(3, seed, 3000);
        let far = trained_loss(40, seed, 3000);
        assert!(near < 0.05, "seed {seed}: d = 3 still at {near}");
        assert!(far > 0.6, "seed {seed}: d = 40 learnt ({far})");
    }
}

#[test]
fn exploding_training_is_caught_and_the_model_kept() {
    let p = preset("exploding").unwrap();
    let task = LongRangeTask::new(p.distance, p.length, 16, 0).unwrap();
    let make = |clip: Clip| {
        let mut s = Session::with_vocab(
            SessionConfig {
                model: ModelConfig {
                    hidden: p.hidden,
                    activation: p.activation,
                    ..Default::default()
                },
                text: task.text(),
                seq_len: Some(p.length),
                loss_mode: LossMode::LastStep,
                optimizer: OptimizerConfig::new(OptimizerKind::Sgd, 0.05),
                clip,
                ..Default::default()
            },
            task.vocab.clone(),
        )
        .unwrap();
        s.set_carry_state(false);
        let mut w = s.params().clone();
        prepare_recurrent_weights(&mut w, p.init, p.lambda1, 0).unwrap();
        s.set_params(w).unwrap();
        s
    };
    let mut wild = make(Clip::Off);
    assert!(wild.train(p.iterations).is_err());
    assert!(wild.diverged());
    assert!(wild.params().all_finite(), "the last good weights are kept");
    let a = analyse(wild.params(), &wild.trace());
    assert!(a.exploded);
    assert!(!a.non_finite.is_empty());
    // The clipped twin trains on, with clipping firing.
    let mut tame = make(Clip::Norm(1.0));
    tame.train(p.iterations).unwrap();
    let view = TrainingView::from_history(tame.history(), 200);
    assert_eq!(view.columns(), p.iterations);
    assert!(view.clip_fired_total > p.iterations / 2);
    // Huge gradients (10^8 here), each cut to length 1 before the step.
    let peak = view
        .grad_norm_total_log10
        .iter()
        .fold(f64::MIN, |m, &v| m.max(v));
    assert!(peak > 6.0, "peak 10^{peak}");
    assert!(!analyse(tame.params(), &tame.trace()).exploded);
}

#[test]
fn an_overflowing_forward_pass_is_flagged_not_drawn() {
    let mut p = model(8, 1, Activation::Identity, RecurrentInit::Orthogonal, 3.0);
    p.w_xh.mapv_inplace(|v| v * 1e300);
    let tr = task_trace(&p, Activation::Identity, 50, 100);
    let a = analyse(&p, &tr);
    assert!(a.exploded);
    assert!(a.non_finite.iter().any(|n| n == "hidden states h_t"));
    // The Jacobians do not depend on h for the identity: still finite.
    assert!(a.jacobian_log10.iter().all(|v| v.is_finite()));
}

#[test]
fn dead_relu_gives_exact_zeros() {
    let mut p = model(6, 1, Activation::Relu, RecurrentInit::Gaussian, 1.0);
    p.w_xh.fill(-1.0); // every pre-activation negative: all units dead
    p.w_hh.fill(0.0);
    p.w_hh[[0, 1]] = 1.0;
    let a = analyse(&p, &task_trace(&p, Activation::Relu, 5, 10));
    assert!(a.jacobian_log10.iter().all(|&v| v == f64::NEG_INFINITY));
    assert_eq!(a.saturated_fraction, 1.0);
    assert!(!a.exploded);
}

#[test]
fn training_view_reads_the_history() {
    let task = LongRangeTask::new(5, 8, 4, 0).unwrap();
    let mut s = Session::with_vocab(
        SessionConfig {
            model: ModelConfig {
                hidden: 5,
                ..Default::default()
            },
            text: task.text(),
            seq_len: Some(8),
            loss_mode: LossMode::LastStep,
            ..Default::default()
        },
        task.vocab.clone(),
    )
    .unwrap();
    s.train(30).unwrap();
    let all = TrainingView::from_history(s.history(), 100);
    assert_eq!(all.columns(), 30);
    assert_eq!(all.rows, 9);
    let h = s.history();
    for (c, dh) in h.dh_norms.iter().enumerate() {
        for (t, &v) in dh.iter().enumerate() {
            assert_eq!(all.heat_log10[t * 30 + c], v.log10());
        }
    }
    for (c, g) in h.grad_norms.iter().enumerate() {
        assert_eq!(all.grad_norms_log10[c][1], g[1].log10());
        assert_eq!(all.grad_norms_log10[c][3], f64::NEG_INFINITY); // b_h: biases off
    }
    let few = TrainingView::from_history(h, 7);
    assert_eq!(few.columns(), 7);
    assert_eq!(few.iterations[0], 1);
    assert_eq!(few.iterations[6], 30);
    let (lo, hi) = few.heat_range.unwrap();
    assert!(lo <= hi);
}

#[test]
fn presets_are_the_issue_settings() {
    let get = |n| preset(n).unwrap();
    assert_eq!(PRESETS.len(), 5);
    assert_eq!(
        (get("vanishing").activation, get("vanishing").lambda1),
        (Activation::Tanh, 0.5)
    );
    assert!((get("edge").lambda1 - 1.0).abs() < 0.05);
    assert_eq!(
        (get("saturating").activation, get("saturating").lambda1),
        (Activation::Tanh, 3.0)
    );
    assert_eq!(
        (get("exploding").activation, get("exploding").lambda1),
        (Activation::Identity, 1.5)
    );
    let (e, c) = (get("exploding"), get("clipped"));
    assert_eq!((e.clip_norm, c.clip_norm.is_some()), (None, true));
    assert_eq!(
        (e.activation, e.lambda1, e.init),
        (c.activation, c.lambda1, c.init)
    );
    assert!(preset("nope").is_none());
}
