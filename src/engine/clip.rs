//! Gradient clipping, with a report of what it did.
//!
//! ```text
//! by value (min-char-rnn, c = 5):    g_i ← min(max(g_i, −c), c)   for every entry
//! by norm  (Pascanu et al. 2013):    if ‖g‖ ≥ c then g ← c·g/‖g‖
//! ```
//!
//! ‖g‖ is the global norm √(Σ g²) over the five tensors W_xh, W_hh, W_hy, b_h, b_y.

use super::error::{Result, positive_finite};
use super::kernels::{Real, multiversion, sum_squares};
use super::params::Params;
use serde::{Deserialize, Serialize};

/// How to clip. Serialises as `{"kind": "off" | "value" | "norm", "threshold": c}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(into = "ClipRepr", try_from = "ClipRepr")]
pub enum Clip {
    Off,
    /// Elementwise to [−c, c].
    Value(f64),
    /// Rescale when the global norm reaches c.
    Norm(f64),
}

impl Default for Clip {
    /// By value at 5, as min-char-rnn.
    fn default() -> Self {
        Clip::Value(5.0)
    }
}

/// What clipping did to one gradient.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ClipReport {
    /// Whether any entry (by value) or the whole gradient (by norm) was changed.
    pub fired: bool,
    /// ‖g‖ before clipping (global, over the five tensors).
    pub norm_before: f64,
    /// ‖g‖ after clipping.
    pub norm_after: f64,
}

#[derive(Serialize, Deserialize)]
struct ClipRepr {
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    threshold: Option<f64>,
}

impl From<Clip> for ClipRepr {
    fn from(c: Clip) -> Self {
        let (kind, threshold) = match c {
            Clip::Off => ("off", None),
            Clip::Value(t) => ("value", Some(t)),
            Clip::Norm(t) => ("norm", Some(t)),
        };
        Self {
            kind: kind.into(),
            threshold,
        }
    }
}

impl TryFrom<ClipRepr> for Clip {
    type Error = String;
    fn try_from(r: ClipRepr) -> std::result::Result<Self, String> {
        let need = || {
            r.threshold
                .ok_or_else(|| format!("clip kind {:?} needs a threshold", r.kind))
        };
        let clip = match r.kind.as_str() {
            "off" => Clip::Off,
            "value" => Clip::Value(need()?),
            "norm" => Clip::Norm(need()?),
            other => {
                return Err(format!(
                    "unknown clip kind {other:?}: use off, value or norm"
                ));
            }
        };
        clip.validate().map_err(|e| e.to_string())?;
        Ok(clip)
    }
}

impl Clip {
    /// The threshold must be finite and > 0.
    pub fn validate(&self) -> Result<()> {
        match *self {
            Clip::Off => Ok(()),
            Clip::Value(c) | Clip::Norm(c) => {
                positive_finite("the clipping threshold", c).map(|_| ())
            }
        }
    }

    /// Clips `grads` in place and reports what happened.
    pub fn apply(&self, grads: &mut Params) -> ClipReport {
        let norm_before = global_norm(grads);
        self.apply_with_norm(grads, norm_before)
    }

    /// Like [`Clip::apply`], also returning ‖g‖ of each tensor before
    /// clipping (PARAM_NAMES order).
    pub fn apply_with_norms(&self, grads: &mut Params) -> ([f64; 5], ClipReport) {
        let norms = norms(grads);
        let total = norms.iter().map(|n| n * n).sum::<f64>().sqrt();
        (norms, self.apply_with_norm(grads, total))
    }

    /// Like [`Clip::apply`] when ‖g‖ (`norm_before`) is already known.
    pub fn apply_with_norm(&self, grads: &mut Params, norm_before: f64) -> ClipReport {
        match *self {
            Clip::Off => ClipReport {
                fired: false,
                norm_before,
                norm_after: norm_before,
            },
            Clip::Value(c) => {
                let mut fired = false;
                for s in grads.slices_mut() {
                    fired |= clamp_slice(s, c);
                }
                let norm_after = if fired {
                    global_norm(grads)
                } else {
                    norm_before
                };
                ClipReport {
                    fired,
                    norm_before,
                    norm_after,
                }
            }
            Clip::Norm(c) => {
                if norm_before >= c && norm_before.is_finite() {
                    let scale = c / norm_before;
                    for s in grads.slices_mut() {
                        s.iter_mut().for_each(|g| *g *= scale);
                    }
                    ClipReport {
                        fired: true,
                        norm_before,
                        norm_after: global_norm(grads),
                    }
                } else {
                    ClipReport {
                        fired: false,
                        norm_before,
                        norm_after: norm_before,
                    }
                }
            }
        }
    }
}

