//! The handles of the chapter "Why recurrence?": the four next-word models
//! ([`NextWordHandle`]), the "hello" race ([`HelloRaceHandle`]), the
//! autocomplete ([`AutocompleteHandle`]), and the three example sequences.
//! Every method forwards to `engine::models`; errors cross by `?` with the
//! engine's message. Each `train(n)` is one slice of training (in the worker,
//! or in the page's frame loop without one); `export_state`/`import_state`
//! bring the page's copy to the worker's twin, bit for bit (www/model.js).

use super::{count, from_js, to_js};
use crate::engine::models::autocomplete::{
    self, Autocomplete, AutocompleteSettings, MAX_BEAM_WIDTH, MAX_COMPLETION_CHARS,
};
use crate::engine::models::hello::{HelloRace, HelloSettings, WINDOW_BEST_LOSS};
use crate::engine::models::next_word_lab::{self, NextWordLab, NextWordModel, NextWordSettings};
use crate::engine::models::queries::{MAX_LIST_BYTES, QUERIES};
use crate::engine::models::signals;
use crate::engine::settings::seed_from;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

/// Most training steps one call may run (the page asks for a few per frame).
pub const MAX_STEPS_PER_CALL: usize = 1_000;

/// The four next-word models on the built-in corpus.
#[wasm_bindgen]
pub struct NextWordHandle {
    lab: NextWordLab,
}

#[wasm_bindgen]
impl NextWordHandle {
    /// `new NextWordHandle({window, large_window, hidden, rnn_hidden, seed})`.
    #[wasm_bindgen(constructor)]
    pub fn new(settings: JsValue) -> Result<NextWordHandle, JsError> {
        let s: Option<NextWordSettings> = from_js("next-word settings", settings)?;
        Ok(Self {
            lab: NextWordLab::new(s.unwrap_or_default())?,
        })
    }

    pub fn settings(&self) -> Result<JsValue, JsError> {
        to_js(self.lab.settings())
    }

    /// New settings; only the models they touch are rebuilt: `{rebuilt, models}`.
    pub fn configure(&mut self, settings: JsValue) -> Result<JsValue, JsError> {
        let s: Option<NextWordSettings> = from_js("next-word settings", settings)?;
        let models = self.lab.configure(s.unwrap_or_default())?;
        to_js(&serde_json::json!({ "rebuilt": !models.is_empty(), "models": models }))
    }

    /// `n` steps in all, each to the model with the fewest so far.
    pub fn train(&mut self, n: f64) -> Result<JsValue, JsError> {
        let n = count("the number of steps", n, MAX_STEPS_PER_CALL)?;
        to_js(&self.lab.train_balanced(n)?)
    }

    /// `{iteration, steps: [4], diverged}`.
    pub fn status(&self) -> Result<JsValue, JsError> {
        to_js(&self.lab.status())
    }

    /// The four models' training state (weights, Adam's memory, batch
    /// orders, the losses the other copy lacks: it has `since` steps in all),
    /// for the copy on the page while the worker trains.
    pub fn export_state(&self, since: f64) -> Result<Vec<f64>, JsError> {
        let since = count("since", since, usize::MAX)? as u64;
        Ok(self.lab.export_state(since, false))
    }

    /// The same without Adam's memory (a third of the numbers): enough to show
    /// the models while the worker trains; the worker sends a full state when
    /// it stops (www/worker.js).
    pub fn export_light(&self, since: f64) -> Result<Vec<f64>, JsError> {
        let since = count("since", since, usize::MAX)? as u64;
        Ok(self.lab.export_state(since, true))
    }

    /// Brings this copy to an exported state, bit for bit; a damaged state changes nothing.
    pub fn import_state(&mut self, state: &[f64]) -> Result<(), JsError> {
        Ok(self.lab.import_state(state)?)
    }

    /// Input size, parameters, losses and accuracies of the four models.
    pub fn summaries(&self) -> Result<JsValue, JsError> {
        to_js(&NextWordModel::ALL.map(|m| self.lab.summary(m)))
    }

