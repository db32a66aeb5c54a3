//! The math core: a vanilla RNN in float64, with no web types.
//!
//! Everything the app draws is computed here and handed over as plain data.

pub mod activation;
pub mod analysis;
pub mod bptt;
pub mod error;
pub mod forward;
pub mod params;
pub mod rng;
pub mod vocab;

pub use activation::Activation;
pub use bptt::{Gradients, Segment, TruncatedGradients, backward, truncated};
pub use error::{EngineError, Result};
pub use forward::{LossMode, Trace, forward};
pub use params::{MAX_HIDDEN, ModelConfig, PARAM_NAMES, Params};
pub use rng::Rng;
pub use vocab::{Vocab, WordTask};