/// ‖g‖ = √(Σ g²) over the five tensors.
pub fn global_norm(grads: &Params) -> f64 {
    norms(grads).iter().map(|n| n * n).sum::<f64>().sqrt()
}

/// ‖g‖ of each tensor, in PARAM_NAMES order.
pub fn norms(grads: &Params) -> [f64; 5] {
    grads.slices().map(|s| sum_squares(s).sqrt())
}

/// Clamps every entry to [−c, c]; returns whether any entry changed.
/// (NaN stays NaN: both comparisons are false.) Over any [`Real`] (f32 in the fast mode).
#[inline(always)]
pub(crate) fn clamp_on<T: Real>(s: &mut [T], c: T) -> bool {
    let mut fired = false;
    for g in s.iter_mut() {
        let v = *g;
        let clipped = if v > c {
            c
        } else if v < -c {
            -c
        } else {
            v
        };
        fired |= clipped != v;
        *g = clipped;
    }
    fired
}

multiversion! {
/// [`clamp_on`] in f64.
fn clamp_slice(s: &mut [f64], c: f64) -> bool {
    clamp_on(s, c)
}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grads() -> Params {
        let mut g = Params::zeros(2, 2);
        g.w_hh[[0, 0]] = 3.0;
        g.w_xh[[1, 1]] = -12.0;
        g.b_y[1] = 4.0;
        g
    }

    #[test]
    fn by_value_clamps_each_entry() {
        let mut g = grads();
        let r = Clip::Value(5.0).apply(&mut g);
        assert!(r.fired);
        assert_eq!(r.norm_before, 13.0);
        assert_eq!(g.w_xh[[1, 1]], -5.0);
        assert_eq!(g.w_hh[[0, 0]], 3.0);
        assert!((r.norm_after - (9.0f64 + 25.0 + 16.0).sqrt()).abs() < 1e-15);
        let r = Clip::Value(100.0).apply(&mut grads());
        assert!(!r.fired);
        assert_eq!(r.norm_after, 13.0);
    }

    #[test]
    fn clipping_with_norms_agrees_with_the_plain_one() {
        let mut big = Params::zeros(7, 9);
        for (k, s) in big.slices_mut().into_iter().enumerate() {
            for (i, g) in s.iter_mut().enumerate() {
                *g = ((i * 7 + k) as f64 * 0.37).sin() * 8.0;
            }
        }
        let (mut a, mut b) = (big.clone(), big.clone());
        let plain = Clip::Value(5.0).apply(&mut a);
        let (norms, fused) = Clip::Value(5.0).apply_with_norms(&mut b);
        assert_eq!(a, b);
        assert!(fused.fired && plain.fired);
        assert!((fused.norm_before - plain.norm_before).abs() < 1e-12);
        assert!((fused.norm_after - plain.norm_after).abs() < 1e-12);
        for (n, m) in norms.iter().zip(big.norms()) {
            assert!((n - m).abs() < 1e-12);
        }
    }

    #[test]
    fn by_norm_rescales_to_the_threshold() {
        let mut g = grads();
        let r = Clip::Norm(6.5).apply(&mut g);
        assert!(r.fired);
        assert!((r.norm_after - 6.5).abs() < 1e-14);
        assert_eq!(g.w_xh[[1, 1]], -6.0);
        let mut g = grads();
        let r = Clip::Norm(13.5).apply(&mut g);
        assert!(!r.fired);
        assert_eq!(g, grads());
        let r = Clip::Off.apply(&mut g);
        assert!(!r.fired && r.norm_before == 13.0);
    }

    #[test]
    fn serde_shape_and_validation() {
        assert_eq!(
            serde_json::to_string(&Clip::Value(5.0)).unwrap(),
            r#"{"kind":"value","threshold":5.0}"#
        );
        assert_eq!(
            serde_json::from_str::<Clip>(r#"{"kind":"norm","threshold":1}"#).unwrap(),
            Clip::Norm(1.0)
        );
        assert_eq!(
            serde_json::from_str::<Clip>(r#"{"kind":"off"}"#).unwrap(),
            Clip::Off
        );
        assert!(serde_json::from_str::<Clip>(r#"{"kind":"norm","threshold":-1}"#).is_err());
        assert!(serde_json::from_str::<Clip>(r#"{"kind":"tanh","threshold":1}"#).is_err());
        assert!(Clip::Value(f64::NAN).validate().is_err());
        assert!(Clip::Norm(0.0).validate().is_err());
    }
}
