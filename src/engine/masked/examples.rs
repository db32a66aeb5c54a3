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
use crate::engine::models::text::{LabelledSet, tokenize};
use crate::engine::tokens::TokenVocab;
use serde::{Deserialize, Serialize};

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

/// The tagger's words: y at the start, y after it, apostrophes and hyphens.
const TAG_WORDS: &str = "hello world yes my you gym happy yellow sky year \
    baby young party yard fly yoga city story don't very \
    dry it's try x-ray shy can't cry rhythm system e-mail \
    lady t-shirt won't isn't cat dog sun moon tree house \
    river apple orange banana music piano guitar table chair window \
    garden school teacher student book paper pencil water coffee bread \
    cheese butter sugar salt pepper lemon tomato potato onion garlic \
    carrot summer winter spring autumn morning evening night light dark \
    green blue purple black white brown silver golden quiet zebra \
    jump kite vivid oxygen fox queen jazz quick knee we'll";

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

/// The tag of character `i` of a word: y is a consonant at the start and a
/// vowel after it; ' and - have no tag.
fn tag(i: usize, c: char) -> Option<&'static str> {
    match c {
        '\'' | '-' => None,
        'y' => Some(if i == 0 { CONSONANT } else { VOWEL }),
        c => Some(letter_class(c)),
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

    /// One-to-one: each letter → vowel or consonant (y: consonant). Every
    /// letter trains: a one-hot letter shares nothing with another, so there
    /// is nothing to hold out.
    fn vowels() -> Self {
        let tokens = letters().chain([VOWEL.into(), CONSONANT.into()]).collect();
        let outputs = [VOWEL, CONSONANT];
        Self::empty(TypeKind::OneToOne, tokens, &outputs, Metric::Steps, "e")
            .with_texts(letters().collect(), false)
    }

    /// One-to-many: a class token at t = 1, then its name letter by letter.
    fn names() -> Self {
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

    /// Many-to-one: the built-in labelled phrases, one in five held out.
    fn sentiment() -> Self {
        let set = LabelledSet::sentiment();
        let mut tokens: Vec<String> = vec![POSITIVE.into(), NEGATIVE.into()];
        for e in &set.examples {
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
        let classes = [ex.index(POSITIVE), ex.index(NEGATIVE)];
        let items = set
            .examples
            .iter()
            .map(|e| {
                let xs: Vec<usize> = e.words.iter().map(|w| ex.index(w)).collect();
                let label = if set.classes[e.label] == "pos" {
                    classes[0]
                } else {
                    classes[1]
                };
                Item {
                    text: e.words.join(" "),
                    sequence: MaskedSequence::many_to_one(&xs, label)
                        .expect("a built-in phrase has words"),
                }
            })
            .collect();
        ex.keep(items, true);
        ex
    }

    /// Delayed many-to-many: every word of 1..=REVERSE_MAX letters over
    /// REVERSE_ALPHABET, one in five held out.
    fn reversal() -> Self {
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

    /// Synced many-to-many: a tag for every character of a word, one word in five held out.
    fn tagger() -> Self {
        let tokens = letters()
            .chain(["'".into(), "-".into(), VOWEL.into(), CONSONANT.into()])
            .collect();
        let texts = TAG_WORDS.split_whitespace().map(String::from).collect();
        Self::empty(
            TypeKind::Synced,
            tokens,
            &[VOWEL, CONSONANT],
            Metric::Steps,
            "yummy",
        )
        .with_texts(texts, true)
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

    fn read_letter(&self, text: &str) -> Result<Reading> {
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

    fn read_class(&self, text: &str) -> Result<Reading> {
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

    fn read_phrase(&self, text: &str) -> Result<Reading> {
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

    fn read_reversal(&self, text: &str) -> Result<Reading> {
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

    fn read_word(&self, text: &str) -> Result<Reading> {
        let t = clean(text, "a word")?;
        let (kept, skipped): (Vec<char>, Vec<char>) = t
            .chars()
            .partition(|c| c.is_ascii_lowercase() || *c == '\'' || *c == '-');
        if kept.is_empty() {
            return Err(EngineError::Invalid(
                "the tagger reads the letters a to z, ' and -; there are none in that text".into(),
            ));
        }
        if kept.len() > TAG_MAX {
            return Err(EngineError::Invalid(format!(
                "type a word of at most {TAG_MAX} letters; that one has {}",
                kept.len()
            )));
        }
        let xs: Vec<usize> = kept.iter().map(|c| self.index(&c.to_string())).collect();
        let ys: Vec<Option<usize>> = kept
            .iter()
            .enumerate()
            .map(|(i, &c)| tag(i, c).map(|t| self.index(t)))
            .collect();
        let read = ys.iter().map(Option::is_some).collect();
        let mut unknown: Vec<String> = Vec::new();
        for c in skipped.into_iter().map(String::from) {
            if !unknown.contains(&c) {
                unknown.push(c);
            }
        }
        Ok(Reading {
            text: kept.iter().collect(),
            sequence: MaskedSequence::synced(&xs, &ys)?,
            read,
            skipped: unknown,
        })
    }
}
