// Small DOM and number-formatting helpers shared by the views.

/**
 * Creates an element. `attrs`: `class`, `text` (textContent — never HTML), `dataset`,
 * `on` ({event: handler}), anything else becomes an attribute (false/null skip it).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = String(v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    // Through the CSSOM, which no Content-Security-Policy refuses.
    else if (k === 'style') node.style.cssText = String(v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const MINUS = '\u2212';

/**
 * A number rounded to `digits` decimals, with a true minus sign; NaN and ∞ spelled out
 * (they are facts to show, never numbers to draw). −0.000 is shown as 0.000.
 */
export function fmt(x, digits = 3) {
  if (x === null || x === undefined) return '–';
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return `${MINUS}∞`;
  let s = Number(x).toFixed(digits);
  if (/^-0\.?0*$/.test(s)) s = s.slice(1);
  return s.replace('-', MINUS);
}

/** Reads back a number written by fmt (for tests and for copying). */
export function unfmt(s) {
  return Number(String(s).trim().replace(MINUS, '-').replace('∞', 'Infinity'));
}

/** A vector as "[a, b, c]", the first `max` entries then "…". */
export function fmtVec(v, digits = 3, max = 8) {
  const shown = v.slice(0, max).map((x) => fmt(x, digits));
  if (v.length > max) shown.push('…');
  return `[${shown.join(', ')}]`;
}

/** Shows a symbol so spaces and newlines are visible. */
export function showSymbol(c) {
  if (c === ' ') return '␣';
  if (c === '\n') return '↵';
  if (c === '\t') return '⇥';
  return visible(c ?? '');
}

/**
 * Characters that draw nothing or reorder what follows (zero-width spaces and joiners,
 * bidi overrides and isolates, soft hyphen, byte-order mark, other control characters),
 * written out as ⟨U+202E⟩, so a symbol is never invisible and a notice never reorders.
 */
const HIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF9-\uFFFB]/gu;

export function visible(text) {
  return String(text).replace(HIDDEN, (ch) => `⟨U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

/**
 * Lecture notation as text with real subscripts and superscripts: "W_hh h_{t−1}" →
 * W<sub>hh</sub> h<sub>t−1</sub>; "10^−6.0", "(γλ1)^(T−k)", "W^{n}" → a <sup> of
 * "−6.0", "T−k", "n". Built from text nodes, so any text is safe.
 */
export function math(text, attrs = {}) {
  const span = el('span', { class: 'math', ...attrs });
  const re = /_(?:\{([^}]*)\}|([A-Za-z0-9]+))|\^(?:\{([^}]*)\}|\(([^)]*)\)|([−-]?[A-Za-z0-9.]*[A-Za-z0-9]))/g;
  let last = 0;
  let m;
  while ((m = re.exec(text))) {
    if (m.index > last) span.append(text.slice(last, m.index));
    const sub = m[1] ?? m[2];
    span.append(sub !== undefined ? el('sub', { text: sub }) : el('sup', { text: m[3] ?? m[4] ?? m[5] }));
    last = re.lastIndex;
  }
  span.append(text.slice(last));
  return span;
}
