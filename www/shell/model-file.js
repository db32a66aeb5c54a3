// Model files: the model downloaded as JSON, and a model file loaded back in without
// risking the running model (a bad file changes nothing).
import { el } from '../views/common.js';

/** Downloads the model as JSON. */
export function exportModel(app) {
  const text = JSON.stringify(app.lab.params(), null, 1);
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = el('a', { href: url, download: `rnn-lab-${app.state.word.slice(0, 16)}-H${app.state.hidden}.json` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Loads a model file's text. The file is first tried on a scratch Lab with the file's
 * word, hidden size, activation and biases, so a bad file leaves the running model as
 * it was; then those settings are applied and the weights loaded. Returns { ok, error }.
 */
export function importModel(app, text) {
  let file;
  try {
    file = JSON.parse(text);
  } catch (e) {
    app.notice(`This is not a valid model file: ${e.message}. The model was kept as it was.`, 'error');
    return { ok: false, error: e.message };
  }
  const settings = {
    word: typeof file?.text === 'string' ? file.text : app.state.word,
    hidden: Number.isInteger(file?.hidden) ? file.hidden : app.state.hidden,
    act: typeof file?.activation === 'string' ? file.activation : app.state.act,
    bias: typeof file?.bias === 'boolean' ? file.bias : app.state.bias,
  };
  let scratch = null;
  try {
    scratch = new app.wasm.Lab({ ...app.engineSettings(app.state), ...settings });
    scratch.import_params(text);
  } catch (e) {
    app.notice(`${e.message}. The model was kept as it was.`, 'error');
    return { ok: false, error: e.message };
  } finally {
    scratch?.free();
  }
  const r = app.setState(settings);
  if (!r.ok) return r;
  try {
    app.word.mutate('import_params', [text], { replaces: true });
  } catch (e) {
    app.notice(`${e.message}. The weights were not loaded.`, 'error');
    return { ok: false, error: e.message };
  }
  app.clampStep();
  app.notice('Model loaded.', 'info');
  return { ok: true, error: null };
}
