// The chapter registry: every chapter module of the page, in lecture order.
//
// A chapter is a module in www/views/ exporting
//   { id, title, mount(sectionEl, app) → ui, render(app, ui), granularity?,
//     describeStep?(app, ui), settingsBar?, extendSnapshot?(app, snap, ui), api?(app) }
// mount builds the chapter's DOM and returns its parts (`ui`); the app keeps it
// (app.views, app.view(id)) and hands it back to every other call. A chapter keeps no
// state of its own at module level.
// `settingsBar: false` hides the model settings bar on a chapter that has its own model
// and controls (default: shown). `limits: { hidden: 16 }` caps shared model settings for
// what is set in the chapter (its controls, a link that opens it), not for a model that
// arrives from another chapter (switching chapters never rebuilds the model). A chapter helper adds its import here and its module to
// CHAPTERS.
import { prop } from '../state.js';
import why from '../views/why.js';
import steps from '../views/steps.js';
import unrolled from '../views/unrolled.js';
import training from '../views/training.js';
import vanishing from '../views/vanishing.js';

/** The chapters, in lecture order. */
export const CHAPTERS = [why, steps, unrolled, training, vanishing];

/** The chapter module with this id; the first chapter if there is none. */
export function chapterById(id) {
  return CHAPTERS.find((c) => c.id === id) ?? CHAPTERS[0];
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
