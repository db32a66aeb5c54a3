//! What one does with word vectors once they exist: cosine similarity,
//! nearest neighbours, analogies and a 2-D projection (PCA), on any list of
//! named vectors: the slide's four 2-D vectors or a trained word2vec's rows.
//!
//! ```text
//! cos(u, v) = uᵀv / (‖u‖ ‖v‖)                                  (0 if either is the zero vector)
//! a : b :: c : d,   d = argmax_{x ∉ {a,b,c}} cos(w_b − w_a + w_c, w_x)
//! ```
//!
//! The slide writes the analogy's score as (w_b − w_a + w_c)ᵀw_x / ‖w_b − w_a + w_c‖,
//! which is the cosine when the w_x have unit length (Mikolov et al.
//! normalise them first); we use the cosine, so the vectors need not be unit.

use crate::engine::error::{EngineError, Result};
use crate::engine::rng::Rng;
use serde::Serialize;

/// The slide's 2-D vectors: man, woman, king, queen.
pub const SLIDE_VECTORS: [(&str, [f64; 2]); 4] = [
    ("man", [0.20, 0.20]),
    ("woman", [0.60, 0.30]),
    ("king", [0.30, 0.70]),
    ("queen", [0.70, 0.80]),
];

/// The slide's vectors as (word, vector) pairs, for [`analogy`].
pub fn slide_vectors() -> Vec<(String, Vec<f64>)> {
    SLIDE_VECTORS
        .iter()
        .map(|(w, v)| (w.to_string(), v.to_vec()))
        .collect()
}

/// cos(u, v); 0 when either vector is zero. u and v have the same length.
pub fn cosine(u: &[f64], v: &[f64]) -> f64 {
    let dot: f64 = u.iter().zip(v).map(|(a, b)| a * b).sum();
    let nu = u.iter().map(|a| a * a).sum::<f64>().sqrt();
    let nv = v.iter().map(|a| a * a).sum::<f64>().sqrt();
    if nu == 0.0 || nv == 0.0 {
        0.0
    } else {
        dot / (nu * nv)
    }
}

/// A word and its score (a cosine, or a probability).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub word: String,
    pub score: f64,
}

/// Every word but those in `exclude`, by cos(`query`, w_x), highest first
/// (ties: vocabulary order).
pub fn rank(named: &[(String, Vec<f64>)], query: &[f64], exclude: &[usize]) -> Vec<Scored> {
    let mut scored: Vec<(usize, f64)> = named
        .iter()
        .enumerate()
        .filter(|(i, _)| !exclude.contains(i))
        .map(|(i, (_, v))| (i, cosine(query, v)))
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored
        .into_iter()
        .map(|(i, score)| Scored {
            word: named[i].0.clone(),
            score,
        })
        .collect()
}

fn find(named: &[(String, Vec<f64>)], word: &str) -> Result<usize> {
    named.iter().position(|(w, _)| w == word).ok_or_else(|| {
        EngineError::Invalid(format!(
            "the word {word:?} is not in the vocabulary of {} words",
            named.len()
        ))
    })
}

/// The `k` nearest words to `word` by cosine, the word itself excluded.
pub fn nearest(named: &[(String, Vec<f64>)], word: &str, k: usize) -> Result<Vec<Scored>> {
    let i = find(named, word)?;
    let mut r = rank(named, &named[i].1, &[i]);
    r.truncate(k);
    Ok(r)
}

/// a : b :: c : d, worked out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analogy {
    pub a: String,
    pub b: String,
    pub c: String,
    pub w_a: Vec<f64>,
    pub w_b: Vec<f64>,
    pub w_c: Vec<f64>,
    /// w_c − w_a + w_b, computed left to right in that order, so each entry
    /// is the slide's (king − man) + woman.
    pub result: Vec<f64>,
    /// Every other word by cos(result, w_x), highest first.
    pub ranking: Vec<Scored>,
    /// d, the first of `ranking` (None when a, b, c are the whole vocabulary).
    pub answer: Option<String>,
}

