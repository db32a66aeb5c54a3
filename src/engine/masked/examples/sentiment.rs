//! Many-to-one: a phrase → `<pos>` or `<neg>`, scored at the last word, on the
//! split the text CNN of "Recap" shares ([`sentiment_split`]).

use super::{
    Example, Item, Metric, NEGATIVE, PHRASE_MAX_WORDS, POSITIVE, Reading, TypeKind, clean,
};
use crate::engine::error::{EngineError, Result};
use crate::engine::masked::MaskedSequence;
use crate::engine::models::sentiment::sentiment_split;
use crate::engine::models::text::{LabelledSet, tokenize};

impl Example {
    /// Many-to-one: the built-in labelled phrases on the shared split
    /// ([`sentiment_split`]: one in five held out, as for the text CNN).
    pub(super) fn sentiment() -> Self {
        let (train, test) = sentiment_split();
        let mut tokens: Vec<String> = vec![POSITIVE.into(), NEGATIVE.into()];
        // The tokens in the file's order (train and test interleave there).
        for e in &LabelledSet::sentiment().examples {
            for w in &e.words {
                if !tokens.contains(w) {
                    tokens.push(w.clone());
                }
            }
        }
        let mut ex = Self::empty(
            TypeKind::ManyToOne,
            tokens,
            &[POSITIVE, NEGATIVE],
            Metric::Sequences,
            "not bad at all",
        );
        ex.train = ex.phrases(&train);
        ex.test = ex.phrases(&test);
        ex
    }

    /// Each phrase of `set` as a sequence: its words in, its class at the last step.
    fn phrases(&self, set: &LabelledSet) -> Vec<Item> {
        let (pos, neg) = (self.index(POSITIVE), self.index(NEGATIVE));
        set.examples
            .iter()
            .map(|e| {
                let xs: Vec<usize> = e.words.iter().map(|w| self.index(w)).collect();
                let label = if set.classes[e.label] == "pos" {
                    pos
                } else {
                    neg
                };
                Item {
                    text: e.words.join(" "),
                    sequence: MaskedSequence::many_to_one(&xs, label)
                        .expect("a built-in phrase has words"),
                }
            })
            .collect()
    }

    pub(super) fn read_phrase(&self, text: &str) -> Result<Reading> {
        let t = clean(text, "a short phrase such as “not bad at all”")?;
        let words = tokenize(&t);
        if words.len() > PHRASE_MAX_WORDS {
            return Err(EngineError::Invalid(format!(
                "that is {} words; type at most {PHRASE_MAX_WORDS}",
                words.len()
            )));
        }
        let (known, skipped): (Vec<String>, Vec<String>) = words
            .into_iter()
            .partition(|w| self.vocab.index_of(w).is_ok());
        if known.is_empty() {
            return Err(EngineError::Invalid(format!(
                "none of these words is in the model's vocabulary of {} words; try words such as good, bad, not, very, the movie",
                self.vocab.len() - 2
            )));
        }
        let xs: Vec<usize> = known.iter().map(|w| self.index(w)).collect();
        let text = known.join(" ");
        // The data's label when the phrase is one of the built-in ones.
        let label = self
            .train
            .iter()
            .chain(&self.test)
            .find(|it| it.text == text)
            .and_then(|it| *it.sequence.targets.last().expect("T ≥ 1"));
        let mut targets = vec![None; xs.len()];
        *targets.last_mut().expect("T ≥ 1") = label;
        let mut read = vec![false; xs.len()];
        *read.last_mut().expect("T ≥ 1") = true;
        Ok(Reading {
            text,
            sequence: MaskedSequence::new(xs.into_iter().map(Some).collect(), targets)?,
            read,
            skipped,
        })
    }
}
