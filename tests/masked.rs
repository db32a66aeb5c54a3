//! Masked sequences: what an absent input and an absent target mean, that the
//! masked path is the old path bit for bit when nothing is absent, and BPTT
//! (full and truncated) against finite differences on masked sequences.

use ndarray::Array1;
use rnn_lab::engine::contributions::contributions;
use rnn_lab::engine::gradcheck::{
    EPSILON, PASS_THRESHOLD, floor_for_loss, grad_check, grad_check_masked, relative_error, ridders,
};
use rnn_lab::engine::sample::sample_masked;
use rnn_lab::engine::{
    Activation, Clip, MaskedSequence, MaskedTrainer, MaskedTrainerConfig, ModelConfig,
    OptimizerConfig, OptimizerKind, PARAM_NAMES, Params, Session, SessionConfig, backward, forward,
    forward_masked, truncated,
};

fn model(vocab: usize, hidden: usize, act: Activation, seed: u64) -> Params {
    Params::init(
        vocab,
        &ModelConfig {
            hidden,
            weight_scale: 0.5,
            bias: true,
            bias_scale: 0.3,
            activation: act,
            seed,
        },
    )
    .unwrap()
}

/// The RNN types over V = 5, as (inputs, targets); the last has absent
/// inputs and targets in the middle.
fn masked_cases() -> Vec<MaskedSequence> {
    vec![
        MaskedSequence::one_to_one(2, 4),
        MaskedSequence::one_to_many(0, &[1, 2, 3, 4]).unwrap(),
        MaskedSequence::many_to_one(&[0, 1, 2, 0, 1, 2], 3).unwrap(),
        MaskedSequence::delayed(&[0, 1, 2, 3], &[3, 2, 1, 0]).unwrap(),
        MaskedSequence::synced(&[4, 3, 2, 1, 0], &[Some(0), None, Some(2), None, Some(4)]).unwrap(),
        MaskedSequence::new(
            vec![Some(1), None, Some(3), None, None, Some(0), Some(2)],
            vec![None, Some(2), Some(2), None, Some(1), None, Some(4)],
        )
        .unwrap(),
    ]
}

#[test]
fn with_every_input_present_the_masked_path_is_the_old_path_bit_for_bit() {
    let inputs = [0, 3, 1, 1, 4, 2, 0];
    let some: Vec<Option<usize>> = inputs.iter().copied().map(Some).collect();
    let targets = [Some(3), None, Some(1), Some(4), None, Some(2), Some(0)];
    for act in Activation::ALL {
        let p = model(5, 6, act, 3);
        let h0 = Array1::from_iter((0..6).map(|i| 0.1 * i as f64 - 0.25));
        let old = forward(&p, act, &inputs, &targets, &h0).unwrap();
        let new = forward_masked(&p, act, &some, &targets, &h0).unwrap();
        assert_eq!(old, new, "{act:?} trace");
        assert_eq!(backward(&p, &old), backward(&p, &new), "{act:?} BPTT");
        for (k1, k2) in [(2, 2), (3, 5), (7, 7)] {
            assert_eq!(
                truncated(&p, &old, k1, k2).unwrap(),
                truncated(&p, &new, k1, k2).unwrap()
            );
        }
        assert_eq!(
            grad_check(&p, act, &inputs, &targets, &h0, true),
            grad_check_masked(&p, act, &some, &targets, &h0, true)
        );
    }
}

