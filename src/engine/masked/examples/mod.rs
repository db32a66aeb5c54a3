//! The five built-in examples of the "Types of RNN" chapter, one per type,
//! each a set of [`MaskedSequence`]s over one [`TokenVocab`] (inputs and
//! outputs share the one-hot positions; the class tokens are written `<…>`):
//!
//! ```text
//! one-to-one      a letter → <v> or <c>                e        → <v>
//! one-to-many     a class token → the letters of its name   <cat> · · → c a t
//! many-to-one     a phrase → <pos> or <neg>, scored at the last word
//! delayed         a word and "|", then the word reversed with no input
//!                                                     c a b | · · · → · · · · b a c
//! synced          every character of a word → <v> or <c> (y: <c> first, <v> after;
//!                 ' and - are not scored)
//! ```
//!
//! Each example also reads what a student types ([`Example::read`]) into a
//! sequence of the same shape, with the true targets where the rule knows
//! them. Bad text is an error that says what to type; a word the sentiment
//! model never saw is skipped and named, never a panic.

use super::MaskedSequence;
use crate::engine::error::{EngineError, Result};
use crate::engine::tokens::TokenVocab;
use serde::{Deserialize, Serialize};

mod names;
mod reversal;
mod sentiment;
mod tagger;
mod vowels;

/// The five types of RNN by the shape of their inputs and outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeKind {
    #[default]
    OneToOne,
    OneToMany,
    ManyToOne,
    Delayed,
    Synced,
}

impl TypeKind {
    pub const ALL: [TypeKind; 5] = [
        TypeKind::OneToOne,
        TypeKind::OneToMany,
        TypeKind::ManyToOne,
        TypeKind::Delayed,
        TypeKind::Synced,
    ];
}

/// What an example's headline accuracy counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Scored steps whose arg max p_t is the target.
    Steps,
    /// Sequences with every scored step right (exact match).
    Sequences,
}

/// The vowel and consonant classes (one-to-one and synced).
pub const VOWEL: &str = "<v>";
pub const CONSONANT: &str = "<c>";
/// The one-to-many classes and the names they generate.
pub const NAMES: [(&str, &str); 5] = [
    ("<cat>", "cat"),
    ("<dog>", "dog"),
    ("<cow>", "cow"),
    ("<hen>", "hen"),
    ("<owl>", "owl"),
];
/// The sentiment classes, in the order of the data's `pos` and `neg`.
pub const POSITIVE: &str = "<pos>";
pub const NEGATIVE: &str = "<neg>";
/// The letters the reverser reads, the longest word it reverses and the delimiter.
pub const REVERSE_ALPHABET: &str = "abcd";
pub const REVERSE_MAX: usize = 3;
pub const DELIMITER: &str = "|";
/// Longest word the tagger reads (characters).
pub const TAG_MAX: usize = 16;
/// Longest phrase the sentiment model reads (words), and the longest text typed (characters).
pub const PHRASE_MAX_WORDS: usize = 20;
pub const MAX_TYPED_CHARS: usize = 200;
/// Every `TEST_EVERY`-th item (5th, 10th, …) of the tagger's words and the
/// reverser's words is held out, as the sentiment set does.
pub const TEST_EVERY: usize = 5;

/// One item of an example: the text it was made from and its sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub text: String,
    pub sequence: MaskedSequence,
}

/// A typed text read into a sequence of the example's shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The text as the model reads it (lower case, unknown parts left out).
    pub text: String,
    /// Targets where the rule (or the data) knows them, else `None`.
    pub sequence: MaskedSequence,
    /// Steps whose output is the answer, scored or not.
    pub read: Vec<bool>,
    /// Words or characters left out because the model has no input for them.
    pub skipped: Vec<String>,
}

