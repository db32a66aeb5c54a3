//! Finite-difference gradient checks over random masks (proptest): random V,
//! H, T, weights, h_0, and for each step an input or none and a target or
//! none (all absent included), for every activation, with and without biases;
//! full BPTT through the engine's `grad_check_masked` and dL/dh_0 here, and
//! truncated BPTT(k1, k2) for random k1 ≤ k2 against central differences of the
//! windowed objective it is the gradient of.

use ndarray::{Array1, Array2};
use proptest::prelude::*;
use rnn_lab::engine::gradcheck::{
    EPSILON, PASS_THRESHOLD, checked_indices, floor_for_loss, grad_check_masked, relative_error,
    ridders,
};
use rnn_lab::engine::{Activation, ModelConfig, Params, backward, forward_masked, truncated};

#[derive(Debug, Clone)]
struct Case {
    vocab: usize,
    hidden: usize,
    inputs: Vec<Option<usize>>,
    targets: Vec<Option<usize>>,
    scale: f64,
    h0: Vec<f64>,
    seed: u64,
    k: (usize, usize),
}

/// An index below `v`, absent with probability `absent`.
fn maybe(v: usize, absent: f64) -> impl Strategy<Value = Option<usize>> {
    (prop::bool::weighted(absent), 0..v).prop_map(|(gone, i)| (!gone).then_some(i))
}

fn case() -> impl Strategy<Value = Case> {
    (
        2usize..=6,
        1usize..=6,
        1usize..=9,
        0.0f64..=1.0,
        0.0f64..=1.0,
    )
        .prop_flat_map(|(v, h, t, input_gap, target_gap)| {
            (
                Just((v, h)),
                prop::collection::vec(maybe(v, input_gap), t),
                prop::collection::vec(maybe(v, target_gap), t),
                0.1f64..1.5,
                prop::collection::vec(-1.0f64..1.0, h),
                any::<u64>(),
                (1usize..=t + 1, 0usize..=3),
            )
        })
        .prop_map(
            |((vocab, hidden), inputs, targets, s, h0, seed, (k1, extra))| Case {
                vocab,
                hidden,
                inputs,
                targets,
                // Scaled by 1/√H so identity units do not blow the loss up.
                scale: s / (hidden as f64).sqrt(),
                h0,
                seed,
                k: (k1, k1 + extra),
            },
        )
}

fn params(c: &Case, act: Activation, bias: bool) -> Params {
    Params::init(
        c.vocab,
        &ModelConfig {
            hidden: c.hidden,
            weight_scale: c.scale,
            bias,
            bias_scale: if bias { 0.5 } else { 0.0 },
            activation: act,
            seed: c.seed,
        },
    )
    .unwrap()
}

/// The on/off pattern of ReLU units (a ±ε step that changes it measures the kink).
fn pattern(p: &Params, c: &Case, h0: &Array1<f64>) -> Vec<bool> {
    let t = forward_masked(p, Activation::Relu, &c.inputs, &c.targets, h0).unwrap();
    t.a.iter().map(|&a| a > 0.0).collect()
}

/// Σ over TBPTT(k1, k2)'s windows of the window's loss, from the window's
/// entering state frozen at `frozen` (the states for the unperturbed θ).
fn windowed_loss(c: &Case, p: &Params, act: Activation, frozen: &Array2<f64>) -> f64 {
    let (k1, k2) = c.k;
    let steps = c.inputs.len();
    let (mut total, mut loss_from) = (0.0, 0);
    while loss_from < steps {
        let end = (loss_from + k1).min(steps);
        let start = loss_from.saturating_sub(k2 - k1);
        let scored: Vec<Option<usize>> = (start..end)
            .map(|t| if t >= loss_from { c.targets[t] } else { None })
            .collect();
        let h = frozen.row(start).to_owned();
        total += forward_masked(p, act, &c.inputs[start..end], &scored, &h)
            .unwrap()
            .loss;
        loss_from = end;
    }
    total
}

/// The seed from PROPTEST_RNG_SEED when set, else a fixed one.
fn fixed_seed_unless_env() -> proptest::test_runner::RngSeed {
    match std::env::var("PROPTEST_RNG_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        Some(seed) => proptest::test_runner::RngSeed::Fixed(seed),
        None => proptest::test_runner::RngSeed::Fixed(20_261_214),
    }
}

proptest! {
    // A fixed seed keeps CI reproducible; PROPTEST_RNG_SEED=<n> explores other cases.
    #![proptest_config(ProptestConfig {
        cases: 80,
        rng_seed: fixed_seed_unless_env(),
        ..ProptestConfig::default()
    })]

    #[test]
    fn bptt_with_random_masks_matches_finite_differences(c in case()) {
        let h0 = Array1::from(c.h0.clone());
        for act in Activation::ALL {
            for bias in [false, true] {
                let p = params(&c, act, bias);
                let report = grad_check_masked(&p, act, &c.inputs, &c.targets, &h0, bias);
                prop_assert!(report.passed, "{act:?} bias={bias}: {report:?}");
                let trace = forward_masked(&p, act, &c.inputs, &c.targets, &h0).unwrap();
                let analytic = backward(&p, &trace).h0;
                let base = (act == Activation::Relu).then(|| pattern(&p, &c, &h0));
                for i in 0..c.hidden {
                    if let Some(base) = &base {
                        let moved = [EPSILON, -EPSILON].iter().any(|d| {
                            let mut h = h0.clone();
                            h[i] += d;
                            pattern(&p, &c, &h) != *base
                        });
                        if moved {
                            continue;
                        }
                    }
                    let mut loss = |d: f64| {
                        let mut h = h0.clone();
                        h[i] += d;
                        forward_masked(&p, act, &c.inputs, &c.targets, &h).unwrap().loss
                    };
                    let n = ridders(&mut loss, EPSILON);
                    let err = relative_error(analytic[i], n, floor_for_loss(trace.loss));
                    prop_assert!(err < PASS_THRESHOLD, "{act:?} dL/dh0[{i}]: {} vs {n}", analytic[i]);
                }
            }
        }
    }

    #[test]
    fn truncated_bptt_with_random_masks_matches_finite_differences(c in case()) {
        // tanh and identity: smooth, so every entry is compared.
        let h0 = Array1::from(c.h0.clone());
        for act in [Activation::Tanh, Activation::Identity] {
            let p = params(&c, act, true);
            let trace = forward_masked(&p, act, &c.inputs, &c.targets, &h0).unwrap();
            let tg = truncated(&p, &trace, c.k.0, c.k.1).unwrap();
            let floor = floor_for_loss(trace.loss);
            let mut theta = p.clone();
            for t in 0..5 {
                for j in checked_indices(p.slices()[t].len(), 40) {
                    let original = theta.slices()[t][j];
                    let mut at = |d: f64| {
                        theta.slices_mut()[t][j] = original + d;
                        let l = windowed_loss(&c, &theta, act, &trace.h);
                        theta.slices_mut()[t][j] = original;
                        l
                    };
                    let n = ridders(&mut at, EPSILON);
                    let err = relative_error(tg.params.slices()[t][j], n, floor);
                    prop_assert!(err < PASS_THRESHOLD, "{act:?} k={:?} tensor {t}[{j}]: {err}", c.k);
                }
            }
        }
    }
}
