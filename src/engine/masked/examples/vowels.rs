//! One-to-one: a letter → `<v>` or `<c>`.

use super::{CONSONANT, Example, Metric, Reading, TypeKind, VOWEL, clean, letter_class, letters};
use crate::engine::error::{EngineError, Result};
use crate::engine::masked::MaskedSequence;

impl Example {
    /// One-to-one: each letter → vowel or consonant (y: consonant). Every
    /// letter trains: a one-hot letter shares nothing with another, so there
    /// is nothing to hold out.
    pub(super) fn vowels() -> Self {
        let tokens = letters().chain([VOWEL.into(), CONSONANT.into()]).collect();
        let outputs = [VOWEL, CONSONANT];
        Self::empty(TypeKind::OneToOne, tokens, &outputs, Metric::Steps, "e")
            .with_texts(letters().collect(), false)
    }

    pub(super) fn read_letter(&self, text: &str) -> Result<Reading> {
        let t = clean(text, "one letter, a to z")?;
        let mut chars = t.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return Err(EngineError::Invalid(format!(
                "one-to-one reads one letter at a time: type a single letter, not “{t}”"
            )));
        };
        if !c.is_ascii_lowercase() {
            return Err(EngineError::Invalid(format!(
                "“{c}” is not a letter from a to z: type one of those"
            )));
        }
        let sequence =
            MaskedSequence::one_to_one(self.index(&c.to_string()), self.index(letter_class(c)));
        Ok(Reading {
            text: t,
            sequence,
            read: vec![true],
            skipped: vec![],
        })
    }
}
