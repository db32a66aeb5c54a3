//! Sampling text from the model, one symbol at a time.
//!
//! ```text
//! h_t = f(W_xh x_t + W_hh h_{t−1} + b_h)
//! p_t = softmax(y_t / τ),  y_t = W_hy h_t + b_y      (τ = temperature)
//! x_{t+1} = one-hot(s_t),  s_t ~ p_t                  (the sampled symbol is fed back)
//! ```
//!
//! τ < 1 sharpens p towards the arg max, τ > 1 flattens it. Draws come from
//! the seeded [`Rng`], so the same seed gives the same text everywhere.

use super::activation::Activation;
use super::error::{EngineError, Result};
use super::kernels::{dot, rows_times, softmax_row, tanh};
use super::params::Params;
use super::rng::Rng;
use super::vocab::Vocab;
use ndarray::Array1;
use serde::Serialize;

/// Longest sample the engine produces in one call: [`LIMITS`](super::LIMITS)`.sample_length`
/// (the probabilities alone are `length`·V numbers).
pub const MAX_SAMPLE_LENGTH: usize = super::limits::LIMITS.sample_length;

/// A generated sequence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sample {
    /// The sampled symbol indices s_1..s_n (the start symbol is not included).
    pub indices: Vec<usize>,
    /// The sampled symbols as text.
    pub text: String,
    /// p_t (after temperature) at each step, from which s_t was drawn: \[n\]\[V\].
    pub probs: Vec<Vec<f64>>,
}

/// Samples `length` symbols after `start`, beginning from state `h0`.
///
/// Errors: `start` outside the vocabulary, τ ≤ 0 or not finite, `length`
/// above [`MAX_SAMPLE_LENGTH`], or `h0` of the wrong length.
#[allow(clippy::too_many_arguments)]
pub fn sample(
    params: &Params,
    activation: Activation,
    vocab: &Vocab,
    h0: &Array1<f64>,
    start: usize,
    length: usize,
    temperature: f64,
    seed: u64,
) -> Result<Sample> {
    check(params, h0, temperature, length)?;
    let size = params.vocab_size();
    if start >= size || vocab.len() != size {
        return Err(EngineError::SymbolIndex { index: start, size });
    }
    let mut rng = Rng::new(seed);
    let mut cell = Cell::new(params, activation, h0, temperature);
    let mut x = start;
    let mut out = Sample {
        indices: Vec::with_capacity(length),
        text: String::new(),
        probs: Vec::with_capacity(length),
    };
    for _ in 0..length {
        let p = cell.step(Some(x))?;
        x = rng.categorical(p);
        out.probs.push(p.to_vec());
        out.indices.push(x);
        out.text.push(vocab.symbol(x)?);
    }
    Ok(out)
}

/// A sequence generated over given inputs, without feedback.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaskedSample {
    /// The sampled symbol index s_t at each step t = 1..T.
    pub indices: Vec<usize>,
    /// p_t (after temperature) at each step, from which s_t was drawn: \[T\]\[V\].
    pub probs: Vec<Vec<f64>>,
}

/// Samples a symbol at every step of a masked input sequence, from state `h0`.
///
/// `inputs: [T]`, `None` where the step has no input (x_t = 0). Unlike
/// [`sample`], the drawn symbols are not fed back: this generates what a model
/// trained on such masks (one-to-many: a class token, then no input) produces.
/// With `inputs = [Some(c), None, None, …]` it is the one-to-many generator;
/// the caller cuts the result at an end token if it has one.
///
/// Errors: an input outside the vocabulary, τ ≤ 0 or not finite, more than
/// [`MAX_SAMPLE_LENGTH`] steps, or `h0` of the wrong length.
pub fn sample_masked(
    params: &Params,
    activation: Activation,
    h0: &Array1<f64>,
    inputs: &[Option<usize>],
    temperature: f64,
    seed: u64,
) -> Result<MaskedSample> {
    check(params, h0, temperature, inputs.len())?;
    let size = params.vocab_size();
    if let Some(&index) = inputs.iter().flatten().find(|&&x| x >= size) {
        return Err(EngineError::SymbolIndex { index, size });
    }
    let mut rng = Rng::new(seed);
    let mut cell = Cell::new(params, activation, h0, temperature);
    let mut out = MaskedSample {
        indices: Vec::with_capacity(inputs.len()),
        probs: Vec::with_capacity(inputs.len()),
    };
    for &x in inputs {
        let p = cell.step(x)?;
        out.indices.push(rng.categorical(p));
        out.probs.push(p.to_vec());
    }
    Ok(out)
}

/// The checks shared by both samplers: τ, length, h0.
fn check(params: &Params, h0: &Array1<f64>, temperature: f64, length: usize) -> Result<()> {
    if !(temperature.is_finite() && temperature > 0.0) {
        return Err(EngineError::Temperature(temperature));
    }
    super::limits::check_sample_length(length)?;
    let hidden = params.hidden();
    if h0.len() != hidden {
        return Err(EngineError::Shape {
            field: "h0".into(),
            message: format!("expected length {hidden}, got {}", h0.len()),
        });
    }
    Ok(())
}

