//! Chapter "Training: backpropagation through time": one step's share of
//! the shared-weight gradients, the truncated-BPTT timeline with its
//! symbols, and text mode's facts.
//!
//! ```text
//! dW_xh = Σ_t da_t x_tᵀ [H,V]    dW_hh = Σ_t da_t h_{t−1}ᵀ [H,H]    dW_hy = Σ_t dy_t h_tᵀ [V,H]
//! ```

use super::{check_step, rows, symbol};
use crate::engine::contributions::step_contribution;
use crate::engine::error::Result;
use crate::engine::timeline::{Timeline, timeline};
use crate::engine::{Params, Session};
use ndarray::{Array2, s};
use serde::Serialize;

/// One step's share of the three weight gradients, and the sums around it.
#[derive(Debug, Clone, Serialize)]
pub struct ContributionsView {
    pub t: usize,
    pub steps: usize,
    /// "W_xh", "W_hh", "W_hy": the order of every list below.
    pub names: [&'static str; 3],
    /// The full shape of each matrix (the lists below may be cropped).
    pub shape: [[usize; 2]; 3],
    /// Row and column labels of each matrix (units "1".."H", symbols).
    pub row_labels: [Vec<String>; 3],
    pub col_labels: [Vec<String>; 3],
    /// Step t's term: da_t x_tᵀ, da_t h_{t−1}ᵀ, dy_t h_tᵀ.
    pub step: [Vec<Vec<f64>>; 3],
    /// Σ over s = t..T: what the backward pass has accumulated when it
    /// reaches step t (going from T down).
    pub so_far: [Vec<Vec<f64>>; 3],
    /// The engine's gradient (full BPTT, what the optimiser uses).
    pub gradient: [Vec<Vec<f64>>; 3],
    /// max |Σ_{s=1..T} term_s − gradient| per matrix: 0 up to rounding.
    pub sum_error: [f64; 3],
    /// Largest |entry| over every step's term and the gradient, per matrix:
    /// one colour scale for all pictures of that matrix (1 when all are 0).
    pub max_abs: [f64; 3],
}

fn three(p: &Params) -> [&Array2<f64>; 3] {
    [&p.w_xh, &p.w_hh, &p.w_hy]
}

fn max_abs(m: &Array2<f64>) -> f64 {
    m.iter()
        .filter(|v| v.is_finite())
        .fold(0.0f64, |a, &v| a.max(v.abs()))
}

/// Step t's contribution (1 ≤ t ≤ T) to dW_xh, dW_hh, dW_hy of the session's
/// sequence, the sum accumulated from T down to t, and the gradient. The
/// matrices are cropped to their first `max_size` rows and columns (None:
/// all), for pictures of large models; the scales and the sum check use the
/// whole matrices. Memory stays O(H² + HV) whatever T is.
pub fn contributions_view(
    session: &Session,
    t: usize,
    max_size: Option<usize>,
) -> Result<ContributionsView> {
    let trace = session.trace();
    let grads = session.gradients();
    let steps = trace.len();
    check_step(t, steps)?;
    let (vocab, hidden) = (grads.dy.ncols(), grads.da.ncols());
    let mut here = Params::zeros(vocab, hidden);
    let mut so_far = Params::zeros(vocab, hidden);
    let mut total = Params::zeros(vocab, hidden);
    let mut m = [0.0f64; 3];
    for s in 1..=steps {
        let term = step_contribution(&trace, &grads, s)?;
        for (k, a) in three(&term).into_iter().enumerate() {
            m[k] = m[k].max(max_abs(a));
        }
        total.add_assign(&term);
        if s >= t {
            so_far.add_assign(&term);
        }
        if s == t {
            here = term;
        }
    }
    let mut err = [0.0f64; 3];
    for (k, (a, b)) in three(&total)
        .into_iter()
        .zip(three(&grads.params))
        .enumerate()
    {
        m[k] = m[k].max(max_abs(b));
        err[k] = max_abs(&(a - b));
    }
    let n = max_size.unwrap_or(usize::MAX).max(1);
    let units: Vec<String> = (1..=hidden.min(n)).map(|i| i.to_string()).collect();
    let symbols: Vec<String> = (0..vocab.min(n))
        .map(|i| symbol(session.vocab(), i))
        .collect();
    let crop = |a: &Array2<f64>| {
        rows(
            &a.slice(s![..a.nrows().min(n), ..a.ncols().min(n)])
                .to_owned(),
        )
    };
    let r = |p: &Params| three(p).map(crop);
    Ok(ContributionsView {
        t,
        steps,
        names: ["W_xh", "W_hh", "W_hy"],
        shape: three(&grads.params).map(|a| [a.nrows(), a.ncols()]),
        row_labels: [units.clone(), units.clone(), symbols.clone()],
        col_labels: [symbols, units.clone(), units],
        step: r(&here),
        so_far: r(&so_far),
        gradient: r(&grads.params),
        sum_error: err,
        max_abs: m.map(|v| if v > 0.0 { v } else { 1.0 }),
    })
}

/// The truncated-BPTT timeline of the sequence trained next and its symbols.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineView {
    #[serde(flatten)]
    pub timeline: Timeline,
    /// The input symbol of each step t = 1..T.
    pub inputs: Vec<String>,
    /// Where the sequence starts in the text.
    pub pointer: usize,
    /// Whether the parameters are updated after each chunk (else once, after
    /// the whole sequence). Full BPTT is one chunk: the same either way.
    pub update_per_chunk: bool,
    /// The steps after which the optimiser updates W (1-based): each chunk's
    /// end with `update_per_chunk`, else T alone.
    pub updates: Vec<usize>,
}

