//! Model files: the weights as JSON a student can save and load back, and the
//! one parser that reads them, refusing anything that would not load.
//!
//! ```text
//! {"format": "rnn-lab-model", "version": 1, "text": "hello", "vocab": ["h","e","l","o"],
//!  "hidden": 3, "activation": "tanh", "bias": false,
//!  "w_xh": [[…V…] × H], "w_hh": [[…H…] × H], "w_hy": [[…H…] × V], "b_h": [H], "b_y": [V]}
//! ```
//!
//! [`parse`] reads a file in three passes, each bounded before the next runs:
//! 1. the JSON text's size against [`LIMITS`]`.model_file_bytes`;
//! 2. the header (`format`, `version`) alone, so a file from a newer app is
//!    refused as such rather than for a field it does not recognise;
//! 3. the whole file, where every list is refused as soon as it holds more
//!    than a limit allows (rows and columns ≤ max(H, V) limits, the
//!    vocabulary ≤ V limit, the text ≤ the text limit): whatever the file
//!    says, parsing allocates at most about (2·256² + 256² + 512)·8 bytes
//!    ≈ 1.6 MB of numbers plus the text.
//!
//! Then [`ModelFile::validate`] checks the sizes against [`LIMITS`] before
//! anything is built, then the vocabulary, the shapes and the numbers. A
//! [`ValidModel`] is known to load: [`ValidModel::load`] builds the new
//! session on the side, so a refused file leaves the caller's model as it was.

use super::error::{EngineError, Result};
use super::limits::{self, LIMITS};
use super::settings::RnnSettings;
use super::{Activation, Params, Session, SessionConfig, Vocab};
use ndarray::{Array1, Array2};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;

/// The `format` tag of a model file.
pub const MODEL_FORMAT: &str = "rnn-lab-model";
/// The newest file version this engine reads (and the one it writes).
pub const MODEL_VERSION: u64 = 1;

/// The longest row or column a model file may hold: max(H, V) limits.
const MAX_DIM: usize = if LIMITS.hidden > LIMITS.vocab {
    LIMITS.hidden
} else {
    LIMITS.vocab
};
/// The longest `format` or `activation` tag read.
const MAX_TAG_BYTES: usize = 64;
/// The longest vocabulary entry read (one symbol is at most 4 bytes; a bit
/// more so that "two characters" gets its own clear message).
const MAX_SYMBOL_BYTES: usize = 16;

/// A model file as written by the app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    #[serde(deserialize_with = "tag")]
    pub format: String,
    pub version: u64,
    /// The text the model was made for, and its vocabulary (the order of
    /// the one-hot inputs and of the outputs).
    #[serde(deserialize_with = "text")]
    pub text: String,
    #[serde(deserialize_with = "symbols")]
    pub vocab: Vec<String>,
    pub hidden: usize,
    #[serde(deserialize_with = "tag")]
    pub activation: String,
    pub bias: bool,
    #[serde(deserialize_with = "matrix")]
    pub w_xh: Vec<Vec<f64>>,
    #[serde(deserialize_with = "matrix")]
    pub w_hh: Vec<Vec<f64>>,
    #[serde(deserialize_with = "matrix")]
    pub w_hy: Vec<Vec<f64>>,
    #[serde(deserialize_with = "vector")]
    pub b_h: Vec<f64>,
    #[serde(deserialize_with = "vector")]
    pub b_y: Vec<f64>,
}

/// What a file must say first: what it is and which version.
#[derive(Deserialize)]
struct Header {
    #[serde(default, deserialize_with = "tag")]
    format: String,
    version: Option<u64>,
}