/// a : b :: c : ?  over `named` vectors, e.g. man : woman :: king : ? on
/// [`slide_vectors`] gives [0.70, 0.80] and queen (cosine 1). Words must be
/// in `named`, all vectors of one length and finite.
pub fn analogy(named: &[(String, Vec<f64>)], a: &str, b: &str, c: &str) -> Result<Analogy> {
    let n = named.first().map_or(0, |(_, v)| v.len());
    if n == 0
        || named
            .iter()
            .any(|(_, v)| v.len() != n || v.iter().any(|x| !x.is_finite()))
    {
        return Err(EngineError::Invalid(
            "every vector must have the same length (at least 1) and finite entries".into(),
        ));
    }
    let (ia, ib, ic) = (find(named, a)?, find(named, b)?, find(named, c)?);
    let (wa, wb, wc) = (&named[ia].1, &named[ib].1, &named[ic].1);
    let result: Vec<f64> = (0..n).map(|i| wc[i] - wa[i] + wb[i]).collect();
    let ranking = rank(named, &result, &[ia, ib, ic]);
    Ok(Analogy {
        a: a.into(),
        b: b.into(),
        c: c.into(),
        w_a: wa.clone(),
        w_b: wb.clone(),
        w_c: wc.clone(),
        answer: ranking.first().map(|s| s.word.clone()),
        result,
        ranking,
    })
}

/// Word vectors seen in 2-D: the first two principal components (PCA of
/// the vectors' covariance) for N > 2, the vectors themselves for N ≤ 2.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Projection {
    pub words: Vec<String>,
    /// (pc1, pc2) of each word; N = 1 gives (x, 0).
    pub points: Vec<[f64; 2]>,
    /// μ, the mean vector subtracted before projecting (zero for N ≤ 2).
    pub mean: Vec<f64>,
    /// The two unit axes (for N ≤ 2 the coordinate axes).
    pub axes: [Vec<f64>; 2],
    /// The fraction of the total variance along each axis.
    pub explained: [f64; 2],
}

impl Projection {
    /// Any vector of the same space in the projection's coordinates:
    /// ((v − μ)·axis₁, (v − μ)·axis₂).
    pub fn project(&self, v: &[f64]) -> [f64; 2] {
        let d = |axis: &[f64]| {
            v.iter()
                .zip(&self.mean)
                .zip(axis)
                .map(|((x, m), a)| (x - m) * a)
                .sum()
        };
        [d(&self.axes[0]), d(&self.axes[1])]
    }
}

/// The top eigenvector of the symmetric matrix `c` ([n, n]) orthogonal to
/// `against`, by power iteration from a fixed seeded start; its sign makes
/// the largest-magnitude entry positive, so the picture never flips.
/// Returns (λ, v); λ = 0 and the start direction for a zero matrix.
fn top_eigen(c: &[f64], n: usize, against: Option<&[f64]>) -> (f64, Vec<f64>) {
    let orth = |v: &mut Vec<f64>| {
        if let Some(u) = against {
            let d: f64 = v.iter().zip(u).map(|(a, b)| a * b).sum();
            v.iter_mut().zip(u).for_each(|(a, b)| *a -= d * b);
        }
        let norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|a| *a /= norm);
        }
        norm
    };
    let mut rng = Rng::new(0x0050_CA11);
    let mut v: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    orth(&mut v);
    let mut lambda = 0.0;
    for _ in 0..2000 {
        let mut w: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| c[i * n + j] * v[j]).sum())
            .collect();
        let norm = orth(&mut w);
        if norm == 0.0 {
            break;
        }
        let diff: f64 = w.iter().zip(&v).map(|(a, b)| (a - b).abs()).sum();
        v = w;
        lambda = norm;
        if diff < 1e-13 {
            break;
        }
    }
    let big = v
        .iter()
        .fold(0.0f64, |m, a| if a.abs() > m.abs() { *a } else { m });
    if big < 0.0 {
        v.iter_mut().for_each(|a| *a = -*a);
    }
    (lambda, v)
}

