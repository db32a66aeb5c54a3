//! Every size the engine accepts, in one table: [`LIMITS`].
//!
//! Each entry path (a [`SessionConfig`](super::SessionConfig), a model file,
//! `train(n)`, `sample(n)`, the gradient check, the command-line tool)
//! checks its sizes against this table *before* it allocates or computes
//! anything, and refuses with an [`EngineError`] that names the limit. The
//! web layer exports the same table to JS, so the page's fields and the
//! engine agree on one set of numbers.
//!
//! # Memory budget
//!
//! With every size at its limit (H = V = T = 256, a 100 KB text, Adam with
//! per-chunk updates, the history full, a 10 000-symbol sample in flight), one
//! session allocates at most [`Limits::memory_bytes`] = 64 MiB. The big
//! items, in f64 (8 bytes):
//!
//! ```text
//! parameters θ        (2HV + H² + H + V)·8                  ≈ 1.5 MiB
//! optimiser (Adam)    m, v and their scratch: 5 copies of θ ≈ 7.5 MiB
//! one iteration       trace T·(2H + 2V), gradients, backup  ≈ 5 MiB
//! history             C·(T + 1 + 10)·8  (C = 10 000 iterations) ≈ 21 MiB
//! one sample          n·V·8  (n = 10 000 symbols)           ≈ 20 MiB
//! the text            ≤ 100 KB, and one index per character ≈ 0.9 MiB
//! ```
//!
//! `tests/limits.rs` measures the peak with a counting allocator at these
//! limits (about 54 MiB, a model file written and read back included) and
//! checks it stays under the budget. Two analysis functions for short
//! sequences, which no entry path of the page reaches, fall outside it and
//! say so: `analysis::jacobian_norms` (O(T·H²) memory, used by `rnn-lab eval`
//! under its own flop budget) and `contributions::contributions` (O(T·|θ|)).
//!
//! Every size is also combined with checked arithmetic, so no input can wrap
//! a `usize` (on wasm32 a `usize` is 32 bits).

use super::error::{EngineError, Result};
use serde::Serialize;

/// The engine's limits. See the module docs for what each one bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// H, hidden units: 1..=256 (what the page offers).
    pub hidden: usize,
    /// V, distinct symbols of a text (Unicode scalar values): at most 256.
    pub vocab: usize,
    /// V of a token model (a word-level vocabulary, reserved tokens included,
    /// or a masked example's tokens): at most 2 000. The RNN's tensors
    /// (`Params`, the optimiser) accept up to this V; a character session up
    /// to [`Limits::vocab`].
    pub token_vocab: usize,
    /// Word mode (the whole text is one sequence of n − 1 steps): at most 64 characters.
    pub word_chars: usize,
    /// Text mode (min-char-rnn): at most 100 KB (102 400 bytes of UTF-8).
    pub text_bytes: usize,
    /// Steps per sequence s in text mode, and k1, k2 of truncated BPTT: 1..=256.
    pub seq: usize,
    /// Training iterations per call of `Session::train`: at most 10 000.
    pub iterations_per_call: usize,
    /// Symbols per call of `sample`: at most 10 000.
    pub sample_length: usize,
    /// Gradient check: (entries checked) × (steps T) at most 10 000. Each entry
    /// costs about ten forward passes (Ridders' extrapolation), so this bounds
    /// the check to about 10⁵ time steps: measured natively, about 0.7 s at
    /// H = 100 and 2–3 s at H = 256 (the page should run it off the main
    /// thread). Above it, fewer entries per tensor are checked (evenly spaced).
    pub grad_check_budget: usize,
    /// The work of one training call, in multiply-adds: at most 2·10⁹. One
    /// iteration of T steps at H hidden units and V symbols costs about
    /// [`iteration_work`] = 3·T·(H² + 2·H·V) (the forward pass, and twice that
    /// for BPTT); a call may run at most `train_work / iteration_work`
    /// iterations (never fewer than 1, never more than
    /// [`Limits::iterations_per_call`]). The engine runs about 2–5·10⁹
    /// multiply-adds a second in wasm, so one call takes well under a second
    /// at any size: 10 000 iterations of "hello", 13 at H = V = T = 256.
    pub train_work: u64,
    /// Iterations kept in the training history: at most 10 000.
    pub history: usize,
    /// Size of a model file's JSON text: at most 16 MiB (a model at H = V = 256,
    /// written with one number per line, is about 6 MB).
    pub model_file_bytes: usize,
    /// What one session may allocate at these limits: 64 MiB (see the module docs).
    pub memory_bytes: usize,
}

