//! Hostile input (issue 11): every size the engine takes is checked against
//! [`LIMITS`] with a message naming the limit, and no settings object, JSON
//! text or model file makes the engine panic.
//!
//! The first tests are fixed cases that failed before the limits existed
//! (`seq = usize::MAX` wrapped and panicked; H = 300, V = 300, a 70-character
//! word, `train(10⁹)`, a 10⁵-symbol sample were accepted). The proptests
//! then run the settings → SessionConfig → Session path and the model-file
//! parser on arbitrary input: huge numbers, NaN, empty and non-ASCII text,
//! 10⁵ distinct characters, arbitrary JSON, mutated model files. They use a
//! fixed seed and a few dozen cases each, so they take seconds.

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use rnn_lab::engine::fast::Precision;
use rnn_lab::engine::model_file::{self, MODEL_FORMAT, ModelFile};
use rnn_lab::engine::settings::{ClipKind, RnnSettings, RnnSettingsPatch};
use rnn_lab::engine::timeline::timeline;
use rnn_lab::engine::{
    Activation, EngineError, LIMITS, ModelConfig, OptimizerKind, Session, SessionConfig, Vocab,
    tasks::TextTask,
};
use serde_json::{Value, json};

fn session(f: impl FnOnce(&mut SessionConfig)) -> Result<Session, EngineError> {
    let mut c = SessionConfig::default();
    f(&mut c);
    Session::new(c)
}

/// A text of `n` characters cycling through the lowercase letters.
fn letters(n: usize) -> String {
    (b'a'..=b'z').cycle().take(n).map(char::from).collect()
}

/// `n` distinct symbols (4-byte code points from U+10000 on).
fn distinct(n: u32) -> String {
    (0..n)
        .filter_map(|i| char::from_u32(0x1_0000 + i))
        .collect()
}

