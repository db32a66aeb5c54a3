//! Model files: a saved model loads back bit for bit; versions, sizes and
//! inconsistent files are refused with a reason.

use super::parse::MAX_DIM;
use super::*;
use crate::engine::LIMITS;
use crate::engine::SessionConfig;
use crate::engine::settings::RnnSettings;

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
            "[\"h\",\"e\",\"l\",\"x\"]",
            "vocabulary",
        ),
        (
            "[\"h\",\"e\",\"l\",\"o\"]",
            "[\"h\",\"e\",\"l\",\"l\"]",
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
    // The text's symbols in another order (a task's own order) is a vocabulary; it
    // loads only into a model whose one-hot positions are in that order.
    let reordered = json.replace("[\"h\",\"e\",\"l\",\"o\"]", "[\"h\",\"e\",\"o\",\"l\"]");
    let m = parse(&reordered).unwrap();
    let hello = crate::engine::Session::new(crate::engine::SessionConfig::default()).unwrap();
    let e = m.params_for(&hello).unwrap_err().to_string();
    assert!(e.contains("vocabulary"), "{e}");
}

/// `read` over a value parsed elsewhere (the page's JSON.parse; here serde_json's Value):
/// the same model as `parse` of the text, bit for bit, and the same refusals.
#[test]
fn a_parsed_file_reads_as_its_text_parses() {
    let (s, json) = hello();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let model = read(&value, &value).unwrap();
    assert_eq!(&model.params, s.params());
    assert_eq!(model.params_for(&s).unwrap(), *s.params());
    let refused = |text: &str| {
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        read(&v, &v).unwrap_err().to_string()
    };
    let e = refused(r#"{"format":"rnn-lab-model","version":7,"weights":[]}"#);
    assert!(e.contains("newer"), "{e}");
    let e = refused("[1, 2]");
    assert!(e.contains("not a valid model file"), "{e}");
    let wide = format!("[{}]", vec!["0"; MAX_DIM + 1].join(","));
    let e = refused(&json.replacen("\"b_h\":[0.0,0.0,0.0]", &format!("\"b_h\":{wide}"), 1));
    assert!(e.contains("more than 256 numbers"), "{e}");
}
