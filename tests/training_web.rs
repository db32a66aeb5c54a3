//! Native tests of what the training chapter shows: per-step contributions
//! to the shared-weight gradients, the truncated-BPTT timeline, and the
//! training runs the chapter promises (hello converges, the paragraph's
//! smooth loss falls, clipping fires, a diverging run keeps its weights).

use ndarray::Array1;
use rnn_lab::engine::contributions::{contributions, step_contribution};
use rnn_lab::engine::timeline::timeline;
use rnn_lab::engine::{
    Activation, Clip, ModelConfig, OptimizerConfig, OptimizerKind, Params, Rng, Session,
    SessionConfig, backward, forward, truncated,
};

const PARAGRAPH: &str = include_str!("../data/paragraph.txt");

fn max_abs_diff(a: &Params, b: &Params) -> f64 {
    a.slices()
        .iter()
        .zip(b.slices())
        .flat_map(|(x, y)| x.iter().zip(y).map(|(p, q)| (p - q).abs()))
        .fold(0.0, f64::max)
}

fn random_case(
    seed: u64,
    act: Activation,
) -> (Params, Vec<usize>, Vec<Option<usize>>, Array1<f64>) {
    let mut rng = Rng::new(seed);
    let vocab = 2 + (rng.next_u64() % 5) as usize;
    let hidden = 1 + (rng.next_u64() % 7) as usize;
    let steps = 1 + (rng.next_u64() % 9) as usize;
    let mut p = Params::init(
        vocab,
        &ModelConfig {
            hidden,
            weight_scale: 0.8,
            bias: true,
            bias_scale: 0.3,
            activation: act,
            seed,
        },
    )
    .unwrap();
    p.b_h.iter_mut().for_each(|v| *v = rng.normal() * 0.2);
    let inputs: Vec<usize> = (0..steps)
        .map(|_| (rng.next_u64() % vocab as u64) as usize)
        .collect();
    // Some steps without a loss, as in many-to-one tasks.
    let targets: Vec<Option<usize>> = (0..steps)
        .map(|_| (rng.uniform() < 0.8).then(|| (rng.next_u64() % vocab as u64) as usize))
        .collect();
    let h0 = Array1::from_iter((0..hidden).map(|_| rng.normal() * 0.5));
    (p, inputs, targets, h0)
}

#[test]
fn contributions_sum_to_the_bptt_gradient() {
    let acts = [
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Relu,
        Activation::Identity,
    ];
    for seed in 0..60 {
        let act = acts[seed as usize % 4];
        let (p, inputs, targets, h0) = random_case(seed, act);
        let tr = forward(&p, act, &inputs, &targets, &h0).unwrap();
        let g = backward(&p, &tr);
        let c = contributions(&tr, &g);
        assert_eq!(c.steps.len(), inputs.len());
        let scale = g.params.global_norm().max(1.0);
        assert!(
            max_abs_diff(&c.sum, &g.params) <= 1e-12 * scale,
            "seed {seed}: Σ_t contributions differs from BPTT by {}",
            max_abs_diff(&c.sum, &g.params)
        );
    }
}

/// The forward loss with a separate copy of W_hh, W_xh, W_hy at step `t`
/// (1-based): the contribution of step t is the gradient of that copy.
fn untied_loss(
    p: &Params,
    copy: &Params,
    t: usize,
    act: Activation,
    inputs: &[usize],
    targets: &[Option<usize>],
    h0: &Array1<f64>,
) -> f64 {
    let mut h = h0.clone();
    let mut loss = 0.0;
    for (s, (&x, target)) in inputs.iter().zip(targets).enumerate() {
        let w = if s + 1 == t { copy } else { p };
        let a = w.w_xh.column(x).to_owned() + w.w_hh.dot(&h) + &p.b_h;
        h = a.mapv(|v| act.apply(v));
        let y = w.w_hy.dot(&h) + &p.b_y;
        if let Some(k) = target {
            let m = y.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
            let lse = y.mapv(|v| (v - m).exp()).sum().ln() + m;
            loss += lse - y[*k];
        }
    }
    loss
}