fn too_large(e: EngineError) -> (&'static str, usize) {
    match e {
        EngineError::TooLarge { name, max, .. } => (name, max),
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[test]
fn seq_of_usize_max_is_an_error_not_a_panic() {
    // Before: `needed = s + 1` overflowed (a panic with overflow checks, a
    // wrapped `needed = 0` and an out-of-range slice without).
    let e = session(|c| {
        c.text = letters(1000);
        c.seq_len = Some(usize::MAX);
    })
    .unwrap_err();
    assert_eq!(too_large(e.clone()), ("the sequence length", LIMITS.seq));
    assert_eq!(
        e.to_string(),
        format!(
            "the sequence length must be at most 256, got {}",
            usize::MAX
        )
    );
    assert!(TextTask::new("hello", usize::MAX, Default::default()).is_err());
    assert!(Session::benchmark(&letters(1000), 8, usize::MAX).is_err());
}

#[test]
fn every_size_has_a_limit() {
    // H: 300 was accepted (the old limit was 1024).
    assert!(matches!(
        session(|c| c.model.hidden = 300).unwrap_err(),
        EngineError::HiddenSize { max: 256, .. }
    ));
    assert!(session(|c| c.model.hidden = 256).is_ok());
    // seq: 257 on a long text was accepted.
    let e = session(|c| {
        c.text = letters(1000);
        c.seq_len = Some(257);
    })
    .unwrap_err();
    assert_eq!(too_large(e), ("the sequence length", 256));
    // V: 300 distinct symbols were accepted (and cost O(n·V) to find).
    let e = session(|c| {
        c.text = distinct(300);
        c.seq_len = Some(10);
    })
    .unwrap_err();
    assert_eq!(e, EngineError::TooManySymbols { max: 256 });
    assert!(e.to_string().contains("at most 256"));
    // The word: 65 characters in word mode (one sequence of 64 steps).
    let e = session(|c| c.text = letters(65)).unwrap_err();
    assert_eq!(e, EngineError::WordTooLong { max: 64 });
    assert!(session(|c| c.text = letters(64)).is_ok());
    // The text: 100 KB in text mode.
    let e = session(|c| {
        c.text = letters(LIMITS.text_bytes + 1);
        c.seq_len = Some(25);
    })
    .unwrap_err();
    assert_eq!(too_large(e).1, 102_400);
    // k1, k2 of truncated BPTT, and the history.
    assert!(session(|c| c.truncation = Some((1, usize::MAX))).is_err());
    assert!(session(|c| c.truncation = Some((usize::MAX, usize::MAX))).is_err());
    let e = session(|c| c.history_capacity = usize::MAX).unwrap_err();
    assert_eq!(too_large(e).1, 10_000);
}

#[test]
fn every_call_has_a_budget() {
    let mut s = session(|c| {
        c.text = letters(600);
        c.seq_len = Some(256);
        c.model.hidden = 8;
    })
    .unwrap();
    // train(−1) from JS is train(2³²−1): refused at once, nothing changes.
    for n in [
        LIMITS.iterations_per_call + 1,
        u32::MAX as usize,
        usize::MAX,
    ] {
        let e = s.train(n).unwrap_err();
        assert_eq!(too_large(e).0, "the number of iterations per call");
    }
    assert!(s.train_until(usize::MAX, |_| false).is_err());
    assert_eq!(s.iteration(), 0);
    assert_eq!(s.train(3).unwrap().iterations_run, 3);
    // sample(…, 100 000): n × V probabilities.
    for n in [LIMITS.sample_length + 1, 100_000, usize::MAX] {
        let e = s.sample(0, n, 1.0, 0).unwrap_err();
        assert_eq!(too_large(e).0, "the sample length");
    }
    assert_eq!(
        s.sample(0, LIMITS.sample_length, 1.0, 0)
            .unwrap()
            .indices
            .len(),
        10_000
    );
    // The gradient check: entries × steps within the budget (it checked 200
    // entries per tensor whatever T was: 1000 × 256 steps here).
    let r = s.grad_check();
    let entries: usize = r.entries.iter().map(|e| e.checked + e.skipped).sum();
    assert!(entries >= r.entries.len(), "at least one entry per tensor");
    assert!(
        entries * 256 <= LIMITS.grad_check_budget,
        "{entries} entries × 256 steps"
    );
    assert!(r.passed, "{r:?}");
}

/// One call is also bounded in work: 10 000 iterations at H = V = T = 256
/// would take minutes (issue 11), so a call there runs at most
/// `train_work / iteration_work` iterations; more is refused up front, with
/// nothing changed.
#[test]
fn a_training_call_has_a_work_budget() {
    use rnn_lab::engine::limits::{iteration_work, max_iterations_per_call};
    let mut s = session(|c| {
        c.text = distinct(256) + &distinct(256);
        c.seq_len = Some(256);
        c.model.hidden = 256;
    })
    .unwrap();
    assert_eq!(s.vocab().len(), 256);
    let max = s.max_iterations_per_call();
    assert_eq!(max, max_iterations_per_call(256, 256, 256));
    let per_iteration = iteration_work(256, 256, 256);
    assert_eq!(per_iteration, 3 * 256 * (256 * 256 + 2 * 256 * 256));
    assert!(max as u64 * per_iteration <= LIMITS.train_work);
    assert!((max as u64 + 1) * per_iteration > LIMITS.train_work);
    assert!(
        (1..LIMITS.iterations_per_call / 100).contains(&max),
        "{max}"
    );
    let before = s.params().clone();
    let e = s.train(max + 1).unwrap_err();
    assert!(too_large(e).0.contains("train_work"));
    assert!(s.train_until(max + 1, |_| false).is_err());
    assert_eq!((s.iteration(), s.params()), (0, &before));
    assert_eq!(s.train(1).unwrap().iterations_run, 1);
    // "hello" keeps the full per-call count.
    let hello = session(|_| {}).unwrap();
    assert_eq!(hello.max_iterations_per_call(), LIMITS.iterations_per_call);
}

#[test]
fn the_limits_table_is_exported_whole() {
    let v = serde_json::to_value(LIMITS).unwrap();
    for (key, want) in [
        ("hidden", 256),
        ("vocab", 256),
        ("token_vocab", 2_000),
        ("word_chars", 64),
        ("text_bytes", 102_400),
        ("seq", 256),
        ("iterations_per_call", 10_000),
        ("sample_length", 10_000),
        ("grad_check_budget", 10_000),
    ] {
        assert_eq!(v[key], want, "{key}");
    }
}

#[test]
fn model_files_beyond_the_page_limits_are_refused_before_anything_changes() {
    // The two examples: H = 300, and a 70-character text with H = 5.
    let s = session(|c| c.model.hidden = 5).unwrap();
    let mut file = serde_json::to_value(ModelFile::from_session(&s, "hello")).unwrap();
    file["hidden"] = json!(300);
    let e = model_file::parse(&file.to_string()).unwrap_err();
    assert!(e.to_string().contains("between 1 and 256"), "{e}");

    let long = letters(70);
    let text_mode = session(|c| {
        c.text = long.clone();
        c.seq_len = Some(10);
        c.model.hidden = 5;
    })
    .unwrap();
    let json = serde_json::to_string(&ModelFile::from_session(&text_mode, &long)).unwrap();
    let model = model_file::parse(&json).unwrap();
    // In word mode (the page's main model) it cannot load: refused as a whole.
    let e = model.load(&RnnSettings::default()).unwrap_err();
    assert_eq!(e, EngineError::WordTooLong { max: 64 });
    // In text mode it loads, weights and all.
    let base = RnnSettings {
        seq: 10,
        ..RnnSettings::default()
    };
    let (settings, loaded) = model.load(&base).unwrap();
    assert_eq!((settings.hidden, settings.word.len()), (5, 70));
    assert_eq!(loaded.params(), text_mode.params());
}

// --- property tests -------------------------------------------------------------------

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: RngSeed::Fixed(11),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Texts: empty, short, arbitrary Unicode (zero-width, bidi, emoji…),
/// long, and up to 10⁵ distinct characters.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z]{1,70}",
        "[a-z ]{20,400}",
        "\\PC{0,80}",
        any::<String>(),
        Just("h\u{200B}e\u{202E}llo\u{0301}🙂".to_string()),
        (1usize..120_000).prop_map(letters),
        (1u32..100_001).prop_map(distinct),
        (200u32..30_000).prop_map(|n| format!("{}{}", distinct(n), letters(n as usize))),
    ]
}

