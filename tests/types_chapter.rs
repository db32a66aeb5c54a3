//! The "Types of RNN" chapter's five examples: each reaches its stated
//! accuracy from its default seed, typed text is read or refused with a
//! message, and a snapshot shows absent inputs and unscored steps as such.

use rnn_lab::engine::masked::examples::{Example, Metric, TypeKind};
use rnn_lab::engine::views::types::{TypesModel, TypesSettings};

fn model(kind: TypeKind) -> TypesModel {
    TypesModel::new(TypesSettings {
        kind,
        ..TypesSettings::default()
    })
    .unwrap()
}

/// Trains epoch by epoch until the stated accuracy (at most `max_epochs`); returns the epochs.
fn train_to_stated(m: &mut TypesModel, max_epochs: usize) -> Option<usize> {
    let n = m.example().train.len();
    (1..=max_epochs).find(|_| {
        m.train(n).unwrap();
        m.status().unwrap().reached
    })
}

#[test]
fn every_example_reaches_its_stated_accuracy_from_the_default_seed() {
    // (kind, most epochs, least held-out accuracy once reached)
    for (kind, epochs, held_out) in [
        (TypeKind::OneToOne, 20, None),
        (TypeKind::OneToMany, 20, None),
        (TypeKind::ManyToOne, 80, Some(0.75)),
        (TypeKind::Delayed, 40, Some(0.85)),
        (TypeKind::Synced, 10, Some(0.95)),
    ] {
        let mut m = model(kind);
        let before = m.status().unwrap();
        assert!(!before.reached || kind == TypeKind::Synced, "{kind:?}");
        let reached = train_to_stated(&mut m, epochs);
        assert!(
            reached.is_some(),
            "{kind:?} did not reach 100% in {epochs} epochs"
        );
        let s = m.status().unwrap();
        assert_eq!(s.train.accuracy, 1.0);
        assert!(s.train.mean_loss < before.train.mean_loss);
        match (s.test, held_out) {
            (Some(t), Some(min)) => assert!(t.accuracy >= min, "{kind:?} held out {}", t.accuracy),
            (None, None) => {}
            other => panic!("{kind:?}: {other:?}"),
        }
    }
}

#[test]
fn the_same_settings_train_the_same_model() {
    let mut a = model(TypeKind::Delayed);
    let mut b = model(TypeKind::Delayed);
    a.train(300).unwrap();
    b.train(300).unwrap();
    assert_eq!(a.trainer().params(), b.trainer().params());
    assert_eq!(a.snapshot("cab").unwrap(), b.snapshot("cab").unwrap());
    let mut c = model(TypeKind::Delayed);
    c.reset(1);
    c.train(300).unwrap();
    assert_ne!(a.trainer().params(), c.trainer().params());
    // A reset to the first seed starts the same run over.
    c.reset(0);
    c.train(300).unwrap();
    assert_eq!(a.trainer().params(), c.trainer().params());
}

#[test]
fn the_five_shapes_have_absent_inputs_and_unscored_outputs_where_the_lecture_has_them() {
    let shape = |kind, text: &str| {
        let s = model(kind).snapshot(text).unwrap();
        let ins: String = s
            .per_step
            .iter()
            .map(|p| if p.input.is_some() { 'x' } else { '·' })
            .collect();
        let outs: String = s
            .per_step
            .iter()
            .map(|p| match (p.read, p.target.is_some()) {
                (true, true) => 'y',
                (true, false) => '?',
                (false, _) => '·',
            })
            .collect();
        (ins, outs, s)
    };
    assert_eq!(&shape(TypeKind::OneToOne, "E").0[..], "x");
    let (i, o, s) = shape(TypeKind::OneToMany, "cat");
    assert_eq!((i.as_str(), o.as_str()), ("x··", "yyy"));
    assert_eq!(s.text, "<cat>");
    assert_eq!(s.expected.unwrap(), ["c", "a", "t"]);
    // A built-in phrase is scored with its label; a new one is read but not scored.
    let (i, o, s) = shape(TypeKind::ManyToOne, "Not bad at all!");
    assert_eq!((i.as_str(), o.as_str()), ("xxxx", "···y"));
    assert_eq!(s.expected.unwrap(), ["<pos>"]);
    assert!(s.loss.is_some());
    let (_, o, s) = shape(TypeKind::ManyToOne, "bad zzz good");
    assert_eq!(o, "·?");
    assert_eq!(s.skipped, ["zzz"]);
    assert_eq!((s.expected, s.correct, s.loss), (None, None, None));
    assert_eq!(s.per_step[1].p_out.len(), 2);
    let (i, o, s) = shape(TypeKind::Delayed, "cab");
    assert_eq!((i.as_str(), o.as_str()), ("xxxx···", "····yyy"));
    assert_eq!(s.per_step[3].input.as_deref(), Some("|"));
    assert_eq!(s.expected.unwrap(), ["b", "a", "c"]);
    let (i, o, s) = shape(TypeKind::Synced, "Y-ray 1");
    assert_eq!((i.as_str(), o.as_str()), ("xxxxx", "y·yyy"));
    assert_eq!(s.skipped, [" ", "1"]);
    assert_eq!(s.expected.unwrap(), ["<c>", "<c>", "<v>", "<v>"]);
    // Unscored steps still have p_t and a prediction, but no loss.
    let step = &s.per_step[1];
    assert_eq!(
        (step.target.as_ref(), step.loss_t, step.correct),
        (None, None, None)
    );
    assert!((step.p_t.iter().sum::<f64>() - 1.0).abs() < 1e-12);
}

