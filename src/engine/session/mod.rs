//! A training session: a model, its data, an optimiser and the histories.
//!
//! Two ways to cut the text into sequences:
//! - word mode (`seq_len: None`): every iteration trains on the whole text,
//!   inputs `text[..n−1]`, targets `text[1..]`, from h_0 = 0 ("hello": h,e,l,l → e,l,l,o);
//! - text mode (`seq_len: Some(s)`, min-char-rnn): inputs `text[p..p+s]`,
//!   targets `text[p+1..p+s+1]`; the data pointer p advances by s, the hidden
//!   state h is carried from one iteration to the next, and both are reset
//!   (p = 0, h = 0) when `p + s + 1 > n`.
//!
//! One iteration = forward + BPTT (full or truncated) + clipping + one
//! optimiser step, or, with `update_per_chunk`, one step per chunk.
//! The smooth loss starts at −ln(1/V)·(scored steps per sequence) and follows
//! `s ← 0.999·s + 0.001·L`.

use super::bptt::{Gradients, TruncatedGradients, backward, truncated};
use super::clip::{Clip, ClipReport};
use super::error::{EngineError, Result};
use super::forward::{LossMode, Trace, forward};
use super::gradcheck::{GradCheckReport, grad_check};
use super::history::{History, HistoryEntry};
use super::optim::{Optimizer, OptimizerConfig, check_learning_rate};
use super::params::{ModelConfig, Params};
use super::sample::{Sample, sample};
use super::vocab::Vocab;
use ndarray::{Array1, Array2, s};
use serde::{Deserialize, Serialize};

/// Everything that defines a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionConfig {
    /// Hidden size, init, activation, seed.
    pub model: ModelConfig,
    /// The training text.
    pub text: String,
    /// None: word mode; Some(s): text mode with sequences of s steps.
    pub seq_len: Option<usize>,
    pub optimizer: OptimizerConfig,
    pub clip: Clip,
    pub loss_mode: LossMode,
    /// (k1, k2): truncated BPTT inside each sequence; None: full BPTT.
    pub truncation: Option<(usize, usize)>,
    /// With truncation: one optimiser step after each chunk (min-char-rnn style).
    pub update_per_chunk: bool,
    /// Iterations kept in each history ring.
    pub history_capacity: usize,
}

impl Default for SessionConfig {
    /// "hello", H = 3, scale 0.5, tanh, no bias, seed 0, Adagrad lr 0.1, clip by value 5.
    fn default() -> Self {
        Self {
            model: ModelConfig::default(),
            text: "hello".into(),
            seq_len: None,
            optimizer: OptimizerConfig::default(),
            clip: Clip::Value(5.0),
            loss_mode: LossMode::PerStep,
            truncation: None,
            update_per_chunk: false,
            history_capacity: 10_000,
        }
    }
}

/// What a call to [`Session::train`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainReport {
    pub iterations_run: usize,
    /// Iterations done since the last reset.
    pub iteration: u64,
    /// L of the last iteration (NaN if none has run yet).
    pub loss: f64,
    pub smooth_loss: f64,
    /// Clipping in the last iteration (its last chunk, with per-chunk updates).
    pub clip: ClipReport,
    /// In how many of the iterations run clipping fired.
    pub clip_fired_count: usize,
    /// ‖dL/dθ‖ of the last iteration, before clipping.
    pub grad_norm: f64,
}

/// Checks a truncation setting: k1 ≥ 1, k2 ≥ k1.
pub fn check_truncation(t: Option<(usize, usize)>) -> Result<()> {
    if let Some((k1, k2)) = t {
        if k1 < 1 {
            return Err(EngineError::ChunkLength {
                name: "k1",
                got: k1,
            });
        }
        if k2 < 1 {
            return Err(EngineError::ChunkLength {
                name: "k2",
                got: k2,
            });
        }
        if k2 < k1 {
            return Err(EngineError::TruncationOrder { k1, k2 });
        }
    }
    Ok(())
}

/// A model being trained on a text.
#[derive(Debug, Clone)]
pub struct Session {
    config: SessionConfig,
    vocab: Vocab,
    /// The text as symbol indices.
    data: Vec<usize>,
    params: Params,
    optimizer: Optimizer,
    /// Text mode: where the next sequence starts (before the wrap check).
    pointer: usize,
    /// Text mode: the state carried from the last iteration.
    h_prev: Array1<f64>,
    /// Text mode: whether the next sequence starts from the carried state
    /// (min-char-rnn) or from h = 0 (independent sequences, e.g. the
    /// long-range task of the vanishing-gradient chapter).
    carry_state: bool,
    iteration: u64,
    smooth_loss: f64,
    last_loss: Option<f64>,
    diverged_at: Option<u64>,
    history: History,
}

