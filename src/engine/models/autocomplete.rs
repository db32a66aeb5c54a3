//! Autocomplete, "where is|": a character RNN (the engine's vanilla cell,
//! [`TokenRnn`]) learns a list of queries, then completes a typed prefix.
//!
//! ```text
//! prime:   h = state after reading "\n" + prefix from h_0 = 0;  p = p(next char | prefix)
//! beam:    keep the `width` most probable partial completions c, scored by
//!          log p(c | prefix) = Σ_k log p(c_k | prefix, c_<k);  a completion ends
//!          when the end-of-query symbol is chosen (its log p included)
//! ```
//!
//! A prefix character the model has never seen is skipped and reported,
//! never an error. With width 1 the beam search is greedy decoding.

use super::next_word::top_k;
use super::queries::{ListInfo, MAX_QUERY_CHARS, QueryList};
use super::slice::{TrainProgress, TrainSlice};
use super::word_rnn::{RnnConfig, TokenRnn};
use super::{TrainStep, Trainer};
use crate::engine::error::{EngineError, Result};
use crate::engine::optim::{OptimizerConfig, OptimizerKind};
use crate::engine::session::state::bad;
use serde::{Deserialize, Serialize};

#[path = "autocomplete_beam.rs"]
mod beam;
pub use beam::{Completion, Completions};

/// Completions returned.
pub const COMPLETIONS: usize = 5;
/// Widest beam.
pub const MAX_BEAM_WIDTH: usize = 16;
/// Longest completion searched, in characters (the end symbol not counted).
pub const MAX_COMPLETION_CHARS: usize = 80;
/// Steps the chapter trains for by default ("ready"): 93 passes over the
/// built-in list in batches of 8, about 4.2 s of one core natively (measured
/// as CPU time on a loaded 2-core machine), reaching a loss near 0.75 per
/// character; see the tests for the completions.
pub const TRAIN_STEPS: usize = 3000;

/// First number of an exported state.
const STATE_TAG: f64 = 7_403.0;

/// The autocomplete model's settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutocompleteSettings {
    /// H.
    pub hidden: usize,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Queries per step.
    pub batch: usize,
    /// W_hh starts at identity·I + noise (see [`RnnConfig::identity`]); the
    /// plain Gaussian init (0) learned the list faster than 0.5 or 1 here.
    pub identity: f64,
    pub seed: u64,
}

impl Default for AutocompleteSettings {
    /// H = 64, Adam lr 0.01, 8 queries per step, Gaussian init, seed 1
    /// (H = 96 or lr 0.02 diverged or learned slower in the same time).
    fn default() -> Self {
        Self {
            hidden: 64,
            learning_rate: 0.01,
            batch: 8,
            identity: 0.0,
            seed: 1,
        }
    }
}

/// One next-character probability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CharProb {
    /// The character ("⏎" for the end of the query).
    pub symbol: String,
    pub end: bool,
    pub p: f64,
}

/// The state primed with a prefix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Primed {
    /// The prefix as the model read it (lower case, unknown characters left out).
    pub read: String,
    /// Characters of the prefix the model has never seen, in order, once each.
    pub skipped: Vec<char>,
    /// h after the prefix: \[H\].
    pub h: Vec<f64>,
    /// The 5 most probable next characters.
    pub next: Vec<CharProb>,
}

/// Training progress, for the page's progress bar and loss curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AutocompleteStatus {
    pub steps: u64,
    /// The same as `steps` (the page's models all report `iteration`).
    pub iteration: u64,
    /// Always false: a step that would diverge is refused and changes nothing.
    pub diverged: bool,
    pub epoch: u64,
    /// Steps of the default training ([`TRAIN_STEPS`]).
    pub ready_at: usize,
    /// Loss of every step, oldest first; each entry the mean of
    /// `loss_stride` steps (1 until the history is full).
    pub losses: Vec<f64>,
    pub loss_stride: u64,
    pub list: ListInfo,
    pub input_size: usize,
    pub parameter_count: usize,
}

/// A character RNN on a query list, with its trainer.
#[derive(Debug, Clone)]
pub struct Autocomplete {
    settings: AutocompleteSettings,
    list: QueryList,
    rnn: TokenRnn,
    trainer: Trainer,
}

impl Autocomplete {
    /// A fresh (untrained) model of `list`.
    pub fn new(list: QueryList, settings: AutocompleteSettings) -> Result<Self> {
        let cfg = RnnConfig {
            hidden: settings.hidden,
            identity: settings.identity,
            seed: settings.seed,
            ..Default::default()
        };
        let rnn = TokenRnn::new(cfg, list.vocab.len(), list.sequences())?;
        let opt = OptimizerConfig::new(OptimizerKind::Adam, settings.learning_rate);
        let trainer = Trainer::new(&rnn, opt, settings.batch.max(1), 5.0, settings.seed)?;
        Ok(Self {
            settings,
            list,
            rnn,
            trainer,
        })
    }