/// The one table of limits every check uses.
pub const LIMITS: Limits = Limits {
    hidden: 256,
    vocab: 256,
    token_vocab: 2_000,
    word_chars: 64,
    text_bytes: 100 * 1024,
    seq: 256,
    iterations_per_call: 10_000,
    train_work: 2_000_000_000,
    sample_length: 10_000,
    grad_check_budget: 10_000,
    history: 10_000,
    model_file_bytes: 16 * 1024 * 1024,
    memory_bytes: 64 * 1024 * 1024,
};

// A word-mode sequence (n − 1 steps) fits the sequence limit.
const _: () = assert!(LIMITS.word_chars <= LIMITS.seq + 1);

/// `got ≤ max`, or [`EngineError::TooLarge`] naming `name`.
pub fn at_most(name: &'static str, got: usize, max: usize) -> Result<usize> {
    if got <= max {
        Ok(got)
    } else {
        Err(EngineError::TooLarge { name, got, max })
    }
}

/// Hidden size H in 1..=[`Limits::hidden`].
pub fn check_hidden(hidden: usize) -> Result<usize> {
    if (1..=LIMITS.hidden).contains(&hidden) {
        Ok(hidden)
    } else {
        Err(EngineError::HiddenSize {
            got: hidden,
            max: LIMITS.hidden,
        })
    }
}

/// Vocabulary size V in 1..=[`Limits::vocab`].
pub fn check_vocab_size(vocab: usize) -> Result<usize> {
    if vocab == 0 {
        return Err(EngineError::EmptyText);
    }
    if vocab > LIMITS.vocab {
        return Err(EngineError::TooManySymbols { max: LIMITS.vocab });
    }
    Ok(vocab)
}

/// V of a token model's tensors in 1..=[`Limits::token_vocab`].
pub fn check_token_vocab_size(vocab: usize) -> Result<usize> {
    if vocab == 0 {
        return Err(EngineError::EmptyText);
    }
    at_most("the vocabulary size V (tokens)", vocab, LIMITS.token_vocab)
}

/// Sequence length s (and k1, k2) in 1..=[`Limits::seq`]; `name` says which.
pub fn check_seq(name: &'static str, seq: usize) -> Result<usize> {
    if seq == 0 {
        return Err(EngineError::ChunkLength { name, got: seq });
    }
    at_most(name, seq, LIMITS.seq)
}

/// Iterations of one training call: at most [`Limits::iterations_per_call`].
pub fn check_iterations(n: usize) -> Result<usize> {
    at_most(
        "the number of iterations per call",
        n,
        LIMITS.iterations_per_call,
    )
}

/// Multiply-adds of one training iteration of `steps` steps at `hidden` units
/// and `vocab` symbols: 3·T·(H² + 2·H·V), saturating (the forward pass costs
/// T·(H² + 2·H·V) with a dense W_xh x_t and W_hy h_t; BPTT twice that).
pub fn iteration_work(steps: usize, hidden: usize, vocab: usize) -> u64 {
    let (t, h, v) = (steps as u64, hidden as u64, vocab as u64);
    let per_step = h
        .saturating_mul(h)
        .saturating_add(h.saturating_mul(v).saturating_mul(2));
    per_step.saturating_mul(t).saturating_mul(3).max(1)
}

/// The most iterations one training call may run at this size: within both
/// [`Limits::iterations_per_call`] and [`Limits::train_work`], and at least 1.
pub fn max_iterations_per_call(steps: usize, hidden: usize, vocab: usize) -> usize {
    let by_work = LIMITS.train_work / iteration_work(steps, hidden, vocab);
    (by_work.max(1)).min(LIMITS.iterations_per_call as u64) as usize
}

