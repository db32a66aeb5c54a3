//! Training tasks beyond a single word: the long-range dependency task of the
//! vanishing-gradient chapter, and next-character chunks of any text.
//!
//! The long-range task is the lecture's "I live in France … I speak fluent
//! French" made small: the answer at the last step is a key symbol seen `d`
//! steps earlier, with filler in between. One sequence of length T:
//!
//! ```text
//! step:    1      2 … T−d−1    T−d     T−d+1 … T−1    T
//! input:   e      filler       key     filler         ?      (e = previous answer)
//! target:  —      —            —       —              key    (LossMode::LastStep)
//! ```
//!
//! Keys are `a`/`b`, filler `x`/`y`/`z`, the query `?`. The sequences are
//! also written out as one text so that the min-char-rnn training loop (data
//! pointer advancing by T, see [`chunk_starts`]) reads exactly one sequence
//! per iteration: the last target of chunk i is the first character of chunk
//! i+1, which is why every sequence starts with the previous answer `e`. It
//! is a distractor, not a clue: the answer is always the *last* key before `?`.

use super::error::{EngineError, Result};
use super::forward::LossMode;
use super::limits;
use super::rng::Rng;
use super::vocab::Vocab;
use serde::Serialize;

/// The two key symbols; the answer is one of them.
pub const KEY_SYMBOLS: [char; 2] = ['a', 'b'];
/// Symbols that fill the gap between the key and the query.
pub const FILLER_SYMBOLS: [char; 3] = ['x', 'y', 'z'];
/// The last input, where the answer is asked for.
pub const QUERY_SYMBOL: char = '?';
/// Smallest and largest distance d between the key and the query.
pub const MIN_DISTANCE: usize = 2;
pub const MAX_DISTANCE: usize = 100;
/// Longest sequence the chapter builds.
pub const MAX_LENGTH: usize = 200;
/// Largest batch of sequences.
pub const MAX_COUNT: usize = 256;

// The task trains in the session's text mode: its sequences and its text
// (count·length + 1 ASCII characters) must fit the engine's limits.
const _: () = assert!(MAX_LENGTH <= super::limits::LIMITS.seq);
const _: () = assert!(MAX_COUNT * MAX_LENGTH < super::limits::LIMITS.text_bytes);

/// One training sequence: inputs and scored targets as vocabulary indices.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskSequence {
    /// Input symbol per step, length T.
    pub inputs: Vec<usize>,
    /// Target per step, `None` where the step has no loss; length T.
    pub targets: Vec<Option<usize>>,
}

/// The long-range dependency task: `count` sequences of length `length`
/// whose last target is the key seen `distance` steps before the last step.
#[derive(Debug, Clone, PartialEq)]
pub struct LongRangeTask {
    pub distance: usize,
    pub length: usize,
    pub seed: u64,
    /// [a, b, x, y, z, ?] in that order.
    pub vocab: Vocab,
    pub sequences: Vec<TaskSequence>,
    /// The key of each sequence (index into `vocab`).
    pub keys: Vec<usize>,
}