    /// Sizes and loss curves only (cheap: for the frames while training).
    pub fn curves(&self) -> Result<JsValue, JsError> {
        to_js(&self.lab.curves())
    }

    /// Each model's top-5 next words after `prefix` (unknown words listed).
    pub fn predict(&self, prefix: &str) -> Result<JsValue, JsError> {
        to_js(&self.lab.predict(prefix)?)
    }

    /// The fixed window's (or, with `large`, the very large window's) input for `prefix`.
    pub fn window_input(&self, large: bool, prefix: &str) -> Result<JsValue, JsError> {
        to_js(&self.lab.window_input(large, prefix)?)
    }

    /// The bag-of-words x (word counts, length V) for `prefix`.
    pub fn bag_input(&self, prefix: &str) -> Result<Vec<f64>, JsError> {
        Ok(self.lab.bag_input(prefix)?)
    }

    /// How many order pairs the corpus has.
    pub fn order_pair_count(&self) -> usize {
        self.lab.corpus().pairs.len()
    }

    /// Order pair `i`: both bag-of-words vectors and both models' answers.
    pub fn order_pair(&self, i: f64) -> Result<JsValue, JsError> {
        let i = count("the pair", i, usize::MAX)?;
        to_js(&self.lab.order_pair(i)?)
    }

    /// Every probe with each model's answer.
    pub fn probes(&self) -> Result<JsValue, JsError> {
        to_js(&self.lab.probes())
    }

    /// Prefixes worth trying (the lecture's sentence, the pairs, the probes).
    pub fn examples(&self) -> Result<JsValue, JsError> {
        to_js(&self.lab.prefix_examples())
    }

    /// The vocabulary, in one-hot order.
    pub fn vocab(&self) -> Result<JsValue, JsError> {
        to_js(self.lab.corpus().vocab.words())
    }

    /// `{train, test, probes, longest}`: sentences of each kind, the longest context.
    pub fn corpus_info(&self) -> Result<JsValue, JsError> {
        to_js(&self.lab.corpus_info())
    }
}

/// The "hello" race: a window-1 model and the vanilla RNN.
#[wasm_bindgen]
pub struct HelloRaceHandle {
    race: HelloRace,
}

#[wasm_bindgen]
impl HelloRaceHandle {
    /// `new HelloRaceHandle({seed})`.
    #[wasm_bindgen(constructor)]
    pub fn new(settings: JsValue) -> Result<HelloRaceHandle, JsError> {
        let s: Option<HelloSettings> = from_js("hello settings", settings)?;
        Ok(Self {
            race: HelloRace::new(s.unwrap_or_default().seed)?,
        })
    }

    pub fn settings(&self) -> Result<JsValue, JsError> {
        to_js(&self.race.settings())
    }

    /// `n` more iterations of both models.
    pub fn train(&mut self, n: f64) -> Result<JsValue, JsError> {
        let n = count("the number of iterations", n, MAX_STEPS_PER_CALL)?;
        to_js(&self.race.train_slice(n)?)
    }

    pub fn status(&self) -> Result<JsValue, JsError> {
        to_js(&self.race.progress())
    }

    /// Both models' training state, with the losses of iterations `since` and later.
    pub fn export_state(&self, since: f64) -> Result<Vec<f64>, JsError> {
        Ok(self
            .race
            .export_state(count("since", since, usize::MAX)? as u64))
    }

    /// Brings this copy to an exported state, bit for bit; a damaged state changes nothing.
    pub fn import_state(&mut self, state: &[f64]) -> Result<(), JsError> {
        Ok(self.race.import_state(state)?)
    }

    /// Both loss curves and the distributions after `l`.
    pub fn snapshot(&self) -> Result<JsValue, JsError> {
        to_js(&self.race.snapshot())
    }

    /// ln 2 / 2: the window model's best loss per step.
    pub fn window_best_loss() -> f64 {
        WINDOW_BEST_LOSS
    }
}