/// Iterations of one training call at this size: at most
/// [`max_iterations_per_call`], or [`EngineError::TooLarge`] naming the
/// work budget (the caller trains in more, smaller calls).
pub fn check_iterations_at(n: usize, steps: usize, hidden: usize, vocab: usize) -> Result<usize> {
    let max = max_iterations_per_call(steps, hidden, vocab);
    if n <= max {
        return Ok(n);
    }
    check_iterations(n)?;
    at_most(
        "the number of iterations per call at this size (the work budget of one call, train_work)",
        n,
        max,
    )
}

/// Symbols of one sample: at most [`Limits::sample_length`].
pub fn check_sample_length(n: usize) -> Result<usize> {
    at_most("the sample length", n, LIMITS.sample_length)
}

/// A training text: at most [`Limits::word_chars`] characters in word mode
/// (`text_mode` false), at most [`Limits::text_bytes`] bytes in text mode.
/// The byte count is checked first, so a huge text is refused without
/// walking its characters.
pub fn check_text(text: &str, text_mode: bool) -> Result<()> {
    at_most(
        "the text (in bytes of UTF-8)",
        text.len(),
        LIMITS.text_bytes,
    )?;
    if !text_mode {
        // A char is at most 4 bytes, so this walks at most 4·64 + 4 bytes.
        let chars = text.chars().take(LIMITS.word_chars + 1).count();
        if chars > LIMITS.word_chars {
            return Err(EngineError::WordTooLong {
                max: LIMITS.word_chars,
            });
        }
    }
    Ok(())
}

/// Entries per tensor the gradient check may compare on a sequence of
/// `steps` steps with `tensors` tensors, within [`Limits::grad_check_budget`]:
/// `min(per_tensor, budget / (steps·tensors))`. Errors when not even one
/// entry per tensor fits (only a sequence far longer than [`Limits::seq`]).
pub fn grad_check_entries(steps: usize, tensors: usize, per_tensor: usize) -> Result<usize> {
    let cost = steps.max(1).checked_mul(tensors.max(1));
    match cost.map(|c| LIMITS.grad_check_budget / c) {
        Some(n) if n >= 1 => Ok(n.min(per_tensor)),
        _ => Err(EngineError::TooLarge {
            name: "the gradient check's cost (entries × steps)",
            got: steps.saturating_mul(tensors),
            max: LIMITS.grad_check_budget,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_consistent() {
        // The gradient check can always compare at least one entry of each of
        // the five tensors at the longest sequence.
        assert!(grad_check_entries(LIMITS.seq, 5, 200).unwrap() >= 1);
        assert_eq!(grad_check_entries(4, 5, 200).unwrap(), 200);
        assert!(grad_check_entries(usize::MAX, 5, 200).is_err());
        let json = serde_json::to_value(LIMITS).unwrap();
        assert_eq!(json["hidden"], 256);
        assert_eq!(json["text_bytes"], 102_400);
    }

    #[test]
    fn messages_name_the_limit() {
        let e = check_sample_length(200_000).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the sample length must be at most 10000, got 200000"
        );
        assert!(check_seq("the sequence length", usize::MAX).is_err());
        assert!(check_seq("the sequence length", 0).is_err());
        assert!(check_text(&"a".repeat(65), false).is_err());
        assert!(check_text(&"a".repeat(65), true).is_ok());
        assert!(check_text(&"é".repeat(64), false).is_ok());
        assert!(check_text(&"a".repeat(100 * 1024 + 1), true).is_err());
        assert!(check_vocab_size(257).is_err());
    }

    #[test]
    fn the_work_budget_scales_with_the_size() {
        assert_eq!(max_iterations_per_call(4, 3, 4), LIMITS.iterations_per_call);
        assert_eq!(max_iterations_per_call(256, 256, 256), 13);
        assert_eq!(
            max_iterations_per_call(usize::MAX, usize::MAX, usize::MAX),
            1
        );
        let mid = max_iterations_per_call(25, 100, 65);
        assert!((100..LIMITS.iterations_per_call).contains(&mid), "{mid}");
        assert!(check_iterations_at(13, 256, 256, 256).is_ok());
        let e = check_iterations_at(14, 256, 256, 256).unwrap_err();
        assert!(e.to_string().contains("must be at most 13, got 14"), "{e}");
        let e = check_iterations_at(20_000, 4, 3, 4).unwrap_err();
        assert!(
            e.to_string().contains("per call must be at most 10000"),
            "{e}"
        );
    }
}
