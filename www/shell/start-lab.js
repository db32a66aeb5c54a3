// The settings of the page's first model, from the address, and the engine rows of a
// state as Lab settings. A refused address never leaves the page without a model.
import { PROPS, defaults } from '../state.js';

/** The engine rows of a state, as Lab settings. */
export function engineSettings(state) {
  return Object.fromEntries(PROPS.filter((p) => p.engine).map((p) => [p.name, state[p.name]]));
}

/**
 * The engine settings of the first model, from `state`. If the engine refuses them (e.g.
 * an empty word), first the default word only is put back, then, if the engine still
 * refuses, every engine setting; `state` is changed to match and `notes` says what was
 * changed.
 */
export function startSettings(wasm, state, notes) {
  const accepted = (settings) => {
    new wasm.Lab(settings).free();
    return settings;
  };
  try {
    return accepted(engineSettings(state));
  } catch (e) {
    const d = defaults();
    try {
      const settings = accepted(engineSettings({ ...state, word: d.word }));
      notes.push(`word: ${e.message}; using “${d.word}”`);
      state.word = d.word;
      return settings;
    } catch {
      notes.push(`the engine refused them (${e.message}), so the model uses the defaults`);
      for (const p of PROPS) if (p.engine) state[p.name] = d[p.name];
      return engineSettings(state);
    }
  }
}
