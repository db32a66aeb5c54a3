//! What a valid model file builds: the page's settings, a new session, or
//! the weights for the session already there.

use super::ValidModel;
use crate::engine::error::{EngineError, Result};
use crate::engine::settings::RnnSettings;
use crate::engine::{Params, Session, SessionConfig, Vocab};

impl ValidModel {
    /// `base` with the model's text, H, activation and biases: the settings
    /// the page shows once the model is loaded.
    pub fn settings(&self, base: &RnnSettings) -> RnnSettings {
        RnnSettings {
            word: self.text.clone(),
            hidden: self.hidden,
            act: self.activation,
            bias: self.bias,
            ..base.clone()
        }
    }

    /// A new session from `base` with the model's settings and weights
    /// (iteration 0, fresh optimiser memory and histories), and those
    /// settings. Built on the side: on any error the caller's session and
    /// settings are untouched, so `*lab = loaded` is the only change.
    pub fn load(&self, base: &RnnSettings) -> Result<(RnnSettings, Session)> {
        let settings = self.settings(base);
        let mut session = Session::new(settings.session_config()?)?;
        session.set_params(self.params.clone())?;
        Ok((settings, session))
    }

    /// A session from `config` with the model's text, H, activation, biases
    /// and weights (the same as [`ValidModel::load`], from an engine config).
    pub fn session(&self, config: &SessionConfig) -> Result<Session> {
        let mut config = config.clone();
        config.text = self.text.clone();
        config.model.hidden = self.hidden;
        config.model.activation = self.activation;
        config.model.bias = self.bias;
        let mut session = Session::new(config)?;
        session.set_params(self.params.clone())?;
        Ok(session)
    }

    /// The weights, for `session` as it is: its vocabulary, H and activation
    /// must be the model's (the messages say which setting to change).
    pub fn params_for(&self, session: &Session) -> Result<Params> {
        if session.vocab().symbols() != self.vocab.symbols() {
            let show = |v: &Vocab| {
                v.symbols()
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            return Err(EngineError::Invalid(format!(
                "the model's vocabulary [{}] is not the current one [{}]: set the word to {:?} first",
                show(&self.vocab),
                show(session.vocab()),
                self.text
            )));
        }
        let cfg = &session.config().model;
        if self.hidden != cfg.hidden {
            return Err(EngineError::Invalid(format!(
                "the model has {} hidden units, the current one {}: set the hidden size first",
                self.hidden, cfg.hidden
            )));
        }
        if self.activation != cfg.activation {
            let name = self.activation.name();
            return Err(EngineError::Invalid(format!(
                "the model uses {name}: set the activation to {name} first"
            )));
        }
        Ok(self.params.clone())
    }
}