impl LongRangeTask {
    /// Builds `count` sequences from `seed`: count/2 filler patterns drawn
    /// uniformly, each used once with key `a` and once with `b`, in shuffled order.
    ///
    /// Needs 2 ≤ distance ≤ 100, distance + 2 ≤ length ≤ 200 (one step for the
    /// previous answer, one for the key's own step) and an even count in 2..=256.
    pub fn new(distance: usize, length: usize, count: usize, seed: u64) -> Result<Self> {
        if !(MIN_DISTANCE..=MAX_DISTANCE).contains(&distance) {
            return Err(EngineError::Invalid(format!(
                "the distance d must be between {MIN_DISTANCE} and {MAX_DISTANCE}, got {distance}"
            )));
        }
        if length < distance + 2 || length > MAX_LENGTH {
            return Err(EngineError::Invalid(format!(
                "the sequence length must be between d + 2 = {} and {MAX_LENGTH}, got {length}",
                distance + 2
            )));
        }
        if !(2..=MAX_COUNT).contains(&count) || !count.is_multiple_of(2) {
            return Err(EngineError::Invalid(format!(
                "the number of sequences must be even, between 2 and {MAX_COUNT}, got {count}"
            )));
        }
        let vocab = Self::task_vocab();
        let idx = |c: char| vocab.index_of(c).expect("task symbol");
        let filler: Vec<usize> = FILLER_SYMBOLS.iter().map(|&c| idx(c)).collect();
        let query = idx(QUERY_SYMBOL);
        let key_step = length - distance; // 1-based step of the key
        let mut rng = Rng::new(seed);
        // Sequences come in pairs with the same filler and different keys, so
        // the filler says nothing about the answer: a network cannot learn
        // "this filler pattern ends in a" and must carry the key over d steps.
        let mut drafts: Vec<(usize, Vec<usize>)> = Vec::with_capacity(count);
        for _pair in 0..count / 2 {
            let pattern: Vec<usize> = (0..length)
                .map(|_| filler[below(&mut rng, filler.len())])
                .collect();
            for key in KEY_SYMBOLS {
                drafts.push((idx(key), pattern.clone()));
            }
        }
        for i in (1..count).rev() {
            let j = below(&mut rng, i + 1);
            drafts.swap(i, j);
        }
        let keys: Vec<usize> = drafts.iter().map(|(k, _)| *k).collect();
        let sequences = drafts
            .into_iter()
            .enumerate()
            .map(|(i, (key, mut inputs))| {
                // The previous answer (cyclically, so every sequence has one).
                inputs[0] = keys[(i + count - 1) % count];
                inputs[key_step - 1] = key;
                inputs[length - 1] = query;
                let mut targets = vec![None; length];
                targets[length - 1] = Some(key);
                TaskSequence { inputs, targets }
            })
            .collect();
        Ok(Self {
            distance,
            length,
            seed,
            vocab,
            sequences,
            keys,
        })
    }

    /// The task's vocabulary: keys, filler, query.
    pub fn task_vocab() -> Vocab {
        let mut symbols = KEY_SYMBOLS.to_vec();
        symbols.extend(FILLER_SYMBOLS);
        symbols.push(QUERY_SYMBOL);
        Vocab::from_symbols(symbols)
    }

    /// 1-based step at which every sequence shows its key: T − d.
    pub fn key_step(&self) -> usize {
        self.length.saturating_sub(self.distance)
    }

    /// The sequences written as one text for the session's text mode with
    /// `seq_len = length`: the inputs of every sequence one after the other,
    /// then the last answer. Chunk i of this text (inputs `text[iT..iT+T]`,
    /// targets `text[iT+1..iT+T+1]`) is sequence i with every step scored;
    /// [`LossMode::LastStep`] keeps the answer only.
    pub fn text(&self) -> String {
        // The exact size, from the sequences themselves (the fields are public).
        let chars: usize = self.sequences.iter().map(|s| s.inputs.len()).sum();
        let mut out = String::with_capacity(chars.saturating_add(1));
        for s in &self.sequences {
            for &i in &s.inputs {
                out.push(self.vocab.symbols()[i]);
            }
        }
        out.push(self.vocab.symbols()[self.keys[self.keys.len() - 1]]);
        out
    }
}

/// A uniform index below `n` (n ≥ 1), from the task's own generator.
fn below(rng: &mut Rng, n: usize) -> usize {
    ((rng.uniform() * n as f64) as usize).min(n - 1)
}

/// Where the session's data pointer starts each chunk of `seq_len` inputs
/// in a text of `len` characters: p = 0, s, 2s, … while p + s + 1 ≤ len
/// (the session wraps to 0 when p + s + 1 > len; min-char-rnn itself wraps
/// one character earlier, at ≥).
pub fn chunk_starts(len: usize, seq_len: usize) -> Vec<usize> {
    if seq_len == 0 {
        return Vec::new();
    }
    // p < len, so `len − p` cannot wrap where `p + s` could.
    (0..len)
        .step_by(seq_len)
        .take_while(|p| len - p > seq_len)
        .collect()
}