#[test]
fn a_step_contribution_is_the_gradient_of_that_step_s_copy_of_the_weights() {
    let eps = 1e-5;
    for seed in [3, 11, 42] {
        let act = Activation::Tanh;
        let (p, inputs, targets, h0) = random_case(seed, act);
        let tr = forward(&p, act, &inputs, &targets, &h0).unwrap();
        let g = backward(&p, &tr);
        for t in 1..=inputs.len() {
            let c = step_contribution(&tr, &g, t).unwrap();
            // W_xh, W_hh, W_hy are slices 0, 1, 2.
            for which in 0..3 {
                let n = p.slices()[which].len();
                for i in 0..n {
                    let mut plus = p.clone();
                    plus.slices_mut()[which][i] += eps;
                    let mut minus = p.clone();
                    minus.slices_mut()[which][i] -= eps;
                    let numeric = (untied_loss(&p, &plus, t, act, &inputs, &targets, &h0)
                        - untied_loss(&p, &minus, t, act, &inputs, &targets, &h0))
                        / (2.0 * eps);
                    let analytic = c.slices()[which][i];
                    assert!(
                        (numeric - analytic).abs() <= 1e-7 * (1.0 + analytic.abs()),
                        "seed {seed} t {t} tensor {which} entry {i}: {analytic} vs {numeric}"
                    );
                }
            }
        }
    }
}

#[test]
fn hello_contributions_match_the_session_gradient() {
    let s = Session::new(SessionConfig::default()).unwrap();
    let tr = s.trace();
    let g = s.gradients();
    let mut c = contributions(&tr, &g);
    assert_eq!(c.steps.len(), 4);
    // The session drops bias gradients when the model has no biases.
    c.sum.zero_biases();
    assert!(max_abs_diff(&c.sum, &g.params) < 1e-12 * g.params.global_norm());
    // dW_hh at t = 1 is da_1 h_0ᵀ with h_0 = 0: no contribution.
    assert!(c.steps[0].w_hh.iter().all(|&v| v == 0.0));
    assert!(c.steps[3].w_hh.iter().any(|&v| v != 0.0));
}

fn text_session(seq: usize, hidden: usize) -> Session {
    Session::new(SessionConfig {
        model: ModelConfig {
            hidden,
            weight_scale: 0.01,
            seed: 7,
            ..ModelConfig::default()
        },
        text: PARAGRAPH.into(),
        seq_len: Some(seq),
        ..SessionConfig::default()
    })
    .unwrap()
}

#[test]
fn truncation_with_k_equal_to_the_sequence_is_full_bptt() {
    let mut s = text_session(25, 16);
    s.train(3).unwrap();
    let tr = s.trace();
    let full = backward(s.params(), &tr);
    let t = truncated(s.params(), &tr, 25, 25).unwrap();
    assert_eq!(t.params, full.params);
    assert_eq!(t.dh, full.dh);
    assert_eq!(t.segments.len(), 1);

    let a = timeline(&s, None).unwrap();
    let b = timeline(&s, Some((25, 25))).unwrap();
    assert_eq!(a.chunks, b.chunks);
    assert_eq!(a.dh_norms, b.dh_norms);
    assert_eq!(b.grad_difference, 0.0);
    // k > T is the same one chunk.
    assert_eq!(timeline(&s, Some((40, 40))).unwrap().chunks, a.chunks);
}