/// What one iteration produced, before it is recorded.
struct Step {
    loss: f64,
    h_last: Array1<f64>,
    grad_norms: [f64; 5],
    dh_norms: Vec<f64>,
    clip: ClipReport,
    fired: bool,
}

fn norm(v: ndarray::ArrayView1<f64>) -> f64 {
    v.dot(&v).sqrt()
}

impl Session {
    /// Validates `config` and builds the session, with the vocabulary in
    /// order of first appearance in the text.
    pub fn new(config: SessionConfig) -> Result<Session> {
        let vocab = Vocab::from_text(&config.text)?;
        Self::with_vocab(config, vocab)
    }

    /// Like [`Session::new`] with a given vocabulary (e.g. [`Vocab::sorted`]);
    /// every symbol of the text must be in it.
    pub fn with_vocab(config: SessionConfig, vocab: Vocab) -> Result<Session> {
        config.model.validate()?;
        if config.text.is_empty() {
            return Err(EngineError::EmptyText);
        }
        let data = vocab.encode(&config.text)?;
        let needed = match config.seq_len {
            None => 2,
            Some(0) => {
                return Err(EngineError::ChunkLength {
                    name: "the sequence length",
                    got: 0,
                });
            }
            Some(s) => s + 1,
        };
        if data.len() < needed {
            return Err(EngineError::TextTooShort { needed });
        }
        config.optimizer.validate()?;
        config.clip.validate()?;
        check_truncation(config.truncation)?;
        if config.history_capacity == 0 {
            return Err(EngineError::Invalid(
                "the history must hold at least 1 iteration".into(),
            ));
        }
        let params = Params::init(vocab.len(), &config.model)?;
        let optimizer = Optimizer::new(config.optimizer, vocab.len(), config.model.hidden)?;
        let mut session = Session {
            h_prev: Array1::zeros(config.model.hidden),
            carry_state: true,
            history: History::new(config.history_capacity),
            config,
            vocab,
            data,
            params,
            optimizer,
            pointer: 0,
            iteration: 0,
            smooth_loss: 0.0,
            last_loss: None,
            diverged_at: None,
        };
        session.smooth_loss = session.initial_smooth_loss();
        Ok(session)
    }

    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub fn optimizer(&self) -> &Optimizer {
        &self.optimizer
    }

    /// The text as symbol indices.
    pub fn data(&self) -> &[usize] {
        &self.data
    }

    /// Replaces the parameters (model import): shapes must match, every
    /// number must be finite, and biases must be zero when the model has none.
    /// Clears the optimiser's memory and the diverged flag.
    pub fn set_params(&mut self, params: Params) -> Result<()> {
        params.check_shapes(self.vocab.len(), self.config.model.hidden)?;
        if !params.all_finite() {
            return Err(EngineError::Invalid(
                "the parameters contain NaN or infinite numbers".into(),
            ));
        }
        if !self.config.model.bias {
            for (name, b) in [("b_h", &params.b_h), ("b_y", &params.b_y)] {
                if b.iter().any(|&v| v != 0.0) {
                    return Err(EngineError::Shape {
                        field: name.into(),
                        message: "this model has no biases, so it must be all zeros".into(),
                    });
                }
            }
        }
        self.params = params;
        self.optimizer.reset();
        self.diverged_at = None;
        Ok(())
    }

    /// Fresh weights from `seed`, fresh optimiser memory, iteration 0, data
    /// pointer 0, h = 0, histories cleared.
    pub fn reset(&mut self, seed: u64) {
        self.config.model.seed = seed;
        // The config was validated when the session was made.
        self.params = Params::init(self.vocab.len(), &self.config.model)
            .unwrap_or_else(|_| Params::zeros(self.vocab.len(), self.config.model.hidden));
        self.optimizer.reset();
        self.pointer = 0;
        self.h_prev = Array1::zeros(self.config.model.hidden);
        self.iteration = 0;
        self.smooth_loss = self.initial_smooth_loss();
        self.last_loss = None;
        self.diverged_at = None;
        self.history.clear();
    }

    /// Text mode: carry h from one sequence to the next (the default, as
    /// min-char-rnn) or start every sequence from h = 0.
    pub fn set_carry_state(&mut self, carry: bool) {
        self.carry_state = carry;
    }

    pub fn carry_state(&self) -> bool {
        self.carry_state
    }