#[test]
fn a_trainer_on_one_full_sequence_learns_exactly_as_a_word_session() {
    // A word session trains on the whole word from h = 0 every iteration: the
    // trainer with that one sequence must take the very same steps.
    let settings = [
        (OptimizerKind::Adagrad, Clip::Value(5.0), None, false),
        (OptimizerKind::Adam, Clip::Norm(1.0), None, false),
        (OptimizerKind::Momentum, Clip::Off, Some((2, 3)), false),
        (OptimizerKind::Sgd, Clip::Value(1.0), Some((2, 2)), true),
    ];
    for (kind, clip, truncation, update_per_chunk) in settings {
        let model = ModelConfig {
            hidden: 5,
            weight_scale: 0.5,
            bias: true,
            bias_scale: 0.1,
            activation: Activation::Tanh,
            seed: 9,
        };
        let optimizer = OptimizerConfig {
            kind,
            learning_rate: 0.05,
            ..OptimizerConfig::default()
        };
        let mut session = Session::new(SessionConfig {
            model: model.clone(),
            text: "hello".into(),
            optimizer,
            clip,
            truncation,
            update_per_chunk,
            ..SessionConfig::default()
        })
        .unwrap();
        let (inputs, targets) = session.sequence();
        let seq = MaskedSequence::new(inputs.into_iter().map(Some).collect(), targets).unwrap();
        let mut trainer = MaskedTrainer::new(
            MaskedTrainerConfig {
                model,
                optimizer,
                clip,
                truncation,
                update_per_chunk,
                ..MaskedTrainerConfig::default()
            },
            4,
            vec![seq],
        )
        .unwrap();
        session.train(40).unwrap();
        trainer.train(40).unwrap();
        assert_eq!(trainer.params(), session.params(), "{kind:?}");
        assert_eq!(trainer.optimizer(), session.optimizer(), "{kind:?}");
        assert_eq!(
            trainer.history().loss.to_vec(),
            session.history().loss.to_vec()
        );
        assert_eq!(
            trainer.history().dh_norms.to_vec(),
            session.history().dh_norms.to_vec()
        );
        assert_eq!(
            trainer.smooth_loss().to_bits(),
            session.smooth_loss().to_bits()
        );
    }
}

#[test]
fn an_absent_input_is_x_equal_to_zero() {
    let p = model(5, 4, Activation::Tanh, 1);
    let h0 = Array1::from(vec![0.3, -0.2, 0.1, 0.5]);
    let inputs = [Some(2), None, None, Some(4), None];
    let targets = [Some(1); 5];
    let tr = forward_masked(&p, Activation::Tanh, &inputs, &targets, &h0).unwrap();
    for (s, x) in inputs.iter().enumerate() {
        // a_t = W_xh x_t + W_hh h_{t−1} + b_h, with W_xh x_t = 0 when absent.
        let mut want = p.w_hh.dot(&tr.h.row(s)) + &p.b_h;
        if let Some(x) = x {
            want += &p.w_xh.column(*x);
        }
        let err = (&tr.a.row(s) - &want)
            .iter()
            .fold(0.0f64, |m, d| m.max(d.abs()));
        assert!(err < 1e-15, "step {}: {err}", s + 1);
    }
    // The same as feeding a symbol whose W_xh column is zero, bit for bit; the
    // gradients differ only in that column (an absent input has none to learn).
    let mut zeroed = p.clone();
    zeroed.w_xh.column_mut(0).fill(0.0);
    let as_zero: Vec<Option<usize>> = inputs.iter().map(|x| x.or(Some(0))).collect();
    let a = forward_masked(&zeroed, Activation::Tanh, &inputs, &targets, &h0).unwrap();
    let b = forward_masked(&zeroed, Activation::Tanh, &as_zero, &targets, &h0).unwrap();
    assert_eq!((&a.h, &a.p, a.loss), (&b.h, &b.p, b.loss));
    let (ga, mut gb) = (backward(&zeroed, &a), backward(&zeroed, &b));
    assert!(ga.params.w_xh.column(0).iter().all(|&v| v == 0.0));
    assert!(gb.params.w_xh.column(0).iter().any(|&v| v != 0.0));
    gb.params.w_xh.column_mut(0).fill(0.0);
    assert_eq!(ga.params, gb.params);
    assert_eq!(ga.dh, gb.dh);
}

