//! The `rnn-lab` binary: eval on the fixtures, on truncated-BPTT and Adagrad
//! cases checked against independent computations, bad inputs (exit 2),
//! bench and train.

use ndarray::Array1;
use rnn_lab::engine::{Activation, ModelConfig, PARAM_NAMES, Params, backward, forward};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Command, Output};

fn rnn_lab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rnn-lab"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Writes `contents` to a fresh temporary file named after `name`.
fn temp_file(name: &str, contents: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("rnn-lab-test-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).unwrap();
    path
}

fn eval(name: &str, input: &Value) -> Output {
    let path = temp_file(name, &input.to_string());
    let out = rnn_lab(&["eval", path.to_str().unwrap()]);
    std::fs::remove_file(path).ok();
    out
}

fn eval_ok(name: &str, input: &Value) -> Value {
    let out = eval(name, input);
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

fn flat(v: &Value, out: &mut Vec<f64>) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| flat(x, out)),
        Value::Number(n) => out.push(n.as_f64().unwrap()),
        other => panic!("not numeric: {other}"),
    }
}

fn numbers(v: &Value) -> Vec<f64> {
    let mut out = Vec::new();
    flat(v, &mut out);
    out
}

/// max|got − want| / max|want|.
fn normwise(got: &[f64], want: &[f64]) -> f64 {
    assert_eq!(got.len(), want.len());
    let scale = want.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-300);
    got.iter()
        .zip(want)
        .map(|(g, w)| (g - w).abs())
        .fold(0.0, f64::max)
        / scale
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

fn tensors(v: &Value) -> Vec<f64> {
    PARAM_NAMES.iter().flat_map(|n| numbers(&v[*n])).collect()
}

#[test]
fn eval_agrees_with_both_fixtures() {
    for name in ["a_hello_h3.json", "b_hello_h8.json"] {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let fixture: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let out = rnn_lab(&["eval", &path]);
        assert!(out.status.success());
        let got: Value = serde_json::from_slice(&out.stdout).unwrap();
        let expected = &fixture["expected"];
        for field in ["hs", "logits", "probs", "losses", "loss", "dh", "dh_norms"] {
            let err = normwise(&numbers(&got[field]), &numbers(&expected[field]));
            assert!(err <= 1e-10, "{name} {field}: {err}");
        }
        for g in ["W_xh", "W_hh", "W_hy", "b_h", "b_y", "h0"] {
            let err = normwise(&numbers(&got["grads"][g]), &numbers(&expected["grads"][g]));
            assert!(err <= 1e-10, "{name} grads.{g}: {err}");
        }
        for group in ["jacobian_norms", "jacobian_to_last"] {
            for kind in ["spectral", "frobenius"] {
                let (g, e) = (numbers(&got[group][kind]), numbers(&expected[group][kind]));
                assert_eq!(g.len(), e.len());
                for (a, b) in g.iter().zip(&e) {
                    assert!((a - b).abs() <= 1e-8 * b.abs(), "{name} {group}.{kind}");
                }
            }
        }
    }
}

/// A model of V = 5, H = 6 and a sequence of `steps`, as JSON and as values.
fn case(steps: usize) -> (Value, Params, Vec<usize>, Vec<usize>, Array1<f64>) {
    let p = Params::init(
        5,
        &ModelConfig {
            hidden: 6,
            weight_scale: 0.5,
            bias: true,
            bias_scale: 0.2,
            seed: 11,
            ..Default::default()
        },
    )
    .unwrap();
    let inputs: Vec<usize> = (0..steps).map(|t| (t * 3 + 1) % 5).collect();
    let targets: Vec<usize> = (0..steps).map(|t| (t * 2 + 3) % 5).collect();
    let h0 = Array1::from_iter((0..6).map(|i| 0.05 * i as f64));
    let input = json!({
        "params": params_json(&p), "h0": h0.to_vec(),
        "inputs": inputs, "targets": targets,
        "vocab": ["a", "b", "c", "d", "e"],
    });
    (input, p, inputs, targets, h0)
}

