//! `rnn-lab eval` against further float64 reference cases (long sequences,
//! truncated BPTT, Adagrad), every field of `expected` compared.

use serde_json::Value;
use std::process::Command;

/// Normwise for plain fields, elementwise for Jacobian norms (they span ~100 orders of magnitude).
fn compare(path: &str, got: &Value, exp: &Value, worst: &mut f64) {
    match exp {
        Value::Object(fields) => {
            for (k, v) in fields {
                if k == "name" || k == "description" {
                    continue;
                }
                let g = got.get(k).unwrap_or_else(|| panic!("{path}.{k}: missing"));
                compare(&format!("{path}.{k}"), g, v, worst);
            }
        }
        Value::Array(items) if items.first().is_some_and(Value::is_object) => {
            let gs = got
                .as_array()
                .unwrap_or_else(|| panic!("{path}: not a list"));
            assert_eq!(gs.len(), items.len(), "{path}: length");
            for (i, (g, e)) in gs.iter().zip(items).enumerate() {
                compare(&format!("{path}[{i}]"), g, e, worst);
            }
        }
        _ => {
            let (mut g, mut e) = (Vec::new(), Vec::new());
            flatten(got, &mut g);
            flatten(exp, &mut e);
            assert_eq!(g.len(), e.len(), "{path}: count");
            assert!(g.iter().all(|v| v.is_finite()), "{path}: non-finite");
            let err = if path.contains("jacobian") {
                g.iter()
                    .zip(&e)
                    .map(|(a, b)| {
                        if *b != 0.0 {
                            ((a - b) / b).abs()
                        } else {
                            a.abs()
                        }
                    })
                    .fold(0.0, f64::max)
            } else {
                let scale = e.iter().fold(0.0f64, |m, v| m.max(v.abs()));
                let scale = if scale == 0.0 { 1.0 } else { scale };
                g.iter()
                    .zip(&e)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0.0, f64::max)
                    / scale
            };
            let tol = if path.contains("jacobian") {
                1e-8
            } else {
                1e-10
            };
            assert!(err <= tol, "{path}: relative error {err:e} > {tol:e}");
            *worst = worst.max(err);
        }
    }
}

fn flatten(v: &Value, out: &mut Vec<f64>) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| flatten(x, out)),
        Value::Number(n) => out.push(n.as_f64().expect("number")),
        other => panic!("not numeric: {other}"),
    }
}

fn check(file: &str) {
    let path = format!(
        "{}/tests/fixtures/reference/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = Command::new(env!("CARGO_BIN_EXE_rnn-lab"))
        .args(["eval", &path])
        .output()
        .expect("run rnn-lab");
    assert!(
        out.status.success(),
        "{file}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut worst = 0.0;
    compare("expected", &got, &fixture["expected"], &mut worst);
    if let Some(cases) = fixture.get("extra_cases").and_then(Value::as_array) {
        let got_cases = got["extra_cases"]
            .as_array()
            .expect("extra_cases in output");
        for case in cases {
            let name = &case["name"];
            let g = got_cases
                .iter()
                .find(|c| &c["name"] == name)
                .unwrap_or_else(|| panic!("extra case {name} missing"));
            compare(&format!("extra[{name}]"), g, &case["expected"], &mut worst);
        }
    }
    eprintln!("{file}: worst relative error {worst:.2e}");
}

#[test]
fn long_sequence_with_large_jacobians() {
    check("long_big.json");
}

#[test]
fn long_sequence_with_vanishing_jacobians() {
    check("vlong_tiny.json");
}

#[test]
fn chunked_truncated_bptt() {
    check("tbptt_k4.json");
    check("tbptt_k7.json");
}

#[test]
fn adagrad_step_with_clipping() {
    check("adagrad.json");
}