    /// A fresh model of the built-in list.
    pub fn builtin(settings: AutocompleteSettings) -> Result<Self> {
        Self::new(QueryList::builtin(), settings)
    }

    /// A fresh model of a pasted list (`None`: the built-in one); a list the
    /// parser refuses is an error that says why.
    pub fn from_text(list: Option<&str>, settings: AutocompleteSettings) -> Result<Self> {
        match list {
            Some(text) => Self::new(QueryList::parse(text)?, settings),
            None => Self::builtin(settings),
        }
    }

    pub fn settings(&self) -> &AutocompleteSettings {
        &self.settings
    }

    /// The list as text, one query per line, as learned (lower case, spaces
    /// squeezed): parsing it again gives the same queries.
    pub fn list_text(&self) -> String {
        self.list.queries.join("\n")
    }

    pub fn list(&self) -> &QueryList {
        &self.list
    }

    pub fn rnn(&self) -> &TokenRnn {
        &self.rnn
    }

    /// `steps` more training steps (a slice per animation frame).
    pub fn train(&mut self, steps: usize) -> Result<Option<TrainStep>> {
        self.trainer.train(&mut self.rnn, steps)
    }

    pub fn steps(&self) -> u64 {
        self.trainer.steps()
    }

    /// `n` more steps, reported for the page's frame loop.
    pub fn train_slice(&mut self, n: usize) -> Result<TrainSlice> {
        let last = self.train(n)?;
        Ok(TrainSlice {
            iterations_run: n,
            iteration: self.steps(),
            loss: last.map(|s| s.loss),
        })
    }

    pub fn progress(&self) -> TrainProgress {
        TrainProgress {
            iteration: self.steps(),
            diverged: false,
            loss: self.trainer.last_loss(),
        }
    }

    pub fn epoch(&self) -> u64 {
        self.trainer.epoch()
    }

    /// Loss of every step (mean −log p per character of the step's queries;
    /// pooled past [`LOSS_HISTORY`](super::trainer::LOSS_HISTORY) steps).
    pub fn losses(&self) -> &[f64] {
        &self.trainer.losses
    }

    /// The training state (θ, Adam's memory, the batch order, the losses of
    /// steps `since` and later), after a tag; see `trainer_state`.
    pub fn export_state(&self, since: u64) -> Vec<f64> {
        let mut out = vec![STATE_TAG];
        self.trainer.export_state(&self.rnn, since, false, &mut out);
        out
    }

    /// Brings this model to an exported state of one built from the same
    /// list and settings, bit for bit; a damaged or foreign state changes nothing.
    pub fn import_state(&mut self, state: &[f64]) -> Result<()> {
        if state.first() != Some(&STATE_TAG) {
            return Err(bad("not a state of the autocomplete"));
        }
        self.trainer.import_state(&mut self.rnn, &state[1..])
    }

    /// Steps, epochs, losses, the list and the model's size.
    pub fn status(&self) -> AutocompleteStatus {
        AutocompleteStatus {
            steps: self.steps(),
            iteration: self.steps(),
            diverged: false,
            epoch: self.epoch(),
            ready_at: TRAIN_STEPS,
            losses: self.losses().to_vec(),
            loss_stride: self.trainer.loss_stride(),
            list: self.list.info(),
            input_size: self.rnn.input_size(),
            parameter_count: self.rnn.parameter_count(),
        }
    }

    /// The prefix as symbol ids after `\n`, and the characters skipped.
    fn read(&self, prefix: &str) -> Result<(Vec<usize>, String, Vec<char>)> {
        let lower = prefix.to_lowercase();
        let n = lower.chars().count();
        if n > MAX_QUERY_CHARS {
            return Err(EngineError::Invalid(format!(
                "the prefix is {n} characters long; a query can have at most {MAX_QUERY_CHARS}"
            )));
        }
        let (mut ids, mut read, mut skipped) = (vec![0], String::new(), Vec::new());
        for c in lower.chars() {
            match self.list.vocab.index_of(c) {
                Ok(i) if i != 0 => {
                    ids.push(i);
                    read.push(c);
                }
                _ if !skipped.contains(&c) => skipped.push(c),
                _ => {}
            }
        }
        Ok((ids, read, skipped))
    }

    fn char_probs(&self, p: &[f64], k: usize) -> Vec<CharProb> {
        top_k(p, k)
            .into_iter()
            .map(|(i, p)| CharProb {
                symbol: self.list.display(i),
                end: i == 0,
                p,
            })
            .collect()
    }

    /// h and the next-character distribution after `prefix` (top 5).
    pub fn prime(&self, prefix: &str) -> Result<Primed> {
        let (ids, read, skipped) = self.read(prefix)?;
        let (h, p) = self.rnn.prime(&ids)?;
        Ok(Primed {
            read,
            skipped,
            h,
            next: self.char_probs(&p, COMPLETIONS),
        })
    }
}
