//! Chapter "Vanishing and exploding gradients": the sequence the charts
//! analyse and the training read-outs (the charts' own data is
//! [`crate::engine::vanishing::analyse`] and
//! [`crate::engine::vanishing::training::TrainingView`]).

use super::{symbol, symbols};
use crate::engine::Session;
use crate::engine::vanishing::training::TrainingView;
use serde::Serialize;

/// The sequence the analysis uses (the one the next iteration trains on).
#[derive(Debug, Clone, Serialize)]
pub struct SequenceView {
    pub input_chars: Vec<String>,
    /// The target of the last step (the key, in the task).
    pub answer: Option<String>,
    /// arg max p_T (None when p_T is not finite).
    pub predicted: Option<String>,
    /// p_T of every symbol, in vocabulary order.
    pub p_last: Vec<f64>,
    pub vocab: Vec<String>,
}

pub fn sequence_view(session: &Session) -> SequenceView {
    let trace = session.trace();
    let vocab = session.vocab();
    let last = trace.len() - 1;
    let p_last = trace.p.row(last).to_vec();
    let predicted = p_last
        .iter()
        .all(|v| v.is_finite())
        .then(|| symbol(vocab, crate::engine::forward::argmax(trace.p.row(last))));
    SequenceView {
        input_chars: trace
            .inputs
            .iter()
            .map(|i| i.map(|i| symbol(vocab, i)).unwrap_or_default())
            .collect(),
        answer: trace.targets[last].map(|k| symbol(vocab, k)),
        predicted,
        p_last,
        vocab: symbols(vocab),
    }
}

/// The training view's headline numbers.
#[derive(Debug, Clone, Serialize)]
pub struct TrainingSummary {
    pub held: usize,
    pub columns: usize,
    pub clip_fired_total: usize,
    /// Mean loss over the newest ≤ 100 iterations.
    pub recent_loss: Option<f64>,
    /// log10 of the largest global gradient norm shown.
    pub peak_grad_log10: Option<f64>,
}

pub fn training_summary(session: &Session, view: &TrainingView) -> TrainingSummary {
    let recent = session.history().loss.tail(100);
    TrainingSummary {
        held: view.held,
        columns: view.columns(),
        clip_fired_total: view.clip_fired_total,
        recent_loss: (!recent.is_empty()).then(|| recent.iter().sum::<f64>() / recent.len() as f64),
        peak_grad_log10: view
            .grad_norm_total_log10
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .reduce(f64::max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::vanishing::setup::VanishingSettings;

    #[test]
    fn the_task_asks_for_its_key_and_training_is_summarised() {
        let mut s = VanishingSettings::default().session().unwrap();
        let v = sequence_view(&s);
        assert_eq!(v.input_chars.len(), 40);
        assert!(matches!(v.answer.as_deref(), Some("a" | "b")));
        assert!((v.p_last.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        s.train(5).unwrap();
        let view = TrainingView::from_history(s.history(), 400);
        let sum = training_summary(&s, &view);
        assert_eq!((sum.held, sum.columns), (5, 5));
        let mean = s.history().loss.to_vec().iter().sum::<f64>() / 5.0;
        assert_eq!(sum.recent_loss, Some(mean));
        assert!(sum.peak_grad_log10.is_some());
    }
}
