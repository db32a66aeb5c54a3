//! `rnn-lab eval FILE.json`: the engine's numbers for an input in the format
//! of the reference fixtures, printed as one JSON object under the names of
//! the fixtures' `expected`.
//!
//! - always: `hs, logits, probs, losses, loss, grads (with h0), dh, dh_norms,
//!   jacobian_norms, jacobian_to_last` (full BPTT);
//! - with an integer `k`: chunked truncated BPTT, k1 = k2 = k, no update between
//!   chunks: `grads` (no h0), `loss`, `dh`, `dh_norms` become the truncated ones,
//!   plus `segment_bounds` ([start, end) per chunk), `segment_losses`,
//!   `segment_dh_start` (dL_chunk/d(state entering the chunk)) and `h_final`;
//! - with `lr, clip, eps, mem, grads`: one Adagrad step with elementwise
//!   clipping, `clipped_grads, mem_after, params_after, loss_before`, and the
//!   same for each item of `extra_cases` (by `name`).
//!
//! Optional inputs: `activation` ("tanh", "sigmoid", "relu", "identity") and
//! `loss_mode` ("per_step", "last_step").
//!
//! Masked sequences (the types of RNN): an entry of `inputs` may be `null` (no
//! input at that step, x_t = 0) and an entry of `targets` may be `null` (the
//! step is not scored: its `losses` entry is printed as `null`, and L sums the
//! scored steps). `vocab` entries are token names — `"a"`, `"<cat>"` or a word,
//! one one-hot position each — and `inputs`/`targets` may name tokens instead
//! of giving their indices.

use super::args::Args;
use super::json::{
    bad, field, indices, join, mat, matrix_rows, number, object, params, params_json, vector, whole,
};
use super::{CliError, CliResult};
use ndarray::Array1;
use rnn_lab::engine::{
    Activation, Clip, LIMITS, LossMode, OptimizerConfig, OptimizerKind, Params, TokenVocab,
    analysis, backward, forward_masked, optim::Optimizer, params::check_hidden, truncated,
};
use serde_json::{Map, Value, json};

pub fn run(args: &[String]) -> CliResult<()> {
    let a = Args::parse(args, &[])?;
    let file = a.one_positional("input file (rnn-lab eval FILE.json)")?;
    let text = super::read_text(file, LIMITS.model_file_bytes, "the input file")?;
    let input: Value = serde_json::from_str(&text)
        .map_err(|e| CliError::input(format!("{file}: not valid JSON: {e}")))?;
    let out = evaluate(&input)?;
    println!("{}", Value::Object(out));
    Ok(())
}

/// Jacobian norms of every pair cost O(T² H³); above this many flops they are left out.
const JACOBIAN_BUDGET: f64 = 2e10;

/// One sequence to run: inputs (None: no input), scored targets, h_0.
struct Sequence {
    inputs: Vec<Option<usize>>,
    targets: Vec<Option<usize>>,
    h0: Array1<f64>,
}

/// Sizes and options shared by the main case and the extra cases.
struct Setup {
    vocab: usize,
    /// The token names, when the input lists them.
    names: Option<TokenVocab>,
    hidden: usize,
    activation: Activation,
    loss_mode: LossMode,
}