/// Next-character sequences of any text, cut as min-char-rnn cuts them:
/// chunk i has inputs `text[p..p+s]` and targets `text[p+1..p+s+1]`, scored
/// per step or at the last step only. `vocab` must hold every character.
pub fn text_sequences(
    vocab: &Vocab,
    text: &str,
    seq_len: usize,
    loss_mode: LossMode,
) -> Result<Vec<TaskSequence>> {
    limits::check_seq("sequence length", seq_len)?;
    limits::check_text(text, true)?;
    let indices = vocab.encode(text)?;
    let starts = chunk_starts(indices.len(), seq_len);
    if starts.is_empty() {
        return Err(EngineError::TextTooShort {
            needed: seq_len + 1,
        });
    }
    Ok(starts
        .into_iter()
        .map(|p| TaskSequence {
            inputs: indices[p..p + seq_len].to_vec(),
            targets: loss_mode.scored(&indices[p + 1..p + seq_len + 1]),
        })
        .collect())
}

/// Any text as a next-character task (the option "use the text of the other
/// chapters"): the vocabulary in first-appearance order and its chunks.
#[derive(Debug, Clone, PartialEq)]
pub struct TextTask {
    pub vocab: Vocab,
    pub seq_len: usize,
    pub loss_mode: LossMode,
    pub sequences: Vec<TaskSequence>,
}

impl TextTask {
    /// Cuts `text` into chunks of `seq_len`; the text needs seq_len + 1 characters.
    /// The sizes are checked against [`LIMITS`](super::LIMITS) first.
    pub fn new(text: &str, seq_len: usize, loss_mode: LossMode) -> Result<Self> {
        limits::check_seq("sequence length", seq_len)?;
        limits::check_text(text, true)?;
        let vocab = Vocab::from_text(text)?;
        let sequences = text_sequences(&vocab, text, seq_len, loss_mode)?;
        Ok(Self {
            vocab,
            seq_len,
            loss_mode,
            sequences,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_starts_follow_min_char_rnn() {
        // len 10, s 3: p = 0 (4 ≤ 10), 3 (7 ≤ 10), 6 (10 ≤ 10), 9 (13 > 10 → wrap).
        assert_eq!(chunk_starts(10, 3), vec![0, 3, 6]);
        assert_eq!(chunk_starts(9, 3), vec![0, 3]);
        assert_eq!(chunk_starts(4, 3), vec![0]);
        assert!(chunk_starts(3, 3).is_empty());
        assert!(chunk_starts(10, 0).is_empty());
    }

    #[test]
    fn bad_task_settings_are_errors() {
        assert!(LongRangeTask::new(1, 10, 4, 0).is_err());
        assert!(LongRangeTask::new(101, 200, 4, 0).is_err());
        assert!(LongRangeTask::new(10, 11, 4, 0).is_err());
        assert!(LongRangeTask::new(10, 201, 4, 0).is_err());
        assert!(LongRangeTask::new(10, 12, 1, 0).is_err());
        assert!(LongRangeTask::new(10, 12, 5, 0).is_err());
        assert!(LongRangeTask::new(10, 12, 2, 0).is_ok());
        assert!(TextTask::new("hell", 4, LossMode::PerStep).is_err());
        assert!(TextTask::new("hello", 4, LossMode::PerStep).is_ok());
        assert!(TextTask::new("hello", 0, LossMode::PerStep).is_err());
        // Before: `seq_len + 1` wrapped (a panic in debug builds).
        assert!(TextTask::new("hello", usize::MAX, LossMode::PerStep).is_err());
        let v = Vocab::from_text("hello").unwrap();
        assert!(text_sequences(&v, "hello", usize::MAX, LossMode::PerStep).is_err());
        assert!(chunk_starts(10, usize::MAX).is_empty());
    }
}
