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
use super::{CliError, CliResult, option, read_text};
use rnn_lab::engine::fast::Precision;
use rnn_lab::engine::{LIMITS, Session, limits};
use serde_json::json;
use std::time::Instant;

/// The default corpus: the shared benchmark's 100,000 characters.
const CORPUS: &str = include_str!("../../tests/data/corpus.txt");

/// The three configurations of the protocol: (hidden, seq).
pub const CONFIGS: [(usize, usize); 3] = [(32, 25), (100, 25), (256, 50)];
/// Most timed runs per configuration.
pub const MAX_RUNS: usize = 1000;
/// Longest timed run, in seconds.
pub const MAX_TARGET_SECONDS: f64 = 600.0;

pub fn run(args: &[String]) -> CliResult<()> {
    let a = Args::parse(
        args,
        &["hidden", "seq", "corpus", "runs", "target", "precision"],
    )?;
    if !a.positional.is_empty() {
        return Err(CliError::input(format!(
            "bench takes no file argument (use --corpus FILE), got {:?}",
            a.positional
        )));
    }
    // Every option is checked before the corpus is read or anything runs.
    let runs: usize = a.get("runs", 7)?;
    if !(1..=MAX_RUNS).contains(&runs) {
        return Err(CliError::input(format!(
            "--runs must be a whole number between 1 and {MAX_RUNS}, got {runs}"
        )));
    }
    let target: f64 = a.get("target", 1.5)?;
    if !(target > 0.0 && target <= MAX_TARGET_SECONDS) {
        return Err(CliError::input(format!(
            "--target must be a number of seconds above 0 and at most {MAX_TARGET_SECONDS}, got {target}"
        )));
    }
    let configs: Vec<(usize, usize)> = if a.has("hidden") || a.has("seq") {
        let hidden = option("hidden", limits::check_hidden(a.get("hidden", 100)?))?;
        let seq = option(
            "seq",
            limits::check_seq("the sequence length", a.get("seq", 25)?),
        )?;
        vec![(hidden, seq)]
    } else {
        CONFIGS.to_vec()
    };
    let precision = match a.text("precision") {
        None | Some("f64") => Precision::Float64,
        Some("f32") => Precision::Float32,
        Some(other) => {
            return Err(CliError::input(format!(
                "--precision must be f64 or f32, got {other:?}"
            )));
        }
    };
    let corpus = match a.text("corpus") {
        None => CORPUS.to_string(),
        Some(f) => read_text(f, LIMITS.text_bytes, "--corpus")?,
    };
    // Every model is built (and so the corpus checked) before the first is timed.
    let sessions = configs
        .iter()
        .map(|&(hidden, seq)| {
            let mut session = Session::benchmark(&corpus, hidden, seq)
                .map_err(|e| CliError::input(format!("bench H={hidden} seq={seq}: {e}")))?;
            session.set_precision(precision);
            Ok(session)
        })
        .collect::<CliResult<Vec<_>>>()?;
    for session in sessions {
        let line = bench_one(session, runs, target)?;
        println!("{line}");
    }
    Ok(())
}

/// Runs the protocol on one benchmark model and returns its JSON line.
pub fn bench_one(mut session: Session, runs: usize, target: f64) -> CliResult<String> {
    let (hidden, seq) = (session.config().model.hidden, session.seq_steps());
    // n iterations, in calls of at most the engine's limit per call (a long
    // --target asks for more); the report of the last call.
    let mut train = |n: usize| {
        let mut left = n;
        loop {
            let now = left.min(session.max_iterations_per_call());
            let report = session
                .train(now)
                .map_err(|e| CliError::run(format!("bench H={hidden} seq={seq}: {e}")))?;
            left -= now;
            if left == 0 {
                return Ok(report);
            }
        }
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
        (
            "impl",
            json!(format!(
                "rnn-lab-native-{}",
                session.config().precision.name()
            )),
        ),
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
