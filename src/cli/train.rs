//! `rnn-lab train FILE.txt`: trains a character model on a text, min-char-rnn
//! style (vocabulary in order of first appearance, weights N(0,1)·0.01,
//! biases from 0, Adagrad, clipping by value at 5), printing a progress line
//! and a sample every `--sample-every` iterations.

use super::args::Args;
use super::{CliError, CliResult, option, read_text};
use rnn_lab::engine::error::positive_finite;
use rnn_lab::engine::optim::check_learning_rate;
use rnn_lab::engine::{
    Activation, Clip, LIMITS, ModelConfig, OptimizerConfig, OptimizerKind, Session, SessionConfig,
    limits,
};
use std::io::Write;
use std::time::Instant;

const OPTIONS: [&str; 9] = [
    "hidden",
    "seq",
    "lr",
    "iters",
    "sample-every",
    "sample-length",
    "temperature",
    "seed",
    "optimizer",
];

pub fn run(args: &[String]) -> CliResult<()> {
    let a = Args::parse(args, &OPTIONS)?;
    let file = a.one_positional("text file (rnn-lab train FILE.txt)")?;
    // Every option is read and checked against the engine's limits before
    // the file is read or anything is trained, so a bad one costs nothing.
    let hidden = option("hidden", limits::check_hidden(a.get("hidden", 100)?))?;
    let seq = option(
        "seq",
        limits::check_seq("the sequence length", a.get("seq", 25)?),
    )?;
    let lr = option("lr", check_learning_rate(a.get("lr", 0.1)?))?;
    let iters: u64 = a.get("iters", 10_000)?;
    let every: usize = a.get("sample-every", 1000)?;
    if every == 0 {
        return Err(CliError::input("--sample-every must be at least 1"));
    }
    // Training runs `every` iterations per engine call.
    let every = option("sample-every", limits::check_iterations(every))? as u64;
    let length = option(
        "sample-length",
        limits::check_sample_length(a.get("sample-length", 200)?),
    )?;
    let temperature = option(
        "temperature",
        positive_finite("the temperature", a.get("temperature", 1.0)?),
    )?;
    let seed: u64 = a.get("seed", 0)?;
    let kind = match a.text("optimizer") {
        None => OptimizerKind::Adagrad,
        Some(name) => OptimizerKind::parse(name).ok_or_else(|| {
            CliError::input(format!(
                "--optimizer: expected sgd, momentum, adagrad or adam, got {name:?}"
            ))
        })?,
    };
    let text = read_text(file, LIMITS.text_bytes, "the text file")?;
    let config = SessionConfig {
        model: ModelConfig {
            hidden,
            weight_scale: 0.01,
            bias: true,
            bias_scale: 0.0,
            activation: Activation::Tanh,
            seed,
        },
        text,
        seq_len: Some(seq),
        optimizer: OptimizerConfig::new(kind, lr),
        clip: Clip::Value(5.0),
        history_capacity: 1000,
        ..SessionConfig::default()
    };
    let mut session = Session::new(config).map_err(|e| CliError::input(format!("{file}: {e}")))?;
    println!(
        "training on {file}: {} characters, V = {}, H = {hidden}, seq {seq}, {} lr {lr}",
        session.data().len(),
        session.vocab().len(),
        kind.name()
    );
    let mut out = std::io::stdout().lock();
    let mut done = 0u64;
    let mut sample_seed = seed;
    while done < iters {
        let n = every.min(iters - done);
        let t = Instant::now();
        // In calls within the engine's work budget per call.
        let mut left = n as usize;
        while left > 0 {
            let now = left.min(session.max_iterations_per_call());
            session
                .train(now)
                .map_err(|e| CliError::run(e.to_string()))?;
            left -= now;
        }
        let rate = n as f64 / t.elapsed().as_secs_f64();
        done += n;
        let start = session.sequence().0[0];
        let sample = session
            .sample(start, length, temperature, sample_seed)
            .map_err(|e| CliError::run(e.to_string()))?;
        sample_seed = sample_seed.wrapping_add(1);
        writeln!(
            out,
            "iter {done:>8} | smooth loss {:.4} | {rate:.0} it/s\n----\n{}\n----",
            session.smooth_loss(),
            sample.text
        )
        .map_err(|e| CliError::run(format!("cannot write: {e}")))?;
    }
    Ok(())
}
