// The chapter navigation and the chapter sections: the nav links (each carrying the
// current settings), which chapter's <section> is shown (its opening text at once, the
// rest mounted on its first visit with the engine),
// aria-current, the page title and body[data-chapter].
import { el } from '../views/common.js';
import { CHAPTERS } from './chapters.js';

export class ChapterNav {
  constructor(app) {
    this.app = app;
    /** Chapter id → its nav link. */
    this.links = new Map();
    /** Chapter id → its section, once mounted. */
    this.sections = new Map();
    /** Chapter id → the "Loading" line of its section, until the chapter mounts. */
    this.waiting = new Map();
  }

  /** Chapter `c`'s code or engine could not be loaded: its section says so (`why`) in place of "Loading". */
  loadFailed(c, why) {
    if (this.sections.has(c.id) && !this.app.views.has(c.id)) this.say(c, why);
  }

  /** The line under chapter `c`'s opening text while it has not mounted (made on first use). */
  say(c, text) {
    let line = this.waiting.get(c.id);
    if (!line) {
      line = el('p', { class: 'chapter-loading', role: 'status' });
      this.sections.get(c.id).append(line);
      this.waiting.set(c.id, line);
    }
    line.textContent = text;
  }

  /** Fills dom.nav with one link per chapter. */
  build() {
    const app = this.app;
    this.links = new Map();
    const items = CHAPTERS.map((c) => {
      const a = el('a', { href: `#chapter=${c.id}`, text: c.title, dataset: { chapter: c.id } });
      a.addEventListener('click', (ev) => {
        ev.preventDefault();
        app.setState({ chapter: c.id });
      });
      this.links.set(c.id, a);
      return el('li', {}, a);
    });
    app.dom.nav.replaceChildren(el('ul', {}, items));
  }

  /**
   * Shows the current chapter's section and hides the others. The section starts with the
   * chapter's opening text (`intro()`, which needs no engine: it paints before the wasm
   * has arrived); once the engine is there (with the chapter's own module, if it has one),
   * the chapter mounts the rest below it, the first time it is shown.
   */
  show() {
    const app = this.app;
    const c = app.chapter();
    if (!this.sections.has(c.id)) {
      const section = el('section', { class: 'chapter', id: `chapter-${c.id}`, 'aria-labelledby': `${c.id}-title` }, c.intro?.() ?? []);
      app.dom.main.append(section);
      this.sections.set(c.id, section);
    }
    // The chapter's code needs no engine: it loads from the first show on.
    if (!app.views.has(c.id)) app.loadChapterBody(c);
    if (app.wasm && !app.views.has(c.id)) {
      // The chapter builds its UI here and hands it back: the app keeps it (app.views),
      // and passes it to the chapter's render, describeStep, extendSnapshot. A chapter
      // whose engine module or body is not loaded yet mounts when it arrives
      // (App.loadChapter calls show again).
      if (app.chapterLoaded(c)) {
        this.waiting.get(c.id)?.remove();
        this.waiting.delete(c.id);
        app.views.set(c.id, c.mount(this.sections.get(c.id), app) ?? {});
      } else {
        // Until it mounts: a line under the opening text, never a bare section (before
        // start, the page's own loading line says it).
        this.say(c, 'Loading this chapter…');
        app.loadChapter(c);
      }
    }
    for (const [id, section] of this.sections) section.hidden = id !== c.id;
    for (const [id, a] of this.links) {
      if (id === c.id) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    // The settings bar only where its model is the one on the page (see SettingsBar.apply).
    app.settingsBar.apply();
    document.body.dataset.chapter = c.id;
    document.title = `${c.title} · RNN Lab`;
  }

  /** Points each chapter's link at `hrefFor(chapterId)`. */
  setHrefs(hrefFor) {
    for (const [id, a] of this.links) a.href = hrefFor(id);
  }
}
