//! `rnn-lab train FILE.txt`: trains a character model on a text, min-char-rnn
//! style (vocabulary in order of first appearance, weights N(0,1)·0.01,
//! biases from 0, Adagrad, clipping by value at 5), printing a progress line
//! and a sample every `--sample-every` iterations.

use super::args::Args;
use super::{CliError, CliResult};
use rnn_lab::engine::{
    Activation, Clip, ModelConfig, OptimizerConfig, OptimizerKind, Session, SessionConfig,
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
    let text = std::fs::read_to_string(file)
        .map_err(|e| CliError::input(format!("{file}: cannot read as UTF-8 text: {e}")))?;
    let hidden: usize = a.get("hidden", 100)?;
    let seq: usize = a.get("seq", 25)?;
    let lr: f64 = a.get("lr", 0.1)?;
    let iters: u64 = a.get("iters", 10_000)?;
    let every: u64 = a.get("sample-every", 1000)?;
    let length: usize = a.get("sample-length", 200)?;
    let temperature: f64 = a.get("temperature", 1.0)?;
    let seed: u64 = a.get("seed", 0)?;
    let kind = match a.text("optimizer") {
        None => OptimizerKind::Adagrad,
        Some(name) => OptimizerKind::parse(name).ok_or_else(|| {
            CliError::input(format!(
                "--optimizer: expected sgd, momentum, adagrad or adam, got {name:?}"
            ))
        })?,
    };
    if every == 0 {
        return Err(CliError::input("--sample-every must be at least 1"));
    }
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
    let mut session = Session::new(config).map_err(|e| CliError::input(e.to_string()))?;
    // Check the sampling settings before spending time on training.
    session
        .sample(0, 0, temperature, seed)
        .map_err(|e| CliError::input(format!("--temperature: {e}")))?;
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
        session
            .train(n as usize)
            .map_err(|e| CliError::run(e.to_string()))?;
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