#[test]
fn eval_with_k_is_chunked_tbptt() {
    let (mut input, p, inputs, targets, h0) = case(11);
    input["k"] = json!(4);
    let got = eval_ok("k4", &input);
    // Independently: each chunk run and back-propagated on its own from the
    // state the previous chunk reached.
    let targets: Vec<Option<usize>> = targets.into_iter().map(Some).collect();
    let mut sum = Params::zeros(5, 6);
    let mut h = h0.clone();
    let (mut losses, mut starts, mut bounds) = (vec![], vec![], vec![]);
    for start in (0..11).step_by(4) {
        let end = (start + 4).min(11);
        let c = forward(
            &p,
            Activation::Tanh,
            &inputs[start..end],
            &targets[start..end],
            &h,
        )
        .unwrap();
        let g = backward(&p, &c);
        sum.add_assign(&g.params);
        losses.push(c.loss);
        starts.extend(g.h0.to_vec());
        bounds.extend([start as f64, end as f64]);
        h = c.last_state();
    }
    let grads = &got["grads"];
    assert!(grads.get("h0").is_none(), "truncated grads have no h0");
    assert!(normwise(&tensors(grads), &sum.slices().concat()) < 1e-12);
    assert_eq!(numbers(&got["segment_bounds"]), bounds);
    assert!(normwise(&numbers(&got["segment_losses"]), &losses) < 1e-13);
    assert!(normwise(&numbers(&got["segment_dh_start"]), &starts) < 1e-12);
    assert!(normwise(&numbers(&got["h_final"]), &h.to_vec()) < 1e-14);
    let total: f64 = losses.iter().sum();
    assert!((got["loss"].as_f64().unwrap() - total).abs() < 1e-12);
}

#[test]
fn eval_adagrad_cases_follow_min_char_rnn() {
    let (mut input, p, inputs, targets, h0) = case(6);
    let mem = Params::init(
        5,
        &ModelConfig {
            hidden: 6,
            weight_scale: 1.0,
            bias: true,
            bias_scale: 1.0,
            seed: 2,
            ..Default::default()
        },
    )
    .unwrap();
    let mem_abs = {
        let mut m = mem.clone();
        m.slices_mut()
            .into_iter()
            .for_each(|s| s.iter_mut().for_each(|v| *v = v.abs() * 3.0));
        m
    };
    // Gradients with entries beyond ±5, so the clipping matters.
    let grads = Params::init(
        5,
        &ModelConfig {
            hidden: 6,
            weight_scale: 6.0,
            bias: true,
            bias_scale: 6.0,
            seed: 3,
            ..Default::default()
        },
    )
    .unwrap();
    input["lr"] = json!(0.1);
    input["clip"] = json!(5.0);
    input["eps"] = json!(1e-8);
    input["mem"] = params_json(&mem_abs);
    input["grads"] = params_json(&grads);
    let p2 = Params::init(
        5,
        &ModelConfig {
            hidden: 6,
            weight_scale: 0.2,
            bias: true,
            bias_scale: 0.2,
            seed: 4,
            ..Default::default()
        },
    )
    .unwrap();
    input["extra_cases"] = json!([
        {"name": "zero memory", "params": params_json(&p2), "mem": params_json(&Params::zeros(5, 6)), "grads": params_json(&grads)},
        {"name": "own lr", "lr": 0.5, "params": params_json(&p), "mem": params_json(&mem_abs), "grads": params_json(&p2)},
    ]);
    let got = eval_ok("adagrad", &input);

    // Textbook: g = clip(grads, −5, 5); mem += g²; θ −= lr·g/√(mem + 1e-8).
    let check = |got: &Value, theta: &Params, mem: &Params, grads: &Params, lr: f64| {
        let g: Vec<f64> = grads
            .slices()
            .concat()
            .iter()
            .map(|x| x.clamp(-5.0, 5.0))
            .collect();
        let m: Vec<f64> = mem
            .slices()
            .concat()
            .iter()
            .zip(&g)
            .map(|(m, g)| m + g * g)
            .collect();
        let t: Vec<f64> = theta
            .slices()
            .concat()
            .iter()
            .zip(&g)
            .zip(&m)
            .map(|((t, g), m)| t - lr * g / (m + 1e-8).sqrt())
            .collect();
        assert_eq!(tensors(&got["clipped_grads"]), g);
        assert!(normwise(&tensors(&got["mem_after"]), &m) < 1e-15);
        assert!(normwise(&tensors(&got["params_after"]), &t) < 1e-15);
        let loss = forward(
            theta,
            Activation::Tanh,
            &inputs,
            &targets.iter().map(|&t| Some(t)).collect::<Vec<_>>(),
            &h0,
        )
        .unwrap()
        .loss;
        assert!((got["loss_before"].as_f64().unwrap() - loss).abs() < 1e-12);
    };
    check(&got, &p, &mem_abs, &grads, 0.1);
    let extra = got["extra_cases"].as_array().unwrap();
    assert_eq!(extra[0]["name"], "zero memory");
    check(&extra[0], &p2, &Params::zeros(5, 6), &grads, 0.1);
    assert_eq!(extra[1]["name"], "own lr");
    check(&extra[1], &p, &mem_abs, &p2, 0.5);
    assert!(
        tensors(&got["clipped_grads"])
            .iter()
            .any(|&g| g == 5.0 || g == -5.0)
    );
}

