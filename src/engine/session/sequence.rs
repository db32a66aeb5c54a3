//! The data of a session: which sequence the next iteration uses, the state
//! it starts from, and what the engine computes on it.
//!
//! Two ways to cut the text into sequences:
//! - word mode (`seq_len: None`): every iteration trains on the whole text,
//!   inputs `text[..n−1]`, targets `text[1..]`, from h_0 = 0 ("hello": h,e,l,l → e,l,l,o);
//! - text mode (`seq_len: Some(s)`, min-char-rnn): inputs `text[p..p+s]`,
//!   targets `text[p+1..p+s+1]`; the data pointer p advances by s, the hidden
//!   state h is carried from one iteration to the next, and both are reset
//!   (p = 0, h = 0) when `p + s + 1 > n`.

use super::Session;
use crate::engine::bptt::{Gradients, TruncatedGradients, backward, truncated};
use crate::engine::error::Result;
use crate::engine::forward::{Trace, forward};
use crate::engine::gradcheck::{GradCheckReport, grad_check};
use crate::engine::sample::{Sample, sample};
use ndarray::Array1;

impl Session {
    /// Text mode: carry h from one sequence to the next (the default, as
    /// min-char-rnn) or start every sequence from h = 0.
    pub fn set_carry_state(&mut self, carry: bool) {
        self.carry_state = carry;
    }

    pub fn carry_state(&self) -> bool {
        self.carry_state
    }

    /// Steps per sequence: n − 1 in word mode, s in text mode.
    pub fn seq_steps(&self) -> usize {
        // n ≥ 2 and n ≥ s + 1 were checked when the session was made.
        self.config
            .seq_len
            .unwrap_or(self.data.len().saturating_sub(1))
    }

    /// Where the next sequence starts and whether the pointer wraps first
    /// (when p + s + 1 > n).
    pub(super) fn window(&self) -> (usize, bool) {
        let Some(s) = self.config.seq_len else {
            return (0, true);
        };
        let end = self.pointer.checked_add(s).and_then(|e| e.checked_add(1));
        match end {
            Some(end) if end <= self.data.len() => (self.pointer, false),
            _ => (0, true),
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

    /// [`Session::sequence`] as a masked sequence (every input present), the
    /// form the training step takes.
    pub(super) fn masked_sequence(&self) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
        let (p, _) = self.window();
        let n = self.seq_steps();
        let inputs = self.data[p..p + n].iter().copied().map(Some).collect();
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

    /// Finite differences against BPTT on the next sequence (see [`crate::engine::gradcheck`]).
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::session::SessionConfig;

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
}