    /// Changes lr without touching anything else.
    pub fn set_learning_rate(&mut self, lr: f64) -> Result<()> {
        check_learning_rate(lr)?;
        self.optimizer.set_learning_rate(lr)?;
        self.config.optimizer.learning_rate = lr;
        Ok(())
    }

    /// Changes the optimiser; its memory starts from zero.
    pub fn set_optimizer(&mut self, cfg: OptimizerConfig) -> Result<()> {
        self.optimizer = Optimizer::new(cfg, self.vocab.len(), self.config.model.hidden)?;
        self.config.optimizer = cfg;
        Ok(())
    }

    pub fn set_clip(&mut self, clip: Clip) -> Result<()> {
        clip.validate()?;
        self.config.clip = clip;
        Ok(())
    }

    pub fn set_truncation(&mut self, t: Option<(usize, usize)>) -> Result<()> {
        check_truncation(t)?;
        self.config.truncation = t;
        Ok(())
    }

    pub fn set_update_per_chunk(&mut self, on: bool) {
        self.config.update_per_chunk = on;
    }

    /// Steps per sequence: n − 1 in word mode, s in text mode.
    pub fn seq_steps(&self) -> usize {
        self.config.seq_len.unwrap_or(self.data.len() - 1)
    }

    fn initial_smooth_loss(&self) -> f64 {
        let scored = match self.config.loss_mode {
            LossMode::PerStep => self.seq_steps(),
            LossMode::LastStep => 1,
        };
        -(1.0 / self.vocab.len() as f64).ln() * scored as f64
    }

    /// Where the next sequence starts and whether the pointer wraps first.
    fn window(&self) -> (usize, bool) {
        match self.config.seq_len {
            None => (0, true),
            Some(s) if self.pointer + s + 1 > self.data.len() => (0, true),
            Some(_) => (self.pointer, false),
        }
    }

    /// Text mode: the data pointer p of the next sequence (0 in word mode).
    pub fn pointer(&self) -> usize {
        self.window().0
    }

    /// Inputs and scored targets of the sequence the next iteration uses.
    pub fn sequence(&self) -> (Vec<usize>, Vec<Option<usize>>) {
        let (p, _) = self.window();
        let n = self.seq_steps();
        let inputs = self.data[p..p + n].to_vec();
        let targets = self.config.loss_mode.scored(&self.data[p + 1..p + n + 1]);
        (inputs, targets)
    }

    /// The state the next sequence starts from (zero in word mode and at a wrap).
    pub fn h_prev(&self) -> Array1<f64> {
        match self.window() {
            (_, true) => Array1::zeros(self.config.model.hidden),
            (_, false) if !self.carry_state => Array1::zeros(self.config.model.hidden),
            (_, false) => self.h_prev.clone(),
        }
    }

    /// The forward pass of [`Session::sequence`] with the current parameters.
    pub fn trace(&self) -> Trace {
        let (inputs, targets) = self.sequence();
        forward(
            &self.params,
            self.config.model.activation,
            &inputs,
            &targets,
            &self.h_prev(),
        )
        .expect("session sequences are validated")
    }

    /// Full BPTT of [`Session::trace`] (bias gradients are zero when biases are off).
    pub fn gradients(&self) -> Gradients {
        let mut g = backward(&self.params, &self.trace());
        if !self.config.model.bias {
            g.params.zero_biases();
        }
        g
    }

    /// Truncated BPTT of [`Session::trace`] with the session's (k1, k2), if set.
    pub fn truncated_gradients(&self) -> Option<TruncatedGradients> {
        let (k1, k2) = self.config.truncation?;
        let mut g = truncated(&self.params, &self.trace(), k1, k2).ok()?;
        if !self.config.model.bias {
            g.params.zero_biases();
        }
        Some(g)
    }

    pub fn iteration(&self) -> u64 {
        self.iteration
    }

    pub fn smooth_loss(&self) -> f64 {
        self.smooth_loss
    }

    pub fn last_loss(&self) -> Option<f64> {
        self.last_loss
    }