/// The timeline for (k1, k2) (None: full BPTT) of the session's next
/// sequence, with the updates after each chunk (`update_per_chunk`) or
/// once at its end.
pub fn timeline_view(
    session: &Session,
    truncation: Option<(usize, usize)>,
    update_per_chunk: bool,
) -> Result<TimelineView> {
    let timeline = timeline(session, truncation)?;
    let updates = if update_per_chunk {
        timeline.chunks.iter().map(|c| c.end).collect()
    } else {
        vec![timeline.steps]
    };
    Ok(TimelineView {
        timeline,
        update_per_chunk,
        updates,
        inputs: session
            .sequence()
            .0
            .iter()
            .map(|&i| symbol(session.vocab(), i))
            .collect(),
        pointer: session.pointer(),
    })
}

/// Text mode's facts.
#[derive(Debug, Clone, Serialize)]
pub struct TextInfo {
    /// Characters of the training text.
    pub text_chars: usize,
    pub vocab_size: usize,
    pub hidden: usize,
    /// Steps per sequence (T).
    pub seq: usize,
    /// Where the next sequence starts.
    pub pointer: usize,
    pub truncation: Option<(usize, usize)>,
    pub parameters: usize,
}

pub fn text_info(s: &Session) -> TextInfo {
    TextInfo {
        text_chars: s.data().len(),
        vocab_size: s.vocab().len(),
        hidden: s.config().model.hidden,
        seq: s.seq_steps(),
        pointer: s.pointer(),
        truncation: s.config().truncation,
        parameters: s.params().slices().iter().map(|x| x.len()).sum(),
    }
}

/// What a session reports about itself.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub iteration: u64,
    /// L of the sequence shown, with the current weights.
    pub loss: f64,
    /// L of the last training iteration (None before any).
    pub last_loss: Option<f64>,
    pub smooth_loss: f64,
    pub diverged: bool,
    pub steps: usize,
    pub vocab_size: usize,
    pub hidden: usize,
    pub history_len: usize,
}

pub fn status(s: &Session) -> Status {
    let trace = s.trace();
    Status {
        iteration: s.iteration(),
        loss: trace.loss,
        last_loss: s.last_loss(),
        smooth_loss: s.smooth_loss(),
        diverged: s.diverged(),
        steps: trace.len(),
        vocab_size: s.vocab().len(),
        hidden: s.config().model.hidden,
        history_len: s.history().len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::SessionConfig;

    #[test]
    fn the_terms_sum_to_the_gradient_and_crop_keeps_the_scales() {
        let mut c = SessionConfig::default();
        c.model.hidden = 6;
        let s = Session::new(c).unwrap();
        let full = contributions_view(&s, 2, None).unwrap();
        assert!(full.sum_error.iter().all(|&e| e < 1e-15));
        assert_eq!(full.shape, [[6, 4], [6, 6], [4, 6]]);
        let cropped = contributions_view(&s, 2, Some(3)).unwrap();
        assert_eq!(cropped.step[1].len(), 3);
        assert_eq!(cropped.step[1][0].len(), 3);
        assert_eq!(cropped.max_abs, full.max_abs);
        assert_eq!(cropped.col_labels[0], ["h", "e", "l"]);
        // Going down from T, the sum at t = 1 is the whole gradient.
        let first = contributions_view(&s, 1, None).unwrap();
        assert_eq!(first.so_far[1].len(), 6);
        assert!(contributions_view(&s, 5, None).is_err());
    }

    #[test]
    fn status_and_info_describe_the_session() {
        let mut s = Session::new(SessionConfig::default()).unwrap();
        s.train(3).unwrap();
        let st = status(&s);
        assert_eq!(
            (st.iteration, st.steps, st.vocab_size, st.history_len),
            (3, 4, 4, 3)
        );
        assert_eq!(st.last_loss, s.last_loss());
        let info = text_info(&s);
        assert_eq!(info.parameters, 3 * 4 + 3 * 3 + 4 * 3 + 3 + 4);
        let tl = timeline_view(&s, Some((2, 2)), false).unwrap();
        assert_eq!(tl.inputs, ["h", "e", "l", "l"]);
        assert_eq!(tl.updates, [4], "one update, after the sequence");
        let per_chunk = timeline_view(&s, Some((3, 3)), true).unwrap();
        assert_eq!(per_chunk.updates, [3, 4], "one update after each chunk");
        assert!(per_chunk.update_per_chunk);
    }
}
