//! Model export and import: the weights as a JSON file a TA can save and
//! load back. A second `#[wasm_bindgen] impl Lab` block, in its own module,
//! as every chapter's methods are. The file format, its parser and every
//! check are the engine's ([`crate::engine::model_file`]); this is only the
//! boundary.

use super::lab::Lab;
use super::to_js;
use crate::engine::model_file::{ModelFile, read};
use serde_wasm_bindgen::Deserializer;
use wasm_bindgen::prelude::*;

#[cfg_attr(feature = "lab", wasm_bindgen)]
#[cfg_attr(not(feature = "lab"), wasm_bindgen(js_class = VanishingLab))]
impl Lab {
    /// The model as a file object (`JSON.stringify` it to save).
    pub fn params(&self) -> Result<JsValue, JsError> {
        to_js(&ModelFile::from_session(
            self.session(),
            self.model.text_of(),
        ))
    }

    /// Loads weights from a model file, as `JSON.parse` read it (the page checks the
    /// text's size, `limits().model_file_bytes`, first; JSON.parse reads doubles exactly).
    /// The vocabulary, hidden size and activation must match the current settings;
    /// shapes and numbers are checked; on any error the current model stays as it is.
    pub fn import_params(&mut self, file: JsValue) -> Result<(), JsError> {
        // The engine's reader: the version first, every list bounded while it is read.
        let (header, whole) = (Deserializer::from(file.clone()), Deserializer::from(file));
        let params = read(header, whole)?.params_for(self.session())?;
        Ok(self.model.session_mut().set_params(params)?)
    }
}
