//! Reading a model file's JSON text: the size, the header, then the whole
//! file with every list and string bounded while it is read.

use super::{MODEL_FORMAT, MODEL_VERSION, ModelFile, ValidModel};
use crate::engine::error::{EngineError, Result};
use crate::engine::limits::{self, LIMITS};
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// The longest row or column a model file may hold: max(H, V) limits.
pub(super) const MAX_DIM: usize = if LIMITS.hidden > LIMITS.vocab {
    LIMITS.hidden
} else {
    LIMITS.vocab
};
/// The longest `format` or `activation` tag read.
const MAX_TAG_BYTES: usize = 64;
/// The longest vocabulary entry read (one symbol is at most 4 bytes; a bit
/// more so that "two characters" gets its own clear message).
const MAX_SYMBOL_BYTES: usize = 16;

/// What a file must say first: what it is and which version.
#[derive(Deserialize)]
struct Header {
    #[serde(default, deserialize_with = "tag")]
    format: String,
    version: Option<u64>,
}

/// Reads a model file's JSON text: size, header, bounded parse, then
/// [`ModelFile::validate`]. Never panics; every refusal says why.
///
/// serde_json is built with `float_roundtrip`, so every number that
/// `JSON.stringify` wrote reads back bit for bit.
pub fn parse(json: &str) -> Result<ValidModel> {
    limits::at_most(
        "a model file (in bytes)",
        json.len(),
        LIMITS.model_file_bytes,
    )?;
    let header: Header = serde_json::from_str(json).map_err(invalid)?;
    check_header(&header.format, header.version)?;
    let file: ModelFile = serde_json::from_str(json).map_err(invalid)?;
    file.validate()
}

/// Reads a model file already parsed by someone else, e.g. the page's `JSON.parse` (exact
/// for doubles, and it keeps serde_json's parser out of the page's wasm), fed through two
/// deserialisers over the same value: the header first, then the bounded whole file, then
/// [`ModelFile::validate`]. The caller checks the text's size before parsing it
/// (`LIMITS.model_file_bytes`). Never panics; every refusal says why.
pub fn read<'de, D: Deserializer<'de>>(header: D, whole: D) -> Result<ValidModel>
where
    D::Error: fmt::Display,
{
    let not_valid =
        |e: D::Error| EngineError::Invalid(format!("this is not a valid model file: {e}"));
    let header = Header::deserialize(header).map_err(not_valid)?;
    check_header(&header.format, header.version)?;
    ModelFile::deserialize(whole).map_err(not_valid)?.validate()
}

/// A JSON error as the page shows it.
fn invalid(e: serde_json::Error) -> EngineError {
    let why = if e.to_string().starts_with("number out of range") {
        // JSON.parse would read 1e999 as Infinity; say what it means for weights.
        format!(
            "the number at line {}, column {} is too large: it would be infinite, and weights must be finite",
            e.line(),
            e.column()
        )
    } else {
        e.to_string()
    };
    EngineError::Invalid(format!("this is not a valid model file: {why}"))
}

/// The format tag and the version: an RNN Lab file this engine can read.
pub(super) fn check_header(format: &str, version: Option<u64>) -> Result<()> {
    if format != MODEL_FORMAT {
        return Err(EngineError::Invalid(format!(
            "this is not an RNN Lab model file (format {format:?}, expected {MODEL_FORMAT:?})"
        )));
    }
    match version {
        None => Err(EngineError::Invalid(
            "this model file has no version number".into(),
        )),
        Some(0) => Err(EngineError::Invalid(
            "this model file has version 0, which no RNN Lab writes".into(),
        )),
        Some(v) if v > MODEL_VERSION => Err(EngineError::Invalid(format!(
            "this model file is version {v}, made by a newer RNN Lab; this one reads version {MODEL_VERSION}: update the app to load it"
        ))),
        Some(_) => Ok(()),
    }
}

// --- bounded deserialisation ---------------------------------------------------------
//
// serde would otherwise grow a list for as long as the file goes on: these
// visitors stop at the limit, whichever deserialiser (serde_json here,
// serde-wasm-bindgen on the page) feeds them.

/// A list of at most `max` items of `T`.
struct Bounded<T> {
    max: usize,
    what: &'static str,
    item: PhantomData<T>,
}

impl<T> Bounded<T> {
    fn new(max: usize, what: &'static str) -> Self {
        Self {
            max,
            what,
            item: PhantomData,
        }
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Bounded<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list of at most {} {}", self.max, self.what)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(self.max));
        while let Some(item) = seq.next_element()? {
            if out.len() == self.max {
                return Err(de::Error::custom(format!(
                    "more than {} {} (the engine's limit)",
                    self.max, self.what
                )));
            }
            out.push(item);
        }
        Ok(out)
    }
}

/// One row of a matrix: at most [`MAX_DIM`] numbers.
struct Row(Vec<f64>);

impl<'de> Deserialize<'de> for Row {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_seq(Bounded::new(MAX_DIM, "numbers in a row"))
            .map(Row)
    }
}

pub(super) fn matrix<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<Vec<f64>>, D::Error> {
    let rows: Vec<Row> = d.deserialize_seq(Bounded::new(MAX_DIM, "rows"))?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub(super) fn vector<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<f64>, D::Error> {
    d.deserialize_seq(Bounded::new(MAX_DIM, "numbers"))
}

/// A string of at most `max` bytes, refused before it is copied.
struct ShortString {
    max: usize,
    what: &'static str,
}

impl Visitor<'_> for ShortString {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} of at most {} bytes", self.what, self.max)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<String, E> {
        if s.len() > self.max {
            return Err(E::custom(format!(
                "{} is {} bytes long; the limit is {} bytes",
                self.what,
                s.len(),
                self.max
            )));
        }
        Ok(s.to_owned())
    }
}

fn bounded_string<'de, D: Deserializer<'de>>(
    d: D,
    max: usize,
    what: &'static str,
) -> std::result::Result<String, D::Error> {
    d.deserialize_str(ShortString { max, what })
}

pub(super) fn tag<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    bounded_string(d, MAX_TAG_BYTES, "a tag")
}

pub(super) fn text<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    bounded_string(d, LIMITS.text_bytes, "the text")
}

/// One vocabulary entry (checked to be one character by `validate`).
struct Symbol(String);

impl<'de> Deserialize<'de> for Symbol {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        bounded_string(d, MAX_SYMBOL_BYTES, "a vocabulary symbol").map(Symbol)
    }
}

pub(super) fn symbols<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<String>, D::Error> {
    let list: Vec<Symbol> = d.deserialize_seq(Bounded::new(LIMITS.vocab, "symbols"))?;
    Ok(list.into_iter().map(|s| s.0).collect())
}