fn size() -> impl Strategy<Value = usize> {
    prop_oneof![
        0usize..=40,
        0usize..=300,
        Just(usize::MAX),
        Just(usize::MAX - 1),
        Just(u32::MAX as usize),
        any::<usize>(),
    ]
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        -2.0f64..2.0,
        Just(0.0),
        Just(-0.0),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
        any::<f64>(),
    ]
}

fn name(known: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(known).prop_map(str::to_string),
        1 => "\\PC{0,12}",
    ]
}

/// Mostly a good value (so that many cases reach a session), sometimes anything.
fn mostly<T: std::fmt::Debug + Clone>(
    good: impl Strategy<Value = T> + 'static,
    any: impl Strategy<Value = T> + 'static,
) -> impl Strategy<Value = T> {
    prop_oneof![6 => good.boxed(), 1 => any.boxed()]
}

fn settings() -> impl Strategy<Value = RnnSettings> {
    use Activation::*;
    use OptimizerKind::*;
    let model = (
        text(),
        mostly(1usize..=40, size()),
        any::<u64>(),
        mostly(0.0..2.0, number()),
        any::<bool>(),
    );
    let kinds = (
        prop::sample::select(&[Tanh, Sigmoid, Relu, Identity][..]),
        prop::sample::select(&[Sgd, Momentum, Adagrad, Adam][..]),
        prop::sample::select(&[ClipKind::Off, ClipKind::Value, ClipKind::Norm][..]),
        prop::sample::select(&[Precision::Float64, Precision::Float32][..]),
    );
    let seq = prop_oneof![2 => Just(0usize), 2 => 1usize..=40, 1 => size()];
    let rates = (mostly(1e-4..1.0, number()), mostly(0.1..10.0, number()));
    let truncation = (prop::option::of(size()), prop::option::of(size()));
    (model, kinds, rates, seq, truncation).prop_map(
        |(
            (word, hidden, seed, scale, bias),
            (act, opt, clip, precision),
            (lr, clipc),
            seq,
            (k1, k2),
        )| {
            RnnSettings {
                word,
                hidden,
                seed,
                scale,
                bias,
                act,
                opt,
                lr,
                clip,
                clipc,
                seq,
                k1,
                k2,
                update_per_chunk: seed % 2 == 0,
                precision,
            }
        },
    )
}

