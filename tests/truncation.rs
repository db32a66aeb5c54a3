//! Truncated BPTT against full BPTT and against independent computations.

use ndarray::Array1;
use rnn_lab::engine::{
    Activation, Clip, ModelConfig, OptimizerConfig, OptimizerKind, Params, Rng, Session,
    SessionConfig, backward, forward, truncated,
};

struct Model {
    p: Params,
    act: Activation,
    inputs: Vec<usize>,
    targets: Vec<Option<usize>>,
    h0: Array1<f64>,
}

fn model(seed: u64, steps: usize, act: Activation) -> Model {
    let (v, h) = (5, 6);
    let p = Params::init(
        v,
        &ModelConfig {
            hidden: h,
            weight_scale: 0.4,
            bias: true,
            bias_scale: 0.3,
            activation: act,
            seed,
        },
    )
    .unwrap();
    let mut rng = Rng::new(seed + 100);
    let mut pick = || (rng.uniform() * v as f64) as usize;
    let inputs = (0..steps).map(|_| pick()).collect();
    let targets = (0..steps).map(|_| Some(pick())).collect();
    let h0 = Array1::from_iter((0..h).map(|i| 0.1 * i as f64 - 0.2));
    Model {
        p,
        act,
        inputs,
        targets,
        h0,
    }
}

fn max_diff(a: &Params, b: &Params) -> f64 {
    a.slices()
        .iter()
        .zip(b.slices())
        .flat_map(|(x, y)| x.iter().zip(y.iter()).map(|(u, v)| (u - v).abs()))
        .fold(0.0, f64::max)
}

#[test]
fn k_at_least_t_is_full_bptt() {
    for act in Activation::ALL {
        let m = model(1, 9, act);
        let tr = forward(&m.p, m.act, &m.inputs, &m.targets, &m.h0).unwrap();
        let full = backward(&m.p, &tr);
        for (k1, k2) in [(9, 9), (12, 12), (9, 30), (100, 100)] {
            let t = truncated(&m.p, &tr, k1, k2).unwrap();
            assert_eq!(t.segments.len(), 1);
            assert!(
                max_diff(&t.params, &full.params) <= 1e-15,
                "{act:?} k=({k1},{k2})"
            );
            assert_eq!(t.dh, full.dh);
            assert_eq!(t.segments[0].dh_start, full.h0.to_vec());
            assert_eq!(t.segments[0].loss, tr.loss);
        }
    }
}

#[test]
fn chunked_tbptt_is_the_sum_of_per_chunk_bptt() {
    for (act, steps, k) in [
        (Activation::Tanh, 10, 3),
        (Activation::Sigmoid, 7, 2),
        (Activation::Identity, 12, 4),
        (Activation::Relu, 9, 1),
        (Activation::Tanh, 8, 8),
    ] {
        let m = model(steps as u64, steps, act);
        let tr = forward(&m.p, m.act, &m.inputs, &m.targets, &m.h0).unwrap();
        let t = truncated(&m.p, &tr, k, k).unwrap();
        // Independently: run each chunk on its own, from the state the previous
        // chunk handed over, as a fresh sequence (its entering state a constant).
        let mut sum = Params::zeros(5, 6);
        let mut h = m.h0.clone();
        let mut start = 0;
        let mut chunk = 0;
        while start < steps {
            let end = (start + k).min(steps);
            let c = forward(
                &m.p,
                m.act,
                &m.inputs[start..end],
                &m.targets[start..end],
                &h,
            )
            .unwrap();
            let g = backward(&m.p, &c);
            sum.add_assign(&g.params);
            let seg = &t.segments[chunk];
            assert_eq!((seg.start, seg.end), (start, end));
            assert!((seg.loss - c.loss).abs() <= 1e-13 * c.loss.abs());
            let dh_start_err = seg
                .dh_start
                .iter()
                .zip(g.h0.iter())
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            assert!(dh_start_err <= 1e-14, "{act:?} chunk {chunk}");
            h = c.last_state();
            start = end;
            chunk += 1;
        }
        assert_eq!(t.segments.len(), chunk);
        let scale = sum
            .slices()
            .iter()
            .flat_map(|s| s.iter())
            .fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(max_diff(&t.params, &sum) <= 1e-13 * scale, "{act:?} k={k}");
        // The carried state is the full forward's: the chunks see the same h.
        assert!((&h - &tr.last_state()).iter().all(|d| d.abs() < 1e-14));
    }
}

/// Σ_chunks L_c(θ) with every chunk's entering state frozen at its value for θ.
fn truncated_objective(m: &Model, p: &Params, frozen: &[Array1<f64>], k: usize) -> f64 {
    let steps = m.inputs.len();
    (0..steps)
        .step_by(k)
        .enumerate()
        .map(|(c, start)| {
            let end = (start + k).min(steps);
            forward(
                p,
                m.act,
                &m.inputs[start..end],
                &m.targets[start..end],
                &frozen[c],
            )
            .unwrap()
            .loss
        })
        .sum()
}