/// Runs eval on a broken input: exit code 2, one line on stderr that names `field`.
fn refused(name: &str, input: &str, field: &str) {
    let path = temp_file(name, input);
    let out = rnn_lab(&["eval", path.to_str().unwrap()]);
    std::fs::remove_file(path).ok();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{name}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{name}: one line: {err}");
    assert!(err.contains(field), "{name}: {err:?} should name {field:?}");
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_inputs_exit_2_naming_the_field() {
    let (good, ..) = case(4);
    let with = |path: &[&str], v: Value| {
        let mut x = good.clone();
        let mut at = &mut x;
        for p in &path[..path.len() - 1] {
            at = &mut at[*p];
        }
        at[path[path.len() - 1]] = v;
        x.to_string()
    };
    refused("syntax", "{\"params\": ", "not valid JSON");
    refused("not-object", "[1, 2]", "input");
    refused(
        "no-params",
        &json!({"inputs": [0], "targets": [1]}).to_string(),
        "params",
    );
    refused(
        "w_hh-shape",
        &with(&["params", "W_hh"], json!([[1.0, 2.0]])),
        "params.W_hh",
    );
    refused(
        "w_xh-row",
        &with(
            &["params", "W_xh"],
            json!([[1.0], [1.0], [1.0], [1.0], [1.0], [1.0]]),
        ),
        "params.W_xh[0]",
    );
    refused(
        "b_y-text",
        &with(&["params", "b_y"], json!(["x", 0, 0, 0, 0])),
        "params.b_y[0]",
    );
    refused("h0-length", &with(&["h0"], json!([0.0, 0.0])), "h0");
    refused(
        "input-index",
        &with(&["inputs"], json!([0, 1, 9, 2])),
        "inputs[2]",
    );
    refused(
        "input-negative",
        &with(&["inputs"], json!([0, -1, 2, 2])),
        "inputs[1]",
    );
    refused(
        "targets-length",
        &with(&["targets"], json!([1, 2])),
        "targets",
    );
    refused("no-inputs", &with(&["inputs"], json!([])), "inputs");
    refused("vocab-size", &with(&["V"], json!(7)), "V");
    refused("k-zero", &with(&["k"], json!(0)), "k");
    refused("k-text", &with(&["k"], json!("4")), "k");
    refused(
        "activation",
        &with(&["activation"], json!("softmax")),
        "activation",
    );
    refused("hidden", &with(&["H"], json!(0)), "H");
    let mut opt = good.clone();
    opt["lr"] = json!(0.1);
    opt["clip"] = json!(5.0);
    let zeros = params_json(&Params::zeros(5, 6));
    opt["mem"] = zeros.clone();
    opt["grads"] = good["params"].clone();
    refused("missing-eps", &opt.to_string(), "eps");
    opt["eps"] = json!(-1.0);
    refused("negative-eps", &opt.to_string(), "eps");
    opt["eps"] = json!(1e-8);
    opt["mem"]["b_h"] = json!([-1.0, 0, 0, 0, 0, 0]);
    refused("negative-mem", &opt.to_string(), "mem");
    opt["mem"] = zeros.clone();
    opt["extra_cases"] = json!([{"name": "x", "params": good["params"].clone(), "mem": zeros}]);
    refused("extra-no-grads", &opt.to_string(), "extra_cases[0].grads");
    // The same input, repaired, is accepted.
    opt["extra_cases"][0]["grads"] = good["params"].clone();
    assert!(eval("repaired", &opt).status.success());
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec![],
        vec!["frobnicate"],
        vec!["eval"],
        vec!["eval", "/nonexistent/file.json"],
        vec!["bench", "--hidden", "0"],
        vec!["bench", "--hidden", "lots"],
        vec!["bench", "--speed", "3"],
        vec!["train"],
        vec!["train", "/nonexistent/text.txt"],
    ] {
        let out = rnn_lab(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("rnn-lab: "), "{err}");
    }
    assert!(rnn_lab(&["--help"]).status.success());
}

