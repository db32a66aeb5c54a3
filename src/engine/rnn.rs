//! The vanilla RNN as one model kind of the app: an engine [`Session`] and
//! the settings it was made from, kept in step (changing a setting either
//! rebuilds the session or changes it in place, never one without the other).
//!
//! Three set-ups make one: word mode and text mode ([`RnnSettings`]) and the
//! vanishing chapter's long-range task ([`VanishingSettings`]).

use super::error::{EngineError, Result};
use super::session::Session;
use super::settings::{RnnSettings, RnnSettingsPatch};
use super::vanishing::setup::VanishingSettings;
use serde::Serialize;

/// What a model was built from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Setup {
    Rnn(RnnSettings),
    Vanishing(VanishingSettings),
}

/// A vanilla RNN and its settings.
#[derive(Debug, Clone)]
pub struct RnnModel {
    session: Session,
    setup: Setup,
}

impl RnnModel {
    /// A word-mode or text-mode model (text mode when `seq > 0`).
    pub fn new(settings: RnnSettings) -> Result<Self> {
        let session = Session::new(settings.session_config()?)?;
        Ok(Self {
            session,
            setup: Setup::Rnn(settings),
        })
    }

    /// A text-mode model: text mode's defaults with `patch` applied; the
    /// sequence length must be at least 1.
    pub fn text(patch: &RnnSettingsPatch) -> Result<Self> {
        let settings = patch.apply(&RnnSettings::text_mode());
        if settings.seq == 0 {
            return Err(EngineError::Invalid(
                "the sequence length must be between 1 and 256, got 0".into(),
            ));
        }
        Self::new(settings)
    }