#[test]
fn chunked_tbptt_is_the_gradient_of_the_truncated_objective() {
    let (steps, k) = (11, 4);
    let m = model(7, steps, Activation::Tanh);
    let tr = forward(&m.p, m.act, &m.inputs, &m.targets, &m.h0).unwrap();
    let t = truncated(&m.p, &tr, k, k).unwrap();
    let frozen: Vec<Array1<f64>> = (0..steps)
        .step_by(k)
        .map(|start| tr.h.row(start).to_owned())
        .collect();
    let mut q = m.p.clone();
    let mut worst = 0.0f64;
    for tensor in 0..5 {
        for i in 0..q.slices()[tensor].len() {
            let orig = q.slices()[tensor][i];
            let mut at = |d: f64| {
                q.slices_mut()[tensor][i] = orig + d;
                let l = truncated_objective(&m, &q, &frozen, k);
                q.slices_mut()[tensor][i] = orig;
                l
            };
            let e = 1e-5;
            let numeric = (at(e) - at(-e)) / (2.0 * e);
            let analytic = t.params.slices()[tensor][i];
            worst =
                worst.max((numeric - analytic).abs() / (numeric.abs() + analytic.abs()).max(1e-4));
        }
    }
    assert!(worst < 1e-6, "worst relative error {worst}");
    // And it is not the full gradient: truncation discards something here.
    let full = backward(&m.p, &tr);
    assert!(max_diff(&t.params, &full.params) > 1e-6);
}

#[test]
fn general_k1_k2_windows_match_independent_windows() {
    let (steps, k1, k2) = (10, 3, 5);
    let m = model(3, steps, Activation::Tanh);
    let tr = forward(&m.p, m.act, &m.inputs, &m.targets, &m.h0).unwrap();
    let t = truncated(&m.p, &tr, k1, k2).unwrap();
    let mut sum = Params::zeros(5, 6);
    let mut loss_from = 0;
    let mut n = 0;
    while loss_from < steps {
        let end = (loss_from + k1).min(steps);
        // The window reaches k2 − k1 steps before the block's first loss.
        let start = loss_from.saturating_sub(k2 - k1);
        // The window from h_start (a constant), scoring only its last k1 steps.
        let targets: Vec<Option<usize>> = (start..end)
            .map(|s| if s >= loss_from { m.targets[s] } else { None })
            .collect();
        let w = forward(
            &m.p,
            m.act,
            &m.inputs[start..end],
            &targets,
            &tr.h.row(start).to_owned(),
        )
        .unwrap();
        sum.add_assign(&backward(&m.p, &w).params);
        let seg = &t.segments[n];
        assert_eq!((seg.start, seg.loss_from, seg.end), (start, loss_from, end));
        assert!((seg.loss - w.loss).abs() < 1e-13);
        loss_from = end;
        n += 1;
    }
    assert_eq!(t.segments.len(), n);
    assert!(max_diff(&t.params, &sum) < 1e-13);
}

#[test]
fn bad_truncation_lengths_are_errors() {
    let m = model(0, 4, Activation::Tanh);
    let tr = forward(&m.p, m.act, &m.inputs, &m.targets, &m.h0).unwrap();
    assert!(truncated(&m.p, &tr, 0, 0).is_err());
    assert!(truncated(&m.p, &tr, 3, 2).is_err());
}

fn text_session(truncation: Option<(usize, usize)>, per_chunk: bool) -> Session {
    Session::new(SessionConfig {
        model: ModelConfig {
            hidden: 5,
            weight_scale: 0.3,
            bias: true,
            ..Default::default()
        },
        text: "truncated backpropagation through time".into(),
        seq_len: Some(10),
        optimizer: OptimizerConfig::new(OptimizerKind::Sgd, 0.1),
        clip: Clip::Off,
        truncation,
        update_per_chunk: per_chunk,
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn session_with_k_equal_to_seq_trains_like_full_bptt() {
    let mut full = text_session(None, false);
    let mut trunc = text_session(Some((10, 10)), false);
    full.train(7).unwrap();
    trunc.train(7).unwrap();
    assert_eq!(full.params(), trunc.params());
    assert_eq!(full.history().loss.to_vec(), trunc.history().loss.to_vec());
}

#[test]
fn update_per_chunk_steps_after_every_chunk() {
    let k = 4;
    let mut s = text_session(Some((k, k)), true);
    let (inputs, targets) = s.sequence();
    let act = s.config().model.activation;
    // By hand: SGD after each chunk, the next chunk run with the new weights
    // from the state the previous chunk reached.
    let mut p = s.params().clone();
    let mut h = s.h_prev();
    let mut loss = 0.0;
    for start in (0..inputs.len()).step_by(k) {
        let end = (start + k).min(inputs.len());
        let c = forward(&p, act, &inputs[start..end], &targets[start..end], &h).unwrap();
        let g = backward(&p, &c).params;
        for (theta, grad) in p.slices_mut().into_iter().zip(g.slices()) {
            theta.iter_mut().zip(grad).for_each(|(t, g)| *t -= 0.1 * g);
        }
        loss += c.loss;
        h = c.last_state();
    }
    let r = s.train(1).unwrap();
    assert!(max_diff(s.params(), &p) < 1e-15);
    assert!((r.loss - loss).abs() < 1e-12);
    assert_eq!(
        s.optimizer().steps(),
        3,
        "10 steps in chunks of 4: 3 updates"
    );
    assert!((&s.h_prev() - &h).iter().all(|d| d.abs() < 1e-15));
    // ‖dL/dh_t‖ of the iteration is recorded for its 11 states h_0..h_10.
    assert_eq!(s.history().dh_norms.last().unwrap().len(), 11);
    // The session's truncated view cuts the next sequence into the same chunks.
    let tg = s.truncated_gradients().unwrap();
    let bounds: Vec<_> = tg.segments.iter().map(|g| (g.start, g.end)).collect();
    assert_eq!(bounds, vec![(0, 4), (4, 8), (8, 10)]);
}
