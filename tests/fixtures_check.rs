//! The engine against the independent float64 reference fixtures: the two
//! "hello" cases (every input and target present) and the two masked ones
//! (many-to-one: only the last step scored; one-to-many: one input, then none),
//! every field to 1e-10 normwise relative, Jacobian norms to 1e-8 elementwise.

use ndarray::{Array1, Array2};
use rnn_lab::engine::{Activation, Params, analysis, backward, forward, forward_masked};
use serde_json::Value;

fn mat(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).unwrap();
    let (r, c) = (rows.len(), rows.first().map_or(0, |x| x.len()));
    Array2::from_shape_vec((r, c), rows.into_iter().flatten().collect()).unwrap()
}
fn vec1(v: &Value) -> Array1<f64> {
    serde_json::from_value::<Vec<f64>>(v.clone())
        .unwrap()
        .into()
}
fn flat(v: &Value, out: &mut Vec<f64>) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| flat(x, out)),
        Value::Number(n) => out.push(n.as_f64().unwrap()),
        _ => panic!("not numeric"),
    }
}
/// Numbers with `null` for "no value" (an unscored step's loss).
fn masked_numbers(v: &Value) -> Vec<Option<f64>> {
    serde_json::from_value(v.clone()).unwrap()
}
/// A list of indices with `null` for "absent".
fn masked(v: &Value) -> Vec<Option<usize>> {
    serde_json::from_value(v.clone()).unwrap()
}
fn normwise(got: &[f64], exp: &Value) -> f64 {
    let mut e = Vec::new();
    flat(exp, &mut e);
    assert_eq!(got.len(), e.len());
    let scale = e
        .iter()
        .fold(0.0f64, |m, v| m.max(v.abs()))
        .max(f64::MIN_POSITIVE);
    got.iter()
        .zip(&e)
        .map(|(g, x)| (g - x).abs())
        .fold(0.0, f64::max)
        / scale
}
fn elementwise(got: &[f64], exp: &Value) -> f64 {
    let mut e = Vec::new();
    flat(exp, &mut e);
    assert_eq!(got.len(), e.len());
    got.iter()
        .zip(&e)
        .map(|(g, x)| {
            if *x != 0.0 {
                ((g - x) / x).abs()
            } else {
                g.abs()
            }
        })
        .fold(0.0, f64::max)
}

fn check(name: &str) {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let fx: Value = serde_json::from_str(&text).unwrap();
    let p = &fx["params"];
    let params = Params {
        w_xh: mat(&p["W_xh"]),
        w_hh: mat(&p["W_hh"]),
        w_hy: mat(&p["W_hy"]),
        b_h: vec1(&p["b_h"]),
        b_y: vec1(&p["b_y"]),
    };
    let inputs = masked(&fx["inputs"]);
    let targets = masked(&fx["targets"]);
    let h0 = vec1(&fx["h0"]);
    let trace = forward_masked(&params, Activation::Tanh, &inputs, &targets, &h0).unwrap();
    if inputs.iter().all(Option::is_some) {
        // Every input present: the unmasked entry point gives the same bits.
        let dense: Vec<usize> = inputs.iter().flatten().copied().collect();
        assert_eq!(
            forward(&params, Activation::Tanh, &dense, &targets, &h0).unwrap(),
            trace
        );
    }
    let g = backward(&params, &trace);
    let e = &fx["expected"];
    let tol = 1e-10;
    // Unscored steps: null in the reference, None here; the rest compared as numbers.
    let expected_losses = masked_numbers(&e["losses"]);
    assert_eq!(
        trace
            .scored_losses()
            .iter()
            .map(Option::is_some)
            .collect::<Vec<_>>(),
        expected_losses
            .iter()
            .map(Option::is_some)
            .collect::<Vec<_>>(),
        "{name}: unscored steps"
    );
    let fields: Vec<(&str, Vec<f64>)> = vec![
        ("hs", trace.h.iter().copied().collect()),
        ("logits", trace.y.iter().copied().collect()),
        ("probs", trace.p.iter().copied().collect()),
        ("loss", vec![trace.loss]),
        ("dh", g.dh.iter().copied().collect()),
        ("dh_norms", g.dh_norms()),
    ];
    for (field, got) in fields {
        let err = normwise(&got, &e[field]);
        assert!(err <= tol, "{name} {field}: {err}");
    }
    let scored: Vec<f64> = trace.scored_losses().into_iter().flatten().collect();
    let err = normwise(
        &scored,
        &Value::from(expected_losses.into_iter().flatten().collect::<Vec<_>>()),
    );
    assert!(err <= tol, "{name} losses: {err}");
    let grads = [
        ("W_xh", &g.params.w_xh),
        ("W_hh", &g.params.w_hh),
        ("W_hy", &g.params.w_hy),
    ];
    for (field, m) in grads {
        let err = normwise(m.as_slice().unwrap(), &e["grads"][field]);
        assert!(err <= tol, "{name} grads.{field}: {err}");
    }
    for (field, v) in [
        ("b_h", &g.params.b_h),
        ("b_y", &g.params.b_y),
        ("h0", &g.h0),
    ] {
        let err = normwise(v.as_slice().unwrap(), &e["grads"][field]);
        assert!(err <= tol, "{name} grads.{field}: {err}");
    }
    if e.get("jacobian_norms").is_none() {
        // The masked fixtures have no Jacobian fields.
        return;
    }
    let jn = analysis::jacobian_norms(&params, &trace);
    let jl = analysis::jacobian_to_last(&params, &trace);
    for (field, got) in [
        ("spectral", jn.spectral.concat()),
        ("frobenius", jn.frobenius.concat()),
    ] {
        let err = elementwise(&got, &e["jacobian_norms"][field]);
        assert!(err <= 1e-8, "{name} jacobian_norms.{field}: {err}");
    }
    for (field, got) in [("spectral", jl.spectral), ("frobenius", jl.frobenius)] {
        let err = elementwise(&got, &e["jacobian_to_last"][field]);
        assert!(err <= 1e-8, "{name} jacobian_to_last.{field}: {err}");
    }
}

#[test]
fn hello_h3_agrees_with_the_reference() {
    check("a_hello_h3.json");
}

#[test]
fn hello_h8_with_biases_agrees_with_the_reference() {
    check("b_hello_h8.json");
}

#[test]
fn many_to_one_agrees_with_the_reference() {
    check("f_many_to_one.json");
}

#[test]
fn one_to_many_with_absent_inputs_agrees_with_the_reference() {
    check("g_one_to_many.json");
}
