// Small controls shared by the Recap chapter's sections.
import { el, math } from '../common.js';
import { prop } from '../../state.js';

/**
 * A slider for the float state row `name` over [min, max] with its value written beside
 * it; moving it commits to the state on every step.
 */
export function slider(app, name, { id, min, max, step, label, format }) {
  const p = prop(name);
  const input = el('input', { type: 'range', id, min, max, step, 'aria-describedby': `${id}-value` });
  const out = el('output', { id: `${id}-value`, for: id });
  input.addEventListener('input', () => app.setState({ [name]: Number(input.value) }));
  const field = el('div', { class: 'field field-range' },
    el('label', { for: id }, math(label ?? p.label)),
    el('div', { class: 'range-row' }, input, out));
  return {
    field,
    /** Shows the state's value (the slider clamps to its range; the number shows all). */
    sync(value) {
      if (document.activeElement !== input || Number(input.value) !== value) input.value = String(value);
      out.textContent = format(value);
    },
  };
}

/** A button; `primary` for the main action. */
export function button(id, text, onClick, { primary = false, title } = {}) {
  return el('button', { type: 'button', id, class: primary ? 'primary' : '', text, title, on: { click: onClick } });
}

/** A group of buttons with an accessible name. */
export function buttons(label, ...items) {
  return el('div', { class: 'buttons', role: 'group', 'aria-label': label }, ...items);
}

/** A section heading and its lead paragraph(s), for one part of the chapter. */
export function part(id, heading, ...children) {
  return el('section', { class: 'recap-part', id: `recap-${id}`, 'aria-labelledby': `recap-${id}-title` },
    el('h3', { id: `recap-${id}-title`, text: heading }), ...children);
}

/** A number in parentheses when negative, for written-out products: (−0.40). */
export function paren(s) {
  return s.startsWith('\u2212') ? `(${s})` : s;
}

/**
 * Whether `key` differs from the one last seen under `name` in `memo` (and remembers it):
 * the text of a section is rebuilt only when what it shows changed, not at every frame.
 */
export function changed(memo, name, key) {
  if (memo[name] === key) return false;
  memo[name] = key;
  return true;
}

/** While a model trains, its section is redrawn at most this often (the last state always is). */
export const TRAINING_REDRAW_MS = 150;

/**
 * Whether a section whose model is `training` should skip this frame's drawing: at most
 * one drawing per TRAINING_REDRAW_MS while it trains, so the frames stay short; the frame
 * after training ends always draws.
 */
export function throttled(memo, training) {
  const now = performance.now();
  if (training && now - (memo.drawnAt ?? 0) < TRAINING_REDRAW_MS) return true;
  memo.drawnAt = now;
  return false;
}
