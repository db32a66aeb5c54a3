//! The math core: a vanilla RNN in float64, with no web types.
//!
//! Everything the app draws is computed here and handed over as plain data.

pub mod activation;
pub mod analysis;
pub mod bptt;
pub mod clip;
pub mod contributions;
pub mod error;
pub mod fast;
pub mod forward;
pub mod gradcheck;
pub mod history;
pub mod kernels;
pub mod limits;
pub mod masked;
pub mod model_file;
pub mod models;
pub mod optim;
pub mod params;
pub mod rng;
pub mod rnn;
pub mod sample;
pub mod session;
pub mod settings;
pub(crate) mod step;
pub mod tasks;
pub mod timeline;
pub mod tokens;
pub mod vanishing;
pub mod views;
pub mod vocab;

pub use activation::Activation;
pub use bptt::{Gradients, Segment, TruncatedGradients, backward, truncated};
pub use clip::{Clip, ClipReport};
pub use error::{EngineError, Result};
pub use forward::{LossMode, Trace, forward, forward_masked};
pub use gradcheck::{GradCheckEntry, GradCheckReport};
pub use history::{History, Ring};
pub use limits::{LIMITS, Limits};
pub use masked::{MaskedSequence, MaskedTrainer, MaskedTrainerConfig};
pub use optim::{Optimizer, OptimizerConfig, OptimizerKind};
pub use params::{MAX_HIDDEN, ModelConfig, PARAM_NAMES, Params};
pub use rng::Rng;
pub use sample::Sample;
pub use session::{Session, SessionConfig, TrainReport};
pub use tokens::TokenVocab;
pub use vocab::{MAX_VOCAB, Vocab, WordTask};
