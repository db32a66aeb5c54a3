//! Every way the engine refuses input or stops training, as one typed error.
//!
//! Messages are written for a student reading them in the app: short, and
//! saying what to change.

use thiserror::Error;

/// The engine's error. It never panics on user input; it returns one of these.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum EngineError {
    #[error("the text is empty: type at least two characters")]
    EmptyText,
    #[error(
        "the text is too short: it needs at least {needed} characters so that some step has a target"
    )]
    TextTooShort { needed: usize },
    #[error("the symbol {0:?} is not in the vocabulary")]
    UnknownSymbol(char),
    #[error("the token {0:?} is not in the vocabulary")]
    UnknownToken(String),
    #[error("symbol index {index} is outside the vocabulary of {size} symbols")]
    SymbolIndex { index: usize, size: usize },
    #[error("hidden size must be between 1 and {max}, got {got}")]
    HiddenSize { got: usize, max: usize },
    #[error("the learning rate must be a finite number above 0, got {0}")]
    LearningRate(f64),
    #[error("{name} must be a whole number of at least 1, got {got}")]
    ChunkLength { name: &'static str, got: usize },
    #[error("k2 ({k2}) must be at least k1 ({k1}): every loss needs at least its own step")]
    TruncationOrder { k1: usize, k2: usize },
    #[error("the temperature must be a finite number above 0, got {0}")]
    Temperature(f64),
    #[error("{name} must be a finite number{hint}, got {got}")]
    BadNumber {
        name: &'static str,
        got: f64,
        hint: &'static str,
    },
    /// A size above its limit in [`crate::engine::limits::LIMITS`]; `name` says which.
    #[error("{name} must be at most {max}, got {got}")]
    TooLarge {
        name: &'static str,
        got: usize,
        max: usize,
    },
    #[error(
        "the text has more than {max} distinct symbols, and the vocabulary can hold at most {max} (the limit on V)"
    )]
    TooManySymbols { max: usize },
    #[error(
        "the word is longer than {max} characters (the word limit): train a longer text in text mode, with a sequence length"
    )]
    WordTooLong { max: usize },
    #[error("{field}: {message}")]
    Shape { field: String, message: String },
    #[error(
        "training diverged at iteration {iteration}: a loss or gradient became NaN or infinite; the last good weights are kept"
    )]
    Diverged { iteration: u64 },
    #[error("{0}")]
    Invalid(String),
}

/// Shorthand for engine results.
pub type Result<T> = std::result::Result<T, EngineError>;

/// Checks that `value` is finite and strictly positive, naming it in the error.
pub fn positive_finite(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(EngineError::BadNumber {
            name,
            got: value,
            hint: " above 0",
        })
    }
}

/// Checks that `value` is finite and ≥ 0, naming it in the error.
pub fn non_negative_finite(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(EngineError::BadNumber {
            name,
            got: value,
            hint: " of at least 0",
        })
    }
}
