//! The vocabulary: the distinct symbols of a text, one-hot encoding.
//!
//! Symbols are Unicode scalar values (`char`), so "héllo" and emoji work.
//! Order is first appearance, which gives the lecture's `[h, e, l, o]` for
//! "hello"; [`Vocab::sorted`] gives the sorted order of min-char-rnn.
//!
//! A text has at most [`MAX_VOCAB`] distinct symbols: every tensor and every
//! sampled distribution grows with V, so a paste of thousands of distinct
//! characters is refused here, as soon as symbol 257 is met.

use super::error::{EngineError, Result};
use super::limits::LIMITS;
use ndarray::Array1;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// Largest vocabulary V: [`LIMITS`]`.vocab` (the one table of limits).
pub const MAX_VOCAB: usize = LIMITS.vocab;

/// An ordered set of symbols and the index of each.
#[derive(Debug, Clone, PartialEq)]
pub struct Vocab {
    symbols: Vec<char>,
    index: HashMap<char, usize>,
}

impl Vocab {
    /// Symbols of `text` in order of first appearance. Errors on empty text
    /// and on more than [`MAX_VOCAB`] distinct symbols.
    ///
    /// One pass with a hash map: O(n) expected for n characters, and it stops
    /// at the first symbol beyond the limit.
    pub fn from_text(text: &str) -> Result<Self> {
        if text.is_empty() {
            return Err(EngineError::EmptyText);
        }
        let mut symbols = Vec::new();
        let mut index = HashMap::new();
        for c in text.chars() {
            if let Entry::Vacant(slot) = index.entry(c) {
                if symbols.len() == MAX_VOCAB {
                    return Err(EngineError::TooManySymbols { max: MAX_VOCAB });
                }
                slot.insert(symbols.len());
                symbols.push(c);
            }
        }
        Ok(Self { symbols, index })
    }

    /// Symbols of `text` sorted by code point (the benchmark protocol's order).
    pub fn sorted(text: &str) -> Result<Self> {
        let mut symbols = Self::from_text(text)?.symbols;
        symbols.sort_unstable();
        Ok(Self::from_symbols(symbols))
    }

    /// A vocabulary from explicit symbols (duplicates keep their first index).
    pub fn from_symbols(symbols: Vec<char>) -> Self {
        let mut index = HashMap::with_capacity(symbols.len());
        for (i, &c) in symbols.iter().enumerate() {
            index.entry(c).or_insert(i);
        }
        Self { symbols, index }
    }

    /// V, the number of symbols.
    pub fn len(&self) -> usize {
        self.symbols.len()
    }

    /// Whether there are no symbols.
    pub fn is_empty(&self) -> bool {
        self.symbols.is_empty()
    }

    /// The symbols in index order.
    pub fn symbols(&self) -> &[char] {
        &self.symbols
    }

    /// The symbol at index `i`.
    pub fn symbol(&self, i: usize) -> Result<char> {
        self.symbols
            .get(i)
            .copied()
            .ok_or(EngineError::SymbolIndex {
                index: i,
                size: self.len(),
            })
    }

    /// The index of `c`.
    pub fn index_of(&self, c: char) -> Result<usize> {
        self.index
            .get(&c)
            .copied()
            .ok_or(EngineError::UnknownSymbol(c))
    }

    /// Encodes every character of `text` as its index.
    pub fn encode(&self, text: &str) -> Result<Vec<usize>> {
        text.chars().map(|c| self.index_of(c)).collect()
    }

    /// Decodes indices back to a string.
    pub fn decode(&self, indices: &[usize]) -> Result<String> {
        indices.iter().map(|&i| self.symbol(i)).collect()
    }

    /// x = one-hot(i): shape \[V\], 1 at i, 0 elsewhere.
    pub fn one_hot(&self, i: usize) -> Result<Array1<f64>> {
        if i >= self.len() {
            return Err(EngineError::SymbolIndex {
                index: i,
                size: self.len(),
            });
        }
        let mut x = Array1::zeros(self.len());
        x[i] = 1.0;
        Ok(x)
    }
}

/// A next-character task over a word: inputs are every symbol but the last,
/// targets every symbol but the first ("hello": h,e,l,l → e,l,l,o).
#[derive(Debug, Clone, PartialEq)]
pub struct WordTask {
    pub vocab: Vocab,
    pub inputs: Vec<usize>,
    pub targets: Vec<usize>,
}

impl WordTask {
    /// Builds the task from a word of 2..=[`LIMITS`]`.word_chars` characters.
    pub fn from_word(word: &str) -> Result<Self> {
        super::limits::check_text(word, false)?;
        let vocab = Vocab::from_text(word)?;
        let indices = vocab.encode(word)?;
        if indices.len() < 2 {
            return Err(EngineError::TextTooShort { needed: 2 });
        }
        Ok(Self {
            inputs: indices[..indices.len() - 1].to_vec(),
            targets: indices[1..].to_vec(),
            vocab,
        })
    }

    /// The lecture's example: vocabulary [h, e, l, o], h,e,l,l → e,l,l,o.
    pub fn hello() -> Self {
        Self::from_word("hello").expect("\"hello\" is a valid word")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_preset_matches_the_lecture() {
        let task = WordTask::hello();
        assert_eq!(task.vocab.symbols(), &['h', 'e', 'l', 'o']);
        assert_eq!(task.inputs, vec![0, 1, 2, 2]);
        assert_eq!(task.targets, vec![1, 2, 2, 3]);
    }

    #[test]
    fn unicode_symbols_are_scalar_values() {
        let v = Vocab::from_text("héllo 🙂🙂").unwrap();
        assert_eq!(v.len(), 6);
        assert_eq!(v.index_of('🙂').unwrap(), 5);
        assert_eq!(v.decode(&v.encode("🙂é").unwrap()).unwrap(), "🙂é");
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert_eq!(Vocab::from_text(""), Err(EngineError::EmptyText));
        assert_eq!(
            WordTask::from_word("a"),
            Err(EngineError::TextTooShort { needed: 2 })
        );
        let v = Vocab::from_text("ab").unwrap();
        assert_eq!(v.index_of('z'), Err(EngineError::UnknownSymbol('z')));
        assert!(v.one_hot(2).is_err());
        assert_eq!(v.one_hot(1).unwrap().to_vec(), vec![0.0, 1.0]);
    }

    #[test]
    fn vocabulary_size_is_capped_and_built_in_one_pass() {
        let symbols =
            |n: u32| -> String { (0..n).filter_map(|i| char::from_u32(0x4E00 + i)).collect() };
        assert_eq!(Vocab::from_text(&symbols(256)).unwrap().len(), 256);
        assert_eq!(
            Vocab::from_text(&symbols(257)),
            Err(EngineError::TooManySymbols { max: 256 })
        );
        // 20 000 distinct symbols: refused at the 257th, not after n·V comparisons.
        let many = symbols(20_000).repeat(5);
        let t = std::time::Instant::now();
        assert!(Vocab::from_text(&many).is_err());
        assert!(t.elapsed().as_secs_f64() < 0.5);
    }

    #[test]
    fn sorted_order_is_by_code_point() {
        assert_eq!(
            Vocab::sorted("hello").unwrap().symbols(),
            &['e', 'h', 'l', 'o']
        );
    }
}
