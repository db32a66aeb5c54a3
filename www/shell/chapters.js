// The chapter registry: every chapter module of the page, in lecture order.
//
// A chapter is a module in www/views/ exporting
//   { id, title, mount(sectionEl, app), render(app), granularity?, describeStep?(app),
//     settingsBar?, extendSnapshot?(app, snap), api?(app) }
// `settingsBar: false` hides the model settings bar on a chapter that has its own model
// and controls (default: shown). A chapter helper adds its import here and its module to
// CHAPTERS.
import steps from '../views/steps.js';
import unrolled from '../views/unrolled.js';
import training from '../views/training.js';
import vanishing from '../views/vanishing.js';

/** The chapters, in lecture order. */
export const CHAPTERS = [steps, unrolled, training, vanishing];

/** The chapter module with this id; the first chapter if there is none. */
export function chapterById(id) {
  return CHAPTERS.find((c) => c.id === id) ?? CHAPTERS[0];
}