/// One built-in example: its vocabulary, its training and held-out items.
#[derive(Debug, Clone)]
pub struct Example {
    pub kind: TypeKind,
    pub vocab: TokenVocab,
    /// The tokens the answers are made of (the targets' tokens), in vocabulary order.
    pub outputs: Vec<usize>,
    pub train: Vec<Item>,
    /// Held out from training (empty where there is nothing to generalise to).
    pub test: Vec<Item>,
    pub metric: Metric,
    /// What a student is shown first.
    pub default_input: &'static str,
}

/// (train, test): item i is held out when (i + 1) % [`TEST_EVERY`] == 0.
fn split(items: Vec<Item>) -> (Vec<Item>, Vec<Item>) {
    let (test, train): (Vec<_>, Vec<_>) = items
        .into_iter()
        .enumerate()
        .partition(|(i, _)| (i + 1) % TEST_EVERY == 0);
    let strip = |v: Vec<(usize, Item)>| v.into_iter().map(|(_, it)| it).collect();
    (strip(train), strip(test))
}

fn letters() -> impl Iterator<Item = String> {
    ('a'..='z').map(String::from)
}

/// The class of a letter on its own: a, e, i, o, u are vowels.
fn letter_class(c: char) -> &'static str {
    if "aeiou".contains(c) {
        VOWEL
    } else {
        CONSONANT
    }
}

/// Lower-cased, trimmed typed text; an error for nothing or far too much.
fn clean(text: &str, what: &str) -> Result<String> {
    let n = text.chars().count();
    if n > MAX_TYPED_CHARS {
        return Err(EngineError::Invalid(format!(
            "that is {n} characters; type at most {MAX_TYPED_CHARS}"
        )));
    }
    let t = text.trim().to_lowercase();
    if t.is_empty() {
        return Err(EngineError::Invalid(format!("type {what}")));
    }
    Ok(t)
}

impl Example {
    /// The built-in example of `kind`.
    pub fn new(kind: TypeKind) -> Self {
        match kind {
            TypeKind::OneToOne => Self::vowels(),
            TypeKind::OneToMany => Self::names(),
            TypeKind::ManyToOne => Self::sentiment(),
            TypeKind::Delayed => Self::reversal(),
            TypeKind::Synced => Self::tagger(),
        }
    }

    /// An example with no items yet.
    fn empty(
        kind: TypeKind,
        tokens: Vec<String>,
        outputs: &[&str],
        metric: Metric,
        default_input: &'static str,
    ) -> Self {
        let vocab = TokenVocab::new(tokens).expect("the built-in tokens are distinct");
        let outputs = outputs
            .iter()
            .map(|t| vocab.index_of(t).expect("outputs are in the vocabulary"))
            .collect();
        Self {
            kind,
            vocab,
            outputs,
            train: Vec::new(),
            test: Vec::new(),
            metric,
            default_input,
        }
    }

    /// Reads each text as a student's would be, and keeps the items
    /// (one in [`TEST_EVERY`] held out when `held_out`).
    fn with_texts(mut self, texts: Vec<String>, held_out: bool) -> Self {
        let items: Vec<Item> = texts
            .into_iter()
            .map(|text| {
                let sequence = self.read(&text).expect("the built-in data reads").sequence;
                Item { text, sequence }
            })
            .collect();
        self.keep(items, held_out);
        self
    }

    fn keep(&mut self, items: Vec<Item>, held_out: bool) {
        (self.train, self.test) = if held_out {
            split(items)
        } else {
            (items, Vec::new())
        };
    }

    fn index(&self, token: &str) -> usize {
        self.vocab.index_of(token).expect("a built-in token")
    }

    /// Reads typed text into a sequence of this example's shape (see the
    /// module docs); an error says what to type instead.
    pub fn read(&self, text: &str) -> Result<Reading> {
        match self.kind {
            TypeKind::OneToOne => self.read_letter(text),
            TypeKind::OneToMany => self.read_class(text),
            TypeKind::ManyToOne => self.read_phrase(text),
            TypeKind::Delayed => self.read_reversal(text),
            TypeKind::Synced => self.read_word(text),
        }
    }
}
