//! Training the "Types of RNN" chapter's five small examples with one cell.

use rnn_lab::engine::{
    Activation, MaskedSequence, MaskedTrainer, MaskedTrainerConfig, ModelConfig, OptimizerConfig,
    OptimizerKind, TokenVocab,
};

struct Example {
    name: &'static str,
    vocab: TokenVocab,
    sequences: Vec<MaskedSequence>,
}

fn words(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

fn examples() -> Vec<Example> {
    let mut out = Vec::new();
    // One-to-one: a letter → vowel or consonant.
    let v = TokenVocab::new(words("a b c d e f g h i o u <v> <c>")).unwrap();
    let seqs = words("a b c d e f g h i o u")
        .into_iter()
        .map(|l| {
            let class = if "aeiou".contains(l) { "<v>" } else { "<c>" };
            MaskedSequence::one_to_one(v.index_of(l).unwrap(), v.index_of(class).unwrap())
        })
        .collect();
    out.push(Example {
        name: "one-to-one",
        vocab: v,
        sequences: seqs,
    });
    // One-to-many: a class token → the letters of its name, then ".".
    let v = TokenVocab::new(words("<cat> <dog> <cow> c a t d o g w .")).unwrap();
    let seqs = [
        ("<cat>", "c a t ."),
        ("<dog>", "d o g ."),
        ("<cow>", "c o w ."),
    ]
    .into_iter()
    .map(|(class, name)| {
        MaskedSequence::one_to_many(v.index_of(class).unwrap(), &v.encode(&words(name)).unwrap())
            .unwrap()
    })
    .collect();
    out.push(Example {
        name: "one-to-many",
        vocab: v,
        sequences: seqs,
    });
    // Many-to-one: a short review → its sentiment.
    let v = TokenVocab::new(words("good great bad awful film plot not <pos> <neg>")).unwrap();
    let seqs = [
        ("good film", "<pos>"),
        ("great plot", "<pos>"),
        ("bad film", "<neg>"),
        ("awful plot", "<neg>"),
        ("not good", "<neg>"),
        ("not bad", "<pos>"),
        ("film not great", "<neg>"),
        ("plot not awful", "<pos>"),
    ]
    .into_iter()
    .map(|(review, label)| {
        MaskedSequence::many_to_one(
            &v.encode(&words(review)).unwrap(),
            v.index_of(label).unwrap(),
        )
        .unwrap()
    })
    .collect();
    out.push(Example {
        name: "many-to-one",
        vocab: v,
        sequences: seqs,
    });
    // Delayed many-to-many: three symbols, then the same three reversed.
    let v = TokenVocab::new(["a", "b"]).unwrap();
    let seqs = (0..8usize)
        .map(|n| {
            let xs: Vec<usize> = (0..3).map(|i| (n >> i) & 1).collect();
            let ys: Vec<usize> = xs.iter().rev().copied().collect();
            MaskedSequence::delayed(&xs, &ys).unwrap()
        })
        .collect();
    out.push(Example {
        name: "delayed",
        vocab: v,
        sequences: seqs,
    });
    // Synced many-to-many: a tag per word; punctuation is not scored.
    let v = TokenVocab::new(words("the a cat dog sat ran , . DET NOUN VERB")).unwrap();
    let seqs = [
        ("the cat sat .", "DET NOUN VERB _"),
        ("a dog ran .", "DET NOUN VERB _"),
        ("the dog , a cat", "DET NOUN _ DET NOUN"),
        (
            "a cat ran , the dog sat .",
            "DET NOUN VERB _ DET NOUN VERB _",
        ),
    ]
    .into_iter()
    .map(|(sentence, tags)| {
        let tags: Vec<Option<&str>> = words(tags)
            .into_iter()
            .map(|t| (t != "_").then_some(t))
            .collect();
        let xs: Vec<Option<&str>> = words(sentence).into_iter().map(Some).collect();
        MaskedSequence::from_tokens(&v, &xs, &tags).unwrap()
    })
    .collect();
    out.push(Example {
        name: "synced",
        vocab: v,
        sequences: seqs,
    });
    out
}

fn config(seed: u64) -> MaskedTrainerConfig {
    MaskedTrainerConfig {
        model: ModelConfig {
            hidden: 16,
            weight_scale: 0.3,
            bias: true,
            bias_scale: 0.0,
            activation: Activation::Tanh,
            seed,
        },
        optimizer: OptimizerConfig {
            kind: OptimizerKind::Adagrad,
            learning_rate: 0.1,
            ..OptimizerConfig::default()
        },
        order_seed: seed,
        ..MaskedTrainerConfig::default()
    }
}

#[test]
fn every_type_of_rnn_is_learned_by_the_same_cell_from_several_seeds() {
    for ex in examples() {
        for seed in 0..4 {
            let mut t =
                MaskedTrainer::new(config(seed), ex.vocab.len(), ex.sequences.clone()).unwrap();
            let first = t.evaluate().unwrap();
            let report = t.train(150 * ex.sequences.len()).unwrap();
            assert_eq!(report.epoch, 150);
            let ev = t.evaluate().unwrap();
            assert_eq!(ev.accuracy, 1.0, "{} seed {seed}: {ev:?}", ex.name);
            assert!(ev.mean_loss < 0.05 && ev.mean_loss < first.mean_loss / 20.0);
            assert!(report.epoch_loss.unwrap() < 0.05, "{}", ex.name);
            let scored: usize = ex.sequences.iter().map(|s| s.scored_steps()).sum();
            let counted: usize = ev.sequences.iter().map(|r| r.scored).sum();
            assert_eq!(counted, scored);
            assert!(t.grad_check(0).unwrap().passed, "{}", ex.name);
        }
    }
}

#[test]
fn the_one_to_many_model_generates_the_names_from_the_class_token() {
    let ex = &examples()[1];
    let mut t = MaskedTrainer::new(config(1), ex.vocab.len(), ex.sequences.clone()).unwrap();
    t.train(150 * ex.sequences.len()).unwrap();
    for (class, name) in [
        ("<cat>", "c a t ."),
        ("<dog>", "d o g ."),
        ("<cow>", "c o w ."),
    ] {
        // The class token at t = 1, no input after: as the model was trained.
        let inputs = [Some(ex.vocab.index_of(class).unwrap()), None, None, None];
        let s = t.sample(&inputs, 0.05, 7).unwrap();
        assert_eq!(ex.vocab.decode(&s.indices), words(name), "{class}");
    }
}

#[test]
fn training_is_deterministic_per_seed_and_the_order_seed_matters() {
    let ex = &examples()[3];
    let run = |cfg: MaskedTrainerConfig| {
        let mut t = MaskedTrainer::new(cfg, ex.vocab.len(), ex.sequences.clone()).unwrap();
        let order: Vec<usize> = (0..ex.sequences.len())
            .map(|_| {
                let i = t.next_sequence();
                t.train(1).unwrap();
                i
            })
            .collect();
        t.train(100).unwrap();
        (t, order)
    };
    let (a, order_a) = run(config(3));
    let (b, order_b) = run(config(3));
    assert_eq!(a.params(), b.params());
    assert_eq!(order_a, order_b);
    assert_eq!(a.history().loss.to_vec(), b.history().loss.to_vec());
    assert_eq!(a.smooth_loss().to_bits(), b.smooth_loss().to_bits());
    let (c, order_c) = run(MaskedTrainerConfig {
        order_seed: 4,
        ..config(3)
    });
    assert_ne!(order_a, order_c);
    assert_ne!(a.params(), c.params());
    let (_, given) = run(MaskedTrainerConfig {
        shuffle: false,
        ..config(3)
    });
    assert_eq!(given, (0..ex.sequences.len()).collect::<Vec<_>>());
    // A reset starts the same run over.
    let mut d = a.clone();
    d.reset(3);
    d.train(ex.sequences.len() + 100).unwrap();
    assert_eq!(d.params(), a.params());
}

#[test]
fn truncated_and_per_chunk_training_run_on_masked_sequences() {
    // Delayed reversal with chunks of 2: the outputs cannot see the inputs
    // through the truncation, so it trains but cannot solve the task; it must
    // still run, stay finite and repeat itself exactly.
    let ex = &examples()[3];
    for (truncation, update_per_chunk) in [(Some((2, 2)), false), (Some((2, 4)), true)] {
        let cfg = MaskedTrainerConfig {
            truncation,
            update_per_chunk,
            ..config(0)
        };
        let mut a = MaskedTrainer::new(cfg.clone(), ex.vocab.len(), ex.sequences.clone()).unwrap();
        let mut b = MaskedTrainer::new(cfg, ex.vocab.len(), ex.sequences.clone()).unwrap();
        let ra = a.train(80).unwrap();
        b.train(80).unwrap();
        assert!(ra.loss.is_finite());
        assert_eq!(a.params(), b.params());
        assert_eq!(a.history().dh_norms.to_vec(), b.history().dh_norms.to_vec());
        // dh_norms has T + 1 entries, as for a text session.
        assert_eq!(a.history().dh_norms.last().unwrap().len(), 7);
    }
}

#[test]
fn divergence_keeps_the_last_good_weights() {
    let ex = &examples()[2];
    let cfg = MaskedTrainerConfig {
        model: ModelConfig {
            hidden: 8,
            weight_scale: 3.0,
            bias: true,
            bias_scale: 0.0,
            activation: Activation::Identity,
            seed: 0,
        },
        optimizer: OptimizerConfig {
            kind: OptimizerKind::Sgd,
            learning_rate: 1e3,
            ..OptimizerConfig::default()
        },
        clip: rnn_lab::engine::Clip::Off,
        ..MaskedTrainerConfig::default()
    };
    let mut t = MaskedTrainer::new(cfg, ex.vocab.len(), ex.sequences.clone()).unwrap();
    let err = t.train(1000).unwrap_err();
    let rnn_lab::engine::EngineError::Diverged { iteration } = err else {
        panic!("expected divergence, got {err:?}");
    };
    assert!(t.diverged());
    assert_eq!(t.iteration() + 1, iteration);
    assert!(t.params().all_finite());
    let kept = t.params().clone();
    assert_eq!(t.train(1).unwrap_err(), err);
    assert_eq!(t.params(), &kept);
    // New weights clear the flag.
    t.set_params(kept).unwrap();
    assert!(!t.diverged());
}
