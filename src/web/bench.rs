//! Training-speed benchmark in wasm, under the protocol of the shared baselines
//! (`bench/wasm-bench.mjs` drives it in Node and in headless Chromium and prints
//! it beside the native `rnn-lab bench`).
//!
//! The model and the iteration are exactly those of `rnn-lab bench`: both
//! come from [`Session::benchmark`] (V = 65 for the shared corpus).

use crate::engine::Session;
use crate::engine::fast::Precision;
use wasm_bindgen::prelude::*;

/// The engine's own message, as the JS error (self-contained: the benchmark does not
/// depend on the rest of the boundary).
fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn bench_session(corpus: &str, hidden: usize, seq: usize) -> Result<Session, JsError> {
    Session::benchmark(corpus, hidden, seq).map_err(js_error)
}

/// A benchmark model kept across timed runs (the protocol trains on across
/// runs); JS times `train(n)` with `performance.now()`.
#[wasm_bindgen]
pub struct BenchRun {
    session: Session,
}

#[wasm_bindgen]
impl BenchRun {
    /// The model of the protocol for `hidden` units and sequences of `seq`
    /// steps, trained in `precision` ("f64", the default, or "f32": the fast mode).
    #[wasm_bindgen(constructor)]
    pub fn new(
        corpus: &str,
        hidden: usize,
        seq: usize,
        precision: Option<String>,
    ) -> Result<BenchRun, JsError> {
        let mut session = bench_session(corpus, hidden, seq)?;
        match precision.as_deref() {
            None | Some("f64") => {}
            Some("f32") => session.set_precision(Precision::Float32),
            Some(other) => {
                return Err(js_error(format!(
                    "unknown precision {other:?}: use f64 or f32"
                )));
            }
        }
        Ok(BenchRun { session })
    }

    /// Runs `iterations` training iterations (in calls within the engine's
    /// work budget, as the CLI's bench); returns the loss L of the last one.
    pub fn train(&mut self, iterations: usize) -> Result<f64, JsError> {
        let (mut left, mut loss) = (iterations, f64::NAN);
        while left > 0 {
            let now = left.min(self.session.max_iterations_per_call());
            loss = self.session.train(now).map_err(js_error)?.loss;
            left -= now;
        }
        Ok(loss)
    }

    /// V, the vocabulary size.
    pub fn vocab_size(&self) -> usize {
        self.session.vocab().len()
    }
}

/// Seconds taken by `iterations` training iterations of a fresh benchmark model
/// (model set-up excluded), timed with the JS clock `Date.now()` (ms resolution:
/// use runs of a second or more).
#[wasm_bindgen]
pub fn bench_train(
    corpus: &str,
    hidden: usize,
    seq: usize,
    iterations: usize,
) -> Result<f64, JsError> {
    let mut session = bench_session(corpus, hidden, seq)?;
    let t0 = js_sys::Date::now();
    session.train(iterations).map_err(js_error)?;
    Ok((js_sys::Date::now() - t0) / 1000.0)
}
