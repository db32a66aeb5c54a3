//! One-to-many: a class token → the letters of its name.

use super::{Example, Metric, NAMES, Reading, TypeKind, clean};
use crate::engine::error::{EngineError, Result};
use crate::engine::masked::MaskedSequence;

impl Example {
    /// One-to-many: a class token at t = 1, then its name letter by letter.
    pub(super) fn names() -> Self {
        let mut tokens: Vec<String> = NAMES.iter().map(|(c, _)| c.to_string()).collect();
        let mut outs: Vec<String> = Vec::new();
        for (_, name) in NAMES {
            for c in name.chars().map(String::from) {
                if !outs.contains(&c) {
                    outs.push(c);
                }
            }
        }
        tokens.extend(outs.iter().cloned());
        let outs: Vec<&str> = outs.iter().map(String::as_str).collect();
        let classes = NAMES.iter().map(|(c, _)| c.to_string()).collect();
        Self::empty(
            TypeKind::OneToMany,
            tokens,
            &outs,
            Metric::Sequences,
            "<cat>",
        )
        .with_texts(classes, false)
    }

    pub(super) fn read_class(&self, text: &str) -> Result<Reading> {
        let t = clean(text, "a class such as <cat>")?;
        let bare = t.trim_start_matches('<').trim_end_matches('>');
        let Some((class, name)) = NAMES.iter().find(|(c, _)| c[1..c.len() - 1] == *bare) else {
            let all: Vec<&str> = NAMES.iter().map(|(c, _)| *c).collect();
            return Err(EngineError::Invalid(format!(
                "“{t}” is not one of the classes this model knows: {}",
                all.join(", ")
            )));
        };
        let ys: Vec<usize> = name.chars().map(|c| self.index(&c.to_string())).collect();
        let sequence = MaskedSequence::one_to_many(self.index(class), &ys)?;
        Ok(Reading {
            text: class.to_string(),
            read: vec![true; ys.len()],
            sequence,
            skipped: vec![],
        })
    }
}
