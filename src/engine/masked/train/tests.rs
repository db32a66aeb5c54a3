//! The masked trainer: epochs, reproducibility, divergence and resets.

use super::*;

fn reversal() -> Vec<MaskedSequence> {
    [[0, 1], [1, 0], [1, 1], [0, 0]]
        .iter()
        .map(|xs| {
            let ys: Vec<usize> = xs.iter().rev().copied().collect();
            MaskedSequence::delayed(xs, &ys).unwrap()
        })
        .collect()
}

#[test]
fn every_epoch_visits_every_sequence_once() {
    let mut t = MaskedTrainer::new(MaskedTrainerConfig::default(), 2, reversal()).unwrap();
    for _ in 0..3 {
        let mut seen: Vec<usize> = (0..4)
            .map(|_| {
                let i = t.next_sequence();
                t.train(1).unwrap();
                i
            })
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, [0, 1, 2, 3]);
    }
    assert_eq!((t.epoch(), t.iteration()), (3, 12));
    assert!(t.epoch_loss().is_some());
}

#[test]
fn bad_settings_are_errors() {
    let cfg = MaskedTrainerConfig::default();
    assert!(MaskedTrainer::new(cfg.clone(), 2, vec![]).is_err());
    assert!(MaskedTrainer::new(cfg.clone(), 0, reversal()).is_err());
    assert!(MaskedTrainer::new(cfg.clone(), 1, reversal()).is_err());
    let bad = MaskedTrainerConfig {
        truncation: Some((3, 2)),
        ..cfg
    };
    assert!(MaskedTrainer::new(bad, 2, reversal()).is_err());
}
