// Boot: paint the page's text, then load the wasm module, start the app, expose
// window.rnnLab, mark the page ready. If anything fails, the page says so in words
// instead of staying blank.
//
// First paint: the nav, the settings bar and the chapter's opening text need no engine
// (App.open), so they paint first; only then does the wasm download begin (most of the
// page's bytes), so that on a slow phone it never competes with the first paint.
import { App, CHAPTERS } from './app.js';
import { fontsReady } from './fonts.js';
import { engineVariant, loadEngine } from './engine.js';
import { readOnly, checkedCount, MAX_API_ITERATIONS } from './shell/api-guards.js';

const $ = (id) => document.getElementById(id);

function fail(what, error) {
  const box = $('load-error');
  box.hidden = false;
  $('main').hidden = false;
  $('load-error-text').textContent = `${what}: ${error?.message ?? error}`;
  $('loading')?.remove();
  document.body.dataset.ready = 'error';
}

/**
 * window.rnnLab: a small object for automation and curious students (see README,
 * "window.rnnLab API"). Methods that change something draw the page before returning.
 */
function makeApi(app, wasm) {
  const state = () => ({
    ...app.state,
    substep: app.player.substep,
    substep_name: app.player.substepName,
    steps: app.steps(),
    playing: app.player.playing,
    training: app.busy,
    worker: app.trainer.ready,
    iteration: app.status().iteration,
    replaying: app.links.some((l) => l.pending),
    settings: app.engineSettings(app.state),
  });
  const drawn = (value) => {
    app.renderNow();
    return value;
  };
  const api = {
    version: wasm.version(),
    /** The build of the core engine this page runs: 'relaxed' (relaxed SIMD, fused multiply-add in float32) or 'simd128'. */
    engineVariant: engineVariant(),
    state,
    snapshot: () => app.snapshot(),
    step: (n = 1) => drawn({ moved: app.player.step(n), ...state() }),
    setPhase: (phase) => {
      if (!app.player.setPhase(phase)) throw new Error(`phase must be "forward" or "backward", got ${JSON.stringify(phase)}`);
      return drawn(state());
    },
    home: () => drawn((app.player.home(), state())),
    end: () => drawn((app.player.end(), state())),
    play: () => drawn((app.player.play(), state())),
    pause: () => drawn((app.player.pause(), state())),
    train: (n = 1) => app.train(checkedCount('train(n): n', n, MAX_API_ITERATIONS)).then(drawn),
    reset: (seed) => drawn((app.reset(seed), state())),
    /** Returns the result; a promise of it when the new chapter waits for its engine module or its code. */
    set: (patch) => {
      const result = app.setState(patch);
      const loading = app.chapterLoading();
      return loading ? loading.then(() => drawn(result)) : drawn(result);
    },
    frame: () => app.frame(),
    /** Resolves once no model trains and no link is being replayed (iter=N), after a frame. */
    settled: () => app.settled(),
    chapters: () => CHAPTERS.map((c) => ({ id: c.id, title: c.title, settingsBar: c.settingsBar !== false })),
    palette: () => ({ ...app.palette }),
    /** The engine's limits, which the page's fields take as their ranges (docs/limits.md). */
    limits: () => wasm.limits(),
    /** Test-only: a panic inside the engine, to see the page recover (docs/api.md). */
    debug: Object.freeze({
      panic: () => {
        try {
          app.lab.debug_panic();
        } catch (e) {
          app.fault(e);
        }
        return app.frame();
      },
      /** The engine's Lab class, for a test's own independent model (never the page's). */
      Lab: wasm.Lab,
      /** The Vanishing chapter's Lab class (its own module: undefined until it opened). */
      get VanishingLab() {
        return app.wasm.VanishingLab;
      },
      /** Starts timing the page's training slices (each model's share of a frame): for benchmarks. */
      recordSlices: () => {
        app.sliceLog ??= [];
      },
      /** The training slices timed since page time `since` (ms): [{at, ms}]. */
      slices: (since = 0) => (app.sliceLog ?? []).filter((x) => x.at >= since),
    }),
    /** The word model, read-only (its views and numbers; change it through set/train/reset). */
    lab: readOnly(() => app.lab),
  };
  // Chapters with an `api(app)` add their own object under their id (e.g. rnnLab.training).
  addChapterApis(api, app);
  return Object.freeze(api);
}

