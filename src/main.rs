//! `rnn-lab`: the engine's command-line tool.
//!
//! ```text
//! rnn-lab eval FILE.json                       engine results for a fixture-format input
//! rnn-lab bench [--hidden H] [--seq S] ...     training speed (iterations/s), JSON lines
//! rnn-lab train FILE.txt [options]             train a character model, print samples
//! ```
//!
//! Native only: the wasm build has no command line.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(cli::run(&args));
}

#[cfg(target_arch = "wasm32")]
fn main() {}
