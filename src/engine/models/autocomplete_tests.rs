//! Priming and beam search of the autocomplete, untrained and trained.

use super::argmax;
use super::autocomplete::{Autocomplete, AutocompleteSettings, COMPLETIONS, TRAIN_STEPS};
use super::queries::QueryList;

fn fresh() -> Autocomplete {
    Autocomplete::builtin(AutocompleteSettings::default()).unwrap()
}

/// Greedy decoding: the most probable character until the end symbol;
/// whether it ended there.
fn greedy(a: &Autocomplete, prefix: &str, max_chars: usize) -> (String, bool) {
    let st = a.rnn().stepper();
    let (mut h, mut p) = a.rnn().prime(&ids(a, prefix)).unwrap();
    let mut out = String::new();
    for _ in 0..max_chars {
        let k = argmax(&p);
        if k == 0 {
            return (out, true);
        }
        out.push(a.list().vocab.symbol(k).unwrap());
        (h, p) = st.step(&h, k);
    }
    // After the last allowed character the end symbol may still be chosen.
    (out, argmax(&p) == 0)
}

fn ids(a: &Autocomplete, text: &str) -> Vec<usize> {
    let v = &a.list().vocab;
    std::iter::once(0)
        .chain(text.chars().filter_map(|c| v.index_of(c).ok()))
        .collect()
}

/// log p(completion ⏎ | prefix) from the forward pass over the whole query.
fn log_prob(a: &Autocomplete, read: &str, completion: &str) -> f64 {
    let mut seq = ids(a, &format!("{read}{completion}"));
    seq.push(0);
    let tr = a.rnn().trace(&seq).unwrap();
    -tr.losses[read.chars().count()..].iter().sum::<f64>()
}

#[test]
fn priming_reads_known_characters_and_skips_the_rest() {
    let a = fresh();
    let p = a.prime("Where IS 🙂m€🙂").unwrap();
    assert_eq!(p.read, "where is m");
    assert_eq!(p.skipped, ['🙂', '€']);
    assert_eq!(p.h, a.rnn().prime(&ids(&a, "where is m")).unwrap().0);
    assert_eq!(p.next.len(), 5);
    assert!(p.next.windows(2).all(|w| w[0].p >= w[1].p));
    assert!(p.next.iter().map(|c| c.p).sum::<f64>() <= 1.0 + 1e-12);
    let status = a.status();
    assert_eq!(
        (status.steps, status.list.queries),
        (0, a.list().queries.len())
    );
    let empty = a.prime("").unwrap();
    assert_eq!(empty.read, "");
    assert!(a.prime(&"a".repeat(81)).is_err());
}

#[test]
fn beam_search_limits_and_width_one_is_greedy() {
    let mut a = fresh();
    assert!(a.complete("wh", 0, 10).is_err());
    assert!(a.complete("wh", 17, 10).is_err());
    assert!(a.complete("wh", 4, 0).is_err());
    assert!(a.complete("wh", 4, 81).is_err());
    for steps in [0, 200] {
        a.train(steps).unwrap();
        for prefix in ["", "where is m", "how"] {
            let c = a.complete(prefix, 1, 30).unwrap();
            let (text, finished) = greedy(&a, prefix, 30);
            assert_eq!(c.items.len(), 1);
            assert_eq!(c.items[0].completion, text, "{steps} {prefix:?}");
            assert_eq!(c.items[0].finished, finished);
        }
    }
}

#[test]
fn completions_are_sorted_and_scored_by_the_model() {
    let mut a = fresh();
    a.train(300).unwrap();
    let c = a.complete("where is ", 8, 40).unwrap();
    assert_eq!(c.items.len(), COMPLETIONS);
    assert!(c.items.windows(2).all(|w| w[0].log_prob >= w[1].log_prob));
    for item in c.items.iter().filter(|i| i.finished) {
        assert!(item.text.starts_with("where is "));
        let lp = log_prob(&a, &c.read, &item.completion);
        assert!((lp - item.log_prob).abs() < 1e-9, "{item:?} {lp}");
    }
}