#[test]
fn bad_typed_text_gets_a_message_that_says_what_to_type() {
    let long = "a".repeat(500);
    for kind in TypeKind::ALL {
        let ex = Example::new(kind);
        for bad in ["", "   ", long.as_str()] {
            let e = ex.read(bad).unwrap_err().to_string();
            assert!(e.contains("type"), "{kind:?} {bad:?}: {e}");
        }
    }
    let msg = |kind, text: &str| Example::new(kind).read(text).unwrap_err().to_string();
    assert!(msg(TypeKind::OneToOne, "ab").contains("single letter"));
    assert!(msg(TypeKind::OneToOne, "é").contains("not a letter"));
    assert!(msg(TypeKind::OneToMany, "<pig>").contains("<cat>, <dog>"));
    assert!(msg(TypeKind::ManyToOne, "qwerty zxcv").contains("vocabulary"));
    let many = "good ".repeat(30);
    assert!(msg(TypeKind::ManyToOne, &many).contains("at most 20"));
    assert!(msg(TypeKind::Delayed, "cat").contains("“t”"));
    assert!(msg(TypeKind::Delayed, "abcd").contains("up to 3"));
    assert!(msg(TypeKind::Synced, "123").contains("none"));
    assert!(msg(TypeKind::Synced, "abcdefghijklmnopq").contains("at most 16"));
}

#[test]
fn the_examples_are_what_the_chapter_says() {
    let e = Example::new(TypeKind::ManyToOne);
    assert!(e.train.len() + e.test.len() >= 100);
    assert!(!e.test.is_empty());
    assert_eq!(e.metric, Metric::Sequences);
    assert!(e.train.iter().any(|it| it.text == "not bad at all"));
    let names = model(TypeKind::OneToMany).info();
    assert_eq!(
        names.train_texts,
        ["<cat>", "<dog>", "<cow>", "<hen>", "<owl>"]
    );
    assert_eq!(names.test_items, 0);
    let tags = Example::new(TypeKind::Synced);
    // Every letter the held-out words use is seen in training.
    for it in &tags.test {
        for x in it.sequence.inputs.iter().flatten() {
            assert!(
                tags.train
                    .iter()
                    .any(|t| t.sequence.inputs.contains(&Some(*x))),
                "{}",
                it.text
            );
        }
    }
    for kind in TypeKind::ALL {
        let m = model(kind);
        let s = m.snapshot(m.example().default_input).unwrap();
        assert!(
            s.expected.is_some(),
            "{kind:?}: the first example shown has a known answer"
        );
        assert!(m.answers(3).unwrap().train.len() <= 3);
    }
}

#[test]
fn bad_settings_are_refused() {
    for hidden in [0, 65] {
        let s = TypesSettings {
            hidden,
            ..TypesSettings::default()
        };
        assert!(TypesModel::new(s).is_err());
    }
    let s = TypesSettings {
        lr: -1.0,
        ..TypesSettings::default()
    };
    assert!(TypesModel::new(s).is_err());
    let bad: Result<TypesSettings, _> = serde_json::from_str(r#"{"kind":"two_to_one"}"#);
    assert!(bad.is_err());
    let ok: TypesSettings = serde_json::from_str(r#"{"kind":"many_to_one","seed":3}"#).unwrap();
    assert_eq!((ok.kind, ok.seed, ok.hidden), (TypeKind::ManyToOne, 3, 16));
}

#[test]
fn the_loss_curve_smooths_over_one_epoch() {
    let mut m = model(TypeKind::OneToMany);
    assert!(m.loss_curve(100).iteration.is_empty());
    m.train(37).unwrap();
    let losses = m.trainer().history().loss.to_vec();
    // Every point: the mean L of the 5 iterations (one epoch, fewer at first) up to its last one.
    for max_points in [2, 5, 10, 100] {
        let c = m.loss_curve(max_points);
        assert!(c.iteration.len() <= max_points.max(2));
        for (k, &it) in c.iteration.iter().enumerate() {
            let end = it as usize;
            let start = end.saturating_sub(5);
            let mean = losses[start..end].iter().sum::<f64>() / (end - start) as f64;
            assert!((c.smooth_loss[k] - mean).abs() < 1e-12, "{max_points} {k}");
        }
    }
}
