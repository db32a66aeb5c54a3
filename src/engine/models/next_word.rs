//! What every next-token model of the chapter "Why recurrence?" shares: the
//! predictions a set of sequences asks for, a common way to query a model,
//! top-k lists, and accuracy.
//!
//! A sequence is token ids `s = [s_0, s_1, …, s_n]` (for words `s_0 = <s>`
//! and `s_n = </s>`). It asks n predictions: for t = 1..n, from the context
//! `s_0..s_{t−1}` predict `s_t`. Every model is scored on exactly these.

use super::argmax;
use serde::Serialize;

/// Every prediction `seqs` asks for, as (sequence index, t): context
/// `seqs[i][..t]`, target `seqs[i][t]`, t = 1..len.
pub fn examples(seqs: &[Vec<usize>]) -> Vec<(usize, usize)> {
    seqs.iter()
        .enumerate()
        .flat_map(|(i, s)| (1..s.len()).map(move |t| (i, t)))
        .collect()
}

/// A model that gives a distribution over the next token.
pub trait NextToken {
    /// V, the number of tokens.
    fn vocab_size(&self) -> usize;
    /// p(next | context): V probabilities; `context` is a sequence's first
    /// tokens `s_0..s_{t−1}` (at least one).
    fn next_distribution(&self, context: &[usize]) -> Vec<f64>;
    /// p_t for t = 1..len of `seq`: row t − 1 is the distribution that
    /// predicts `seq[t]` (an RNN reads the sequence once for all of them).
    fn sequence_distributions(&self, seq: &[usize]) -> Vec<Vec<f64>> {
        (1..seq.len())
            .map(|t| self.next_distribution(&seq[..t]))
            .collect()
    }
}

/// Top-1 accuracy over a set of predictions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Accuracy {
    pub correct: usize,
    pub total: usize,
    /// correct / total (0 when there is nothing to predict).
    pub value: f64,
}

impl Accuracy {
    pub fn new(correct: usize, total: usize) -> Self {
        let value = if total == 0 {
            0.0
        } else {
            correct as f64 / total as f64
        };
        Self {
            correct,
            total,
            value,
        }
    }
}

/// Top-1 next-token accuracy of `model` over every prediction of `seqs`
/// (arg max p_t = s_t, the first index on ties).
pub fn accuracy<M: NextToken + ?Sized>(model: &M, seqs: &[Vec<usize>]) -> Accuracy {
    let (mut correct, mut total) = (0, 0);
    for s in seqs {
        for (t, p) in model.sequence_distributions(s).iter().enumerate() {
            correct += (argmax(p) == s[t + 1]) as usize;
            total += 1;
        }
    }
    Accuracy::new(correct, total)
}

/// Mean −log p_t\[s_t\] over every prediction of `seqs`.
pub fn mean_loss<M: NextToken + ?Sized>(model: &M, seqs: &[Vec<usize>]) -> f64 {
    let (mut sum, mut total) = (0.0, 0usize);
    for s in seqs {
        for (t, p) in model.sequence_distributions(s).iter().enumerate() {
            sum -= p[s[t + 1]].max(f64::MIN_POSITIVE).ln();
            total += 1;
        }
    }
    sum / total.max(1) as f64
}

/// The `k` most probable indices of `p` with their probabilities, most
/// probable first (lower index first on ties).
pub fn top_k(p: &[f64], k: usize) -> Vec<(usize, f64)> {
    let mut idx: Vec<usize> = (0..p.len()).collect();
    idx.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
    idx.into_iter().take(k).map(|i| (i, p[i])).collect()
}

/// One suggested next token.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub id: usize,
    pub token: String,
    pub p: f64,
}

/// [`top_k`] with the tokens named by `name`.
pub fn suggestions(p: &[f64], k: usize, name: impl Fn(usize) -> String) -> Vec<Suggestion> {
    top_k(p, k)
        .into_iter()
        .map(|(id, p)| Suggestion {
            id,
            token: name(id),
            p,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Predicts "the previous token + 1" with certainty.
    struct Successor(usize);

    impl NextToken for Successor {
        fn vocab_size(&self) -> usize {
            self.0
        }
        fn next_distribution(&self, context: &[usize]) -> Vec<f64> {
            let mut p = vec![0.0; self.0];
            p[(context[context.len() - 1] + 1) % self.0] = 1.0;
            p
        }
    }

    #[test]
    fn examples_accuracy_and_top_k() {
        let seqs = vec![vec![0, 1, 2, 3], vec![2, 0]];
        assert_eq!(examples(&seqs), [(0, 1), (0, 2), (0, 3), (1, 1)]);
        let acc = accuracy(&Successor(4), &seqs);
        assert_eq!((acc.correct, acc.total), (3, 4));
        assert_eq!(acc.value, 0.75);
        assert_eq!(
            top_k(&[0.1, 0.4, 0.1, 0.4], 3),
            [(1, 0.4), (3, 0.4), (0, 0.1)]
        );
        let s = suggestions(&[0.2, 0.8], 1, |i| format!("w{i}"));
        assert_eq!(s[0].token, "w1");
        assert!(mean_loss(&Successor(4), &seqs[..1]) < 1e-12);
    }
}
