//! The model of the training-speed benchmark, shared by `rnn-lab bench` (native)
//! and the wasm benchmark (`src/web/bench.rs`), so both time the very same work.

use super::{Session, SessionConfig};
use crate::engine::{Activation, Clip, ModelConfig, OptimizerConfig, Result, Vocab};

impl Session {
    /// The model of the shared baselines' protocol for `hidden` units and
    /// sequences of `seq` symbols of `corpus`: vocabulary = sorted symbols of
    /// the corpus, weights N(0,1)·0.01, biases 0, tanh; one iteration =
    /// forward over `seq` symbols (a_t = W_xh x_t + W_hh h_{t−1} + b_h,
    /// h_t = tanh(a_t), y_t = W_hy h_t + b_y, p_t = softmax(y_t)) + full BPTT +
    /// clip every gradient entry to \[−5, 5\] + Adagrad (lr 0.1, eps 1e-8); the
    /// data pointer advances by `seq`, h is carried and reset at the wrap.
    pub fn benchmark(corpus: &str, hidden: usize, seq: usize) -> Result<Session> {
        let config = SessionConfig {
            model: ModelConfig {
                hidden,
                weight_scale: 0.01,
                bias: true,
                bias_scale: 0.0,
                activation: Activation::Tanh,
                seed: 0,
            },
            text: corpus.to_string(),
            seq_len: Some(seq),
            optimizer: OptimizerConfig::default(),
            clip: Clip::Value(5.0),
            history_capacity: 1000,
            ..SessionConfig::default()
        };
        // The corpus's size first: the vocabulary is built from all of it.
        config.check_limits()?;
        Session::with_vocab(config, Vocab::sorted(corpus)?)
    }
}
