// Model files: the model downloaded as JSON, and a model file loaded back in without
// risking the running model (a bad file changes nothing). The word model's import is
// here; text mode (www/views/training/model.js) and the vanishing chapter
// (www/views/vanishing/model.js) check their files the same way, on a scratch handle,
// and use the buttons and the download of this file.
import { el } from '../views/common.js';

/** Downloads `blob` as `name`. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Downloads a wasm handle's model file (`handle.params()`) as `name`. */
export function downloadModel(handle, name) {
  const text = JSON.stringify(handle.params(), null, 1);
  download(new Blob([text], { type: 'application/json' }), name);
}

/**
 * "Save model" and "Load model…" buttons with a hidden file input: `save()` downloads,
 * `load(text)` gets the chosen file's text. Returns the three elements.
 */
export function modelFileButtons(idPrefix, { save, load }) {
  const file = el('input', { type: 'file', accept: '.json,application/json', hidden: true, id: `${idPrefix}-model-file` });
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    file.value = '';
    if (f) load(await f.text());
  });
  return [
    el('button', { type: 'button', id: `${idPrefix}-save-model`, text: 'Save model', on: { click: () => save() } }),
    el('button', { type: 'button', id: `${idPrefix}-load-model`, text: 'Load model…', on: { click: () => file.click() } }),
    file,
  ];
}

/** Parses a model file's text; on failure says so (nothing changed) and returns null. */
export function parseModelFile(app, text) {
  try {
    // The engine reads what JSON.parse gives (Lab.import_params): the size is checked here.
    const bytes = new TextEncoder().encode(text).length;
    const max = app.wasm.limits().model_file_bytes;
    if (bytes > max) throw new Error(`the file is ${bytes} bytes long; a model file is at most ${max} bytes`);
    const file = JSON.parse(text);
    if (file && typeof file === 'object') return file;
    throw new Error('it is not a JSON object');
  } catch (e) {
    app.notice(`This is not a valid model file: ${e.message}. The model was kept as it was.`, 'error');
    return null;
  }
}

/** Downloads the word model as JSON. */
export function exportModel(app) {
  downloadModel(app.lab, `rnn-lab-${app.state.word.slice(0, 16)}-H${app.state.hidden}.json`);
}

/**
 * Loads a model file's text. The file is first tried on a scratch Lab with the file's
 * word, hidden size, activation and biases, so a bad file leaves the running model as
 * it was; then those settings are applied and the weights loaded. Returns { ok, error }.
 */
export function importModel(app, text) {
  const file = parseModelFile(app, text);
  if (!file) return { ok: false, error: 'not a model file' };
  const settings = {
    word: typeof file?.text === 'string' ? file.text : app.state.word,
    hidden: Number.isInteger(file?.hidden) ? file.hidden : app.state.hidden,
    act: typeof file?.activation === 'string' ? file.activation : app.state.act,
    bias: typeof file?.bias === 'boolean' ? file.bias : app.state.bias,
  };
  let scratch = null;
  try {
    scratch = new app.wasm.Lab({ ...app.engineSettings(app.state), ...settings });
    scratch.import_params(file);
  } catch (e) {
    app.notice(`${e.message}. The model was kept as it was.`, 'error');
    return { ok: false, error: e.message };
  } finally {
    scratch?.free();
  }
  const r = app.setState(settings);
  if (!r.ok) return r;
  try {
    app.word.mutate('import_params', [file], { replaces: true });
  } catch (e) {
    app.notice(`${e.message}. The weights were not loaded.`, 'error');
    return { ok: false, error: e.message };
  }
  app.clampStep();
  app.notice('Model loaded.', 'info');
  return { ok: true, error: null };
}
