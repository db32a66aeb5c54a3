//! Every way bad input is refused: an error with a clear message, never a panic.

use rnn_lab::engine::{
    Clip, EngineError, MAX_HIDDEN, ModelConfig, OptimizerConfig, OptimizerKind, Params, Session,
    SessionConfig, Vocab, WordTask,
};

fn session(f: impl FnOnce(&mut SessionConfig)) -> Result<Session, EngineError> {
    let mut c = SessionConfig::default();
    f(&mut c);
    Session::new(c)
}

#[test]
fn empty_text() {
    let e = session(|c| c.text = String::new()).unwrap_err();
    assert_eq!(e, EngineError::EmptyText);
    assert!(e.to_string().contains("empty"));
    assert_eq!(WordTask::from_word("").unwrap_err(), EngineError::EmptyText);
}

#[test]
fn text_too_short_to_have_a_target() {
    let e = session(|c| c.text = "h".into()).unwrap_err();
    assert_eq!(e, EngineError::TextTooShort { needed: 2 });
    assert!(e.to_string().contains("at least 2 characters"));
    // Text mode needs seq + 1 characters for one sequence and its targets.
    let e = session(|c| {
        c.text = "hello".into();
        c.seq_len = Some(5);
    })
    .unwrap_err();
    assert_eq!(e, EngineError::TextTooShort { needed: 6 });
    assert!(
        session(|c| {
            c.text = "hello".into();
            c.seq_len = Some(4);
        })
        .is_ok()
    );
    assert!(matches!(
        session(|c| c.seq_len = Some(0)).unwrap_err(),
        EngineError::ChunkLength { got: 0, .. }
    ));
}

#[test]
fn symbol_not_in_vocabulary() {
    let vocab = Vocab::from_text("helo").unwrap();
    let e = Session::with_vocab(
        SessionConfig {
            text: "hello world".into(),
            ..Default::default()
        },
        vocab,
    )
    .unwrap_err();
    assert_eq!(e, EngineError::UnknownSymbol(' '));
    assert!(e.to_string().contains("not in the vocabulary"));
    let s = Session::new(SessionConfig::default()).unwrap();
    assert!(matches!(
        s.sample(4, 3, 1.0, 0).unwrap_err(),
        EngineError::SymbolIndex { index: 4, size: 4 }
    ));
}

#[test]
fn hidden_size_zero_or_above_the_maximum() {
    for hidden in [0, MAX_HIDDEN + 1, 100_000] {
        let e = session(|c| c.model.hidden = hidden).unwrap_err();
        assert_eq!(
            e,
            EngineError::HiddenSize {
                got: hidden,
                max: MAX_HIDDEN
            }
        );
        assert!(e.to_string().contains("between 1 and 256"));
    }
    assert!(session(|c| c.model.hidden = 1).is_ok());
}

#[test]
fn learning_rate_not_finite_or_not_positive() {
    for lr in [0.0, -0.1, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let e = session(|c| c.optimizer.learning_rate = lr).unwrap_err();
        assert!(matches!(e, EngineError::LearningRate(_)), "{lr}: {e:?}");
        assert!(e.to_string().contains("learning rate"));
        let mut s = Session::new(SessionConfig::default()).unwrap();
        assert!(s.set_learning_rate(lr).is_err());
        assert_eq!(s.config().optimizer.learning_rate, 0.1, "unchanged");
        assert!(
            s.set_optimizer(OptimizerConfig::new(OptimizerKind::Adam, lr))
                .is_err()
        );
    }
}

#[test]
fn other_bad_numbers() {
    assert!(session(|c| c.model.weight_scale = f64::NAN).is_err());
    assert!(session(|c| c.model.weight_scale = -1.0).is_err());
    assert!(session(|c| c.optimizer.momentum = 1.5).is_err());
    assert!(session(|c| c.optimizer.eps = 0.0).is_err());
    assert!(session(|c| c.clip = Clip::Value(0.0)).is_err());
    assert!(session(|c| c.clip = Clip::Norm(f64::INFINITY)).is_err());
    assert!(session(|c| c.history_capacity = 0).is_err());
    let mut s = Session::new(SessionConfig::default()).unwrap();
    assert!(s.set_clip(Clip::Norm(-2.0)).is_err());
    assert_eq!(s.config().clip, Clip::Value(5.0));
}

#[test]
fn chunk_length_below_one_and_k2_below_k1() {
    for (k1, k2, name) in [(0, 0, "k1"), (0, 3, "k1"), (2, 0, "k2")] {
        let e = session(|c| c.truncation = Some((k1, k2))).unwrap_err();
        assert_eq!(e, EngineError::ChunkLength { name, got: 0 });
        assert!(e.to_string().contains("at least 1"));
    }
    let e = session(|c| c.truncation = Some((3, 2))).unwrap_err();
    assert_eq!(e, EngineError::TruncationOrder { k1: 3, k2: 2 });
    let mut s = Session::new(SessionConfig::default()).unwrap();
    assert!(s.set_truncation(Some((0, 0))).is_err());
    assert_eq!(s.config().truncation, None);
    assert!(s.set_truncation(Some((2, 2))).is_ok());
}

#[test]
fn temperature_not_above_zero() {
    let s = Session::new(SessionConfig::default()).unwrap();
    for t in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let e = s.sample(0, 5, t, 0).unwrap_err();
        assert!(matches!(e, EngineError::Temperature(_)));
        assert!(e.to_string().contains("temperature"));
    }
    assert_eq!(s.sample(0, 5, 0.5, 0).unwrap().indices.len(), 5);
}

#[test]
fn imported_parameters_are_checked() {
    let mut s = Session::new(SessionConfig::default()).unwrap();
    let e = s.set_params(Params::zeros(4, 5)).unwrap_err();
    assert!(matches!(e, EngineError::Shape { ref field, .. } if field == "W_xh"));
    let mut p = s.params().clone();
    p.w_hh[[1, 2]] = f64::NAN;
    assert!(s.set_params(p).is_err());
    let mut p = s.params().clone();
    p.b_y[0] = 0.5;
    let e = s.set_params(p).unwrap_err();
    assert!(
        e.to_string().contains("b_y"),
        "biases are off in this model: {e}"
    );
    let p = Params::init(
        4,
        &ModelConfig {
            seed: 77,
            ..Default::default()
        },
    )
    .unwrap();
    s.set_params(p.clone()).unwrap();
    assert_eq!(s.params(), &p);
}
