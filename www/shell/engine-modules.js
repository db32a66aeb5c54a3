// The engine's wasm modules in the app (mixed into App, like model-reads.js): app.wasm holds
// the exports of every module loaded so far (www/engine.js loads them by name); a chapter
// with `engine: NAME` gets its module when it first opens, and mounts once it is there.
import { CHARTS, CORE, loadEngine } from '../engine.js';

export const engineModules = {
  /** Adds the exports of engine module `name` (its glue, initialised) to app.wasm. */
  addEngine(name, glue) {
    for (const [key, value] of Object.entries(glue)) {
      // Functions both modules have (the loss chart, the palette, limits) are stateless:
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
   * Loads the engine module chapter `c` needs, once; resolves true when it is in app.wasm
   * (at once for a chapter of the core module), false if it could not be loaded (a notice
   * says so; the chapter keeps its opening text, and opening it again tries again). Once
   * loaded, the chapter mounts and draws if it is still the one shown.
   */
  loadChapterEngine(c) {
    const name = c.engine ?? CORE;
    let loading = this.engineLoads.get(name);
    if (!loading) {
      loading = loadEngine(name).then(
        (glue) => {
          this.addEngine(name, glue);
          // (During start() the chapter mounts when start shows it.)
          if (this.word && this.chapter() === c) {
            this.nav.show();
            this.requestRender();
          }
          return true;
        },
        (e) => {
          this.engineLoads.delete(name);
          this.notice(`The engine of the chapter “${c.title}” could not be loaded (${e.message}). Open the chapter again to retry.`, 'error');
          return false;
        },
      );
      this.engineLoads.set(name, loading);
    }
    return loading;
  },

  /**
   * Whether the charts module (every draw_* function: www/pkg/charts) is in app.wasm. It
   * is not needed for the first paint: App.start loads it once the core module is here,
   * and the page draws its charts when it arrives. The first call while it is missing
   * starts that load if need be; false until it is here (or if it could not be loaded:
   * one notice says so, and the charts stay blank).
   */
  hasCharts() {
    if (this.engines.has(CHARTS)) return true;
    if (!this.chartsLoad) {
      this.chartsLoad = loadEngine(CHARTS).then(
        (glue) => {
          this.addEngine(CHARTS, glue);
          // Once started, the charts that waited are drawn now (before that, start draws
          // them); then data-charts="1" says so (the end-to-end tests wait for it).
          if (this.word) this.renderNow();
          document.body.dataset.charts = '1';
        },
        (e) => this.notice(`The charts could not be loaded (${e.message}). Reload the page to try again.`, 'error'),
      );
    }
    return false;
  },

  /** While the current chapter waits for its engine module: the promise of its load; else null. */
  engineLoading() {
    const c = this.chapter();
    return this.wasm && !this.views.has(c.id) && c.engine ? this.loadChapterEngine(c) : null;
  },
};
