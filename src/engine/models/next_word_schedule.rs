//! The page's side of [`NextWordLab`]: the four models trained in turn in
//! small slices, a status, changed settings that rebuild only the models
//! they touch, and example prefixes for the chapter's picker.
//!
//! Each model has its own trainer and its own seeded batches, so the order in
//! which their steps are taken changes nothing: after `n` balanced steps in
//! any slicing, every model has taken its share and holds the same bits as if
//! it had been trained alone.

use super::{NextWordLab, NextWordModel, NextWordSettings, Result};
use crate::engine::models::tokens::detokenize;
use serde::Serialize;

/// Steps and state of the four models.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabStatus {
    /// Steps taken by the four models together.
    pub iteration: u64,
    /// Steps of each model, in [`NextWordModel::ALL`] order.
    pub steps: Vec<u64>,
    /// Always false: a step that would diverge is refused with an error and
    /// changes nothing.
    pub diverged: bool,
}

/// What a slice of balanced training did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundReport {
    pub iterations_run: usize,
    /// Steps of each model after the slice.
    pub steps: Vec<u64>,
    /// The model of the last step and its batch loss.
    pub last: Option<(NextWordModel, f64)>,
}

/// A model's size and loss curve, without the accuracies (cheap enough to
/// read while training; [`NextWordLab::summary`] measures them too).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelCurve {
    pub model: NextWordModel,
    pub window: Option<usize>,
    pub input_size: usize,
    pub parameter_count: usize,
    pub steps: u64,
    pub losses: Vec<f64>,
    /// Steps per entry of `losses`.
    pub loss_stride: u64,
}

/// A prefix the chapter offers, with what it shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrefixExample {
    pub label: String,
    pub prefix: String,
}

/// The corpus in numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorpusInfo {
    /// Training and test sentences, probes, order pairs.
    pub train: usize,
    pub test: usize,
    pub probes: usize,
    pub pairs: usize,
    /// V, the words of the training sentences (with `<s>`, `</s>`, `<unk>`).
    pub vocab: usize,
    /// Tokens of the longest context (the very large window's default N).
    pub longest: usize,
}

impl NextWordLab {
    pub fn corpus_info(&self) -> CorpusInfo {
        let c = &self.corpus;
        CorpusInfo {
            train: c.train.len(),
            test: c.test.len(),
            probes: c.probes.len(),
            pairs: c.pairs.len(),
            vocab: c.vocab.len(),
            longest: c.longest_context(),
        }
    }

    /// Steps of each model, in [`NextWordModel::ALL`] order.
    pub fn steps(&self) -> [u64; 4] {
        NextWordModel::ALL.map(|m| self.trainer(m).steps())
    }

    pub fn status(&self) -> LabStatus {
        let steps = self.steps();
        LabStatus {
            iteration: steps.iter().sum(),
            steps: steps.to_vec(),
            diverged: false,
        }
    }

    /// Sizes and loss curves of the four models (no accuracies).
    pub fn curves(&self) -> Vec<ModelCurve> {
        NextWordModel::ALL
            .iter()
            .map(|&m| {
                let (window, input_size, parameter_count) = self.size(m);
                let t = self.trainer(m);
                ModelCurve {
                    model: m,
                    window,
                    input_size,
                    parameter_count,
                    steps: t.steps(),
                    losses: t.losses.clone(),
                    loss_stride: t.loss_stride(),
                }
            })
            .collect()
    }

    /// `n` training steps in all, each given to the model with the fewest
    /// steps so far (the first in [`NextWordModel::ALL`] order on a tie): the
    /// four advance together and a rebuilt one catches up first.
    pub fn train_balanced(&mut self, n: usize) -> Result<RoundReport> {
        let mut last = None;
        for _ in 0..n {
            let steps = self.steps();
            let i = (0..4).min_by_key(|&i| steps[i]).unwrap_or(0);
            let which = NextWordModel::ALL[i];
            last = self.train(which, 1)?.map(|s| (which, s.loss));
        }
        Ok(RoundReport {
            iterations_run: n,
            steps: self.steps().to_vec(),
            last,
        })
    }

    /// Takes new settings, rebuilding (untrained) only the models whose
    /// configuration changed; the others keep their weights and training.
    /// Returns the models rebuilt. Invalid settings change nothing.
    pub fn configure(&mut self, settings: NextWordSettings) -> Result<Vec<NextWordModel>> {
        let old = self.settings;
        if settings == old {
            return Ok(Vec::new());
        }
        // Validates everything (and builds the candidates) before anything changes.
        let fresh = NextWordLab::new(settings)?;
        let common = settings.hidden != old.hidden || settings.seed != old.seed;
        let mut rebuilt = Vec::new();
        if common || settings.window != old.window {
            self.window = fresh.window;
            rebuilt.push(NextWordModel::Window);
        }
        if common {
            self.bag = fresh.bag;
            rebuilt.push(NextWordModel::BagOfWords);
        }
        if common || settings.large_window != old.large_window {
            self.large = fresh.large;
            rebuilt.push(NextWordModel::LargeWindow);
        }
        if settings.rnn_hidden != old.rnn_hidden || settings.seed != old.seed {
            self.rnn = fresh.rnn;
            rebuilt.push(NextWordModel::Rnn);
        }
        self.settings = settings;
        Ok(rebuilt)
    }

