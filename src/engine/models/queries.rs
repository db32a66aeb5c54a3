//! A list of search queries for the autocomplete: the built-in one
//! (`data/queries.txt`, written for RNN Lab; it includes the ten "where is …"
//! suggestions of the lecture's search-box slide) or one the student pastes.
//!
//! One query per line. Lines are lower-cased, runs of white space become
//! one space, blank lines are skipped, and a line without a letter or a
//! digit (emoji or symbols alone) is dropped and counted. The characters are
//! the model's symbols, in order of first appearance after the
//! end-of-query symbol `\n`, which is symbol 0: every query is read as
//! `\n q_1 … q_n \n` from h_0 = 0, so the model learns where queries start
//! and when they end.

use crate::engine::error::{EngineError, Result};
use crate::engine::vocab::Vocab;
use serde::Serialize;

/// The built-in list.
pub const QUERIES: &str = include_str!("../../../data/queries.txt");
/// The end-of-query symbol (index 0 of the vocabulary).
pub const END_OF_QUERY: char = '\n';
/// Largest list accepted, in bytes.
pub const MAX_LIST_BYTES: usize = 100_000;
/// Most queries in a list.
pub const MAX_QUERIES: usize = 2_000;
/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 80;
/// Most distinct characters (the end-of-query symbol included).
pub const MAX_SYMBOLS: usize = 128;

/// A parsed list.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryList {
    pub queries: Vec<String>,
    /// `\n` first, then every character in order of first appearance.
    pub vocab: Vocab,
    /// Lines dropped for having no letter or digit.
    pub dropped: usize,
}

/// What the page says about a list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListInfo {
    pub queries: usize,
    pub dropped: usize,
    /// The characters the model knows (the end-of-query symbol shown as "⏎").
    pub symbols: Vec<String>,
    pub longest: usize,
}

fn invalid(message: String) -> EngineError {
    EngineError::Invalid(message)
}

impl QueryList {
    /// The built-in list.
    pub fn builtin() -> Self {
        Self::parse(QUERIES).expect("the built-in list is valid")
    }

    /// Parses a pasted list (see the module doc); every refusal says why.
    pub fn parse(text: &str) -> Result<Self> {
        if text.len() > MAX_LIST_BYTES {
            return Err(invalid(format!(
                "the list is too long: {} KB, at most {} KB (about {MAX_QUERIES} short queries)",
                text.len().div_ceil(1000),
                MAX_LIST_BYTES / 1000
            )));
        }
        if text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(invalid(
                "this looks like a binary file, not a list of queries: paste plain text, one query per line".into(),
            ));
        }
        let mut queries = Vec::new();
        let mut dropped = 0;
        for (n, line) in text.lines().enumerate() {
            let q = line
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            if q.is_empty() {
                continue;
            }
            if !q.chars().any(char::is_alphanumeric) {
                dropped += 1;
                continue;
            }
            let len = q.chars().count();
            if len > MAX_QUERY_CHARS {
                return Err(invalid(format!(
                    "line {} is {len} characters long; a query can have at most {MAX_QUERY_CHARS}",
                    n + 1
                )));
            }
            queries.push(q);
        }
        if queries.is_empty() {
            return Err(invalid(if dropped > 0 {
                "no line has a letter or a digit: emoji and symbols alone cannot be learned as queries".into()
            } else {
                "the list is empty: paste one query per line".into()
            }));
        }
        if queries.len() > MAX_QUERIES {
            return Err(invalid(format!(
                "the list has {} queries, at most {MAX_QUERIES}",
                queries.len()
            )));
        }
        let mut symbols = vec![END_OF_QUERY];
        for c in queries.iter().flat_map(|q| q.chars()) {
            if !symbols.contains(&c) {
                symbols.push(c);
                if symbols.len() > MAX_SYMBOLS {
                    return Err(invalid(format!(
                        "the list uses more than {} different characters; keep to letters, digits and common punctuation",
                        MAX_SYMBOLS - 1
                    )));
                }
            }
        }
        Ok(Self {
            queries,
            vocab: Vocab::from_symbols(symbols),
            dropped,
        })
    }

    /// Each query as symbol ids `\n q_1 … q_n \n`.
    pub fn sequences(&self) -> Vec<Vec<usize>> {
        self.queries
            .iter()
            .map(|q| {
                let mut s = vec![0];
                s.extend(q.chars().map(|c| self.vocab.index_of(c).unwrap_or(0)));
                s.push(0);
                s
            })
            .collect()
    }

    /// A symbol for display: "⏎" for the end of a query.
    pub fn display(&self, i: usize) -> String {
        match self.vocab.symbol(i) {
            Ok(END_OF_QUERY) | Err(_) => "⏎".into(),
            Ok(c) => c.to_string(),
        }
    }

    pub fn info(&self) -> ListInfo {
        ListInfo {
            queries: self.queries.len(),
            dropped: self.dropped,
            symbols: (0..self.vocab.len()).map(|i| self.display(i)).collect(),
            longest: self
                .queries
                .iter()
                .map(|q| q.chars().count())
                .max()
                .unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_list_has_the_slides_queries() {
        let l = QueryList::builtin();
        assert!(l.queries.len() >= 250, "{}", l.queries.len());
        for q in [
            "where is xur",
            "where is sitex 2018",
            "where is my ip",
            "where is fiji",
        ] {
            assert!(l.queries.iter().any(|x| x == q), "{q}");
        }
        assert_eq!(l.vocab.symbols()[0], '\n');
        assert!(QUERIES.is_ascii());
        let s = l.sequences();
        assert_eq!((s[0][0], *s[0].last().unwrap()), (0, 0));
        assert_eq!(l.info().symbols[0], "⏎");
    }

    #[test]
    fn pasted_lists_are_cleaned_and_bad_ones_refused_with_a_reason() {
        let l = QueryList::parse("  Where   IS\tFiji \r\n\n🙂🙂\nfiji 🙂\n").unwrap();
        assert_eq!(l.queries, ["where is fiji", "fiji 🙂"]);
        assert_eq!(l.dropped, 1);
        let err = |text: &str| QueryList::parse(text).unwrap_err().to_string();
        assert!(err("").contains("empty"));
        assert!(err(" \n\n").contains("empty"));
        assert!(err("🙂🙂\n🎉\n").contains("emoji"));
        assert!(err(&"where is fiji\n".repeat(400_000)).contains("too long"));
        assert!(err("abc\u{0}\u{1}def").contains("binary"));
        assert!(err(&"a".repeat(MAX_QUERY_CHARS + 1)).contains("line 1"));
        assert!(err(&"ab\n".repeat(MAX_QUERIES + 1)).contains("at most"));
        let many: String = (0..200)
            .map(|i| format!("a{}\n", char::from_u32(0x4e00 + i).unwrap()))
            .collect();
        assert!(err(&many).contains("different characters"));
    }
}