/// Everything `eval` prints for `input`.
pub fn evaluate(input: &Value) -> CliResult<Map<String, Value>> {
    let top = object(input, "input")?;
    let setup = sizes(top)?;
    let p = params(
        field(top, "params", "")?,
        "params",
        setup.vocab,
        setup.hidden,
    )?;
    let seq = sequence(top, top, "", &setup)?;
    if let Some(t) = top.get("T") {
        let t = whole(t, "T")?;
        if t != seq.inputs.len() {
            return Err(bad(
                "T",
                format!("is {t} but inputs has {}", seq.inputs.len()),
            ));
        }
    }
    let trace = forward_masked(&p, setup.activation, &seq.inputs, &seq.targets, &seq.h0)
        .map_err(|e| CliError::input(format!("inputs: {e}")))?;
    let g = backward(&p, &trace);
    let mut out = Map::new();
    out.insert("hs".into(), mat(&trace.h));
    out.insert("logits".into(), mat(&trace.y));
    out.insert("probs".into(), mat(&trace.p));
    // null on unscored steps: "no loss" is not a loss of 0.
    out.insert("losses".into(), json!(trace.scored_losses()));
    out.insert("loss".into(), json!(trace.loss));
    let mut grads = params_json(&g.params);
    grads.insert("h0".into(), json!(g.h0.to_vec()));
    out.insert("grads".into(), Value::Object(grads));
    out.insert("dh".into(), mat(&g.dh));
    out.insert("dh_norms".into(), json!(g.dh_norms()));
    let (steps, h) = (trace.len() as f64, setup.hidden as f64);
    if steps * steps * h * h * h <= JACOBIAN_BUDGET {
        let jn = analysis::jacobian_norms(&p, &trace);
        out.insert(
            "jacobian_norms".into(),
            json!({"spectral": jn.spectral, "frobenius": jn.frobenius}),
        );
    } else {
        eprintln!("rnn-lab: jacobian_norms left out (T²H³ too large); jacobian_to_last is given");
    }
    let jl = analysis::jacobian_to_last(&p, &trace);
    out.insert(
        "jacobian_to_last".into(),
        json!({"spectral": jl.spectral, "frobenius": jl.frobenius}),
    );

    if let Some(k) = top.get("k") {
        let k = whole(k, "k")?;
        if k < 1 {
            return Err(bad("k", "must be a whole number of at least 1"));
        }
        let tg = truncated(&p, &trace, k, k).map_err(|e| bad("k", e))?;
        out.insert("grads".into(), Value::Object(params_json(&tg.params)));
        out.insert(
            "loss".into(),
            json!(tg.segments.iter().map(|s| s.loss).sum::<f64>()),
        );
        let bounds: Vec<[usize; 2]> = tg.segments.iter().map(|s| [s.start, s.end]).collect();
        out.insert("segment_bounds".into(), json!(bounds));
        let losses: Vec<f64> = tg.segments.iter().map(|s| s.loss).collect();
        out.insert("segment_losses".into(), json!(losses));
        let starts: Vec<&Vec<f64>> = tg.segments.iter().map(|s| &s.dh_start).collect();
        out.insert("segment_dh_start".into(), json!(starts));
        out.insert("h_final".into(), json!(trace.last_state().to_vec()));
        out.insert("dh".into(), mat(&tg.dh));
        let norms: Vec<f64> = tg.dh.rows().into_iter().map(|r| r.dot(&r).sqrt()).collect();
        out.insert("dh_norms".into(), json!(norms));
    }

    const OPTIMISER_KEYS: [&str; 5] = ["lr", "clip", "eps", "mem", "grads"];
    if OPTIMISER_KEYS.iter().any(|k| top.contains_key(*k)) {
        let result = adagrad_case(top, top, "", p, &setup)?;
        out.extend(result);
        if let Some(extra) = top.get("extra_cases") {
            let list = extra
                .as_array()
                .ok_or_else(|| bad("extra_cases", "expected a list of cases"))?;
            let mut cases = Vec::with_capacity(list.len());
            for (i, item) in list.iter().enumerate() {
                let path = format!("extra_cases[{i}]");
                let obj = object(item, &path)?;
                let name = match obj.get("name") {
                    Some(Value::String(s)) => s.clone(),
                    Some(other) => {
                        return Err(bad(
                            &join(&path, "name"),
                            format!("expected text, got {other}"),
                        ));
                    }
                    None => format!("case {i}"),
                };
                let p = params(
                    field(obj, "params", &path)?,
                    &join(&path, "params"),
                    setup.vocab,
                    setup.hidden,
                )?;
                let mut result = adagrad_case(obj, top, &path, p, &setup)?;
                result.insert("name".into(), json!(name));
                cases.push(Value::Object(result));
            }
            out.insert("extra_cases".into(), Value::Array(cases));
        }
    }
    Ok(out)
}

