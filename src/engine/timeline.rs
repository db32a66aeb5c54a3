//! What truncated BPTT keeps and what it throws away, step by step: the
//! data of the timeline the lecture draws.
//!
//! The forward pass runs over the whole sequence and carries h_t across
//! every chunk border. The backward pass of each chunk [start, end) stops at
//! h_start, which it treats as a constant: the gradient that would have
//! flowed on into the earlier chunk,
//!
//! ```text
//! dh_start = dL_chunk / dh_start = W_hhᵀ da_{start+1}     [H]
//! ```
//!
//! is discarded (`Segment::dh_start`). Full BPTT is the one-chunk case
//! [0, T): even then the gradient reaching h_0 is discarded in text mode,
//! because h_0 is the state carried in from the previous sequence.

use super::bptt::{Segment, truncated};
use super::error::Result;
use super::session::{Session, check_truncation};
use serde::Serialize;

/// One chunk of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chunk {
    /// The state the chunk starts from (held constant by its backward pass).
    pub start: usize,
    /// Losses of steps loss_from+1..=end are back-propagated in this chunk.
    pub loss_from: usize,
    /// Last step of the chunk (1-based, inclusive).
    pub end: usize,
    /// Σ loss_t over the chunk's scored steps.
    pub loss: f64,
    /// ‖dL_chunk/dh_start‖: the norm of the gradient the border stops.
    pub dh_start_norm: f64,
    /// dL_chunk/dh_start itself: \[H\].
    pub dh_start: Vec<f64>,
}

impl From<Segment> for Chunk {
    fn from(s: Segment) -> Self {
        Self {
            dh_start_norm: s.dh_start.iter().map(|v| v * v).sum::<f64>().sqrt(),
            start: s.start,
            loss_from: s.loss_from,
            end: s.end,
            loss: s.loss,
            dh_start: s.dh_start,
        }
    }
}

/// The timeline of one sequence (the one the session trains on next).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    /// T.
    pub steps: usize,
    /// (k1, k2), or None for full BPTT.
    pub truncation: Option<(usize, usize)>,
    pub chunks: Vec<Chunk>,
    /// ‖h_t‖ for t = 0..T: the forward state, carried across every border.
    pub h_norms: Vec<f64>,
    /// ‖dh_t‖ for t = 0..T as the (truncated) backward pass computed it:
    /// the sum over chunks of the gradient reaching h_t inside each chunk.
    pub dh_norms: Vec<f64>,
    /// ‖dh_t‖ of full BPTT over the same sequence, for comparison.
    pub full_dh_norms: Vec<f64>,
    /// ‖g‖ of the parameter gradient this backward pass gives.
    pub grad_norm: f64,
    /// ‖g_full‖ of full BPTT.
    pub full_grad_norm: f64,
    /// ‖g − g_full‖ / ‖g_full‖ (0 when g_full = 0): how much truncation changed it.
    pub grad_difference: f64,
    /// Σ ‖dh_start‖ over the chunks: everything the borders stopped.
    pub discarded_norm_sum: f64,
}

fn norm<'a>(v: impl IntoIterator<Item = &'a f64>) -> f64 {
    v.into_iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// The timeline of `session`'s next sequence under `truncation`
/// ((k1, k2) with 1 ≤ k1 ≤ k2, or None for full BPTT).
pub fn timeline(session: &Session, truncation: Option<(usize, usize)>) -> Result<Timeline> {
    check_truncation(truncation)?;
    let trace = session.trace();
    let steps = trace.len();
    let full = session.gradients();
    let (grads, dh, segments) = match truncation {
        None => {
            let segment = Segment {
                start: 0,
                loss_from: 0,
                end: steps,
                loss: trace.loss,
                dh_start: full.h0.to_vec(),
            };
            (full.params.clone(), full.dh.clone(), vec![segment])
        }
        Some((k1, k2)) => {
            let mut t = truncated(session.params(), &trace, k1, k2)?;
            if !session.config().model.bias {
                t.params.zero_biases();
            }
            (t.params, t.dh, t.segments)
        }
    };
    let full_grad_norm = full.params.global_norm();
    let mut diff = grads.clone();
    for (d, f) in diff.slices_mut().into_iter().zip(full.params.slices()) {
        d.iter_mut().zip(f).for_each(|(d, f)| *d -= f);
    }
    let chunks: Vec<Chunk> = segments.into_iter().map(Chunk::from).collect();
    Ok(Timeline {
        steps,
        truncation,
        h_norms: trace.h.rows().into_iter().map(norm).collect(),
        dh_norms: dh.rows().into_iter().map(norm).collect(),
        full_dh_norms: full.dh_norms(),
        grad_norm: grads.global_norm(),
        full_grad_norm,
        grad_difference: if full_grad_norm > 0.0 {
            diff.global_norm() / full_grad_norm
        } else {
            0.0
        },
        discarded_norm_sum: chunks.iter().map(|c| c.dh_start_norm).sum(),
        chunks,
    })
}
