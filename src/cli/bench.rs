//! `rnn-lab bench`: training speed under the protocol of the shared
//! baselines (numpy, JS), so the figures can be read side by side.
//!
//! Vocabulary = sorted symbols of the corpus; weights N(0,1)·0.01 from our
//! Rng, biases 0; one iteration = forward over `seq` symbols + full BPTT +
//! clip every gradient entry to [−5, 5] + Adagrad (lr 0.1, eps 1e-8); the
//! data pointer advances by seq, h is carried and reset at the wrap. After a
//! ~0.5 s warm-up, N is calibrated so a run lasts ~`target` s; `runs` timed
//! runs of N iterations (training continues across runs). Single thread.

use super::args::Args;
use super::{CliError, CliResult};
use rnn_lab::engine::Session;
use serde_json::json;
use std::time::Instant;

/// The default corpus: the shared benchmark's 100,000 characters.
const CORPUS: &str = include_str!("../../tests/data/corpus.txt");

/// The three configurations of the protocol: (hidden, seq).
pub const CONFIGS: [(usize, usize); 3] = [(32, 25), (100, 25), (256, 50)];

pub fn run(args: &[String]) -> CliResult<()> {
    let a = Args::parse(args, &["hidden", "seq", "corpus", "runs", "target"])?;
    if !a.positional.is_empty() {
        return Err(CliError::input(format!(
            "bench takes no file argument (use --corpus FILE), got {:?}",
            a.positional
        )));
    }
    let corpus = match a.text("corpus") {
        None => CORPUS.to_string(),
        Some(f) => std::fs::read_to_string(f)
            .map_err(|e| CliError::input(format!("--corpus {f}: cannot read: {e}")))?,
    };
    let runs: usize = a.get("runs", 7)?;
    let target: f64 = a.get("target", 1.5)?;
    if runs == 0 || !(target > 0.0 && target.is_finite()) {
        return Err(CliError::input("--runs and --target must be above 0"));
    }
    let configs: Vec<(usize, usize)> = if a.has("hidden") || a.has("seq") {
        vec![(a.get("hidden", 100)?, a.get("seq", 25)?)]
    } else {
        CONFIGS.to_vec()
    };
    for (hidden, seq) in configs {
        let line = bench_one(&corpus, hidden, seq, runs, target)?;
        println!("{line}");
    }
    Ok(())
}

/// Runs the protocol for one configuration and returns its JSON line.
pub fn bench_one(
    corpus: &str,
    hidden: usize,
    seq: usize,
    runs: usize,
    target: f64,
) -> CliResult<String> {
    let mut session =
        Session::benchmark(corpus, hidden, seq).map_err(|e| CliError::input(e.to_string()))?;
    let mut train = |n: usize| {
        session
            .train(n)
            .map_err(|e| CliError::run(format!("bench H={hidden} seq={seq}: {e}")))
    };
    let t0 = Instant::now();
    let mut warm = 0usize;
    while t0.elapsed().as_secs_f64() < 0.5 {
        train(10)?;
        warm += 10;
    }
    let rate = warm as f64 / t0.elapsed().as_secs_f64();
    let n = ((rate * target) as usize).max(20);
    let mut rates = Vec::with_capacity(runs);
    let mut last_loss = f64::NAN;
    for _ in 0..runs {
        let t = Instant::now();
        last_loss = train(n)?.loss;
        rates.push(n as f64 / t.elapsed().as_secs_f64());
    }
    let mut sorted = rates.clone();
    sorted.sort_by(f64::total_cmp);
    let median = if runs % 2 == 1 {
        sorted[runs / 2]
    } else {
        (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2.0
    };
    let round = |x: f64| (x * 100.0).round() / 100.0;
    let runs: Vec<f64> = rates.iter().map(|&r| round(r)).collect();
    // Keys in the order of the baselines' lines (serde_json's map would sort them).
    let fields: [(&str, serde_json::Value); 10] = [
        ("impl", json!("rnn-lab-native-f64")),
        ("H", json!(hidden)),
        ("seq", json!(seq)),
        ("V", json!(session.vocab().len())),
        ("iters_per_run", json!(n)),
        ("runs", json!(runs)),
        ("median", json!(round(median))),
        ("min", json!(round(sorted[0]))),
        ("max", json!(round(sorted[sorted.len() - 1]))),
        ("last_loss", json!(last_loss)),
    ];
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("\"{k}\": {v}"))
        .collect();
    Ok(format!("{{{}}}", body.join(", ")))
}