/// V and H from `vocab`/`V` and `H`/`params.W_hh`, checked against each other;
/// `activation` and `loss_mode`.
fn sizes(top: &Map<String, Value>) -> CliResult<Setup> {
    let p = object(field(top, "params", "")?, "params")?;
    let hidden = match top.get("H") {
        Some(h) => whole(h, "H")?,
        None => matrix_rows(field(p, "W_hh", "params")?, "params.W_hh")?,
    };
    check_hidden(hidden).map_err(|e| bad("H", e))?;
    let names = match top.get("vocab") {
        None => None,
        Some(v) => {
            let list = v
                .as_array()
                .ok_or_else(|| bad("vocab", "expected a list of token names"))?;
            let mut tokens = Vec::with_capacity(list.len());
            for (i, s) in list.iter().enumerate() {
                match s.as_str() {
                    Some(s) if !s.is_empty() => tokens.push(s),
                    _ => {
                        return Err(bad(
                            &format!("vocab[{i}]"),
                            format!("expected a token name (a non-empty string), got {s}"),
                        ));
                    }
                }
                if tokens[..i].contains(&tokens[i]) {
                    return Err(bad(
                        &format!("vocab[{i}]"),
                        format!("{s} is in the vocabulary twice"),
                    ));
                }
            }
            Some(TokenVocab::new(tokens).map_err(|e| bad("vocab", e))?)
        }
    };
    let from_list = names.as_ref().map(TokenVocab::len);
    let from_v = top.get("V").map(|v| whole(v, "V")).transpose()?;
    let vocab = match (from_list, from_v) {
        (Some(a), Some(b)) if a != b => {
            return Err(bad("V", format!("is {b} but vocab has {a} symbols")));
        }
        (Some(a), _) | (None, Some(a)) => a,
        (None, None) => matrix_rows(field(p, "W_hy", "params")?, "params.W_hy")?,
    };
    if vocab == 0 {
        return Err(bad("vocab", "needs at least one symbol"));
    }
    let activation = match top.get("activation") {
        None => Activation::Tanh,
        Some(a) => a.as_str().and_then(Activation::parse).ok_or_else(|| {
            bad(
                "activation",
                format!("expected tanh, sigmoid, relu or identity, got {a}"),
            )
        })?,
    };
    let loss_mode = match top.get("loss_mode").map(|m| (m, m.as_str())) {
        None => LossMode::PerStep,
        Some((_, Some("per_step"))) => LossMode::PerStep,
        Some((_, Some("last_step"))) => LossMode::LastStep,
        Some((m, _)) => {
            return Err(bad(
                "loss_mode",
                format!("expected per_step or last_step, got {m}"),
            ));
        }
    };
    Ok(Setup {
        vocab,
        names,
        hidden,
        activation,
        loss_mode,
    })
}

/// `name` from `item` (reported as `path.name`), else from `top` (as `name`).
fn lookup<'a>(
    item: &'a Map<String, Value>,
    top: &'a Map<String, Value>,
    path: &str,
    name: &str,
) -> Option<(&'a Value, String)> {
    item.get(name)
        .map(|v| (v, join(path, name)))
        .or_else(|| top.get(name).map(|v| (v, name.to_string())))
}

/// Like [`lookup`], but the field must exist.
fn require<'a>(
    item: &'a Map<String, Value>,
    top: &'a Map<String, Value>,
    path: &str,
    name: &str,
) -> CliResult<(&'a Value, String)> {
    lookup(item, top, path, name).ok_or_else(|| bad(&join(path, name), "missing"))
}