/**
 * rnnLab.<id> for each chapter with an `api(app)`: a getter, since a chapter's body (and
 * its api) arrives when the chapter first opens; before that, reading it says so.
 */
function addChapterApis(apis, app) {
  const made = new Map();
  for (const c of CHAPTERS.filter((c) => c.api || c.body)) {
    Object.defineProperty(apis, c.id, {
      enumerable: true,
      get() {
        if (!made.has(c.id)) {
          if (!c.mount) throw new Error(`the chapter "${c.id}" is not loaded yet: open it first (await rnnLab.set({chapter: "${c.id}"}))`);
          made.set(c.id, c.api ? c.api(app) : undefined);
        }
        return made.get(c.id);
      },
    });
  }
}

/**
 * Resolves once the browser has shown what is on the page now: at the first
 * largest-contentful-paint entry after `since` (Chromium), else after the next frame;
 * after 1 s at most. The engine's download waits for it, so that on a slow phone it never
 * shares the line with the first paint.
 */
function painted(since) {
  return new Promise((resolve) => {
    let observer = null;
    const done = () => {
      clearTimeout(timer);
      observer?.disconnect();
      resolve();
    };
    const timer = setTimeout(done, 1000);
    if (globalThis.PerformanceObserver?.supportedEntryTypes?.includes('largest-contentful-paint')) {
      observer = new PerformanceObserver((list) => {
        if (list.getEntries().some((e) => e.startTime >= since)) done();
      });
      observer.observe({ type: 'largest-contentful-paint', buffered: true });
    } else {
      requestAnimationFrame(() => setTimeout(done, 0));
    }
  });
}

async function boot() {
  let wasm, app;
  const opened = performance.now();
  try {
    app = new App({
      nav: $('chapter-nav'),
      tools: $('header-tools'),
      settings: $('settings'),
      notices: $('notices'),
      announcer: $('announcer'),
      main: $('main'),
    });
    app.open(location.hash);
    $('main').hidden = false;
  } catch (e) {
    console.error(e);
    fail('RNN Lab could not start', e);
    return;
  }
  await painted(opened);
  // The canvases draw with the app's fonts: loaded alongside the engine (3 s at most).
  const fonts = fontsReady({ late: () => app.wasm && app.requestRender() });
  try {
    // A chapter with an engine module of its own (www/engine.js) loads it alongside core.
    const own = app.chapter().engine;
    if (own) loadEngine(own).catch(() => {}); // a failure is the chapter's notice (App.loadChapterEngine)
    wasm = await loadEngine();
    await fonts;
  } catch (e) {
    fail('The RNN engine (WebAssembly) could not be loaded', e);
    return;
  }
  try {
    await app.start(wasm);
    // Nothing fails silently: an error nobody caught becomes a notice (and, for a trap of
    // the engine, a rebuilt model).
    window.addEventListener('error', (event) => app.fault(event.error ?? new Error(event.message)));
    window.addEventListener('unhandledrejection', (event) => app.fault(event.reason));
    window.rnnLab = makeApi(app, wasm);
    $('app-version').textContent = `v${wasm.version()}`;
  } catch (e) {
    console.error(e);
    fail('RNN Lab could not start', e);
    return;
  }
  $('loading')?.remove();
  document.body.dataset.ready = '1';
  // Once the page is idle: the charts module (the default chapter draws its charts in JS;
  // most other chapters draw theirs with it), then every chapter's code and engine module,
  // one after the other (the core engine's chapters first), so that every chapter opens at
  // once and offline too. The first paint never waits for them; data-prefetched="1" when
  // all are here.
  const idle = globalThis.requestIdleCallback ?? ((f) => setTimeout(f, 1000));
  idle(async () => {
    await app.loadCharts();
    const order = [...CHAPTERS.filter((c) => !c.engine), ...CHAPTERS.filter((c) => c.engine)];
    for (const c of order) await app.prefetchChapter(c);
    document.body.dataset.prefetched = '1';
  }, { timeout: 5000 });
}

boot();