/// A model file that passed every check: it loads.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidModel {
    pub text: String,
    pub vocab: Vocab,
    pub hidden: usize,
    pub activation: Activation,
    pub bias: bool,
    pub params: Params,
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
fn check_header(format: &str, version: Option<u64>) -> Result<()> {
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

impl ModelFile {
    /// The file for `session`'s model, trained on `text` (the page's word).
    pub fn from_session(session: &Session, text: &str) -> ModelFile {
        let p = session.params();
        let cfg = &session.config().model;
        let rows = |m: &Array2<f64>| m.rows().into_iter().map(|r| r.to_vec()).collect();
        ModelFile {
            format: MODEL_FORMAT.into(),
            version: MODEL_VERSION,
            text: text.into(),
            vocab: session
                .vocab()
                .symbols()
                .iter()
                .map(|c| c.to_string())
                .collect(),
            hidden: cfg.hidden,
            activation: cfg.activation.name().into(),
            bias: cfg.bias,
            w_xh: rows(&p.w_xh),
            w_hh: rows(&p.w_hh),
            w_hy: rows(&p.w_hy),
            b_h: p.b_h.to_vec(),
            b_y: p.b_y.to_vec(),
        }
    }

    /// Every check, sizes first: format and version; H, V and the text
    /// against [`LIMITS`]; one character per vocabulary entry, no repeats,
    /// and the vocabulary is the text's (in order of first appearance, as
    /// the session builds it); the activation; every shape; finite numbers;
    /// zero biases when the model has none.
    pub fn validate(&self) -> Result<ValidModel> {
        check_header(&self.format, Some(self.version))?;
        let (h, v) = (self.hidden, self.vocab.len());
        limits::check_hidden(h)?;
        limits::check_vocab_size(v)?;
        if self.text.is_empty() {
            return Err(EngineError::EmptyText);
        }
        limits::check_text(&self.text, true)?;
        let mut symbols = Vec::with_capacity(v);
        for (i, s) in self.vocab.iter().enumerate() {
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => symbols.push(c),
                _ => {
                    return Err(EngineError::Shape {
                        field: format!("vocab[{i}]"),
                        message: format!("each symbol must be one character, got {s:?}"),
                    });
                }
            }
        }
        let vocab = Vocab::from_text(&self.text)?;
        if vocab.symbols() != symbols.as_slice() {
            return Err(EngineError::Invalid(format!(
                "the model file's vocabulary [{}] is not the one of its text, [{}]",
                self.vocab.join(", "),
                vocab
                    .symbols()
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let activation =
            Activation::try_from(self.activation.clone()).map_err(EngineError::Invalid)?;
        let params = Params {
            w_xh: to_matrix("w_xh", &self.w_xh, (h, v))?,
            w_hh: to_matrix("w_hh", &self.w_hh, (h, h))?,
            w_hy: to_matrix("w_hy", &self.w_hy, (v, h))?,
            b_h: to_vector("b_h", &self.b_h, h)?,
            b_y: to_vector("b_y", &self.b_y, v)?,
        };
        if !params.all_finite() {
            return Err(EngineError::Invalid(
                "the model file's weights contain NaN or infinite numbers".into(),
            ));
        }
        if !self.bias && params.b_h.iter().chain(&params.b_y).any(|&b| b != 0.0) {
            return Err(EngineError::Invalid(
                "the model has no biases, so b_h and b_y must be all zeros".into(),
            ));
        }
        Ok(ValidModel {
            text: self.text.clone(),
            vocab,
            hidden: h,
            activation,
            bias: self.bias,
            params,
        })
    }
}

impl ValidModel {
    /// `base` with the model's text, H, activation and biases: the settings
    /// the page shows once the model is loaded.
    pub fn settings(&self, base: &RnnSettings) -> RnnSettings {
        RnnSettings {
            word: self.text.clone(),
            hidden: self.hidden,
            act: self.activation,
            bias: self.bias,
            ..base.clone()
        }
    }

    /// A new session from `base` with the model's settings and weights
    /// (iteration 0, fresh optimiser memory and histories), and those
    /// settings. Built on the side: on any error the caller's session and
    /// settings are untouched, so `*lab = loaded` is the only change.
    pub fn load(&self, base: &RnnSettings) -> Result<(RnnSettings, Session)> {
        let settings = self.settings(base);
        let mut session = Session::new(settings.session_config()?)?;
        session.set_params(self.params.clone())?;
        Ok((settings, session))
    }

    /// A session from `config` with the model's text, H, activation, biases
    /// and weights (the same as [`ValidModel::load`], from an engine config).
    pub fn session(&self, config: &SessionConfig) -> Result<Session> {
        let mut config = config.clone();
        config.text = self.text.clone();
        config.model.hidden = self.hidden;
        config.model.activation = self.activation;
        config.model.bias = self.bias;
        let mut session = Session::new(config)?;
        session.set_params(self.params.clone())?;
        Ok(session)
    }

    /// The weights, for `session` as it is: its vocabulary, H and activation
    /// must be the model's (the messages say which setting to change).
    pub fn params_for(&self, session: &Session) -> Result<Params> {
        if session.vocab().symbols() != self.vocab.symbols() {
            let show = |v: &Vocab| {
                v.symbols()
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            return Err(EngineError::Invalid(format!(
                "the model's vocabulary [{}] is not the current one [{}]: set the word to {:?} first",
                show(&self.vocab),
                show(session.vocab()),
                self.text
            )));
        }
        let cfg = &session.config().model;
        if self.hidden != cfg.hidden {
            return Err(EngineError::Invalid(format!(
                "the model has {} hidden units, the current one {}: set the hidden size first",
                self.hidden, cfg.hidden
            )));
        }
        if self.activation != cfg.activation {
            let name = self.activation.name();
            return Err(EngineError::Invalid(format!(
                "the model uses {name}: set the activation to {name} first"
            )));
        }
        Ok(self.params.clone())
    }
}

fn to_matrix(name: &str, m: &[Vec<f64>], shape: (usize, usize)) -> Result<Array2<f64>> {
    let bad = |message: String| EngineError::Shape {
        field: name.into(),
        message,
    };
    if m.len() != shape.0 {
        return Err(bad(format!("expected {} rows, got {}", shape.0, m.len())));
    }
    if let Some((i, r)) = m.iter().enumerate().find(|(_, r)| r.len() != shape.1) {
        return Err(bad(format!(
            "row {} has {} numbers, expected {}",
            i + 1,
            r.len(),
            shape.1
        )));
    }
    Array2::from_shape_vec(shape, m.concat()).map_err(|e| bad(e.to_string()))
}

fn to_vector(name: &str, v: &[f64], len: usize) -> Result<Array1<f64>> {
    if v.len() != len {
        return Err(EngineError::Shape {
            field: name.into(),
            message: format!("expected {len} numbers, got {}", v.len()),
        });
    }
    Ok(Array1::from(v.to_vec()))
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

fn matrix<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<Vec<f64>>, D::Error> {
    let rows: Vec<Row> = d.deserialize_seq(Bounded::new(MAX_DIM, "rows"))?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

fn vector<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<f64>, D::Error> {
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

fn tag<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    bounded_string(d, MAX_TAG_BYTES, "a tag")
}

fn text<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    bounded_string(d, LIMITS.text_bytes, "the text")
}

/// One vocabulary entry (checked to be one character by `validate`).
struct Symbol(String);

impl<'de> Deserialize<'de> for Symbol {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        bounded_string(d, MAX_SYMBOL_BYTES, "a vocabulary symbol").map(Symbol)
    }
}

fn symbols<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    let list: Vec<Symbol> = d.deserialize_seq(Bounded::new(LIMITS.vocab, "symbols"))?;
    Ok(list.into_iter().map(|s| s.0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hello() -> (Session, String) {
        let s = Session::new(SessionConfig::default()).unwrap();
        let json = serde_json::to_string(&ModelFile::from_session(&s, "hello")).unwrap();
        (s, json)
    }

    #[test]
    fn a_saved_model_loads_back_bit_for_bit() {
        let (s, json) = hello();
        let model = parse(&json).unwrap();
        assert_eq!(&model.params, s.params());
        let (settings, loaded) = model.load(&RnnSettings::default()).unwrap();
        assert_eq!(settings.word, "hello");
        assert_eq!(loaded.params(), s.params());
        assert_eq!(model.params_for(&s).unwrap(), *s.params());
    }

    #[test]
    fn versions_and_formats() {
        let (_, json) = hello();
        let future = json.replace("\"version\":1", "\"version\":2");
        let e = parse(&future).unwrap_err().to_string();
        assert!(e.contains("version 2") && e.contains("newer"), "{e}");
        // A newer file may have changed its fields: still "newer", not "missing field".
        let e = parse(r#"{"format":"rnn-lab-model","version":7,"weights":[]}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("newer"), "{e}");
        let e = parse(r#"{"format":"rnn-lab-model"}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("no version"), "{e}");
        let e = parse(r#"{"format":"other","version":1}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("not an RNN Lab model file"), "{e}");
    }

    #[test]
    fn sizes_are_refused_while_parsing() {
        let (_, json) = hello();
        let wide = format!("[{}]", vec!["0"; MAX_DIM + 1].join(","));
        let bad = json.replacen("\"b_h\":[0.0,0.0,0.0]", &format!("\"b_h\":{wide}"), 1);
        assert_ne!(bad, json);
        let e = parse(&bad).unwrap_err().to_string();
        assert!(e.contains("more than 256 numbers"), "{e}");
        let e = parse(&" ".repeat(LIMITS.model_file_bytes + 1))
            .unwrap_err()
            .to_string();
        assert!(e.contains("at most"), "{e}");
        // H = 300 is refused by the limit before any shape is looked at.
        let e = parse(&json.replace("\"hidden\":3", "\"hidden\":300"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("between 1 and 256"), "{e}");
    }

    #[test]
    fn inconsistent_files_are_refused() {
        let (_, json) = hello();
        for (from, to, says) in [
            (
                "[\"h\",\"e\",\"l\",\"o\"]",
                "[\"h\",\"e\",\"o\",\"l\"]",
                "vocabulary",
            ),
            (
                "[\"h\",\"e\",\"l\",\"o\"]",
                "[\"h\",\"e\",\"l\",\"oo\"]",
                "one character",
            ),
            ("\"tanh\"", "\"swish\"", "activation"),
            ("\"text\":\"hello\"", "\"text\":\"\"", "empty"),
            (
                "\"b_y\":[0.0,0.0,0.0,0.0]",
                "\"b_y\":[0.0,0.0,0.0,1.0]",
                "biases",
            ),
            ("\"b_y\":[0.0,0.0,0.0,0.0]", "\"b_y\":[0.0,0.0,0.0]", "b_y"),
            ("\"b_y\":[0.0,", "\"b_y\":[1e999,", "infinite"),
        ] {
            let bad = json.replace(from, to);
            assert_ne!(bad, json, "{from}");
            let e = parse(&bad).unwrap_err().to_string();
            assert!(e.contains(says), "{from} → {e}");
        }
    }
}