#[test]
fn an_absent_target_is_an_unscored_step() {
    let p = model(5, 4, Activation::Tanh, 2);
    let h0 = Array1::zeros(4);
    let inputs = [Some(0), Some(1), Some(2), Some(3)];
    let targets = [None, Some(2), None, Some(4)];
    let tr = forward_masked(&p, Activation::Tanh, &inputs, &targets, &h0).unwrap();
    assert_eq!(tr.scored_steps(), 2);
    assert_eq!(tr.scored_losses()[0], None);
    // y_t and p_t are still computed on unscored steps.
    for row in tr.p.rows() {
        assert!((row.sum() - 1.0).abs() < 1e-15);
    }
    // L sums the scored steps; dL/dy_t = 0 where there is no target.
    assert_eq!(tr.loss, tr.losses[1] + tr.losses[3]);
    let g = backward(&p, &tr);
    for s in [0, 2] {
        assert!(g.dy.row(s).iter().all(|&v| v == 0.0));
    }
    // Scoring a step adds its loss and its dy_t, and changes nothing forward.
    let more = forward_masked(
        &p,
        Activation::Tanh,
        &inputs,
        &[Some(0), Some(2), None, Some(4)],
        &h0,
    )
    .unwrap();
    assert_eq!((&more.h, &more.p), (&tr.h, &tr.p));
    assert!((more.loss - (more.losses[0] + tr.loss)).abs() < 1e-14);
    assert!(more.losses[0] > 0.0);
    // No target at all: L = 0 and every gradient is zero.
    let none = forward_masked(&p, Activation::Tanh, &inputs, &[None; 4], &h0).unwrap();
    assert_eq!(none.loss, 0.0);
    let g = backward(&p, &none);
    assert!(
        g.params
            .slices()
            .iter()
            .all(|s| s.iter().all(|&v| v == 0.0))
    );
    // Out-of-range indices are refused, absent or not.
    assert!(forward_masked(&p, Activation::Tanh, &[Some(5)], &[None], &h0).is_err());
    assert!(forward_masked(&p, Activation::Tanh, &[None], &[Some(5)], &h0).is_err());
    assert!(forward_masked(&p, Activation::Tanh, &[None, None], &[None], &h0).is_err());
}

#[test]
fn bptt_on_every_rnn_type_passes_the_gradient_check() {
    for (i, seq) in masked_cases().iter().enumerate() {
        for act in Activation::ALL {
            for bias in [false, true] {
                let mut p = model(5, 4, act, 10 + i as u64);
                if !bias {
                    p.b_h.fill(0.0);
                    p.b_y.fill(0.0);
                }
                let h0 = Array1::from(vec![0.2, -0.1, 0.0, 0.4]);
                let report = seq.grad_check(&p, act, &h0, bias);
                assert!(report.passed, "case {i} {act:?} bias={bias}: {report:?}");
                assert!(report.max_relative_error < PASS_THRESHOLD);
                // dL/dh_0 by central differences as well.
                let (trace, g) = seq.gradients(&p, act, &h0).unwrap();
                for k in 0..4 {
                    let mut loss = |d: f64| {
                        let mut h = h0.clone();
                        h[k] += d;
                        seq.forward(&p, act, &h).unwrap().loss
                    };
                    let n = ridders(&mut loss, EPSILON);
                    let err = relative_error(g.h0[k], n, floor_for_loss(trace.loss));
                    // ReLU: a kink may sit within ε of h0; the parameter check covers it.
                    assert!(
                        err < PASS_THRESHOLD || act == Activation::Relu,
                        "case {i} {act:?} dh0[{k}]"
                    );
                }
            }
        }
    }
}

/// Σ over the windows of truncated BPTT(k1, k2) of the window's loss, run
/// forward from the window's entering state frozen at its value for the
/// original parameters: the function whose gradient truncated BPTT is.
fn truncated_objective(
    seq: &MaskedSequence,
    p: &Params,
    act: Activation,
    frozen: &ndarray::Array2<f64>,
    (k1, k2): (usize, usize),
) -> f64 {
    let steps = seq.len();
    let mut total = 0.0;
    let mut loss_from = 0;
    while loss_from < steps {
        let end = (loss_from + k1).min(steps);
        let start = loss_from.saturating_sub(k2 - k1);
        let scored: Vec<Option<usize>> = (start..end)
            .map(|t| if t >= loss_from { seq.targets[t] } else { None })
            .collect();
        let h = frozen.row(start).to_owned();
        total += forward_masked(p, act, &seq.inputs[start..end], &scored, &h)
            .unwrap()
            .loss;
        loss_from = end;
    }
    total
}

