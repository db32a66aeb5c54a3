//! The charts' text helpers, run in Node: the lecture's notation split into
//! pieces with sub- and superscripts (the same cases as the diagram's
//! `notation()` in tests/e2e/fonts.test.mjs), and keys flowed into rows.
//!
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!  cargo test --target wasm32-unknown-unknown --test wasm_node_text`
#![cfg(target_arch = "wasm32")]

use rnn_lab::web::charts::text::{Script, flow, notation};
use wasm_bindgen_test::*;

fn pieces(text: &str) -> Vec<(Script, &str)> {
    // Leaked: a test's few short strings, so the pieces can be compared as &str.
    notation(text)
        .into_iter()
        .map(|(s, p)| (s, &*Box::leak(p.into_boxed_str())))
        .collect()
}

#[wasm_bindgen_test]
fn notation_makes_subscripts_and_superscripts() {
    use Script::*;
    assert_eq!(pieces("W_hh"), [(Base, "W"), (Sub, "hh")]);
    assert_eq!(
        pieces("h_2 → h_3"),
        [(Base, "h"), (Sub, "2"), (Base, " → h"), (Sub, "3")]
    );
    assert_eq!(pieces("W_hyᵀ"), [(Base, "W"), (Sub, "hy"), (Base, "ᵀ")]);
    assert_eq!(pieces("h_{t−1}"), [(Base, "h"), (Sub, "t−1")]);
    assert_eq!(
        pieces("‖∂L_T/∂h_t‖"),
        [
            (Base, "‖∂L"),
            (Sub, "T"),
            (Base, "/∂h"),
            (Sub, "t"),
            (Base, "‖")
        ]
    );
    assert_eq!(pieces("(γλ1)^(T−k)"), [(Base, "(γλ1)"), (Sup, "T−k")]);
    assert_eq!(pieces("W^{n}"), [(Base, "W"), (Sup, "n")]);
    assert_eq!(pieces("10^−6.0"), [(Base, "10"), (Sup, "−6.0")]);
    // Not notation: stays as it is.
    assert_eq!(pieces("_ = 1"), [(Base, "_ = 1")]);
    assert_eq!(pieces("a_"), [(Base, "a_")]);
    assert_eq!(pieces("x ^ y"), [(Base, "x ^ y")]);
    assert_eq!(pieces("h_{t"), [(Base, "h_{t")]);
    assert!(pieces("").is_empty());
}

#[wasm_bindgen_test]
fn flow_wraps_key_entries_into_rows_that_fit() {
    assert_eq!(flow(&[30, 30, 30], 10, 200), vec![0..3]);
    assert_eq!(flow(&[30, 30, 30], 10, 70), vec![0..2, 2..3]);
    assert_eq!(flow(&[30, 30, 30], 10, 69), vec![0..1, 1..2, 2..3]);
    assert_eq!(flow(&[300, 30], 10, 100), vec![0..1, 1..2]);
    assert!(flow(&[], 10, 100).is_empty());
}
