//! The native command-line tool over the engine: `eval`, `bench`, `train`.

mod args;
mod bench;
mod eval;
mod json;
mod train;

use std::fmt;
use std::io::Read;

pub const USAGE: &str = "\
usage:
  rnn-lab eval FILE.json
      Reads params, h0, inputs, targets (and optionally k, or lr/clip/eps/mem/grads)
      and prints the engine's results as one JSON object. A null input is a step
      without input (x = 0), a null target a step without loss (printed as null);
      vocab entries are token names (\"a\", \"<cat>\", a word).
  rnn-lab bench [--hidden H] [--seq S] [--corpus FILE] [--runs N] [--target SECONDS]
              [--precision f64|f32]
      Training speed (forward + BPTT + clip + Adagrad), one JSON line per configuration,
      in the exact engine (f64) or the fast f32 mode;
      without --hidden/--seq: (32, 25), (100, 25), (256, 50).
  rnn-lab train FILE.txt [--hidden 100] [--seq 25] [--lr 0.1] [--iters 10000]
                [--sample-every 1000] [--sample-length 200] [--temperature 1] [--seed 0]
      Trains a character model min-char-rnn style, printing progress and samples.
limits (the engine's, docs/limits.md): H and seq 1-256, at most 256 distinct symbols,
  text files up to 100 KB, --sample-length and --sample-every up to 10000,
  --runs up to 1000, --target up to 600 s. A bad option exits 2 before any work.";

/// A failure to report on one line, with the process exit code.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    /// 2: bad input or usage; 1: a run that failed (e.g. training diverged).
    pub code: i32,
}

impl CliError {
    /// Bad input or usage (exit code 2).
    pub fn input(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: 2,
        }
    }

    /// A run that failed (exit code 1).
    pub fn run(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: 1,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One line, whatever the message holds.
        f.write_str(&self.message.replace('\n', " "))
    }
}

pub type CliResult<T> = Result<T, CliError>;

/// An engine check on option `--name`: its error, as one input error naming the option.
pub fn option<T>(name: &str, checked: rnn_lab::engine::Result<T>) -> CliResult<T> {
    checked.map_err(|e| CliError::input(format!("--{name}: {e}")))
}

/// The UTF-8 text of the file at `path`, refused (naming `what`) when it is
/// larger than `max` bytes. At most `max + 1` bytes are ever read, so a huge
/// file or a device such as /dev/zero costs nothing.
pub fn read_text(path: &str, max: usize, what: &str) -> CliResult<String> {
    let file = std::fs::File::open(path)
        .map_err(|e| CliError::input(format!("{what} {path}: cannot read: {e}")))?;
    let too_big = || {
        CliError::input(format!(
            "{what} {path}: larger than {max} bytes, the limit for this input"
        ))
    };
    if file.metadata().is_ok_and(|m| m.len() > max as u64) {
        return Err(too_big());
    }
    let mut text = String::new();
    file.take(max as u64 + 1)
        .read_to_string(&mut text)
        .map_err(|e| CliError::input(format!("{what} {path}: cannot read as UTF-8 text: {e}")))?;
    if text.len() > max {
        return Err(too_big());
    }
    Ok(text)
}

/// Runs the tool on `args` (without the program name); returns the exit code.
pub fn run(args: &[String]) -> i32 {
    let result = match args.first().map(String::as_str) {
        Some("eval") => eval::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("train") => train::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(CliError::input(format!(
            "unknown command {other:?}: use eval, bench or train (rnn-lab --help)"
        ))),
        None => Err(CliError::input(
            "no command given: use eval, bench or train (rnn-lab --help)",
        )),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("rnn-lab: {e}");
            e.code
        }
    }
}