/// The cell run one step at a time, with its state h and buffers.
struct Cell<'a> {
    params: &'a Params,
    activation: Activation,
    temperature: f64,
    /// W_hhᵀ row-major, so the recurrence reads it as the forward pass does.
    w_hh_t: Vec<f64>,
    h: Vec<f64>,
    a: Vec<f64>,
    y: Vec<f64>,
    p: Vec<f64>,
}

impl<'a> Cell<'a> {
    fn new(params: &'a Params, activation: Activation, h0: &Array1<f64>, temperature: f64) -> Self {
        let (hidden, size) = (params.hidden(), params.vocab_size());
        Self {
            params,
            activation,
            temperature,
            w_hh_t: params
                .w_hh
                .t()
                .as_standard_layout()
                .into_owned()
                .into_raw_vec_and_offset()
                .0,
            h: h0.to_vec(),
            a: vec![0.0; hidden],
            y: vec![0.0; size],
            p: vec![0.0; size],
        }
    }

    /// One step, in the same order of operations as the forward pass:
    /// `a = W_xh x + b_h + W_hh h` (x = 0 when `x` is None), `h = f(a)`,
    /// `p = softmax((W_hy h + b_y)/τ)`. Returns p: \[V\]; errors if it is not finite.
    fn step(&mut self, x: Option<usize>) -> Result<&[f64]> {
        let params = self.params;
        let hidden = params.hidden();
        match x {
            Some(x) => {
                for ((av, xv), bv) in self
                    .a
                    .iter_mut()
                    .zip(params.w_xh.column(x))
                    .zip(&params.b_h)
                {
                    *av = xv + bv;
                }
            }
            None => self
                .a
                .iter_mut()
                .zip(&params.b_h)
                .for_each(|(av, &bv)| *av = bv),
        }
        rows_times(&self.h, &self.w_hh_t, &mut self.a);
        for (hv, &av) in self.h.iter_mut().zip(&self.a) {
            *hv = match self.activation {
                Activation::Tanh => tanh(av),
                other => other.apply(av),
            };
        }
        let w_hy = params.w_hy.as_slice().expect("standard layout");
        for (k, yk) in self.y.iter_mut().enumerate() {
            *yk = (dot(&w_hy[k * hidden..(k + 1) * hidden], &self.h) + params.b_y[k])
                / self.temperature;
        }
        softmax_row(&self.y, &mut self.p);
        if !self.p.iter().all(|v| v.is_finite()) {
            return Err(EngineError::Invalid(
                "the model's outputs are not finite numbers, so it cannot be sampled".into(),
            ));
        }
        Ok(&self.p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::params::ModelConfig;

    fn model() -> (Params, Vocab) {
        let v = Vocab::from_text("hello").unwrap();
        let p = Params::init(
            4,
            &ModelConfig {
                hidden: 5,
                weight_scale: 1.5,
                ..Default::default()
            },
        )
        .unwrap();
        (p, v)
    }

    #[test]
    fn same_seed_same_text_and_probs_sum_to_one() {
        let (p, v) = model();
        let h0 = Array1::zeros(5);
        let a = sample(&p, Activation::Tanh, &v, &h0, 0, 50, 1.0, 7).unwrap();
        let b = sample(&p, Activation::Tanh, &v, &h0, 0, 50, 1.0, 7).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.text.chars().count(), 50);
        assert_eq!(v.decode(&a.indices).unwrap(), a.text);
        for row in &a.probs {
            assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        }
        let c = sample(&p, Activation::Tanh, &v, &h0, 0, 50, 1.0, 8).unwrap();
        assert_ne!(a.indices, c.indices);
    }

    #[test]
    fn states_follow_the_forward_pass_exactly() {
        let (p, v) = model();
        let h0 = Array1::zeros(5);
        let s = sample(&p, Activation::Tanh, &v, &h0, 2, 6, 1.0, 3).unwrap();
        // Feeding the start symbol and the samples through forward() gives the same p_t
        // (to rounding of the logits' matrix product).
        let mut inputs = vec![2];
        inputs.extend(&s.indices[..5]);
        let t = crate::engine::forward(&p, Activation::Tanh, &inputs, &[None; 6], &h0).unwrap();
        for (row, probs) in t.p.rows().into_iter().zip(&s.probs) {
            for (a, b) in row.iter().zip(probs) {
                assert!((a - b).abs() < 1e-14);
            }
        }
    }

    #[test]
    fn low_temperature_sharpens() {
        let (p, v) = model();
        let h0 = Array1::zeros(5);
        let cold = sample(&p, Activation::Tanh, &v, &h0, 1, 1, 0.1, 0).unwrap();
        let warm = sample(&p, Activation::Tanh, &v, &h0, 1, 1, 10.0, 0).unwrap();
        let max = |r: &Vec<f64>| r.iter().cloned().fold(0.0, f64::max);
        assert!(max(&cold.probs[0]) > max(&warm.probs[0]));
    }

    #[test]
    fn bad_arguments_are_errors() {
        let (p, v) = model();
        let h0 = Array1::zeros(5);
        for t in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                sample(&p, Activation::Tanh, &v, &h0, 0, 5, t, 0),
                Err(EngineError::Temperature(_))
            ));
        }
        assert!(sample(&p, Activation::Tanh, &v, &h0, 4, 5, 1.0, 0).is_err());
        assert!(sample(&p, Activation::Tanh, &v, &Array1::zeros(2), 0, 5, 1.0, 0).is_err());
    }
}