    /// Prefixes worth trying: the lecture's sentence, both orders of every
    /// order pair, and one probe per clue word (cut before the word to predict).
    pub fn prefix_examples(&self) -> Vec<PrefixExample> {
        let mut out = vec![PrefixExample {
            label: "the lecture’s sentence".into(),
            prefix: "this morning i took the dog for a".into(),
        }];
        for p in &self.corpus.pairs {
            for prefix in [&p.a, &p.b] {
                out.push(PrefixExample {
                    label: "an order pair".into(),
                    prefix: prefix.clone(),
                });
            }
        }
        let vocab = &self.corpus.vocab;
        let mut clues = Vec::new();
        for p in &self.corpus.probes {
            let clue = p.ids[p.clue];
            if clues.contains(&clue) {
                continue;
            }
            clues.push(clue);
            out.push(PrefixExample {
                label: format!("a probe: the clue {} words back", p.distance()),
                prefix: detokenize(&vocab.decode(&p.ids[1..p.target])),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NextWordModel::*;

    #[test]
    fn balanced_training_equals_each_model_trained_alone_in_any_slicing() {
        let mut a = NextWordLab::new(NextWordSettings::default()).unwrap();
        for n in [1, 2, 5, 4] {
            a.train_balanced(n).unwrap();
        }
        assert_eq!(a.status().steps, vec![3, 3, 3, 3]);
        assert_eq!(a.status().iteration, 12);
        let mut b = NextWordLab::new(NextWordSettings::default()).unwrap();
        for m in NextWordModel::ALL {
            b.train(m, 3).unwrap();
        }
        for m in NextWordModel::ALL {
            assert_eq!(a.summary(m), b.summary(m), "{m:?}");
        }
    }

    #[test]
    fn the_curves_are_the_summaries_without_the_accuracies() {
        let mut lab = NextWordLab::new(NextWordSettings::default()).unwrap();
        lab.train_balanced(6).unwrap();
        for (c, m) in lab.curves().iter().zip(NextWordModel::ALL) {
            let s = lab.summary(m);
            assert_eq!(
                (c.model, c.window, c.input_size, c.parameter_count, c.steps),
                (s.model, s.window, s.input_size, s.parameter_count, s.steps)
            );
            assert_eq!(c.losses, s.losses);
        }
    }

    #[test]
    fn a_changed_window_rebuilds_the_window_only_and_it_catches_up_first() {
        let mut lab = NextWordLab::new(NextWordSettings::default()).unwrap();
        lab.train_balanced(8).unwrap();
        let rnn = lab.summary(Rnn);
        let s = NextWordSettings {
            window: 3,
            ..Default::default()
        };
        assert_eq!(lab.configure(s).unwrap(), vec![Window]);
        assert_eq!(lab.summary(Rnn), rnn, "the RNN keeps its training");
        assert_eq!(lab.status().steps, vec![0, 2, 2, 2]);
        lab.train_balanced(2).unwrap();
        assert_eq!(lab.status().steps, vec![2, 2, 2, 2]);
        let mut fresh = NextWordLab::new(s).unwrap();
        fresh.train(Window, 2).unwrap();
        assert_eq!(lab.summary(Window), fresh.summary(Window));
        // A refused setting changes nothing.
        let before = lab.status();
        assert!(
            lab.configure(NextWordSettings {
                window: 9,
                ..Default::default()
            })
            .is_err()
        );
        assert_eq!((lab.status(), lab.settings().window), (before, 3));
        assert_eq!(
            lab.configure(NextWordSettings {
                seed: 2,
                window: 3,
                ..Default::default()
            })
            .unwrap(),
            NextWordModel::ALL.to_vec()
        );
    }

    #[test]
    fn the_examples_are_the_sentence_the_pairs_and_a_probe_per_clue() {
        let lab = NextWordLab::new(NextWordSettings::default()).unwrap();
        let ex = lab.prefix_examples();
        assert_eq!(ex[0].prefix, "this morning i took the dog for a");
        assert_eq!(ex[1].prefix, lab.corpus().pairs[0].a);
        let probes: Vec<_> = ex.iter().filter(|e| e.label.contains("probe")).collect();
        assert!(probes.len() >= 8, "{}", probes.len());
        let info = lab.corpus_info();
        assert_eq!(
            (info.probes, info.pairs),
            (24, (ex.len() - 1 - probes.len()) / 2)
        );
        assert!(info.train > 4 * info.test - 4 && info.vocab > 100);
        assert!(probes.iter().any(|e| e.prefix.ends_with("speak very good")));
        for e in &ex {
            assert!(
                lab.predict(&e.prefix).unwrap().unknown.is_empty(),
                "{}",
                e.prefix
            );
        }
    }
}