/// What the page does with a session, with hostile arguments as well as good ones.
fn exercise(settings: &RnnSettings) {
    let Ok(config) = settings.session_config() else {
        return;
    };
    let Ok(mut s) = Session::new(config) else {
        return;
    };
    let (hidden, steps) = (s.config().model.hidden, s.seq_steps());
    assert!(hidden <= LIMITS.hidden && steps <= LIMITS.seq && s.vocab().len() <= LIMITS.vocab);
    assert!(s.train(usize::MAX).is_err());
    let _ = s.train(1);
    let v = s.vocab().len();
    let _ = s.sample(usize::MAX, 5, 1.0, 0);
    let _ = s.sample(v - 1, usize::MAX, f64::NAN, 0);
    let _ = s.sample(0, 20, 0.5, settings.seed);
    let _ = timeline(&s, Some((1, 2)));
    let _ = timeline(&s, Some((usize::MAX, usize::MAX)));
    let _ = s.set_truncation(Some((0, usize::MAX)));
    if hidden * steps <= 512 {
        let _ = s.grad_check();
    }
    // The model file of any session with finite weights (a weight scale
    // near f64::MAX makes infinite ones) reads back to the same weights.
    if !s.params().all_finite() {
        return;
    }
    let file = ModelFile::from_session(&s, &settings.word);
    let json = serde_json::to_string(&file).unwrap();
    let model = model_file::parse(&json).unwrap();
    assert_eq!(&model.params, s.params());
    let (_, loaded) = model.load(settings).unwrap();
    assert_eq!(loaded.params(), s.params());
}

