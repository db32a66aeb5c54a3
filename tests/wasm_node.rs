//! The wasm `Lab` handle, run in Node: created from a plain config object, its
//! snapshots equal the engine run directly here, training lowers the loss, and
//! bad input comes back as a JS error carrying the engine's message.
//!
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!  cargo test --target wasm32-unknown-unknown --test wasm_node`
#![cfg(target_arch = "wasm32")]

use ndarray::Array1;
use rnn_lab::engine::{self, Activation, ModelConfig, Params, WordTask};
use rnn_lab::web::lab::Lab;
use serde_json::{Value, json};
use wasm_bindgen::{JsError, JsValue};
use wasm_bindgen_test::*;

/// A JS object from JSON (what the page passes).
fn js(v: Value) -> JsValue {
    js_sys::JSON::parse(&v.to_string()).expect("valid JSON")
}

/// A Lab result as JSON, to read fields by name.
fn val(v: Result<JsValue, JsError>) -> Value {
    let v = v.unwrap_or_else(|e| panic!("Lab call failed: {}", message(e)));
    serde_wasm_bindgen::from_value(v).expect("plain data")
}

fn message(e: JsError) -> String {
    let v = JsValue::from(e);
    js_sys::Reflect::get(&v, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_default()
}

fn lab(config: Value) -> Lab {
    Lab::new(js(config)).unwrap_or_else(|e| panic!("Lab::new failed: {}", message(e)))
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

fn assert_close(a: &[f64], b: &[f64], tol: f64, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= tol * (1.0 + y.abs()),
            "{what}[{i}]: {x} vs {y}"
        );
    }
}

/// The engine's own forward pass on "hello" with the same settings as the Lab.
fn engine_hello(seed: u64, hidden: usize, activation: Activation) -> (Params, engine::Trace) {
    let task = WordTask::hello();
    let cfg = ModelConfig {
        hidden,
        weight_scale: 0.5,
        bias: false,
        bias_scale: 0.0,
        activation,
        seed,
    };
    let params = Params::init(task.vocab.len(), &cfg).unwrap();
    let targets: Vec<Option<usize>> = task.targets.iter().copied().map(Some).collect();
    let trace = engine::forward(
        &params,
        activation,
        &task.inputs,
        &targets,
        &Array1::zeros(hidden),
    )
    .unwrap();
    (params, trace)
}

#[wasm_bindgen_test]
fn forward_snapshots_equal_the_engines_trace() {
    let lab = lab(json!({"word": "hello", "hidden": 3, "seed": 7, "scale": 0.5, "act": "tanh"}));
    let (_, trace) = engine_hello(7, 3, Activation::Tanh);
    assert_eq!(lab.steps(), 4);
    let vocab: Vec<String> = serde_wasm_bindgen::from_value(lab.vocab().unwrap()).unwrap();
    assert_eq!(vocab, ["h", "e", "l", "o"]);
    let mut running = 0.0;
    for t in 1..=4 {
        let s = val(lab.forward_snapshot(t as f64));
        assert_eq!(s["t"], json!(t));
        assert_eq!(s["input"], json!(["h", "e", "l", "l"][t - 1]));
        assert_eq!(s["target"], json!(["e", "l", "l", "o"][t - 1]));
        // Same code path, same numbers: bit-for-bit.
        assert_eq!(floats(&s["h_prev"]), trace.h.row(t - 1).to_vec());
        assert_eq!(floats(&s["a_t"]), trace.a.row(t - 1).to_vec());
        assert_eq!(floats(&s["h_t"]), trace.h.row(t).to_vec());
        assert_eq!(floats(&s["y_t"]), trace.y.row(t - 1).to_vec());
        assert_eq!(floats(&s["p_t"]), trace.p.row(t - 1).to_vec());
        assert_eq!(s["loss_t"].as_f64().unwrap(), trace.losses[t - 1]);
        running += trace.losses[t - 1];
        assert_close(
            &[s["running_loss"].as_f64().unwrap()],
            &[running],
            1e-12,
            "running",
        );
        assert_eq!(s["loss"].as_f64().unwrap(), trace.loss);
        assert_eq!(s["predicted_index"], json!(trace.predicted()[t - 1]));
        // The shown terms add up to the engine's pre-activation.
        let sum: Vec<f64> = floats(&s["w_xh_x"])
            .iter()
            .zip(floats(&s["w_hh_h"]))
            .zip(floats(&s["b_h"]))
            .map(|((a, b), c)| a + b + c)
            .collect();
        assert_close(
            &sum,
            &trace.a.row(t - 1).to_vec(),
            1e-12,
            "W_xh x + W_hh h + b",
        );
    }
    let err = lab.forward_snapshot(5.0).err().map(message).unwrap();
    assert!(err.contains("between 1 and 4"), "{err}");
    let err = lab.forward_snapshot(0.0).err().map(message).unwrap();
    assert!(err.contains("between 1 and 4"), "{err}");
}

#[wasm_bindgen_test]
fn trace_and_backward_snapshots_equal_engine_bptt() {
    let lab = lab(json!({"seed": 3, "act": "sigmoid", "hidden": 5}));
    let (params, trace) = engine_hello(3, 5, Activation::Sigmoid);
    let grads = engine::backward(&params, &trace);
    let tv = val(lab.trace());
    assert_eq!(tv["predicted"], json!(trace.predicted()));
    assert_eq!(tv["h"].as_array().unwrap().len(), 5);
    assert_eq!(floats(&tv["losses"]), trace.losses);
    let g = val(lab.gradients());
    assert_eq!(floats(&g["dh_norms"]), grads.dh_norms());
    assert_eq!(
        floats(&g["w_hh"][1]),
        grads.params.w_hh.row(1).to_vec(),
        "dW_hh row 1"
    );
    for t in 1..=4 {
        let b = val(lab.backward_snapshot(t as f64));
        let dh = floats(&b["dh_t"]);
        assert_eq!(dh, grads.dh.row(t).to_vec());
        assert_eq!(floats(&b["da_t"]), grads.da.row(t - 1).to_vec());
        // dL/dh_t is what the step's own output sends plus what comes from t + 1.
        let parts: Vec<f64> = floats(&b["dh_from_output"])
            .iter()
            .zip(floats(&b["dh_from_next"]))
            .map(|(a, b)| a + b)
            .collect();
        assert_close(&parts, &dh, 1e-12, "dh_t parts");
        assert_close(
            &[b["dh_norm"].as_f64().unwrap()],
            &[grads.dh_norms()[t]],
            1e-12,
            "‖dh_t‖",
        );
    }
    // W_hhᵀ da_1 is dL/dh_0.
    let b1 = val(lab.backward_snapshot(1.0));
    assert_close(
        &floats(&b1["to_prev"]),
        &grads.h0.to_vec(),
        1e-12,
        "dL/dh_0",
    );
}

#[wasm_bindgen_test]
fn training_lowers_the_loss_and_records_history() {
    let mut lab = lab(json!({"word": "hello", "seed": 1}));
    let before = val(lab.status())["loss"].as_f64().unwrap();
    let report = val(lab.train(300.0));
    assert_eq!(report["iterations_run"], json!(300));
    assert_eq!(report["iteration"], json!(300));
    let status = val(lab.status());
    let after = status["loss"].as_f64().unwrap();
    assert!(after < 0.2 * before, "loss {before} → {after}");
    assert_eq!(status["iteration"], json!(300));
    let trace = val(lab.trace());
    assert_eq!(trace["predicted_chars"], json!(["e", "l", "l", "o"]));
    let h = val(lab.history(Some(290.0), None));
    assert_eq!(h["total"], json!(300));
    assert_eq!(h["start"], json!(290));
    assert_eq!(h["iteration"].as_array().unwrap().len(), 10);
    assert_eq!(h["iteration"][9], json!(300));
    assert_eq!(h["dh_norms"][0].as_array().unwrap().len(), 5);
    let curve = val(lab.loss_history(40.0));
    let n = curve["iteration"].as_array().unwrap().len();
    assert!((30..=40).contains(&n), "{n} points");
    assert_eq!(curve["iteration"][n - 1], json!(300));
    let losses = floats(&curve["loss"]);
    assert!(losses[n - 1] < losses[0], "the pooled curve falls");
}

#[wasm_bindgen_test]
fn bad_config_becomes_a_js_error_with_the_engines_message() {
    let cases = [
        (json!({"word": ""}), "empty"),
        (json!({"word": "a"}), "too short"),
        (json!({"hidden": 0}), "hidden size"),
        (json!({"hidden": 5000}), "hidden size"),
        (json!({"act": "foo"}), "activation"),
        (json!({"opt": "rmsprop"}), "optimiser"),
        (json!({"clip": "norm", "clipc": -1}), "clipping threshold"),
        (json!({"hidden": 2.5}), "bad settings"),
    ];
    for (cfg, expected) in cases {
        let err = Lab::new(js(cfg.clone()))
            .err()
            .map(message)
            .unwrap_or_else(|| panic!("{cfg} was accepted"));
        assert!(err.contains(expected), "{cfg}: {err}");
    }
    // NaN cannot be written in JSON: build the object by hand.
    let obj = js(json!({"word": "hello"}));
    js_sys::Reflect::set(&obj, &"lr".into(), &JsValue::from_f64(f64::NAN)).unwrap();
    let err = Lab::new(obj).err().map(message).unwrap();
    assert!(err.contains("learning rate"), "{err}");
}

#[wasm_bindgen_test]
fn configure_keeps_the_model_for_training_settings_and_on_refusal() {
    let mut lab = lab(json!({"seed": 2}));
    lab.train(20.0).unwrap();
    let loss = val(lab.status())["loss"].clone();
    let r = val(lab.configure(js(
        json!({"lr": 0.05, "opt": "adagrad", "clip": "norm", "clipc": 1.0}),
    )));
    assert_eq!(r["rebuilt"], json!(false));
    let s = val(lab.status());
    assert_eq!(s["iteration"], json!(20), "no reset");
    assert_eq!(s["loss"], loss, "same weights");
    assert_eq!(val(lab.settings())["lr"], json!(0.05));
    // Refused: nothing changes.
    for bad in [
        json!({"word": "a"}),
        json!({"lr": -1.0}),
        json!({"hidden": 0, "word": "hi"}),
    ] {
        assert!(lab.configure(js(bad.clone())).is_err(), "{bad} accepted");
        let s = val(lab.status());
        assert_eq!(s["iteration"], json!(20), "{bad}");
        assert_eq!(s["loss"], loss, "{bad}");
        assert_eq!(val(lab.settings())["word"], json!("hello"));
        assert_eq!(val(lab.settings())["lr"], json!(0.05));
    }
    // A model setting rebuilds.
    let r = val(lab.configure(js(json!({"word": "hi there"}))));
    assert_eq!(r["rebuilt"], json!(true));
    assert_eq!(lab.steps(), 7);
    assert_eq!(val(lab.status())["iteration"], json!(0));
}

#[wasm_bindgen_test]
fn reset_reproduces_the_seeds_weights() {
    let fresh = val(lab(json!({"seed": 11})).trace());
    let mut l = lab(json!({"seed": 4}));
    l.train(50.0).unwrap();
    l.reset(11.0).unwrap();
    assert_eq!(val(l.trace()), fresh);
    assert_eq!(val(l.settings())["seed"], json!(11));
    assert!(l.reset(-1.0).is_err());
    assert!(l.reset(1.5).is_err());
}

#[wasm_bindgen_test]
fn model_json_round_trips_and_bad_files_leave_the_model_intact() {
    let mut trained = lab(json!({"seed": 5}));
    trained.train(100.0).unwrap();
    let file = js_sys::JSON::stringify(&trained.params().unwrap())
        .unwrap()
        .as_string()
        .unwrap();
    let mut other = lab(json!({"seed": 6}));
    let before = val(other.trace());
    // The page hands the engine what JSON.parse read (exact for doubles).
    let parse = |text: &str| js_sys::JSON::parse(text).unwrap();
    other.import_params(parse(&file)).unwrap();
    assert_eq!(val(other.trace()), val(trained.trace()));

    let mut target = lab(json!({"seed": 6}));
    let parsed: Value = serde_json::from_str(&file).unwrap();
    let mut short_row = parsed.clone();
    short_row["w_hh"][1].as_array_mut().unwrap().pop();
    let mut bias_without_biases = parsed.clone();
    bias_without_biases["b_h"][0] = json!(0.5);
    let mut overflow = parsed.clone();
    overflow["w_hy"][0][0] = json!(1e308);
    let overflow = overflow.to_string().replace("1e+308", "1e999");
    let mut other_vocab = parsed.clone();
    other_vocab["vocab"] = json!(["a", "b", "c", "d"]);
    let cases = [
        // Not an object (the page refuses these before the engine; the engine too):
        // "not a valid model file" or "not an RNN Lab model file (format \"\", …)".
        ("[1, 2]".to_string(), "model file"),
        ("\"rnn-lab-model\"".to_string(), "model file"),
        (
            r#"{"format": "rnn-lab-model", "version": 9}"#.to_string(),
            "newer",
        ),
        (short_row.to_string(), "w_hh"),
        (other_vocab.to_string(), "vocabulary"),
        (bias_without_biases.to_string(), "b_h"),
        (overflow, "infinite"),
    ];
    for (text, expected) in cases {
        let err = target
            .import_params(parse(&text))
            .err()
            .map(message)
            .unwrap_or_else(|| panic!("accepted: {text}"));
        assert!(err.contains(expected), "{err}");
        assert_eq!(val(target.trace()), before, "model changed by a bad file");
    }
}

#[wasm_bindgen_test]
fn sampling_is_seeded_and_gradcheck_passes() {
    let mut l = lab(json!({"seed": 0}));
    l.train(200.0).unwrap();
    let a = val(l.sample(0.0, 20.0, 0.8, 42.0));
    let b = val(l.sample(0.0, 20.0, 0.8, 42.0));
    assert_eq!(a, b);
    assert_eq!(a["text"].as_str().unwrap().chars().count(), 20);
    assert!(l.sample(0.0, 5.0, 0.0, 1.0).is_err(), "temperature 0");
    let g = val(l.grad_check());
    assert_eq!(g["passed"], json!(true), "{g}");
}

/// The fast mode's f32 kernels written with simd128 vectors (engine::fast::simd) give
/// the generic kernels' bits (the same sums in the same order, each rounded twice),
/// at the app's shapes and around the tile edges (4×8 tiles, then 4 columns, then 1).
#[wasm_bindgen_test]
fn fast_f32_simd_kernels_give_the_generic_kernels_bits() {
    use engine::fast::simd;
    use engine::kernels;
    let mut state = 99u32;
    let mut next = move || {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (state >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0
    };
    for (m, k, n) in [
        (1, 1, 1),
        (3, 5, 7),
        (4, 3, 13),
        (5, 7, 33),
        (7, 25, 65),
        (25, 100, 65),
        (65, 25, 100),
        (100, 25, 100),
        (9, 0, 4),
    ] {
        // A row-major or a transposed view (rs = 1: read in place), each also with
        // padded rows (rows further apart than their length).
        for strides in [(k, 1), (1, m), (k + 3, 1), (1, m + 2)] {
            let len = if m * k == 0 {
                0
            } else {
                (m - 1) * strides.0 + (k - 1) * strides.1 + 1
            };
            let a: Vec<f32> = (0..len).map(|_| next()).collect();
            let b: Vec<f32> = (0..k * n).map(|_| next()).collect();
            let c0: Vec<f32> = (0..m * n).map(|_| next()).collect();
            let (mut got, mut want) = (c0.clone(), c0);
            simd::gemm_acc((m, k, n), &a, strides, &b, &mut got);
            kernels::gemm_acc_f32((m, k, n), &a, strides, &b, &mut want);
            assert_eq!(got, want, "gemm ({m},{k},{n}) strides {strides:?}");
        }
    }
    for (rows, n) in [(1, 5), (7, 9), (19, 100), (100, 100), (3, 2)] {
        let c: Vec<f32> = (0..rows).map(|_| next()).collect();
        let m: Vec<f32> = (0..rows * n).map(|_| next()).collect();
        let y0: Vec<f32> = (0..n).map(|_| next()).collect();
        let (mut got, mut want) = (y0.clone(), y0);
        simd::rows_times(&c, &m, &mut got);
        kernels::rows_times(&c, &m, &mut want);
        assert_eq!(got, want, "rows_times {rows}×{n}");
    }
}

/// The fast mode's transpose in 4×4 register blocks is the plain one, edges included.
#[wasm_bindgen_test]
fn fast_f32_simd_transpose_transposes() {
    for (rows, cols) in [(1, 1), (4, 4), (5, 7), (65, 100), (100, 100), (3, 9)] {
        let m: Vec<f32> = (0..rows * cols).map(|v| v as f32).collect();
        let mut got = vec![-1.0; 3];
        engine::fast::simd::transpose_into(&m, (rows, cols), &mut got);
        let mut want = Vec::new();
        engine::kernels::transpose_into(&m, (rows, cols), &mut want);
        assert_eq!(got, want, "{rows}×{cols}");
    }
}
