//! The "hello" ambiguity: after `l` comes `l` once and `o` once.
//!
//! A window-1 character model sees only the current character, so for input
//! `l` it must give one distribution for both steps; the best it can do is
//! p(l) = p(o) = ½ there, a mean loss of (0 + 0 + ln 2 + ln 2)/4 ≈ 0.347 per
//! step. The vanilla RNN reads `l` in two different states h_{t−1} and can
//! get both right: its loss goes towards 0. Both are trained side by side.
//!
//! ```text
//! window-1:  p(x_{t+1} | x_t) = softmax(W_xyᵀ onehot(x_t) + b_y)
//! RNN:       h_t = tanh(W_hh h_{t−1} + W_xh x_t),  p_t = softmax(W_hy h_t)   (the engine's Session)
//! ```

use super::next_word::NextToken;
use super::slice::{TrainProgress, TrainSlice};
use super::window::{FeedForwardConfig, WindowModel};
use super::{TrainStep, Trainer};
use crate::engine::error::Result;
use crate::engine::optim::{OptimizerConfig, OptimizerKind};
use crate::engine::session::state::{Reader, bad};
use crate::engine::session::{Session, SessionConfig};
use serde::{Deserialize, Serialize};

/// First number of an exported state.
const STATE_TAG: f64 = 7_404.0;

/// The vocabulary, as in the lecture.
pub const HELLO_VOCAB: [char; 4] = ['h', 'e', 'l', 'o'];
/// p(l) = p(o) = ½ after `l`: the window-1 model's best possible loss per step.
pub const WINDOW_BEST_LOSS: f64 = std::f64::consts::LN_2 / 2.0;

/// What the side-by-side view draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HelloSnapshot {
    /// Iterations each model has been trained (one full pass over "hello" each).
    pub steps: usize,
    /// The window model's mean loss per step, one entry per iteration
    /// until its history is full, then per `window_loss_stride` iterations.
    pub window_losses: Vec<f64>,
    pub window_loss_stride: u64,
    /// The RNN's mean loss per step (the session's summed loss / 4), one entry per iteration.
    pub rnn_losses: Vec<f64>,
    /// The window model's p(· | l) over [h, e, l, o].
    pub window_after_l: Vec<f64>,
    /// The RNN's p_t over [h, e, l, o] at the first `l` (target l) and the second (target o).
    pub rnn_after_first_l: Vec<f64>,
    pub rnn_after_second_l: Vec<f64>,
}

/// The race's settings: the seed of both models.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HelloSettings {
    pub seed: u64,
}

/// A window-1 model and the vanilla RNN, both learning "hello".
#[derive(Debug, Clone)]
pub struct HelloRace {
    window: WindowModel,
    trainer: Trainer,
    rnn: Session,
    rnn_losses: Vec<f64>,
    seed: u64,
}

impl HelloRace {
    /// Both models from `seed`: the window-1 model (softmax on the one-hot,
    /// Adam lr 0.1, full batch) and the engine's default session on "hello"
    /// (H = 3, tanh, no biases, Adagrad lr 0.1, clipping at 5).
    pub fn new(seed: u64) -> Result<Self> {
        let cfg = FeedForwardConfig {
            window: 1,
            hidden: 0,
            weight_scale: 0.1,
            seed,
        };
        // h e l l o → 0 1 2 2 3: inputs h,e,l,l and targets e,l,l,o.
        let window = WindowModel::new(cfg, 4, vec![vec![0, 1, 2, 2, 3]])?;
        let opt = OptimizerConfig::new(OptimizerKind::Adam, 0.1);
        let trainer = Trainer::new(&window, opt, 0, 0.0, seed)?;
        let mut config = SessionConfig::default();
        config.model.seed = seed;
        Ok(Self {
            window,
            trainer,
            rnn: Session::new(config)?,
            rnn_losses: Vec::new(),
            seed,
        })
    }

    /// `steps` more iterations of each model (a slice per animation frame).
    pub fn train(&mut self, steps: usize) -> Result<Option<TrainStep>> {
        let last = self.trainer.train(&mut self.window, steps)?;
        for _ in 0..steps {
            let report = self.rnn.train(1)?;
            self.rnn_losses.push(report.loss / 4.0);
        }
        Ok(last)
    }

    pub fn settings(&self) -> HelloSettings {
        HelloSettings { seed: self.seed }
    }

    /// Iterations each model has been trained.
    pub fn steps(&self) -> u64 {
        self.rnn_losses.len() as u64
    }

    /// `n` more iterations of each model, reported for the page's frame loop
    /// (the RNN's loss per step).
    pub fn train_slice(&mut self, n: usize) -> Result<TrainSlice> {
        self.train(n)?;
        Ok(TrainSlice {
            iterations_run: n,
            iteration: self.steps(),
            loss: self.rnn_losses.last().copied(),
        })
    }

    pub fn progress(&self) -> TrainProgress {
        TrainProgress {
            iteration: self.steps(),
            diverged: false,
            loss: self.rnn_losses.last().copied(),
        }
    }

    /// The training state of both models, after a tag: the window model's
    /// (see `trainer_state`), the RNN's losses of iterations `since` and later,
    /// and the RNN session's own state (its length first).
    pub fn export_state(&self, since: u64) -> Vec<f64> {
        let mut out = vec![STATE_TAG];
        let from = (since as usize).min(self.rnn_losses.len());
        self.trainer
            .export_state(&self.window, since, false, &mut out);
        out.extend([from as f64, (self.rnn_losses.len() - from) as f64]);
        out.extend_from_slice(&self.rnn_losses[from..]);
        let session = self.rnn.export_state(from as u64);
        out.push(session.len() as f64);
        out.extend(session);
        out
    }