#[test]
fn bench_prints_one_json_line_per_configuration() {
    let out = rnn_lab(&[
        "bench", "--hidden", "8", "--seq", "5", "--runs", "3", "--target", "0.02",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1);
    let line: Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(line["impl"], "rnn-lab-native-f64");
    assert_eq!(
        (line["H"].as_u64(), line["seq"].as_u64()),
        (Some(8), Some(5))
    );
    assert_eq!(line["V"], 65, "the shared corpus has 65 symbols");
    let runs = numbers(&line["runs"]);
    assert_eq!(runs.len(), 3);
    let (min, max, median) = (
        line["min"].as_f64().unwrap(),
        line["max"].as_f64().unwrap(),
        line["median"].as_f64().unwrap(),
    );
    assert!(min > 0.0 && min <= median && median <= max);
    assert!(line["iters_per_run"].as_u64().unwrap() >= 20);
    assert!(line["last_loss"].as_f64().unwrap().is_finite());
}

#[test]
fn bench_times_the_f32_fast_mode_with_precision_f32() {
    let out = rnn_lab(&[
        "bench",
        "--hidden",
        "8",
        "--seq",
        "5",
        "--runs",
        "1",
        "--target",
        "0.02",
        "--precision",
        "f32",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: Value = serde_json::from_str(String::from_utf8(out.stdout).unwrap().trim()).unwrap();
    assert_eq!(line["impl"], "rnn-lab-native-f32");
    assert!(line["last_loss"].as_f64().unwrap().is_finite());
    refused_at_once(&["bench", "--precision", "f16"], "--precision");
}

#[test]
fn train_prints_progress_and_reproducible_samples() {
    let path = temp_file("train.txt", &"hello world, hello rnn. ".repeat(20));
    let run = || {
        let out = rnn_lab(&[
            "train",
            path.to_str().unwrap(),
            "--hidden",
            "10",
            "--seq",
            "8",
            "--iters",
            "40",
            "--sample-every",
            "20",
            "--sample-length",
            "30",
            "--seed",
            "3",
            "--temperature",
            "0.7",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let (a, b) = (run(), run());
    let progress: Vec<&str> = a.lines().filter(|l| l.starts_with("iter")).collect();
    assert_eq!(progress.len(), 2, "{a}");
    assert!(
        progress[0].contains("iter       20")
            && progress[0].contains("smooth loss")
            && progress[0].contains("it/s")
    );
    assert!(progress[1].contains("iter       40"));
    // Everything but the speed figures is the same in both runs.
    let strip = |s: &str| -> Vec<String> {
        s.lines()
            .map(|l| l.split(" | ").take(2).collect::<Vec<_>>().join(" | "))
            .collect()
    };
    assert_eq!(strip(&a), strip(&b));
    let bad = rnn_lab(&["train", path.to_str().unwrap(), "--temperature", "0"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("temperature"));
    std::fs::remove_file(path).ok();
}

/// Runs `args` and checks the refusal: exit 2, before any work (nothing on
/// stdout, well under a second of the warm-up or training that would follow),
/// one line on stderr that names `names`.
fn refused_at_once(args: &[&str], names: &str) {
    let t = std::time::Instant::now();
    let out = rnn_lab(args);
    let took = t.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?} did work first");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    assert!(
        err.starts_with("rnn-lab: ") && err.contains(names),
        "{args:?}: {err}"
    );
    assert!(took < 2.0, "{args:?} took {took:.1} s");
}

#[test]
fn every_argument_is_checked_before_any_work() {
    let text = temp_file("hostile.txt", &"hello world, hello rnn. ".repeat(20));
    let file = text.to_str().unwrap();
    // Before: a capacity-overflow abort after the 0.5 s warm-up.
    refused_at_once(&["bench", "--runs", "100000000000000"], "--runs");
    refused_at_once(&["bench", "--runs", "0"], "--runs");
    refused_at_once(&["bench", "--target", "1e12"], "--target");
    refused_at_once(&["bench", "--target", "NaN"], "--target");
    // Before: H = 300 was timed; seq = 2⁶⁴ − 1 panicked on `s + 1`.
    refused_at_once(&["bench", "--hidden", "300"], "--hidden");
    refused_at_once(&["bench", "--seq", "18446744073709551615"], "--seq");
    refused_at_once(&["bench", "--seq", "257"], "--seq");
    // Before: refused only after the first 1000 iterations (exit 1).
    refused_at_once(
        &["train", file, "--sample-length", "200000"],
        "--sample-length",
    );
    refused_at_once(&["train", file, "--seq", "18446744073709551615"], "--seq");
    refused_at_once(&["train", file, "--hidden", "1000"], "--hidden");
    refused_at_once(
        &["train", file, "--sample-every", "1000000000000"],
        "--sample-every",
    );
    refused_at_once(&["train", file, "--lr", "-1"], "--lr");
    refused_at_once(&["train", file, "--temperature", "inf"], "--temperature");
    refused_at_once(&["train", file, "--iters", "-5"], "--iters");
    // The file itself: too many symbols, too big, not a file of text.
    let symbols: String = (0u32..300)
        .filter_map(|i| char::from_u32(0x4E00 + i))
        .collect();
    let wide = temp_file("wide.txt", &symbols.repeat(2));
    refused_at_once(
        &["train", wide.to_str().unwrap(), "--seq", "5"],
        "distinct symbols",
    );
    let big = temp_file("big.txt", &"a".repeat(200 * 1024));
    refused_at_once(
        &["train", big.to_str().unwrap()],
        "larger than 102400 bytes",
    );
    refused_at_once(&["bench", "--corpus", big.to_str().unwrap()], "--corpus");
    refused_at_once(&["train", "/dev/zero"], "/dev/zero");
    for f in [text, wide, big] {
        std::fs::remove_file(f).ok();
    }
}

#[test]
fn eval_checks_sizes_before_allocating() {
    // V = 10¹² with H = 1: before, a 1 × 10¹² matrix was allocated (an abort).
    let input = json!({
        "H": 1, "V": 1_000_000_000_000u64,
        "params": {"W_xh": [[0.0]], "W_hh": [[0.0]], "W_hy": [[0.0]], "b_h": [0.0], "b_y": [0.0]},
        "inputs": [0], "targets": [0],
    });
    let out = eval("huge-v.json", &input);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("V") && err.contains("at most 256"), "{err}");
    // A sequence longer than the limit.
    let long = json!({
        "H": 1, "V": 1,
        "params": {"W_xh": [[0.0]], "W_hh": [[0.0]], "W_hy": [[0.0]], "b_h": [0.0], "b_y": [0.0]},
        "inputs": vec![0; 300], "targets": vec![0; 300],
    });
    let out = eval("long.json", &long);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("number of steps"));
}
