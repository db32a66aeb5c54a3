//! A corpus a student pastes, checked before any model is built from it, so
//! that each kind of bad text gets its own clear message (and the page keeps
//! the model it has):
//!
//! ```text
//! empty or blanks only         → "the text is empty: …"
//! over MAX_TEXT_BYTES          → "the corpus is 5243 KB; the limit is 200 KB: …"
//! NUL or control characters    → "this looks like a binary file, not text: …"
//! no word (emoji, punctuation) → "there is no word in the text: …"
//! no sentence of two words     → "… at least one sentence of two or more words"
//! over MAX_WORDS distinct words → "the text has more than 5000 different words: …"
//! ```

use super::text::{MAX_WORDS, sentences, word_vocab};
use super::tokens::check_size;
use crate::engine::error::{EngineError, Result};
use serde::Serialize;

/// What a pasted corpus holds, once it passed [`check_corpus`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CorpusSummary {
    /// UTF-8 bytes.
    pub bytes: usize,
    /// Sentences with words (a sentence ends at a line break or `.`, `!`, `?`).
    pub sentences: usize,
    /// Words in all.
    pub words: usize,
    /// V, the different words.
    pub vocab: usize,
}

/// Whether `c` is a character no typed or pasted text has: a control
/// character other than tab and the line breaks, or U+FFFD (what a decoder
/// writes for bytes that are not UTF-8).
fn binary(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || c == '\u{FFFD}'
}

/// Checks a pasted corpus (see the module docs) and says what it holds.
pub fn check_corpus(text: &str) -> Result<CorpusSummary> {
    let bad = |m: &str| Err(EngineError::Invalid(m.into()));
    if text.trim().is_empty() {
        return bad(
            "the text is empty: paste a few sentences, one per line or each ending with . ! or ?",
        );
    }
    check_size("corpus", text)?;
    if let Some(c) = text.chars().find(|&c| binary(c)) {
        return Err(EngineError::Invalid(format!(
            "this looks like a binary file, not text (it has the character U+{:04X}): paste plain sentences",
            c as u32
        )));
    }
    let sents = sentences(text);
    if sents.is_empty() {
        return bad(
            "there is no word in the text: a word is made of letters or digits (emoji and punctuation are skipped)",
        );
    }
    if sents.iter().all(|s| s.len() < 2) {
        return bad("the corpus needs at least one sentence of two or more words");
    }
    let vocab = word_vocab(&[], &sents)?;
    debug_assert!(vocab.len() <= MAX_WORDS);
    Ok(CorpusSummary {
        bytes: text.len(),
        sentences: sents.len(),
        words: sents.iter().map(Vec::len).sum(),
        vocab: vocab.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::models::tokens::MAX_TEXT_BYTES;

    fn refused(text: &str) -> String {
        check_corpus(text).unwrap_err().to_string()
    }

    #[test]
    fn a_plain_corpus_is_summarised() {
        let s = check_corpus("The cat sat on the mat.\nThe dog sat, too!").unwrap();
        assert_eq!((s.sentences, s.words, s.vocab), (2, 10, 7));
        assert_eq!(s.bytes, 41);
        // Letters beyond ASCII are words too.
        assert_eq!(check_corpus("le café est là").unwrap().vocab, 4);
    }

    #[test]
    fn each_kind_of_bad_text_gets_its_own_message() {
        assert!(refused("").contains("empty"));
        assert!(refused(" \n\t ").contains("empty"));
        let huge = "the cat sat. ".repeat(5_000_000 / 13);
        let m = refused(&huge);
        assert!(
            m.contains("5000 KB") && m.contains(&format!("{} KB", MAX_TEXT_BYTES / 1000)),
            "{m}"
        );
        assert!(refused("the cat\u{0}\u{1}sat").contains("binary"));
        assert!(refused("PNG\u{FFFD}\u{FFFD} data").contains("binary"));
        assert!(refused("😀 🎉 🐱 !!! ???").contains("no word"));
        assert!(refused("cat. dog. bird.").contains("two or more words"));
        let many: String = (0..MAX_WORDS + 1).map(|i| format!("w{i} ")).collect();
        assert!(refused(&many).contains("different words"));
    }
}