#[test]
fn same_seed_same_bits() {
    let run = || {
        let mut a = fresh();
        a.train(20).unwrap();
        (a.losses().to_vec(), a.complete("w", 4, 20).unwrap())
    };
    assert_eq!(run(), run());
}

/// Measured (seed 1): after half the default training (1500 steps) the loss
/// is about 0.85 per character and "where is m" completes first to "where
/// is maldives"; after the full 3000 steps, 4 of the 5 completions are
/// queries of the list (maldives, morocco, my ip, my phone).
#[test]
fn after_training_where_is_m_completes_to_queries_of_the_list() {
    let mut a = fresh();
    a.train(TRAIN_STEPS / 2).unwrap();
    let c = a.complete("where is m", 8, 40).unwrap();
    let known = |t: &str| a.list().queries.iter().any(|q| q == t);
    assert!(c.items.iter().all(|i| i.text.starts_with("where is m")));
    assert!(
        c.items[0].finished && known(&c.items[0].text),
        "{:?}",
        c.items
    );
    let in_list = c.items.iter().filter(|i| known(&i.text)).count();
    assert!(in_list >= 2, "{:?}", c.items);
}

#[test]
fn a_pasted_list_is_learned_and_its_text_rebuilds_the_same_model() {
    let s = AutocompleteSettings::default();
    let mut a =
        Autocomplete::from_text(Some("  Where is FIJI\n\nwhere is rome 🙂\n🎉\n"), s).unwrap();
    assert_eq!(a.list_text(), "where is fiji\nwhere is rome 🙂");
    assert_eq!(a.list().dropped, 1);
    let r = a.train_slice(3).unwrap();
    assert_eq!((r.iterations_run, r.iteration), (3, 3));
    assert_eq!(r.loss, a.losses().last().copied());
    let p = a.progress();
    assert_eq!((p.iteration, p.diverged, p.loss), (3, false, r.loss));
    let mut b = Autocomplete::from_text(Some(&a.list_text()), *a.settings()).unwrap();
    b.train_slice(1).unwrap();
    b.train_slice(2).unwrap();
    assert_eq!(b.losses(), a.losses(), "same list, same seed, same bits");
    let status = a.status();
    assert_eq!((status.iteration, status.diverged), (3, false));
    // One entry a step until the history is full: the chart's x is entry × stride.
    assert_eq!((status.losses.len(), status.loss_stride), (3, 1));
    for bad in ["", "🙂🙂\n", "a\u{0}b"] {
        assert!(Autocomplete::from_text(Some(bad), s).is_err(), "{bad:?}");
    }
    assert_eq!(
        Autocomplete::from_text(None, s).unwrap().list().queries,
        QueryList::builtin().queries
    );
}

#[test]
fn a_copy_synced_by_states_trains_on_like_the_original_and_damage_changes_nothing() {
    let (mut twin, mut copy) = (fresh(), fresh());
    for n in [2, 5] {
        twin.train(n).unwrap();
        copy.import_state(&twin.export_state(copy.steps())).unwrap();
    }
    assert_eq!(copy.status(), twin.status());
    twin.train(4).unwrap();
    copy.train(4).unwrap();
    assert_eq!(copy.export_state(0), twin.export_state(0));
    let before = copy.export_state(0);
    let mut bad = before.clone();
    bad[0] = 7_402.0;
    assert!(copy.import_state(&bad).is_err());
    assert!(copy.import_state(&[]).is_err());
    let other = Autocomplete::new(
        QueryList::parse("where is it\nwho is he").unwrap(),
        AutocompleteSettings::default(),
    )
    .unwrap();
    assert!(copy.import_state(&other.export_state(0)).is_err());
    assert_eq!(copy.export_state(0), before);
}
