//! A card's pictures: one sequence through the model step by step
//! ([`TypesSnapshot`]), and the answers to the built-in items ([`Answers`]).

use super::TypesModel;
use crate::engine::error::{EngineError, Result};
use crate::engine::forward::argmax;
use crate::engine::masked::MaskedSequence;
use crate::engine::masked::examples::{Item, TypeKind};
use serde::Serialize;

/// One time step of a sequence, as the card draws it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypesStep {
    /// 1-based.
    pub t: usize,
    /// The input token, None where the input is absent (x_t = 0).
    pub input: Option<String>,
    /// The target token, None where the step is not scored.
    pub target: Option<String>,
    /// Whether this step's output is (part of) the answer.
    pub read: bool,
    pub h_t: Vec<f64>,
    /// p_t over every token: \[V\].
    pub p_t: Vec<f64>,
    /// p_t of each answer token (`TypesSnapshot::outputs`).
    pub p_out: Vec<f64>,
    /// arg max p_t.
    pub predicted: String,
    pub p_predicted: f64,
    /// p_t\[target\] and −log of it, where scored.
    pub p_target: Option<f64>,
    pub loss_t: Option<f64>,
    pub correct: Option<bool>,
}

/// One sequence through the current model, step by step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypesSnapshot {
    pub kind: TypeKind,
    /// The text as the model read it.
    pub text: String,
    /// Words or characters of the typed text the model has no input for.
    pub skipped: Vec<String>,
    pub steps: usize,
    pub hidden: usize,
    /// The tokens answers are made of.
    pub outputs: Vec<String>,
    pub per_step: Vec<TypesStep>,
    /// The predictions at the steps that are read.
    pub answer: Vec<String>,
    /// The right answer, where it is known.
    pub expected: Option<Vec<String>>,
    /// Whether every read step is right (None when the answer is not known).
    pub correct: Option<bool>,
    /// L over the scored steps (None when nothing is scored).
    pub loss: Option<f64>,
    pub iteration: u64,
}

/// One item's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemAnswer {
    pub text: String,
    pub answer: Vec<String>,
    pub expected: Vec<String>,
    pub correct: bool,
}

/// The answers to the first items of each split.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answers {
    pub train: Vec<ItemAnswer>,
    pub test: Vec<ItemAnswer>,
}

impl TypesModel {
    /// Typed text (see [`Example::read`](crate::engine::masked::examples::Example::read)) through the model, step by step.
    pub fn snapshot(&self, text: &str) -> Result<TypesSnapshot> {
        let r = self.example.read(text)?;
        self.snapshot_of(r.text, &r.sequence, &r.read, r.skipped)
    }

    /// Training item `i` (`test`: held-out item `i`) through the model.
    pub fn item_snapshot(&self, i: usize, test: bool) -> Result<TypesSnapshot> {
        let items = if test {
            &self.example.test
        } else {
            &self.example.train
        };
        let it = items.get(i).ok_or_else(|| {
            EngineError::Invalid(format!(
                "there are {} such items, so no item {i}",
                items.len()
            ))
        })?;
        let read: Vec<bool> = it.sequence.targets.iter().map(Option::is_some).collect();
        self.snapshot_of(it.text.clone(), &it.sequence, &read, vec![])
    }

    fn snapshot_of(
        &self,
        text: String,
        seq: &MaskedSequence,
        read: &[bool],
        skipped: Vec<String>,
    ) -> Result<TypesSnapshot> {
        let trace = self.trace(seq)?;
        let outs = &self.example.outputs;
        let per_step: Vec<TypesStep> = (0..trace.len())
            .map(|s| {
                let p = trace.p.row(s);
                let k = argmax(p);
                let target = trace.targets[s];
                TypesStep {
                    t: s + 1,
                    input: trace.inputs[s].map(|i| self.token(i)),
                    target: target.map(|i| self.token(i)),
                    read: read[s],
                    h_t: trace.h.row(s + 1).to_vec(),
                    p_t: p.to_vec(),
                    p_out: outs.iter().map(|&o| p[o]).collect(),
                    predicted: self.token(k),
                    p_predicted: p[k],
                    p_target: target.map(|i| p[i]),
                    loss_t: target.map(|_| trace.losses[s]),
                    correct: target.map(|i| i == k),
                }
            })
            .collect();
        let answer = per_step
            .iter()
            .filter(|s| s.read)
            .map(|s| s.predicted.clone())
            .collect();
        let known = per_step
            .iter()
            .filter(|s| s.read)
            .all(|s| s.target.is_some());
        let expected = known.then(|| {
            per_step
                .iter()
                .filter_map(|s| s.target.clone())
                .collect::<Vec<_>>()
        });
        let correct = known.then(|| per_step.iter().all(|s| s.correct != Some(false)));
        Ok(TypesSnapshot {
            kind: self.settings.kind,
            text,
            skipped,
            steps: trace.len(),
            hidden: self.settings.hidden,
            outputs: outs.iter().map(|&o| self.token(o)).collect(),
            loss: (trace.scored_steps() > 0).then_some(trace.loss),
            per_step,
            answer,
            expected,
            correct,
            iteration: self.trainer.iteration(),
        })
    }

    /// The answers to the first `limit` items of each split.
    pub fn answers(&self, limit: usize) -> Result<Answers> {
        let answer = |items: &[Item], test: bool| -> Result<Vec<ItemAnswer>> {
            (0..items.len().min(limit))
                .map(|i| {
                    let s = self.item_snapshot(i, test)?;
                    Ok(ItemAnswer {
                        text: s.text,
                        answer: s.answer,
                        expected: s.expected.unwrap_or_default(),
                        correct: s.correct.unwrap_or(false),
                    })
                })
                .collect()
        };
        Ok(Answers {
            train: answer(&self.example.train, false)?,
            test: answer(&self.example.test, true)?,
        })
    }
}
