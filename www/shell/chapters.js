// The chapter registry: every chapter of the page, in lecture order.
//
// A chapter is an opening, a module in www/views/ exporting
//   { id, title, intro?() → nodes, granularity?, settingsBar?, limits?, engine?, styles?, body?() }
// and the rest of its parts, its body:
//   { mount(sectionEl, app) → ui, render(app, ui), describeStep?(app, ui),
//     extendSnapshot?(app, snap, ui), api?(app), steps?(app), snapshot?(app) }
// either in the same module (the default chapter, Time steps: the first paint needs it) or
// in a module of its own that `body()` imports (www/views/NAME/body.js, default export):
// the page loads that code only when the chapter first opens (loadBody below; a chunk of its
// own in the served build, scripts/bundle.mjs), showing the opening meanwhile, and with it
// the chapter's stylesheets (`styles`: paths under www/), so that it mounts styled.
// intro returns the chapter's opening text (its h2 and lead paragraph): static, no app
// and no engine, so that it paints before the wasm has arrived (a phone's first paint);
// mount then appends the rest below it. mount builds the chapter's DOM and returns its parts (`ui`); the app keeps it
// (app.views, app.view(id)) and hands it back to every other call. A chapter keeps no
// state of its own at module level. `steps(app)` and `snapshot(app)`: a chapter that
// steps through a model of its own gives the player its T and window.rnnLab.snapshot()
// its numbers (else the word model's).
// `settingsBar: false` hides the model settings bar on a chapter that has its own model
// and controls (default: shown). `limits: { hidden: 16 }` caps shared model settings for
// what is set in the chapter (its controls, a link that opens it), not for a model that
// arrives from another chapter (switching chapters never rebuilds the model). A chapter helper adds its import here and its module to
// CHAPTERS.
import { prop } from '../state.js';
import { el } from '../views/common.js';
import recap from '../views/recap.js';
import why from '../views/why.js';
import steps from '../views/steps.js';
import unrolled from '../views/unrolled.js';
import types from '../views/types.js';
import training from '../views/training.js';
import vanishing from '../views/vanishing.js';

/** The chapters, in lecture order. The default chapter (state.js: `steps`) need not be the first. */
export const CHAPTERS = [recap, why, steps, unrolled, types, training, vanishing];

/** Whether chapter `c` has all its parts (its body is loaded, or it has none of its own). */
export function hasBody(c) {
  return typeof c.mount === 'function';
}

/**
 * Loads chapter `c`'s body (`c.body()`, once) and its stylesheets (`c.styles`), and adds the
 * body's parts to `c`: the same code for every app, so the registry's chapter object takes
 * it. Resolves with `c`; rejects if the code could not be loaded (a later call tries again).
 */
export function loadBody(c) {
  if (hasBody(c)) return Promise.resolve(c);
  if (typeof c.body !== 'function') return Promise.reject(new Error(`chapter ${c.id} has neither mount() nor body()`));
  return Promise.all([c.body(), ...(c.styles ?? []).map(stylesheet)]).then(([module]) => {
    const { id, title, intro, ...parts } = module.default;
    if (id || title || intro) throw new Error(`the body of chapter ${c.id} names its own id, title or intro: those belong to its opening`);
    return Object.assign(c, parts);
  });
}

/**
 * Adds the stylesheet www/`path` (id NAME-css) to the page unless an element has that id
 * (the single file inlines each as <style id="NAME-css">; ./scripts/serve --dev links them
 * all in index.html). Resolves once it has loaded; a stylesheet that fails does not keep the
 * chapter from opening (its text stays readable unstyled), so it resolves then too.
 */
function stylesheet(path) {
  const id = `${path.split('/').pop().replace(/\.css$/, '')}-css`;
  if (sheets.has(id)) return sheets.get(id);
  if (document.getElementById(id)) return Promise.resolve();
  // index.html is at the site's root, beside www/ (in the served build too: scripts/bundle.mjs).
  const link = el('link', { rel: 'stylesheet', id, href: new URL(`www/${path}`, document.baseURI).href });
  const loaded = new Promise((resolve) => {
    link.addEventListener('load', resolve, { once: true });
    link.addEventListener('error', resolve, { once: true });
  });
  document.head.append(link);
  sheets.set(id, loaded);
  return loaded;
}

/** Stylesheet id → the promise of its load (one <link> per page, shared by its chapters). */
const sheets = new Map();

/** The chapter module with this id; the default chapter (`steps`) if there is none. */
export function chapterById(id) {
  return CHAPTERS.find((c) => c.id === id) ?? CHAPTERS.find((c) => c.id === 'steps') ?? CHAPTERS[0];
}

/**
 * Caps `values` (a validated patch) in place at chapter `id`'s limits, for the keys in
 * `changed`; returns a sentence per cap, for the notice.
 */
export function applyLimits(id, values, changed = Object.keys(values)) {
  const limits = chapterById(id).limits ?? {};
  const notes = [];
  for (const [name, max] of Object.entries(limits)) {
    if (changed.includes(name) && values[name] > max) {
      notes.push(`${prop(name)?.label ?? name}: ${values[name]} → ${max}, the most this chapter draws`);
      values[name] = max;
    }
  }
  return notes;
}
