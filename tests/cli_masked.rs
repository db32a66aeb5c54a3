//! `rnn-lab eval` on masked sequences: `null` inputs (no input) and targets
//! (unscored, printed as a `null` loss), token vocabularies (`<cat>`, words)
//! and token names in place of indices.

use ndarray::Array1;
use rnn_lab::engine::{
    Activation, ModelConfig, PARAM_NAMES, Params, backward, forward_masked, truncated,
};
use serde_json::{Value, json};
use std::process::{Command, Output};

fn eval(name: &str, input: &str) -> Output {
    let path =
        std::env::temp_dir().join(format!("rnn-lab-masked-test-{}-{name}", std::process::id()));
    std::fs::write(&path, input).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rnn-lab"))
        .args(["eval", path.to_str().unwrap()])
        .output()
        .expect("the binary runs");
    std::fs::remove_file(path).ok();
    out
}

fn eval_ok(name: &str, input: &Value) -> Value {
    let out = eval(name, &input.to_string());
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

/// Every number of `v`, `None` for each `null`.
fn numbers(v: &Value) -> Vec<Option<f64>> {
    match v {
        Value::Array(a) => a.iter().flat_map(numbers).collect(),
        Value::Number(n) => vec![n.as_f64()],
        Value::Null => vec![None],
        other => panic!("not numeric: {other}"),
    }
}

/// max|got − want| / max|want| over the numbers, after checking the nulls match.
fn normwise(path: &str, got: &Value, want: &Value) -> f64 {
    let (g, w) = (numbers(got), numbers(want));
    assert_eq!(g.len(), w.len(), "{path}: count");
    let nulls = |v: &[Option<f64>]| v.iter().map(Option::is_none).collect::<Vec<_>>();
    assert_eq!(nulls(&g), nulls(&w), "{path}: nulls (unscored steps)");
    let pairs: Vec<(f64, f64)> = g.iter().zip(&w).filter_map(|(a, b)| a.zip(*b)).collect();
    let scale = pairs.iter().fold(0.0f64, |m, (_, b)| m.max(b.abs()));
    let scale = if scale == 0.0 { 1.0 } else { scale };
    pairs.iter().fold(0.0f64, |m, (a, b)| m.max((a - b).abs())) / scale
}

/// Compares every field of `want` (nested objects field by field).
fn compare(path: &str, got: &Value, want: &Value) {
    match want {
        Value::Object(fields) => {
            for (k, v) in fields {
                let g = got.get(k).unwrap_or_else(|| panic!("{path}.{k}: missing"));
                compare(&format!("{path}.{k}"), g, v);
            }
        }
        _ => {
            let err = normwise(path, got, want);
            assert!(err <= 1e-10, "{path}: relative error {err:e}");
        }
    }
}

#[test]
fn eval_agrees_with_the_masked_fixtures() {
    for name in ["f_many_to_one.json", "g_one_to_many.json"] {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        let fixture: Value = serde_json::from_str(&text).unwrap();
        let got = eval_ok(name, &fixture);
        compare(name, &got, &fixture["expected"]);
    }
}

fn params_json(p: &Params) -> Value {
    let mat = |m: &ndarray::Array2<f64>| -> Vec<Vec<f64>> {
        m.rows().into_iter().map(|r| r.to_vec()).collect()
    };
    json!({
        "W_xh": mat(&p.w_xh), "W_hh": mat(&p.w_hh), "W_hy": mat(&p.w_hy),
        "b_h": p.b_h.to_vec(), "b_y": p.b_y.to_vec(),
    })
}

fn model() -> Params {
    Params::init(
        5,
        &ModelConfig {
            hidden: 4,
            weight_scale: 0.6,
            bias: true,
            bias_scale: 0.2,
            seed: 5,
            ..Default::default()
        },
    )
    .unwrap()
}

/// A synced-with-gaps sequence over a token vocabulary, named by token and by index.
fn tagged() -> Value {
    json!({
        "vocab": ["<s>", "the", "cat", "DET", "NOUN"],
        "params": params_json(&model()),
        "h0": [0.1, -0.2, 0.0, 0.3],
        "inputs": ["<s>", null, "the", 2, null],
        "targets": [null, "DET", 3, null, "NOUN"],
    })
}

#[test]
fn eval_runs_null_inputs_and_targets_and_prints_null_losses() {
    let got = eval_ok("tagged", &tagged());
    let p = model();
    let inputs = [Some(0), None, Some(1), Some(2), None];
    let targets = [None, Some(3), Some(3), None, Some(4)];
    let h0 = Array1::from(vec![0.1, -0.2, 0.0, 0.3]);
    let tr = forward_masked(&p, Activation::Tanh, &inputs, &targets, &h0).unwrap();
    let g = backward(&p, &tr);
    // JSON numbers round-trip exactly: the engine's own bits.
    assert_eq!(got["losses"], json!(tr.scored_losses()));
    assert_eq!(got["losses"][0], Value::Null);
    assert_eq!(got["losses"][3], Value::Null);
    assert_eq!(got["loss"], json!(tr.loss));
    assert_eq!(
        got["hs"],
        json!(
            tr.h.rows()
                .into_iter()
                .map(|r| r.to_vec())
                .collect::<Vec<_>>()
        )
    );
    assert_eq!(got["grads"]["h0"], json!(g.h0.to_vec()));
    let grads = params_json(&g.params);
    for name in PARAM_NAMES {
        assert_eq!(got["grads"][name], grads[name], "{name}");
    }
    // dW_xh = Σ_t da_t x_tᵀ over the steps that have an input: steps 2 and 5 add nothing.
    let mut want = ndarray::Array2::<f64>::zeros((4, 5));
    for (s, x) in inputs.iter().enumerate() {
        if let Some(x) = x {
            let mut col = want.column_mut(*x);
            col += &g.da.row(s);
        }
    }
    assert_eq!(
        got["grads"]["W_xh"],
        params_json(&Params {
            w_xh: want,
            ..p.clone()
        })["W_xh"]
    );
    // Truncated BPTT over the same masks.
    let mut with_k = tagged();
    with_k["k"] = json!(2);
    let got = eval_ok("tagged-k", &with_k);
    let tg = truncated(&p, &tr, 2, 2).unwrap();
    assert_eq!(got["grads"], params_json(&tg.params));
    assert_eq!(
        got["segment_losses"],
        json!(tg.segments.iter().map(|s| s.loss).collect::<Vec<_>>())
    );
    assert_eq!(got["losses"], json!(tr.scored_losses()));
}

#[test]
fn eval_with_last_step_loss_prints_null_before_the_last_step() {
    let mut input = tagged();
    input["targets"] = json!([1, 2, 3, 4, 0]);
    input["loss_mode"] = json!("last_step");
    let got = eval_ok("last-step", &input);
    let losses = numbers(&got["losses"]);
    assert!(losses[..4].iter().all(Option::is_none));
    assert_eq!(losses[4], got["loss"].as_f64());
}

/// Runs eval on a broken input: exit code 2, one line on stderr that names `field`.
fn refused(name: &str, input: &Value, field: &str) {
    let out = eval(name, &input.to_string());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{name}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{name}: one line: {err}");
    assert!(err.contains(field), "{name}: {err:?} should name {field:?}");
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_tokens_exit_2_naming_the_field() {
    let with = |key: &str, v: Value| {
        let mut x = tagged();
        x[key] = v;
        x
    };
    refused(
        "vocab-twice",
        &with("vocab", json!(["<s>", "the", "the", "DET", "NOUN"])),
        "vocab[2]",
    );
    refused(
        "vocab-empty-token",
        &with("vocab", json!(["<s>", "", "cat", "DET", "NOUN"])),
        "vocab[1]",
    );
    refused(
        "vocab-null",
        &with("vocab", json!(["<s>", "the", null, "DET", "NOUN"])),
        "vocab[2]",
    );
    refused(
        "unknown-token",
        &with("inputs", json!(["<s>", "<dog>", null, null, null])),
        "inputs[1]",
    );
    let mut nameless = tagged();
    nameless.as_object_mut().unwrap().remove("vocab");
    refused("token-without-vocab", &nameless, "inputs[0]");
    refused("no-steps", &with("inputs", json!([])), "inputs");
    refused(
        "targets-length",
        &with("targets", json!([null, null])),
        "targets",
    );
}