    /// Whether training stopped on NaN/Inf (cleared by reset or set_params).
    pub fn diverged(&self) -> bool {
        self.diverged_at.is_some()
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// Samples `length` symbols after symbol `start`, from [`Session::h_prev`].
    pub fn sample(
        &self,
        start: usize,
        length: usize,
        temperature: f64,
        seed: u64,
    ) -> Result<Sample> {
        sample(
            &self.params,
            self.config.model.activation,
            &self.vocab,
            &self.h_prev(),
            start,
            length,
            temperature,
            seed,
        )
    }

    /// Finite differences against BPTT on the next sequence (see [`super::gradcheck`]).
    pub fn grad_check(&self) -> GradCheckReport {
        let (inputs, targets) = self.sequence();
        grad_check(
            &self.params,
            self.config.model.activation,
            &inputs,
            &targets,
            &self.h_prev(),
            self.config.model.bias,
        )
    }

    /// Runs `iterations` training iterations. On NaN/Inf the parameters and
    /// optimiser memory of the last good iteration are kept and
    /// `Err(Diverged { iteration })` names the iteration that failed; later
    /// calls refuse the same way until [`Session::reset`].
    pub fn train(&mut self, iterations: usize) -> Result<TrainReport> {
        if let Some(iteration) = self.diverged_at {
            return Err(EngineError::Diverged { iteration });
        }
        let mut report = TrainReport {
            iterations_run: 0,
            iteration: self.iteration,
            loss: self.last_loss.unwrap_or(f64::NAN),
            smooth_loss: self.smooth_loss,
            clip: ClipReport::default(),
            clip_fired_count: 0,
            grad_norm: f64::NAN,
        };
        for _ in 0..iterations {
            let step = match (self.config.truncation, self.config.update_per_chunk) {
                (Some(k), true) => self.iterate_per_chunk(k),
                (t, _) => self.iterate(t),
            };
            let Some(step) = step else {
                let iteration = self.iteration + 1;
                self.diverged_at = Some(iteration);
                return Err(EngineError::Diverged { iteration });
            };
            self.record(&step);
            report.iterations_run += 1;
            report.clip = step.clip;
            report.clip_fired_count += step.fired as usize;
            report.grad_norm = step.grad_norms.iter().map(|n| n * n).sum::<f64>().sqrt();
        }
        report.iteration = self.iteration;
        report.loss = self.last_loss.unwrap_or(f64::NAN);
        report.smooth_loss = self.smooth_loss;
        Ok(report)
    }

    /// Accepts an iteration: counters, pointer, carried state, smooth loss, history.
    fn record(&mut self, step: &Step) {
        let (p, _) = self.window();
        self.pointer = p + self.seq_steps();
        self.h_prev.assign(&step.h_last);
        self.iteration += 1;
        self.smooth_loss = 0.999 * self.smooth_loss + 0.001 * step.loss;
        self.last_loss = Some(step.loss);
        self.history.push(HistoryEntry {
            iteration: self.iteration,
            loss: step.loss,
            smooth_loss: self.smooth_loss,
            grad_norms: step.grad_norms,
            grad_norm_total: step.grad_norms.iter().map(|n| n * n).sum::<f64>().sqrt(),
            dh_norms: step.dh_norms.clone(),
            clip_fired: step.fired,
        });
    }

    /// Drops the bias gradients when the model has none, then clips.
    /// Returns ‖g‖ per tensor before clipping and the clip report; None if
    /// the gradient is not finite.
    fn clip(&self, grads: &mut Params) -> Option<([f64; 5], ClipReport)> {
        if !self.config.model.bias {
            grads.zero_biases();
        }
        let (norms, report) = self.config.clip.apply_with_norms(grads);
        norms
            .iter()
            .all(|n| n.is_finite())
            .then_some((norms, report))
    }

    /// One iteration with a single update: forward, BPTT (full or truncated),
    /// clip, step. None (and nothing changed) on NaN/Inf.
    fn iterate(&mut self, truncation: Option<(usize, usize)>) -> Option<Step> {
        let trace = self.trace();
        if !trace.loss.is_finite() {
            return None;
        }
        let (mut grads, dh_norms) = match truncation {
            None => {
                let g = backward(&self.params, &trace);
                let norms = g.dh_norms();
                (g.params, norms)
            }
            Some((k1, k2)) => {
                let g = truncated(&self.params, &trace, k1, k2).ok()?;
                let norms = g.dh.rows().into_iter().map(norm).collect();
                (g.params, norms)
            }
        };
        let (grad_norms, clip) = self.clip(&mut grads)?;
        let bias = self.config.model.bias;
        if !self.optimizer.step(&mut self.params, &grads, bias) {
            return None;
        }
        Some(Step {
            loss: trace.loss,
            h_last: trace.last_state(),
            grad_norms,
            dh_norms,
            fired: clip.fired,
            clip,
        })
    }

    /// TBPTT(k1, k2) with an update after each chunk, as min-char-rnn does
    /// across sequences: for each chunk of (up to) k1 losses, steps
    /// f+1..=e (f → e the chunk's losses), the steps max(0, f−(k2−k1))+1..=e
    /// are run forward with the current parameters
    /// from the state reached there, back-propagated (that entering state is
    /// a constant), clipped and applied. The iteration's loss is the sum of
    /// the chunk losses; its gradient norms are those of the summed chunk
    /// gradients before clipping. On NaN/Inf everything is restored.
    fn iterate_per_chunk(&mut self, (k1, k2): (usize, usize)) -> Option<Step> {
        let backup = (self.params.clone(), self.optimizer.clone());
        let step = self.chunks(k1, k2);
        if step.is_none() {
            (self.params, self.optimizer) = backup;
        }
        step
    }

    fn chunks(&mut self, k1: usize, k2: usize) -> Option<Step> {
        let (inputs, targets) = self.sequence();
        let steps = inputs.len();
        let hidden = self.config.model.hidden;
        let activation = self.config.model.activation;
        let bias = self.config.model.bias;
        // states[t] = h_t as the chunk that produced it computed it.
        let mut states = vec![self.h_prev()];
        let mut sum = Params::zeros(self.vocab.len(), hidden);
        let mut dh = Array2::<f64>::zeros((steps + 1, hidden));
        let (mut loss, mut fired, mut clip) = (0.0, false, ClipReport::default());
        let mut loss_from = 0;
        while loss_from < steps {
            let end = (loss_from + k1).min(steps);
            let start = loss_from.saturating_sub(k2 - k1);
            let scored: Vec<Option<usize>> = (start..end)
                .map(|t| if t >= loss_from { targets[t] } else { None })
                .collect();
            let tr = forward(
                &self.params,
                activation,
                &inputs[start..end],
                &scored,
                &states[start],
            )
            .ok()?;
            if !tr.loss.is_finite() {
                return None;
            }
            let g = backward(&self.params, &tr);
            for t in loss_from + 1..=end {
                states.push(tr.h.row(t - start).to_owned());
            }
            let mut window = dh.slice_mut(s![start..=end, ..]);
            window += &g.dh;
            if start > 0 {
                // That gradient leaves the chunk and is discarded.
                let mut row = dh.row_mut(start);
                row -= &g.dh.row(0);
            }
            let mut grads = g.params;
            if !self.config.model.bias {
                grads.zero_biases();
            }
            // The iteration's gradient norms are those of the summed chunk gradients.
            sum.add_assign(&grads);
            (_, clip) = self.clip(&mut grads)?;
            fired |= clip.fired;
            if !self.optimizer.step(&mut self.params, &grads, bias) {
                return None;
            }
            loss += tr.loss;
            loss_from = end;
        }
        Some(Step {
            loss,
            h_last: states.pop()?,
            grad_norms: super::clip::norms(&sum),
            dh_norms: dh.rows().into_iter().map(norm).collect(),
            clip,
            fired,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_the_lecture_example() {
        let s = Session::new(SessionConfig::default()).unwrap();
        assert_eq!(s.vocab().symbols(), &['h', 'e', 'l', 'o']);
        let (inputs, targets) = s.sequence();
        assert_eq!(inputs, vec![0, 1, 2, 2]);
        assert_eq!(targets, vec![Some(1), Some(2), Some(2), Some(3)]);
        assert!((s.smooth_loss() - 4.0 * 4f64.ln()).abs() < 1e-12);
        assert_eq!(s.h_prev().len(), 3);
    }

    #[test]
    fn text_mode_advances_carries_and_wraps() {
        let mut s = Session::new(SessionConfig {
            text: "abcdefghij".into(),
            seq_len: Some(4),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(s.sequence().0, vec![0, 1, 2, 3]);
        s.train(1).unwrap();
        assert_eq!(s.pointer(), 4);
        assert_eq!(s.sequence().0, vec![4, 5, 6, 7]);
        assert!(s.h_prev().iter().any(|&v| v != 0.0));
        s.train(1).unwrap();
        // p = 8: 8 + 4 + 1 > 10, so the next sequence starts over from h = 0.
        assert_eq!(s.pointer(), 0);
        assert!(s.h_prev().iter().all(|&v| v == 0.0));
        assert_eq!(s.sequence().1[3], Some(4));
    }

    #[test]
    fn biases_stay_zero_when_off() {
        let mut s = Session::new(SessionConfig::default()).unwrap();
        s.train(50).unwrap();
        assert!(
            s.params()
                .b_h
                .iter()
                .chain(&s.params().b_y)
                .all(|&v| v == 0.0)
        );
        assert!(s.gradients().params.b_y.iter().all(|&v| v == 0.0));
    }
}