#[test]
fn truncated_bptt_on_masked_sequences_matches_finite_differences() {
    let act = Activation::Tanh;
    let h0 = Array1::from(vec![0.2, -0.1, 0.3, 0.0]);
    for (i, seq) in masked_cases().iter().enumerate() {
        let p = model(5, 4, act, 20 + i as u64);
        let trace = seq.forward(&p, act, &h0).unwrap();
        for k in [(1, 1), (2, 2), (3, 3), (1, 3), (2, 5)] {
            let (_, tg) = seq.truncated_gradients(&p, act, &h0, k).unwrap();
            let floor = floor_for_loss(trace.loss);
            let mut theta = p.clone();
            for (t, name) in PARAM_NAMES.iter().enumerate() {
                for j in 0..p.slices()[t].len() {
                    let original = theta.slices()[t][j];
                    let mut at = |d: f64| {
                        theta.slices_mut()[t][j] = original + d;
                        let l = truncated_objective(seq, &theta, act, &trace.h, k);
                        theta.slices_mut()[t][j] = original;
                        l
                    };
                    let n = ridders(&mut at, EPSILON);
                    let err = relative_error(tg.params.slices()[t][j], n, floor);
                    assert!(err < PASS_THRESHOLD, "case {i} k={k:?} {name}[{j}]: {err}");
                }
            }
        }
    }
}

#[test]
fn contributions_of_masked_steps_sum_to_the_gradient() {
    let p = model(5, 4, Activation::Tanh, 5);
    let h0 = Array1::zeros(4);
    for seq in masked_cases() {
        let (trace, g) = seq.gradients(&p, Activation::Tanh, &h0).unwrap();
        let c = contributions(&trace, &g);
        for (s, step) in c.steps.iter().enumerate() {
            if seq.inputs[s].is_none() {
                assert!(step.w_xh.iter().all(|&v| v == 0.0), "no input, no dW_xh");
            }
            if seq.targets[s].is_none() {
                assert!(step.w_hy.iter().all(|&v| v == 0.0), "no target, no dW_hy");
            }
        }
        let scale = g.params.global_norm().max(1e-300);
        let diff: f64 = c
            .sum
            .slices()
            .iter()
            .zip(g.params.slices())
            .flat_map(|(a, b)| a.iter().zip(b.iter()).map(|(x, y)| (x - y).abs()))
            .fold(0.0, f64::max);
        assert!(diff <= 1e-13 * scale);
    }
}

#[test]
fn sampling_over_masked_inputs_follows_the_forward_pass() {
    let p = model(5, 4, Activation::Tanh, 6);
    let h0 = Array1::zeros(4);
    let inputs = [Some(0), None, None, Some(3), None, None];
    let s = sample_masked(&p, Activation::Tanh, &h0, &inputs, 1.0, 11).unwrap();
    assert_eq!(
        s,
        sample_masked(&p, Activation::Tanh, &h0, &inputs, 1.0, 11).unwrap()
    );
    assert_eq!(s.indices.len(), 6);
    // No feedback: p_t depends on the given inputs only, as in the forward pass.
    let tr = forward_masked(&p, Activation::Tanh, &inputs, &[None; 6], &h0).unwrap();
    for (row, probs) in tr.p.rows().into_iter().zip(&s.probs) {
        for (a, b) in row.iter().zip(probs) {
            assert!((a - b).abs() < 1e-14);
        }
    }
    assert!(sample_masked(&p, Activation::Tanh, &h0, &[Some(5)], 1.0, 0).is_err());
    assert!(sample_masked(&p, Activation::Tanh, &h0, &[None], 0.0, 0).is_err());
    assert!(sample_masked(&p, Activation::Tanh, &Array1::zeros(3), &[None], 1.0, 0).is_err());
}

#[test]
fn jacobians_of_masked_sequences_are_the_derivatives_of_the_states() {
    // ∂h_T/∂h_0 = ∏ diag(f′(a_k)) W_hh holds with or without inputs: checked
    // against central differences of h_T for every RNN type.
    let h0 = Array1::from(vec![0.2, -0.1, 0.3, 0.0]);
    for (i, seq) in masked_cases().iter().enumerate() {
        let p = model(5, 4, Activation::Tanh, 30 + i as u64);
        let trace = seq.forward(&p, Activation::Tanh, &h0).unwrap();
        let last = seq.len();
        let mut squares = 0.0;
        for k in 0..4 {
            let state = |d: f64| {
                let mut h = h0.clone();
                h[k] += d;
                seq.forward(&p, Activation::Tanh, &h)
                    .unwrap()
                    .h
                    .row(last)
                    .to_owned()
            };
            let column = (state(1e-6) - state(-1e-6)) / 2e-6;
            squares += column.dot(&column);
        }
        let jl = rnn_lab::engine::analysis::jacobian_to_last(&p, &trace);
        let want = jl.frobenius[0];
        assert!((squares.sqrt() - want).abs() <= 1e-7 * want, "case {i}");
    }
}
