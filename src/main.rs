//! `rnn-lab`: the engine's command-line tool (eval, bench, train).

fn main() {
    eprintln!("rnn-lab: not built yet");
    std::process::exit(2);
}
