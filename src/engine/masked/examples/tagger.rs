//! Synced many-to-many: every character of a word → `<v>` or `<c>`.

use super::{
    CONSONANT, Example, Metric, Reading, TAG_MAX, TypeKind, VOWEL, clean, letter_class, letters,
};
use crate::engine::error::{EngineError, Result};
use crate::engine::masked::MaskedSequence;

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

/// The tag of character `i` of a word: y is a consonant at the start and a
/// vowel after it; ' and - have no tag.
fn tag(i: usize, c: char) -> Option<&'static str> {
    match c {
        '\'' | '-' => None,
        'y' => Some(if i == 0 { CONSONANT } else { VOWEL }),
        c => Some(letter_class(c)),
    }
}

impl Example {
    /// Synced many-to-many: a tag for every character of a word, one word in five held out.
    pub(super) fn tagger() -> Self {
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

    pub(super) fn read_word(&self, text: &str) -> Result<Reading> {
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
