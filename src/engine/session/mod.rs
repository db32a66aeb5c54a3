//! A training session: a model, its data, an optimiser and the histories.
//!
//! - this file: [`SessionConfig`], the [`Session`] itself, how it is built
//!   and validated, its settings (optimiser, clipping, truncation), reset
//!   and read-outs;
//! - `sequence.rs`: the data: how the text is cut into sequences (word mode
//!   or text mode with a data pointer), the state a sequence starts from,
//!   and what the engine computes on the next sequence (trace, gradients,
//!   gradient check, samples);
//! - `train.rs`: the training step: forward + BPTT (full or truncated) +
//!   clipping + optimiser step, per sequence or per chunk, the train loop,
//!   the smooth loss, the histories and [`TrainReport`].

mod benchmark;
mod fast;
mod sequence;
pub(crate) mod state;
mod train;

pub use train::{TrainReport, TrainUntil};

use super::bptt;
use super::clip::Clip;
use super::error::{EngineError, Result};
use super::fast::{FastTrainer, Precision};
use super::forward::LossMode;
use super::history::History;
use super::limits::{self, LIMITS};
use super::optim::{Optimizer, OptimizerConfig, check_learning_rate};
use super::params::{ModelConfig, Params};
use super::vocab::Vocab;
use ndarray::Array1;
use serde::{Deserialize, Serialize};

/// Everything that defines a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionConfig {
    /// Hidden size, init, activation, seed.
    pub model: ModelConfig,
    /// The training text: at most [`LIMITS`]`.word_chars` characters in word
    /// mode, [`LIMITS`]`.text_bytes` bytes in text mode, [`LIMITS`]`.vocab`
    /// distinct symbols.
    pub text: String,
    /// None: word mode; Some(s): text mode with sequences of s steps (1..=[`LIMITS`]`.seq`).
    pub seq_len: Option<usize>,
    pub optimizer: OptimizerConfig,
    pub clip: Clip,
    pub loss_mode: LossMode,
    /// (k1, k2): truncated BPTT inside each sequence (1 ≤ k1 ≤ k2 ≤ [`LIMITS`]`.seq`);
    /// None: full BPTT.
    pub truncation: Option<(usize, usize)>,
    /// With truncation: one optimiser step after each chunk (min-char-rnn style).
    pub update_per_chunk: bool,
    /// Iterations kept in each history ring (1..=[`LIMITS`]`.history`).
    pub history_capacity: usize,
    /// The arithmetic `train` uses: the exact f64 engine, or the f32 fast
    /// mode (full BPTT; with truncation the exact engine trains). Every
    /// other read-out (trace, gradients, samples) is f64.
    pub precision: Precision,
}

impl Default for SessionConfig {
    /// "hello", H = 3, scale 0.5, tanh, no bias, seed 0, Adagrad lr 0.1, clip by value 5.
    fn default() -> Self {
        Self {
            model: ModelConfig::default(),
            text: "hello".into(),
            seq_len: None,
            optimizer: OptimizerConfig::default(),
            clip: Clip::Value(5.0),
            loss_mode: LossMode::PerStep,
            truncation: None,
            update_per_chunk: false,
            history_capacity: 10_000,
            precision: Precision::Float64,
        }
    }
}

impl SessionConfig {
    /// Checks every size against [`LIMITS`]: the text (bytes, and characters
    /// in word mode), H, s, (k1, k2) and the history. It reads at most
    /// `4·LIMITS.word_chars` bytes of the text and allocates nothing, so it
    /// runs before anything is built from the config.
    pub fn check_limits(&self) -> Result<()> {
        limits::check_text(&self.text, self.seq_len.is_some())?;
        limits::check_hidden(self.model.hidden)?;
        if let Some(s) = self.seq_len {
            limits::check_seq("the sequence length", s)?;
        }
        check_truncation(self.truncation)?;
        if self.history_capacity == 0 {
            return Err(EngineError::Invalid(
                "the history must hold at least 1 iteration".into(),
            ));
        }
        limits::at_most(
            "the history (iterations kept)",
            self.history_capacity,
            LIMITS.history,
        )?;
        Ok(())
    }
}

/// Checks a truncation setting: 1 ≤ k1 ≤ k2 ≤ [`LIMITS`]`.seq` (a k2 beyond
/// the sequence is full BPTT, so the limit loses nothing).
pub fn check_truncation(t: Option<(usize, usize)>) -> Result<()> {
    t.map_or(Ok(()), |(k1, k2)| {
        bptt::check_truncation(k1, k2)?;
        limits::check_seq("k2", k2).map(drop)
    })
}

/// A model being trained on a text.
#[derive(Debug, Clone)]
pub struct Session {
    config: SessionConfig,
    vocab: Vocab,
    /// The text as symbol indices.
    data: Vec<usize>,
    params: Params,
    optimizer: Optimizer,
    /// Text mode: where the next sequence starts (before the wrap check).
    pointer: usize,
    /// Text mode: the state carried from the last iteration.
    h_prev: Array1<f64>,
    /// Text mode: whether the next sequence starts from the carried state
    /// (min-char-rnn) or from h = 0 (independent sequences, e.g. the
    /// long-range task of the vanishing-gradient chapter).
    carry_state: bool,
    iteration: u64,
    smooth_loss: f64,
    last_loss: Option<f64>,
    diverged_at: Option<u64>,
    history: History,
    /// The f32 trainer's buffers, kept between `train` calls in the fast mode.
    fast: Option<Box<FastTrainer>>,
}