/// inputs, targets, h0 from `item` (under `path`), falling back on `top`;
/// h0 defaults to zeros.
fn sequence(
    item: &Map<String, Value>,
    top: &Map<String, Value>,
    path: &str,
    setup: &Setup,
) -> CliResult<Sequence> {
    let (v, p) = require(item, top, path, "inputs")?;
    let inputs = indices(v, &p, setup.vocab, setup.names.as_ref())?;
    if inputs.is_empty() {
        return Err(bad(&p, "needs at least one step"));
    }
    let (v, p) = require(item, top, path, "targets")?;
    let mut targets = indices(v, &p, setup.vocab, setup.names.as_ref())?;
    if targets.len() != inputs.len() {
        return Err(bad(
            &p,
            format!(
                "expected {} targets (one per input), got {}",
                inputs.len(),
                targets.len()
            ),
        ));
    }
    if setup.loss_mode == LossMode::LastStep {
        let last = targets.len() - 1;
        targets[..last].iter_mut().for_each(|t| *t = None);
    }
    let h0 = match lookup(item, top, path, "h0") {
        Some((v, p)) => vector(v, &p, Some(setup.hidden))?,
        None => Array1::zeros(setup.hidden),
    };
    Ok(Sequence {
        inputs,
        targets,
        h0,
    })
}

/// One Adagrad step with elementwise clipping to [−clip, clip]:
/// `g = clip(grads); mem_after = mem + g²; params_after = params − lr·g/√(mem_after + eps)`.
/// `params`, `mem` and `grads` come from `item`; lr, clip, eps and the
/// sequence (for `loss_before`) fall back on `top`.
fn adagrad_case(
    item: &Map<String, Value>,
    top: &Map<String, Value>,
    path: &str,
    params_before: Params,
    setup: &Setup,
) -> CliResult<Map<String, Value>> {
    let positive = |name: &str| -> CliResult<f64> {
        let (v, p) = require(item, top, path, name)?;
        let x = number(v, &p)?;
        if x > 0.0 {
            Ok(x)
        } else {
            Err(bad(&p, format!("must be a finite number above 0, got {x}")))
        }
    };
    let (lr, clip, eps) = (positive("lr")?, positive("clip")?, positive("eps")?);
    let tensors = |name: &str| {
        params(
            field(item, name, path)?,
            &join(path, name),
            setup.vocab,
            setup.hidden,
        )
    };
    let mem = tensors("mem")?;
    if mem.slices().iter().any(|s| s.iter().any(|&m| m < 0.0)) {
        return Err(bad(
            &join(path, "mem"),
            "Adagrad's memory Σg² cannot be negative",
        ));
    }
    let grads = tensors("grads")?;
    let seq = sequence(item, top, path, setup)?;
    let loss_before = forward_masked(
        &params_before,
        setup.activation,
        &seq.inputs,
        &seq.targets,
        &seq.h0,
    )
    .map_err(|e| bad(&join(path, "inputs"), e))?
    .loss;
    let mut clipped = grads;
    Clip::Value(clip).apply(&mut clipped);
    let config = OptimizerConfig {
        kind: OptimizerKind::Adagrad,
        learning_rate: lr,
        eps,
        ..OptimizerConfig::default()
    };
    let mut opt =
        Optimizer::new(config, setup.vocab, setup.hidden).map_err(|e| bad(&join(path, "lr"), e))?;
    opt.set_state(vec![mem])
        .map_err(|e| bad(&join(path, "mem"), e))?;
    let mut after = params_before;
    if !opt.step(&mut after, &clipped, true) {
        return Err(bad(
            &join(path, "grads"),
            "the Adagrad update is not finite",
        ));
    }
    let mut out = Map::new();
    out.insert("clipped_grads".into(), Value::Object(params_json(&clipped)));
    out.insert(
        "mem_after".into(),
        Value::Object(params_json(&opt.state()[0])),
    );
    out.insert("params_after".into(), Value::Object(params_json(&after)));
    out.insert("loss_before".into(), json!(loss_before));
    Ok(out)
}
