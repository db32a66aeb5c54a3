//! Delayed many-to-many: a word and "|", then the word reversed.

use super::{DELIMITER, Example, Metric, REVERSE_ALPHABET, REVERSE_MAX, Reading, TypeKind, clean};
use crate::engine::error::{EngineError, Result};
use crate::engine::masked::MaskedSequence;

impl Example {
    /// Delayed many-to-many: every word of 1..=REVERSE_MAX letters over
    /// REVERSE_ALPHABET, one in five held out.
    pub(super) fn reversal() -> Self {
        let alphabet: Vec<String> = REVERSE_ALPHABET.chars().map(String::from).collect();
        let mut words: Vec<String> = vec![String::new()];
        let mut all = Vec::new();
        for _ in 0..REVERSE_MAX {
            words = words
                .iter()
                .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                .collect();
            all.extend(words.iter().cloned());
        }
        let mut tokens = alphabet.clone();
        tokens.push(DELIMITER.into());
        let outs: Vec<&str> = alphabet.iter().map(String::as_str).collect();
        Self::empty(TypeKind::Delayed, tokens, &outs, Metric::Sequences, "cab")
            .with_texts(all, true)
    }

    pub(super) fn read_reversal(&self, text: &str) -> Result<Reading> {
        let t = clean(text, &format!("a word of letters {REVERSE_ALPHABET}"))?;
        let n = t.chars().count();
        let bad: Vec<String> = t
            .chars()
            .filter(|c| !REVERSE_ALPHABET.contains(*c))
            .map(String::from)
            .collect();
        if !bad.is_empty() {
            return Err(EngineError::Invalid(format!(
                "the reverser knows only the letters {}; it has no input for {}",
                REVERSE_ALPHABET
                    .chars()
                    .map(String::from)
                    .collect::<Vec<_>>()
                    .join(", "),
                bad.iter()
                    .map(|c| format!("“{c}”"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        if n > REVERSE_MAX {
            return Err(EngineError::Invalid(format!(
                "the reverser was trained on words of up to {REVERSE_MAX} letters; “{t}” has {n}"
            )));
        }
        let mut xs: Vec<usize> = t.chars().map(|c| self.index(&c.to_string())).collect();
        let ys: Vec<usize> = xs.iter().rev().copied().collect();
        xs.push(self.index(DELIMITER));
        let sequence = MaskedSequence::delayed(&xs, &ys)?;
        let read = sequence.targets.iter().map(Option::is_some).collect();
        Ok(Reading {
            text: t,
            sequence,
            read,
            skipped: vec![],
        })
    }
}