    /// Brings both models to an exported state of a race with the same seed,
    /// bit for bit. Everything is checked first: a damaged state changes nothing.
    pub fn import_state(&mut self, state: &[f64]) -> Result<()> {
        let mut r = Reader::new(state);
        if r.one("tag")? != STATE_TAG {
            return Err(bad("not a state of the hello race"));
        }
        let window = self.trainer.read_state(&self.window, &mut r)?;
        let from = r.count("losses", self.rnn_losses.len())?;
        let n = r.count("losses", usize::MAX)?;
        let losses = r.take(n, "losses")?;
        let len = r.count("session", usize::MAX)?;
        let session = r.take(len, "session")?;
        r.finish()?;
        // The session checks its part before it changes anything; then the rest.
        let mut rnn = self.rnn.clone();
        rnn.import_state(session)?;
        if rnn.iteration() != (from + n) as u64 {
            return Err(bad("a loss history that does not match its iterations"));
        }
        self.rnn = rnn;
        self.trainer.apply_state(&mut self.window, window);
        self.rnn_losses.truncate(from);
        self.rnn_losses.extend_from_slice(losses);
        Ok(())
    }

    /// The window model's p(· | l) over [h, e, l, o].
    pub fn window_after_l(&self) -> Vec<f64> {
        self.window.next_distribution(&[2])
    }

    /// The numbers the view draws.
    pub fn snapshot(&self) -> HelloSnapshot {
        let trace = self.rnn.trace();
        HelloSnapshot {
            steps: self.rnn_losses.len(),
            window_losses: self.trainer.losses.clone(),
            window_loss_stride: self.trainer.loss_stride(),
            rnn_losses: self.rnn_losses.clone(),
            window_after_l: self.window_after_l(),
            rnn_after_first_l: trace.p.row(2).to_vec(),
            rnn_after_second_l: trace.p.row(3).to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Measured (seed 0): after 300 iterations the window model gives
    /// p(l|l) = 0.4998, p(o|l) = 0.4993 and a loss of 0.3479 per step (floor
    /// 0.3466); the RNN's loss per step is 0.124 after 50, 0.064 after 100,
    /// 0.022 after 300, with p = 0.98 on the right character at both `l`s.
    #[test]
    fn the_window_is_stuck_at_one_half_and_the_rnn_is_not() {
        let mut race = HelloRace::new(0).unwrap();
        for _ in 0..30 {
            race.train(10).unwrap();
        }
        let s = race.snapshot();
        assert_eq!(
            (s.steps, s.window_losses.len(), s.rnn_losses.len()),
            (300, 300, 300)
        );
        let p = &s.window_after_l;
        assert!(
            (p[2] - 0.5).abs() < 0.02 && (p[3] - 0.5).abs() < 0.02,
            "{p:?}"
        );
        assert!((s.window_losses[299] - WINDOW_BEST_LOSS).abs() < 0.01);
        assert!(s.rnn_losses[299] < 0.1, "{}", s.rnn_losses[299]);
        assert!(s.rnn_after_first_l[2] > 0.9 && s.rnn_after_second_l[3] > 0.9);
        assert_eq!(race.snapshot(), s, "a snapshot changes nothing");
        let mut again = HelloRace::new(0).unwrap();
        again.train(300).unwrap();
        assert_eq!(
            again.snapshot(),
            s,
            "same seed, same bits, whatever the slices"
        );
    }

    /// The chapter's default seed is 1: the same story there.
    #[test]
    fn seed_one_tells_the_same_story() {
        let mut race = HelloRace::new(1).unwrap();
        race.train(300).unwrap();
        let s = race.snapshot();
        let p = &s.window_after_l;
        assert!(
            (p[2] - 0.5).abs() < 0.02 && (p[3] - 0.5).abs() < 0.02,
            "{p:?}"
        );
        assert!(s.rnn_losses[299] < 0.1, "{}", s.rnn_losses[299]);
        assert!(s.rnn_losses[299] < s.window_losses[299] / 3.0);
    }

    #[test]
    fn slices_report_progress_and_the_settings_rebuild_the_race() {
        let mut race = HelloRace::new(3).unwrap();
        let r = race.train_slice(4).unwrap();
        assert_eq!((r.iterations_run, r.iteration), (4, 4));
        assert_eq!(r.loss, race.snapshot().rnn_losses.last().copied());
        assert_eq!(race.progress().iteration, 4);
        assert_eq!(race.settings(), HelloSettings { seed: 3 });
        let mut again = HelloRace::new(race.settings().seed).unwrap();
        again.train(4).unwrap();
        assert_eq!(again.snapshot(), race.snapshot());
    }

    #[test]
    fn a_copy_synced_by_states_is_the_race_bit_for_bit() {
        let mut twin = HelloRace::new(1).unwrap();
        let mut copy = HelloRace::new(1).unwrap();
        for n in [3, 40, 7] {
            twin.train(n).unwrap();
            copy.import_state(&twin.export_state(copy.steps())).unwrap();
            assert_eq!(copy.snapshot(), twin.snapshot());
        }
        twin.train(20).unwrap();
        copy.train(20).unwrap();
        assert_eq!(copy.export_state(0), twin.export_state(0));
        let before = copy.export_state(0);
        let mut short = before.clone();
        short.pop();
        let mut tag = before.clone();
        tag[0] = 7_403.0;
        let mut nan = before.clone();
        nan[30] = f64::NAN;
        for bad in [vec![], short, tag, nan] {
            assert!(copy.import_state(&bad).is_err());
        }
        assert_eq!(copy.export_state(0), before);
    }
}