    /// The vanishing chapter's model (W_hh rescaled to λ1).
    pub fn vanishing(settings: VanishingSettings) -> Result<Self> {
        Ok(Self {
            session: settings.session()?,
            setup: Setup::Vanishing(settings),
        })
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn session_mut(&mut self) -> &mut Session {
        &mut self.session
    }

    pub fn setup(&self) -> &Setup {
        &self.setup
    }

    /// The text the model learns (the word, the pasted text, the task's sequences).
    pub fn text_of(&self) -> &str {
        match &self.setup {
            Setup::Rnn(s) => &s.word,
            Setup::Vanishing(_) => &self.session.config().text,
        }
    }

    /// Changes settings. Model settings (word, hidden, seed, scale, bias,
    /// act, seq) rebuild the session with fresh weights; the optimiser, the
    /// learning rate, clipping, truncation, `update_per_chunk` and the
    /// precision change in place, keeping the
    /// weights and the iteration count. Everything is checked first: if the
    /// engine refuses, nothing changes. Returns whether it rebuilt.
    pub fn configure(&mut self, patch: &RnnSettingsPatch) -> Result<bool> {
        let Setup::Rnn(current) = &self.setup else {
            return Err(EngineError::Invalid(
                "the vanishing chapter's model is rebuilt from its own settings".into(),
            ));
        };
        let next = patch.apply(current);
        if patch.changes_model(current) {
            *self = Self::new(next)?;
            return Ok(true);
        }
        let config = next.session_config()?;
        let s = &mut self.session;
        if config.optimizer.kind != s.config().optimizer.kind {
            s.set_optimizer(config.optimizer)?;
        } else if config.optimizer.learning_rate != s.config().optimizer.learning_rate {
            s.set_learning_rate(config.optimizer.learning_rate)?;
        }
        s.set_clip(config.clip)?;
        s.set_truncation(config.truncation)?;
        s.set_update_per_chunk(config.update_per_chunk);
        s.set_precision(config.precision);
        self.setup = Setup::Rnn(next);
        Ok(false)
    }

    /// Fresh weights from `seed`: iteration 0, optimiser memory and histories cleared.
    pub fn reset(&mut self, seed: u64) -> Result<()> {
        match &mut self.setup {
            Setup::Rnn(s) => {
                self.session.reset(seed);
                s.seed = seed;
            }
            Setup::Vanishing(v) => {
                v.seed = seed;
                self.session = v.session()?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::optim::OptimizerKind;

    fn patch(json: &str) -> RnnSettingsPatch {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn in_place_changes_keep_the_weights_and_the_settings_follow() {
        let mut m = RnnModel::new(RnnSettings::default()).unwrap();
        m.session_mut().train(5).unwrap();
        let w = m.session().params().clone();
        assert!(
            !m.configure(&patch(r#"{"opt":"sgd","lr":0.3,"clip":"off","k1":2}"#))
                .unwrap()
        );
        assert_eq!(m.session().params(), &w);
        assert_eq!(m.session().iteration(), 5);
        assert_eq!(m.session().config().optimizer.kind, OptimizerKind::Sgd);
        assert_eq!(m.session().config().truncation, Some((2, 2)));
        let Setup::Rnn(s) = m.setup() else { panic!() };
        assert_eq!((s.lr, s.k1), (0.3, Some(2)));
    }

    #[test]
    fn update_per_chunk_changes_in_place_and_changes_the_training() {
        // Text mode with k1 = 5 on sequences of 25: five chunks per sequence.
        let text = |per_chunk: bool| {
            let mut m = RnnModel::text(&patch(r#"{"hidden":8,"seq":25,"k1":5}"#)).unwrap();
            let p = format!(r#"{{"update_per_chunk":{per_chunk}}}"#);
            let w = m.session().params().clone();
            assert!(!m.configure(&patch(&p)).unwrap(), "no rebuild");
            assert_eq!(m.session().params(), &w, "the weights stay");
            assert_eq!(m.session().config().update_per_chunk, per_chunk);
            let Setup::Rnn(s) = m.setup() else { panic!() };
            assert_eq!(s.update_per_chunk, per_chunk, "the settings follow");
            m.session_mut().train(1).unwrap();
            m
        };
        let (chunked, once) = (text(true), text(false));
        assert_ne!(
            chunked.session().params(),
            once.session().params(),
            "five updates in a sequence are not one"
        );
        // The same as a model built with the setting from the start.
        let mut built = RnnModel::text(&patch(
            r#"{"hidden":8,"seq":25,"k1":5,"update_per_chunk":true}"#,
        ))
        .unwrap();
        built.session_mut().train(1).unwrap();
        assert_eq!(built.session().params(), chunked.session().params());
    }

    #[test]
    fn a_refused_change_changes_nothing() {
        let mut m = RnnModel::new(RnnSettings::default()).unwrap();
        m.session_mut().train(3).unwrap();
        let before = (m.session().params().clone(), m.setup().clone());
        for bad in [
            r#"{"lr":-1}"#,
            r#"{"k1":3,"k2":1}"#,
            r#"{"word":"a"}"#,
            r#"{"hidden":0}"#,
            r#"{"clip":"norm","clipc":0}"#,
        ] {
            assert!(m.configure(&patch(bad)).is_err(), "{bad}");
            assert_eq!(
                (m.session().params().clone(), m.setup().clone()),
                before,
                "{bad}"
            );
            assert_eq!(m.session().iteration(), 3);
        }
        assert!(m.configure(&patch(r#"{"hidden":4}"#)).unwrap());
        assert_eq!(m.session().iteration(), 0);
    }

    #[test]
    fn text_and_vanishing_models_know_their_settings() {
        let t = RnnModel::text(&patch(r#"{"hidden":8,"seq":10}"#)).unwrap();
        assert_eq!(
            (t.session().seq_steps(), t.session().config().model.hidden),
            (10, 8)
        );
        assert!(RnnModel::text(&patch(r#"{"seq":0}"#)).is_err());
        let mut v = RnnModel::vanishing(VanishingSettings::default()).unwrap();
        assert!(matches!(v.setup(), Setup::Vanishing(_)));
        assert!(v.configure(&patch(r#"{"lr":0.1}"#)).is_err());
        v.reset(7).unwrap();
        let Setup::Vanishing(s) = v.setup() else {
            panic!()
        };
        assert_eq!(s.seed, 7);
    }
}
