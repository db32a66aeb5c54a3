//! The autocomplete's beam search: the `width` likeliest partial
//! completions, extended one character at a time.
//!
//! ```text
//! score(c) = log p(c | prefix) = Σ_k log p(c_k | prefix, c_<k)
//! each round: extend every beam by its `width` likeliest symbols, keep the best `width`;
//!             a candidate choosing the end symbol is finished (its log p included);
//! stop:       when no open beam can beat the `width`-th finished one (scores only fall)
//! ```

use super::{Autocomplete, COMPLETIONS, MAX_BEAM_WIDTH, MAX_COMPLETION_CHARS};
use crate::engine::error::{EngineError, Result};
use crate::engine::models::next_word::top_k;
use serde::Serialize;

/// One completion of the prefix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completion {
    /// The whole query: what was read, then the completion.
    pub text: String,
    /// Only the characters added.
    pub completion: String,
    /// log p(completion | prefix), the end symbol included when `finished`.
    pub log_prob: f64,
    /// Whether it reached the end-of-query symbol within the length limit.
    pub finished: bool,
}

/// The result of a beam search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completions {
    pub read: String,
    pub skipped: Vec<char>,
    /// Most probable first: finished ones, then (if fewer than 5) unfinished.
    pub items: Vec<Completion>,
}

#[derive(Clone)]
struct Beam {
    ids: Vec<usize>,
    log_prob: f64,
    h: Vec<f64>,
    p: Vec<f64>,
}

impl Autocomplete {
    /// The 5 most probable completions of `prefix` by beam search of width
    /// `width` (1..=16) over at most `max_chars` (1..=80) added characters.
    pub fn complete(&self, prefix: &str, width: usize, max_chars: usize) -> Result<Completions> {
        if !(1..=MAX_BEAM_WIDTH).contains(&width) {
            return Err(EngineError::Invalid(format!(
                "the beam width must be 1 to {MAX_BEAM_WIDTH}, got {width}"
            )));
        }
        if !(1..=MAX_COMPLETION_CHARS).contains(&max_chars) {
            return Err(EngineError::Invalid(format!(
                "the completion length must be 1 to {MAX_COMPLETION_CHARS} characters, got {max_chars}"
            )));
        }
        let (ids, read, skipped) = self.read(prefix)?;
        let (h, p) = self.rnn.prime(&ids)?;
        let stepper = self.rnn.stepper();
        let mut beams = vec![Beam {
            ids: Vec::new(),
            log_prob: 0.0,
            h,
            p,
        }];
        let mut finished: Vec<(Vec<usize>, f64)> = Vec::new();
        for step in 0..=max_chars {
            // Every extension of every beam by one of its `width` likeliest symbols.
            let mut candidates: Vec<(usize, usize, f64)> = Vec::new();
            for (b, beam) in beams.iter().enumerate() {
                for (k, pk) in top_k(&beam.p, width) {
                    let lp = beam.log_prob + pk.ln();
                    if k == 0 {
                        finished.push((beam.ids.clone(), lp));
                    } else if step < max_chars {
                        candidates.push((b, k, lp));
                    }
                }
            }
            candidates.sort_by(|a, b| b.2.total_cmp(&a.2));
            candidates.truncate(width);
            // Log-probabilities only fall: stop once no beam can beat the finished ones.
            finished.sort_by(|a, b| b.1.total_cmp(&a.1));
            if finished.len() >= width
                && candidates
                    .first()
                    .is_none_or(|c| c.2 < finished[width - 1].1)
            {
                beams.clear();
                break;
            }
            if candidates.is_empty() {
                break;
            }
            beams = candidates
                .into_iter()
                .map(|(b, k, log_prob)| {
                    let (h, p) = stepper.step(&beams[b].h, k);
                    let mut ids = beams[b].ids.clone();
                    ids.push(k);
                    Beam {
                        ids,
                        log_prob,
                        h,
                        p,
                    }
                })
                .collect();
        }
        let text = |ids: &[usize]| -> String {
            ids.iter()
                .filter_map(|&i| self.list.vocab.symbol(i).ok())
                .collect()
        };
        let make = |ids: &[usize], log_prob, finished| {
            let completion = text(ids);
            Completion {
                text: format!("{read}{completion}"),
                completion,
                log_prob,
                finished,
            }
        };
        let mut items: Vec<Completion> = finished
            .iter()
            .take(COMPLETIONS)
            .map(|(ids, lp)| make(ids, *lp, true))
            .collect();
        let open = beams.iter().take(COMPLETIONS - items.len());
        items.extend(
            open.map(|b| make(&b.ids, b.log_prob, false))
                .collect::<Vec<_>>(),
        );
        Ok(Completions {
            read,
            skipped,
            items,
        })
    }
}