/// The autocomplete's settings and, if pasted, its list.
#[derive(Deserialize, Default)]
#[serde(default)]
struct AutocompleteSpec {
    settings: AutocompleteSettings,
    list: Option<String>,
}

/// The autocomplete: a character RNN learning a list of queries.
#[wasm_bindgen]
pub struct AutocompleteHandle {
    model: Autocomplete,
}

#[wasm_bindgen]
impl AutocompleteHandle {
    /// `new AutocompleteHandle({settings: {hidden, learning_rate, batch, identity, seed}, list?})`;
    /// without `list`, the built-in one. A list the engine refuses is an error saying why.
    #[wasm_bindgen(constructor)]
    pub fn new(spec: JsValue) -> Result<AutocompleteHandle, JsError> {
        let s: AutocompleteSpec = from_js("autocomplete settings", spec)?.unwrap_or_default();
        Ok(Self {
            model: Autocomplete::from_text(s.list.as_deref(), s.settings)?,
        })
    }

    /// The spec that rebuilds this model (its list as learned).
    pub fn settings(&self) -> Result<JsValue, JsError> {
        to_js(
            &serde_json::json!({ "settings": self.model.settings(), "list": self.model.list_text() }),
        )
    }

    pub fn train(&mut self, n: f64) -> Result<JsValue, JsError> {
        let n = count("the number of steps", n, MAX_STEPS_PER_CALL)?;
        to_js(&self.model.train_slice(n)?)
    }

    /// Steps, losses, the list's size and symbols, the model's size.
    pub fn status(&self) -> Result<JsValue, JsError> {
        to_js(&self.model.status())
    }

    /// `{iteration, diverged, loss}` without the loss history.
    pub fn progress(&self) -> Result<JsValue, JsError> {
        to_js(&self.model.progress())
    }

    /// The training state, with the losses of steps `since` and later.
    pub fn export_state(&self, since: f64) -> Result<Vec<f64>, JsError> {
        Ok(self
            .model
            .export_state(count("since", since, usize::MAX)? as u64))
    }

    /// Brings this copy to an exported state, bit for bit; a damaged state changes nothing.
    pub fn import_state(&mut self, state: &[f64]) -> Result<(), JsError> {
        Ok(self.model.import_state(state)?)
    }

    /// h and the 5 likeliest next characters after `prefix`.
    pub fn prime(&self, prefix: &str) -> Result<JsValue, JsError> {
        to_js(&self.model.prime(prefix)?)
    }

    /// The 5 likeliest completions by beam search.
    pub fn complete(&self, prefix: &str, width: f64, max_chars: f64) -> Result<JsValue, JsError> {
        let width = count("the beam width", width, MAX_BEAM_WIDTH)?;
        let max_chars = count("the completion length", max_chars, MAX_COMPLETION_CHARS)?;
        to_js(&self.model.complete(prefix, width, max_chars)?)
    }

    /// The list this model learns, one query per line.
    pub fn list_text(&self) -> String {
        self.model.list_text()
    }
}

/// The sentence, the heartbeat and the sound from `seed`.
#[wasm_bindgen]
pub fn why_sequence_examples(seed: f64) -> Result<JsValue, JsError> {
    to_js(&signals::examples(seed_from(seed)?))
}

/// The built-in query list, as written.
#[wasm_bindgen]
pub fn why_builtin_queries() -> String {
    QUERIES.to_string()
}

/// The chapter's limits and defaults, from the engine.
#[wasm_bindgen]
pub fn why_limits() -> Result<JsValue, JsError> {
    to_js(&serde_json::json!({
        "autocomplete_steps": autocomplete::TRAIN_STEPS,
        "next_word_steps": next_word_lab::TRAIN_STEPS,
        "beam_width": MAX_BEAM_WIDTH,
        "completion_chars": MAX_COMPLETION_CHARS,
        "list_bytes": MAX_LIST_BYTES,
        "steps_per_call": MAX_STEPS_PER_CALL,
        "window_best_loss": WINDOW_BEST_LOSS,
    }))
}