/// Arbitrary JSON, with keys the parsers know turning up often.
fn json_value() -> impl Strategy<Value = Value> {
    const KEYS: &[&str] = &[
        "word",
        "k1",
        "k2",
        "hidden",
        "seed",
        "scale",
        "bias",
        "act",
        "opt",
        "lr",
        "clip",
        "clipc",
        "seq",
        "format",
        "version",
        "text",
        "vocab",
        "activation",
        "w_xh",
        "w_hh",
        "w_hy",
        "b_h",
        "b_y",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (0u64..400).prop_map(Value::from),
        number().prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        Just(Value::from(MODEL_FORMAT)),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((name(KEYS), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A valid model file (H = 3 or 8, "hello" or a longer text) with a few of
/// its fields replaced, removed or mangled.
fn model_file_json() -> impl Strategy<Value = String> {
    let fields = prop::sample::select(&[
        "format",
        "version",
        "text",
        "vocab",
        "hidden",
        "activation",
        "bias",
        "w_xh",
        "w_hh",
        "w_hy",
        "b_h",
        "b_y",
    ]);
    // A field set to anything, to a plausible number, or removed.
    let value = prop_oneof![
        2 => json_value().prop_map(Some),
        2 => prop_oneof![0u64..400, Just(u64::MAX)].prop_map(|n| Some(Value::from(n))),
        1 => Just(None),
    ];
    let edit = (fields, value);
    let base = (prop::sample::select(&[3usize, 8]), any::<bool>());
    let edits = prop_oneof![1 => Just(Vec::new()), 3 => prop::collection::vec(edit, 1..3)];
    (base, edits, 0usize..8).prop_map(|((hidden, long), edits, how)| {
        let text = if long {
            "hello, world: hello!"
        } else {
            "hello"
        };
        let s = session(|c| {
            c.model = ModelConfig {
                hidden,
                bias: true,
                bias_scale: 0.1,
                ..ModelConfig::default()
            };
            c.text = text.into();
        })
        .unwrap();
        let mut file = serde_json::to_value(ModelFile::from_session(&s, text)).unwrap();
        for (field, value) in edits {
            match value {
                Some(v) => file[field] = v,
                None => {
                    file.as_object_mut().unwrap().remove(field);
                }
            }
        }
        let json = file.to_string();
        match how {
            // Cut short, or with bytes changed: not JSON any more, mostly.
            1 => json.chars().take(json.chars().count() / 2).collect(),
            2 => json.replace("0.", "1e999"),
            _ => json,
        }
    })
}

proptest! {
    #![proptest_config(config(96))]

    /// Any typed settings: refused with an error, or a session that trains,
    /// samples, checks its gradient and saves a model file that loads back.
    #[test]
    fn any_settings_give_an_error_or_a_working_session(s in settings()) {
        exercise(&s);
    }

    /// Any JSON as settings or a settings patch, then the same path.
    #[test]
    fn any_json_settings_give_an_error_or_a_working_session(v in prop_oneof![
        json_value(),
        prop::collection::vec((name(&["word", "hidden", "seq", "lr", "act", "scale", "clipc", "k1", "k2"]), json_value()), 0..6)
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
    ]) {
        let text = v.to_string();
        if let Ok(s) = serde_json::from_str::<RnnSettings>(&text) {
            exercise(&s);
        }
        if let Ok(p) = serde_json::from_str::<RnnSettingsPatch>(&text) {
            let base = RnnSettings::default();
            p.changes_model(&base);
            exercise(&p.apply(&base));
        }
    }

    /// Any text at all as a model file: an error or a model that loads.
    #[test]
    fn any_text_is_refused_or_parsed_as_a_model_file(text in prop_oneof![
        any::<String>(),
        json_value().prop_map(|v| v.to_string()),
    ]) {
        if let Ok(model) = model_file::parse(&text) {
            let _ = model.load(&RnnSettings::default());
        }
    }

    /// Valid files with fields changed: what passes the parser loads.
    #[test]
    fn mutated_model_files_are_refused_or_load(json in model_file_json()) {
        if let Ok(model) = model_file::parse(&json) {
            assert!(model.hidden <= LIMITS.hidden && model.vocab.len() <= LIMITS.vocab);
            let fits_a_word = model.text.chars().count() <= LIMITS.word_chars;
            match model.load(&RnnSettings::default()) {
                Ok((_, s)) => assert_eq!(s.params(), &model.params),
                Err(e) => assert!(!fits_a_word, "a valid model failed to load: {e}"),
            }
        }
    }

    /// Any list of numbers as a worker's training state (Lab.import_state takes a
    /// Float64Array from JS): an error that changes nothing, or a session that trains on.
    #[test]
    fn any_training_state_is_refused_or_imported(
        edits in prop::collection::vec((any::<prop::sample::Index>(), number()), 0..4),
        cut in prop_oneof![3 => Just(None), 1 => any::<prop::sample::Index>().prop_map(Some)],
        junk in prop::collection::vec(number(), 0..40),
        raw in any::<bool>(),
    ) {
        let mut trainer = session(|c| c.text = "hello world".into()).unwrap();
        trainer.train(3).unwrap();
        let mut state = if raw { junk } else { trainer.export_state(0) };
        if !state.is_empty() {
            for (at, v) in edits {
                let i = at.index(state.len());
                state[i] = v;
            }
        }
        if let Some(at) = cut.filter(|_| !state.is_empty()) {
            state.truncate(at.index(state.len()));
        }
        let mut replica = session(|c| c.text = "hello world".into()).unwrap();
        let before = (replica.params().clone(), replica.iteration(), replica.history().clone());
        match replica.import_state(&state) {
            Ok(()) => {
                assert!(replica.params().all_finite());
                let _ = replica.train(2);
                let _ = replica.sample(0, 5, 1.0, 0);
            }
            Err(_) => assert_eq!(
                (replica.params().clone(), replica.iteration(), replica.history().clone()),
                before
            ),
        }
    }

    /// The vocabulary of any text: at most V symbols, or the error that says so.
    #[test]
    fn any_text_has_a_bounded_vocabulary_or_an_error(t in text()) {
        match Vocab::from_text(&t) {
            Ok(v) => assert!(v.len() <= LIMITS.vocab),
            Err(e) => assert!(matches!(e, EngineError::EmptyText | EngineError::TooManySymbols { .. })),
        }
    }
}