impl Session {
    /// Validates `config` and builds the session, with the vocabulary in
    /// order of first appearance in the text. Sizes are checked against
    /// [`LIMITS`] first, so a refused config costs no allocation.
    pub fn new(config: SessionConfig) -> Result<Session> {
        config.check_limits()?;
        let vocab = Vocab::from_text(&config.text)?;
        Self::with_vocab(config, vocab)
    }

    /// Like [`Session::new`] with a given vocabulary (e.g. [`Vocab::sorted`]);
    /// every symbol of the text must be in it.
    pub fn with_vocab(config: SessionConfig, vocab: Vocab) -> Result<Session> {
        config.check_limits()?;
        limits::check_vocab_size(vocab.len())?;
        config.model.validate()?;
        if config.text.is_empty() {
            return Err(EngineError::EmptyText);
        }
        config.optimizer.validate()?;
        config.clip.validate()?;
        // s ≤ LIMITS.seq was checked, so s + 1 cannot wrap; checked anyway.
        let needed = match config.seq_len {
            None => Some(2),
            Some(s) => s.checked_add(1),
        }
        .ok_or(EngineError::TooLarge {
            name: "the sequence length",
            got: usize::MAX,
            max: LIMITS.seq,
        })?;
        let data = vocab.encode(&config.text)?;
        if data.len() < needed {
            return Err(EngineError::TextTooShort { needed });
        }
        let params = Params::init(vocab.len(), &config.model)?;
        let optimizer = Optimizer::new(config.optimizer, vocab.len(), config.model.hidden)?;
        let mut session = Session {
            h_prev: Array1::zeros(config.model.hidden),
            carry_state: true,
            history: History::new(config.history_capacity),
            config,
            vocab,
            data,
            params,
            optimizer,
            pointer: 0,
            iteration: 0,
            smooth_loss: 0.0,
            last_loss: None,
            diverged_at: None,
            fast: None,
        };
        session.smooth_loss = session.initial_smooth_loss();
        Ok(session)
    }

    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub fn optimizer(&self) -> &Optimizer {
        &self.optimizer
    }

    /// The text as symbol indices.
    pub fn data(&self) -> &[usize] {
        &self.data
    }

    /// Replaces the parameters (model import): shapes must match, every
    /// number must be finite, and biases must be zero when the model has none.
    /// Clears the optimiser's memory and the diverged flag.
    pub fn set_params(&mut self, params: Params) -> Result<()> {
        params.check_shapes(self.vocab.len(), self.config.model.hidden)?;
        if !params.all_finite() {
            return Err(EngineError::Invalid(
                "the parameters contain NaN or infinite numbers".into(),
            ));
        }
        if !self.config.model.bias {
            for (name, b) in [("b_h", &params.b_h), ("b_y", &params.b_y)] {
                if b.iter().any(|&v| v != 0.0) {
                    return Err(EngineError::Shape {
                        field: name.into(),
                        message: "this model has no biases, so it must be all zeros".into(),
                    });
                }
            }
        }
        self.params = params;
        self.optimizer.reset();
        self.diverged_at = None;
        Ok(())
    }

    /// Fresh weights from `seed`, fresh optimiser memory, iteration 0, data
    /// pointer 0, h = 0, histories cleared.
    pub fn reset(&mut self, seed: u64) {
        self.config.model.seed = seed;
        // The config was validated when the session was made.
        self.params = Params::init(self.vocab.len(), &self.config.model)
            .unwrap_or_else(|_| Params::zeros(self.vocab.len(), self.config.model.hidden));
        self.optimizer.reset();
        self.pointer = 0;
        self.h_prev = Array1::zeros(self.config.model.hidden);
        self.iteration = 0;
        self.smooth_loss = self.initial_smooth_loss();
        self.last_loss = None;
        self.diverged_at = None;
        self.history.clear();
    }

    /// Changes lr without touching anything else.
    pub fn set_learning_rate(&mut self, lr: f64) -> Result<()> {
        check_learning_rate(lr)?;
        self.optimizer.set_learning_rate(lr)?;
        self.config.optimizer.learning_rate = lr;
        Ok(())
    }

    /// Changes the optimiser; its memory starts from zero.
    pub fn set_optimizer(&mut self, cfg: OptimizerConfig) -> Result<()> {
        self.optimizer = Optimizer::new(cfg, self.vocab.len(), self.config.model.hidden)?;
        self.config.optimizer = cfg;
        Ok(())
    }

    pub fn set_clip(&mut self, clip: Clip) -> Result<()> {
        clip.validate()?;
        self.config.clip = clip;
        Ok(())
    }

    pub fn set_truncation(&mut self, t: Option<(usize, usize)>) -> Result<()> {
        check_truncation(t)?;
        self.config.truncation = t;
        Ok(())
    }

    pub fn set_update_per_chunk(&mut self, on: bool) {
        self.config.update_per_chunk = on;
    }

    /// Chooses the arithmetic of `train` (the weights are kept; in f32 they
    /// are rounded at the next iteration).
    pub fn set_precision(&mut self, precision: Precision) {
        self.config.precision = precision;
        if precision == Precision::Float64 {
            self.fast = None;
        }
    }

    pub fn iteration(&self) -> u64 {
        self.iteration
    }

    pub fn smooth_loss(&self) -> f64 {
        self.smooth_loss
    }

    pub fn last_loss(&self) -> Option<f64> {
        self.last_loss
    }

    /// Whether training stopped on NaN/Inf (cleared by reset or set_params).
    pub fn diverged(&self) -> bool {
        self.diverged_at.is_some()
    }

    pub fn history(&self) -> &History {
        &self.history
    }
}
