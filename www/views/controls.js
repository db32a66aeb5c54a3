// Form controls built from rows of the state table (www/state.js): a labelled input or
// select per setting, wired to app.setState, and kept in sync with the state.
import { prop } from '../state.js';
import { el, math } from './common.js';

/** One labelled control for the state property `name`. */
export function control(app, name, { id = `set-${name}`, hint, label } = {}) {
  const p = prop(name);
  if (!p) throw new Error(`no state property ${name}`);
  const commit = (value) => {
    app.setState({ [name]: value });
    // Show what was accepted (the engine may have refused, or the value was clamped).
    sync(input, app.state[name]);
  };
  let input;
  if (p.type === 'enum') {
    input = el('select', { id, name, dataset: { prop: name } },
      p.options.map((o) => el('option', { value: o, text: p.optionLabels?.[o] ?? o })));
    input.addEventListener('change', () => commit(input.value));
  } else if (p.type === 'bool') {
    input = el('input', { id, name, type: 'checkbox', dataset: { prop: name } });
    input.addEventListener('change', () => commit(input.checked));
  } else if (p.type === 'text') {
    input = el('input', {
      id, name, type: 'text', maxlength: p.maxLength, autocomplete: 'off', spellcheck: 'false',
      dataset: { prop: name },
    });
    input.addEventListener('change', () => commit(input.value));
  } else {
    input = el('input', {
      id, name, type: 'number', min: p.min, max: p.max, step: p.type === 'int' ? 1 : 'any',
      inputmode: p.type === 'int' ? 'numeric' : 'decimal', dataset: { prop: name },
    });
    input.addEventListener('change', () => commit(input.value === '' ? NaN : Number(input.value)));
  }
  const hintEl = hint ? el('span', { class: 'hint', id: `${id}-hint`, text: hint }) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  const field = el('div', { class: `field field-${p.type}` }, el('label', { for: id }, math(label ?? p.label ?? name)), input, hintEl);
  sync(input, app.state[name]);
  return field;
}

/** Puts `value` into a control. */
export function sync(input, value) {
  if (input.type === 'checkbox') input.checked = Boolean(value);
  else if (input.value !== String(value)) input.value = String(value);
}

/**
 * Re-syncs every control under `root` with the state, except the one being edited: a
 * frame drawn while a student types (a chapter training in the background redraws every
 * frame) must not put the old value back into the field. Its own commit syncs it.
 */
export function syncAll(root, state) {
  for (const input of root.querySelectorAll('[data-prop]')) {
    const name = input.dataset.prop;
    if (input === document.activeElement && input.type !== 'checkbox' && input.tagName !== 'SELECT') continue;
    if (name in state) sync(input, state[name]);
  }
}
