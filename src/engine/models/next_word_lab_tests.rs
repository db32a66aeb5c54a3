//! The chapter's claims about the four next-word models, checked on the
//! built-in corpus with the default settings and seeds.

use super::next_word_lab::{NextWordLab, NextWordModel, NextWordSettings, TRAIN_STEPS};

use NextWordModel::*;

#[test]
fn sizes_grow_with_the_window_and_the_rnn_input_does_not() {
    let lab = NextWordLab::new(NextWordSettings::default()).unwrap();
    let v = lab.corpus().vocab.len();
    let s: Vec<_> = NextWordModel::ALL.iter().map(|&m| lab.summary(m)).collect();
    assert_eq!(s[0].input_size, 2 * (v + 1));
    assert_eq!(s[1].input_size, v);
    assert_eq!(s[2].window, Some(lab.corpus().longest_context()));
    assert_eq!(s[2].input_size, lab.corpus().longest_context() * (v + 1));
    assert!(s[2].parameter_count > 4 * s[0].parameter_count);
    assert_eq!(s[3].input_size, v);
    assert!(s.iter().all(|m| m.losses.is_empty() && m.steps == 0));
    assert!(
        NextWordLab::new(NextWordSettings {
            window: 5,
            ..Default::default()
        })
        .is_err()
    );
}

#[test]
fn same_seed_same_bits() {
    let run = || {
        let mut lab = NextWordLab::new(NextWordSettings::default()).unwrap();
        for m in NextWordModel::ALL {
            lab.train(m, 3).unwrap();
        }
        NextWordModel::ALL.map(|m| lab.summary(m).losses)
    };
    assert_eq!(run(), run());
}

#[test]
fn prefixes_with_unknown_words_are_read_not_refused() {
    let lab = NextWordLab::new(NextWordSettings::default()).unwrap();
    let p = lab.predict("This morning I took the zebra for a").unwrap();
    assert_eq!(p.unknown, ["zebra"]);
    assert_eq!(p.tokens[0], "<s>");
    assert_eq!(p.models.len(), 4);
    for (_, top) in &p.models {
        assert_eq!(top.len(), 5);
        assert!(top.windows(2).all(|w| w[0].p >= w[1].p));
    }
    assert!(lab.predict(&"word ".repeat(100)).is_err());
    let w = lab.window_input(false, "the dog").unwrap();
    assert_eq!(w.slots, ["the", "dog"]);
    let l = lab.window_input(true, "the dog").unwrap();
    assert_eq!(l.slots[l.window - 3..], ["<s>", "the", "dog"]);
    assert_eq!(l.slots[0], "<pad>");
    let x = lab.bag_input("the dog the").unwrap();
    assert_eq!(x.iter().sum::<f64>(), 4.0, "<s> and three words");
    assert!(lab.order_pair(99).is_err());
}

/// Trains every model for the chapter's default number of steps and checks
/// what the chapter says. Measured with the defaults (seed 1): test accuracy
/// window-2 0.52, bag 0.55, longest window 0.62, RNN 0.55 (of 587 words);
/// on the 24 probes window-2 3/24, longest window 0/24, bag 24/24, RNN 21/24
/// (seeds 2 to 5: RNN 17 to 24 of 24). On the order pairs the RNN's top word
/// differs between the two orders and is right for the counting and the
/// flight pairs (the chase and height pairs it gets right for one order).
#[test]
fn after_training_the_window_fails_the_probe_and_the_rnn_does_not() {
    let mut lab = NextWordLab::new(NextWordSettings::default()).unwrap();
    for m in NextWordModel::ALL {
        lab.train(m, TRAIN_STEPS).unwrap();
    }
    let acc = |m| lab.summary(m).probe_accuracy.value;
    let (window, large, bag, rnn) = (acc(Window), acc(LargeWindow), acc(BagOfWords), acc(Rnn));
    assert!(window <= 0.25 && large <= 0.25, "windows: {window} {large}");
    assert!(rnn >= 0.75, "rnn {rnn}");
    assert!(bag >= 0.75, "the bag sees the clue wherever it is: {bag}");
    for m in NextWordModel::ALL {
        let s = lab.summary(m);
        assert!(s.test_accuracy.value > 0.4, "{m:?}: {:?}", s.test_accuracy);
        assert!(s.losses.last().unwrap() < &s.losses[0]);
    }
    // The bag gives both orders one vector and one prediction; the RNN reads the order.
    for i in 0..lab.corpus().pairs.len() {
        let v = lab.order_pair(i).unwrap();
        assert!(v.identical && v.vector_a == v.vector_b);
        assert_eq!(v.bag_a, v.bag_b);
        assert_ne!(v.rnn_a[0].token, v.rnn_b[0].token, "{} | {}", v.a, v.b);
    }
    let top = |i: usize| {
        let v = lab.order_pair(i).unwrap();
        (v.rnn_a[0].token.clone(), v.rnn_b[0].token.clone())
    };
    assert_eq!(top(0), ("four".into(), "go".into()));
    assert_eq!(top(1), ("paris".into(), "rome".into()));
    let walk = lab.predict("this morning i took the dog for a").unwrap();
    assert!(walk.models.iter().all(|(_, top)| top[0].token == "walk"));
    assert_eq!(lab.probes().len(), 24);
}

/// A state's numbers as bits (a model not trained yet has NaN for its last loss).
fn bits(state: Vec<f64>) -> Vec<u64> {
    state.into_iter().map(f64::to_bits).collect()
}

/// The worker's twin trains, the page's copy imports its states: the copy
/// holds the twin's bits after every state, across a rebuilt model, and
/// trains on exactly like it (the page without a worker).
#[test]
fn a_copy_synced_by_states_is_the_trained_lab_bit_for_bit() {
    let mut twin = NextWordLab::new(NextWordSettings::default()).unwrap();
    let mut copy = NextWordLab::new(NextWordSettings::default()).unwrap();
    let sync = |twin: &NextWordLab, copy: &mut NextWordLab| {
        let state = twin.export_state(copy.status().iteration, true);
        copy.import_state(&state).unwrap();
        assert_eq!(copy.curves(), twin.curves());
        assert_eq!(
            bits(copy.export_state(0, true)),
            bits(twin.export_state(0, true))
        );
    };
    for n in [1, 6, 3] {
        twin.train_balanced(n).unwrap();
        sync(&twin, &mut copy);
    }
    let s = NextWordSettings {
        window: 3,
        ..Default::default()
    };
    twin.configure(s).unwrap();
    copy.configure(s).unwrap();
    twin.train_balanced(5).unwrap();
    sync(&twin, &mut copy);
    assert_eq!(
        copy.status().steps,
        vec![3, 3, 3, 3],
        "the new window caught up"
    );
    // Light states show the models; a full one brings Adam's memory too.
    copy.import_state(&twin.export_state(0, false)).unwrap();
    twin.train_balanced(9).unwrap();
    copy.train_balanced(9).unwrap();
    for m in NextWordModel::ALL {
        assert_eq!(copy.summary(m), twin.summary(m), "{m:?}");
    }
    // A damaged state, or one of another window, changes nothing.
    let before = bits(copy.export_state(0, false));
    let good = twin.export_state(0, false);
    let mut damaged = good.clone();
    damaged.truncate(good.len() - 1);
    let other = NextWordLab::new(NextWordSettings::default()).unwrap();
    for bad in [
        vec![],
        damaged,
        other.export_state(0, false),
        [good, vec![1.0]].concat(),
    ] {
        assert!(copy.import_state(&bad).is_err());
        assert_eq!(bits(copy.export_state(0, false)), before);
    }
}