/// The 2-D projection of `named` vectors (see [`Projection`]).
pub fn project(named: &[(String, Vec<f64>)]) -> Result<Projection> {
    let n = named.first().map_or(0, |(_, v)| v.len());
    if n == 0 || named.iter().any(|(_, v)| v.len() != n) {
        return Err(EngineError::Invalid(
            "a projection needs vectors of one length, at least 1".into(),
        ));
    }
    let words = named.iter().map(|(w, _)| w.clone()).collect();
    let unit = |k: usize| {
        (0..n)
            .map(|i| f64::from(u8::from(i == k)))
            .collect::<Vec<_>>()
    };
    if n <= 2 {
        let points = named
            .iter()
            .map(|(_, v)| [v[0], v.get(1).copied().unwrap_or(0.0)])
            .collect();
        let var = |k: usize| {
            let m = named.iter().map(|(_, v)| v[k]).sum::<f64>() / named.len() as f64;
            named.iter().map(|(_, v)| (v[k] - m).powi(2)).sum::<f64>()
        };
        let (v0, v1) = (var(0), if n == 2 { var(1) } else { 0.0 });
        let total = (v0 + v1).max(f64::MIN_POSITIVE);
        return Ok(Projection {
            words,
            points,
            mean: vec![0.0; n],
            axes: [unit(0), if n == 2 { unit(1) } else { vec![0.0] }],
            explained: [v0 / total, v1 / total],
        });
    }
    let count = named.len() as f64;
    let mean: Vec<f64> = (0..n)
        .map(|i| named.iter().map(|(_, v)| v[i]).sum::<f64>() / count)
        .collect();
    let mut cov = vec![0.0; n * n];
    for (_, v) in named {
        for i in 0..n {
            for j in 0..n {
                cov[i * n + j] += (v[i] - mean[i]) * (v[j] - mean[j]) / count;
            }
        }
    }
    let trace: f64 = (0..n).map(|i| cov[i * n + i]).sum();
    let (l1, a1) = top_eigen(&cov, n, None);
    let (l2, a2) = top_eigen(&cov, n, Some(&a1));
    let mut p = Projection {
        words,
        points: Vec::new(),
        mean,
        axes: [a1, a2],
        explained: if trace > 0.0 {
            [l1 / trace, l2 / trace]
        } else {
            [0.0, 0.0]
        },
    };
    p.points = named.iter().map(|(_, v)| p.project(v)).collect();
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slide_analogy_gives_queen_with_the_slide_numbers() {
        let a = analogy(&slide_vectors(), "man", "woman", "king").unwrap();
        // 0.30 − 0.20 + 0.60 = 0.70 and 0.70 − 0.20 + 0.30 = 0.80.
        assert!((a.result[0] - 0.70).abs() < 1e-12 && (a.result[1] - 0.80).abs() < 1e-12);
        assert_eq!(a.answer.as_deref(), Some("queen"));
        assert_eq!(a.ranking.len(), 1, "man, woman and king are excluded");
        assert!((a.ranking[0].score - 1.0).abs() < 1e-12);
        assert_eq!(
            (a.w_a.clone(), a.w_b.clone(), a.w_c.clone()),
            (vec![0.2, 0.2], vec![0.6, 0.3], vec![0.3, 0.7])
        );
        assert!(analogy(&slide_vectors(), "man", "woman", "prince").is_err());
    }

    #[test]
    fn rankings_sort_by_cosine_and_exclude_the_query_words() {
        let mut named = slide_vectors();
        named.push(("zero".into(), vec![0.0, 0.0]));
        named.push(("far".into(), vec![-0.7, -0.8]));
        let a = analogy(&named, "man", "woman", "king").unwrap();
        let words: Vec<&str> = a.ranking.iter().map(|s| s.word.as_str()).collect();
        assert_eq!(words, ["queen", "zero", "far"]);
        assert!((a.ranking[2].score + 1.0).abs() < 1e-12);
        let nn = nearest(&slide_vectors(), "queen", 2).unwrap();
        assert_eq!(nn[0].word, "man", "by angle, queen is nearest to man");
        assert_eq!(nn.len(), 2);
        assert!(nearest(&slide_vectors(), "duke", 2).is_err());
    }

    #[test]
    fn pca_finds_the_spread_direction_with_a_fixed_sign() {
        // Points on the line t·(1, 2, 2)/3 plus a small spread along (2, −2, 1)/3.
        let named: Vec<(String, Vec<f64>)> = (0..9)
            .map(|k| {
                let t = k as f64 - 4.0;
                let s = if k % 2 == 0 { 0.1 } else { -0.1 };
                let v = (0..3)
                    .map(|i| t * [1.0, 2.0, 2.0][i] / 3.0 + s * [2.0, -2.0, 1.0][i] / 3.0)
                    .collect();
                (format!("w{k}"), v)
            })
            .collect();
        let p = project(&named).unwrap();
        for (a, b) in p.axes[0].iter().zip([1.0, 2.0, 2.0]) {
            assert!((a - b / 3.0).abs() < 1e-9, "{:?}", p.axes[0]);
        }
        let dot: f64 = p.axes[0].iter().zip(&p.axes[1]).map(|(a, b)| a * b).sum();
        assert!(dot.abs() < 1e-9);
        assert!(p.explained[0] > 0.99 && p.explained[0] + p.explained[1] > 0.999999);
        assert!((p.points[8][0] - 4.0).abs() < 1e-9, "{:?}", p.points[8]);
        assert_eq!(p, project(&named).unwrap(), "deterministic");
        let flat = project(&slide_vectors()).unwrap();
        assert_eq!(
            flat.points[3],
            [0.7, 0.8],
            "2-D vectors are shown as they are"
        );
    }
}