#[test]
fn timeline_chunks_and_discarded_gradients() {
    let mut s = text_session(25, 12);
    s.train(5).unwrap();
    let tl = timeline(&s, Some((10, 10))).unwrap();
    let bounds: Vec<(usize, usize, usize)> = tl
        .chunks
        .iter()
        .map(|c| (c.start, c.loss_from, c.end))
        .collect();
    // The chunked form (k1 = k2 = 10): chunks of 10, the last one shorter.
    assert_eq!(bounds, vec![(0, 0, 10), (10, 10, 20), (20, 20, 25)]);
    assert_eq!(tl.h_norms.len(), 26);
    assert_eq!(tl.dh_norms.len(), 26);

    // Oracle: each chunk run on its own from the carried state; the gradient
    // reaching its entering state is what the border discards.
    let tr = s.trace();
    let (inputs, targets) = s.sequence();
    let mut loss_sum = 0.0;
    for c in &tl.chunks {
        let h_start = tr.h.row(c.start).to_owned();
        let scored: Vec<Option<usize>> = (c.start..c.end)
            .map(|t| if t >= c.loss_from { targets[t] } else { None })
            .collect();
        let sub = forward(
            s.params(),
            Activation::Tanh,
            &inputs[c.start..c.end],
            &scored,
            &h_start,
        )
        .unwrap();
        let g = backward(s.params(), &sub);
        for (a, b) in g.h0.iter().zip(&c.dh_start) {
            assert!((a - b).abs() < 1e-12);
        }
        assert!((sub.loss - c.loss).abs() < 1e-12);
        loss_sum += c.loss;
        // Inside the chunk the carried forward state is the same h.
        let last = sub.h.row(c.end - c.start);
        for (a, b) in last.iter().zip(tr.h.row(c.end)) {
            assert!((a - b).abs() < 1e-12);
        }
    }
    assert!((loss_sum - tr.loss).abs() < 1e-9);
    // Truncation changes the gradient; it discards something at every inner border.
    assert!(tl.grad_difference > 0.0);
    assert!(tl.chunks[1..].iter().all(|c| c.dh_start_norm > 0.0));
    assert!(timeline(&s, Some((10, 5))).is_err());
    assert!(timeline(&s, Some((0, 5))).is_err());
}

#[test]
fn hello_from_the_default_state_predicts_e_l_l_o() {
    let mut s = Session::new(SessionConfig::default()).unwrap();
    let mut iterations = 0;
    while iterations < 2000 {
        s.train(100).unwrap();
        iterations += 100;
        let tr = s.trace();
        let predicted = s.vocab().decode(&tr.predicted()).unwrap();
        if predicted == "ello" {
            return;
        }
    }
    panic!("hello did not converge in {iterations} iterations");
}

#[test]
fn the_paragraph_trains_and_samples() {
    let mut s = text_session(25, 64);
    let before = s.smooth_loss();
    s.train(2000).unwrap();
    assert!(
        s.smooth_loss() < before - 5.0,
        "smooth loss {} → {}",
        before,
        s.smooth_loss()
    );
    let start = s.sequence().0[0];
    let a = s.sample(start, 80, 0.5, 3).unwrap();
    let b = s.sample(start, 80, 0.5, 3).unwrap();
    assert_eq!(a, b, "the same seed gives the same sample");
    assert_eq!(a.text.chars().count(), 80);
}

#[test]
fn a_high_learning_rate_makes_clipping_fire() {
    let mut s = Session::new(SessionConfig {
        optimizer: OptimizerConfig::new(OptimizerKind::Sgd, 5.0),
        clip: Clip::Norm(1.0),
        ..SessionConfig::default()
    })
    .unwrap();
    let r = s.train(50).unwrap();
    assert!(r.clip_fired_count > 0);
    assert!(s.history().clip_fired.iter().any(|&f| f));
}

#[test]
fn a_diverging_run_keeps_the_last_good_weights() {
    let mut s = Session::new(SessionConfig {
        model: ModelConfig {
            activation: Activation::Identity,
            ..ModelConfig::default()
        },
        optimizer: OptimizerConfig::new(OptimizerKind::Sgd, 10.0),
        clip: Clip::Off,
        ..SessionConfig::default()
    })
    .unwrap();
    let err = s.train(10_000).unwrap_err();
    assert!(err.to_string().contains("diverged"));
    assert!(s.diverged());
    assert!(s.params().all_finite());
    let kept = s.params().clone();
    assert!(s.train(1).is_err());
    assert_eq!(s.params(), &kept);
}

#[test]
fn paragraph_is_plain_and_a_few_kilobytes() {
    assert!((2_000..=5_000).contains(&PARAGRAPH.len()));
    assert!(PARAGRAPH.is_ascii());
}
