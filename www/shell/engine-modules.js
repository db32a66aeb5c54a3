// What a chapter loads when it first opens (mixed into App, like model-reads.js): its
// engine's wasm module and its body's code. app.wasm holds the exports of every module
// loaded so far (www/engine.js loads them by name); a chapter with `engine: NAME` gets its
// module, a chapter with `body()` its code (shell/chapters.js loadBody), and it mounts once
// both are there. Meanwhile its section shows the opening text and a "Loading" line.
import { CHARTS, CORE, loadEngine } from '../engine.js';
import { hasBody, loadBody } from './chapters.js';

export const engineModules = {
  /** Adds the exports of engine module `name` (its glue, initialised) to app.wasm. */
  addEngine(name, glue) {
    for (const [key, value] of Object.entries(glue)) {
      // Functions several modules have (the palette, limits) are stateless:
      // the first module's stay. Handle classes are each in one module only.
      if (key in this.wasm) continue;
      this.wasm[key] = value;
      this.exportEngine.set(key, name);
    }
    this.engines.add(name);
    this.engineLoads.set(name, Promise.resolve(true));
  },

  /** The engine module that gave app.wasm its export `key` (a handle class): www/worker.js builds its twins from the same one. */
  engineOf(key) {
    return this.exportEngine.get(key) ?? CORE;
  },

  /** Whether the engine module chapter `c` needs (`c.engine`; core else) is loaded. */
  hasEngine(c) {
    return this.engines.has(c.engine ?? CORE);
  },

  /**
   * Quietly loads what chapter `c` needs, its code and its engine module, so that it opens
   * later without the network (what the page does once it is idle). A failure says nothing
   * here unless the chapter shown is waiting for that module (then as loadChapterEngine).
   */
  async prefetchChapter(c) {
    await loadBody(c).catch(() => {});
    await this.engineLoad(c.engine ?? CORE);
  },

  /**
   * Loads the engine module chapter `c` needs, once; resolves true when it is in app.wasm
   * (at once for a chapter of the core module), false if it could not be loaded (a notice
   * says so; the chapter keeps its opening text, and opening it again tries again). Once
   * loaded, the chapter mounts and draws if it is still the one shown.
   */
  loadChapterEngine(c) {
    return this.engineLoad(c.engine ?? CORE);
  },

  /**
   * The one load of engine module `name` (shared by a chapter that opens and the idle
   * prefetch, whichever starts it): resolves true once it is in app.wasm and the chapter
   * shown, if it was waiting for it, has mounted; false if it could not be loaded (the
   * chapter shown, if it needs it, says so; the next call tries again).
   */
  engineLoad(name) {
    let loading = this.engineLoads.get(name);
    if (!loading) {
      // The chapter shown, if it has not mounted for want of this module.
      const waiting = () => {
        const shown = this.chapter();
        return (shown.engine ?? CORE) === name && !this.views.has(shown.id) ? shown : null;
      };
      loading = loadEngine(name).then(
        (glue) => {
          this.addEngine(name, glue);
          // (During start() the chapter mounts when start shows it.)
          if (this.word && waiting()) {
            this.nav.show();
            this.requestRender();
          }
          return true;
        },
        (e) => {
          this.engineLoads.delete(name);
          const c = waiting();
          if (c) {
            const why = `The engine of the chapter “${c.title}” could not be loaded (${e.message}). Open the chapter again to retry.`;
            this.nav.loadFailed(c, why);
            this.notice(why, 'error');
          }
          return false;
        },
      );
      this.engineLoads.set(name, loading);
    }
    return loading;
  },

  /**
   * Whether the charts module (the draw_* functions of www/pkg/charts: plotters) is in
   * app.wasm. The default chapter does not need it (its two charts are drawn in JS,
   * www/charts/), so it is not part of the first load: the first chart that needs it (a
   * chapter that opens) starts its load here, or the idle prefetch does (loadCharts); the
   * charts that waited are drawn when it arrives. False until it is here (or if it could
   * not be loaded: one notice says so, and those charts stay blank).
   */
  hasCharts() {
    if (this.engines.has(CHARTS)) return true;
    this.chartsWanted = true;
    this.loadCharts();
    return false;
  },

  /**
   * The one load of the charts module; resolves true once it is in app.wasm and the charts
   * that waited for it are drawn, false if it could not be loaded. A failure while a chart
   * waits is told once (and not retried: reloading the page does); a failure of the idle
   * prefetch alone says nothing, and the next chart that needs the module tries again.
   */
  loadCharts() {
    if (this.engines.has(CHARTS)) return Promise.resolve(true);
    if (!this.chartsLoad) {
      this.chartsLoad = loadEngine(CHARTS).then(
        (glue) => {
          this.addEngine(CHARTS, glue);
          // Once started, the charts that waited are drawn now (before that, start draws
          // them); then data-charts="1" says so (the end-to-end tests wait for it).
          if (this.word) this.renderNow();
          document.body.dataset.charts = '1';
          return true;
        },
        (e) => {
          if (this.chartsWanted) {
            this.notice(`The charts could not be loaded (${e.message}). Reload the page to try again.`, 'error');
          } else {
            this.chartsLoad = null;
          }
          return false;
        },
      );
    }
    return this.chartsLoad;
  },

  /**
   * Loads chapter `c`'s body (its code: shell/chapters.js loadBody), once; resolves true
   * when it is there, false if it could not be loaded (a notice and the chapter's section
   * say so; opening the chapter again tries again). Needs no engine: a chapter opened by
   * a link starts loading its code before the wasm has arrived.
   */
  loadChapterBody(c) {
    if (hasBody(c)) return Promise.resolve(true);
    let loading = this.bodyLoads.get(c.id);
    if (!loading) {
      loading = loadBody(c).then(
        () => {
          if (this.word && this.chapter() === c) {
            this.nav.show();
            this.requestRender();
          }
          return true;
        },
        (e) => {
          this.bodyLoads.delete(c.id);
          const why = `The chapter “${c.title}” could not be loaded (${e.message}). Check the connection and open the chapter again to retry.`;
          this.nav.loadFailed(c, why);
          this.notice(why, 'error');
          return false;
        },
      );
      this.bodyLoads.set(c.id, loading);
    }
    return loading;
  },

  /** Whether chapter `c` can mount: its engine module and its body are both loaded. */
  chapterLoaded(c) {
    return this.hasEngine(c) && hasBody(c);
  },

  /** Loads what chapter `c` needs (engine module and body, side by side); resolves true once both are there. */
  loadChapter(c) {
    return Promise.all([this.loadChapterEngine(c), this.loadChapterBody(c)]).then(([engine, body]) => engine && body);
  },

  /** While the current chapter waits for its engine module or its body: the promise of its load; else null. */
  chapterLoading() {
    const c = this.chapter();
    return this.wasm && !this.views.has(c.id) && !this.chapterLoaded(c) ? this.loadChapter(c) : null;
  },
};
