// Where the engine comes from: the wasm modules (www/pkg, built by scripts/build) and the
// training worker (www/worker.js). The page, www/trainer.js and the worker ask here; the
// single-file build (scripts/single-file.mjs) puts its own loadEngine, startWorker and
// workerEngine in their place (the wasm embedded in the page, the worker made from a Blob).
//
// The engine is several wasm modules, one per family of chapters, each loaded by name:
// www/pkg/NAME.js (wasm-bindgen's glue) and www/pkg/NAME_bg.wasm. `core` (the word model
// and the chapters Time steps to Vanishing gradients) loads at start, `charts` (every chart's
// drawing) right after it, without holding the first paint; `recap`, `why` and `types` when
// their chapter first opens (a chapter names its module: `engine: 'recap'`).
// Each has its own memory: a handle is only ever passed to functions of its own module.
//
// The page compiles each module once and hands the compiled module to the worker
// ({ op: 'engine', name, module }, at start for those already compiled, and as each new one
// arrives): the worker neither downloads nor compiles it again.

/** The module every page loads first. */
export const CORE = 'core';
/** Every chart (plotters): loaded just after the first paint (App.hasCharts). */
export const CHARTS = 'charts';

/** name → Promise of the initialised glue module (the page's, or the worker's). */
const engines = new Map();
/** name → the compiled WebAssembly.Module (for the workers). */
const compiled = new Map();
/** The workers started here (each is sent every module the page compiles). */
const workers = new Set();
/** The wasm memories instantiated in this realm (the page's, or the worker's). */
const memories = [];

/** Keeps an instance's memory for rnnLabEngineMemory (bench/soak.mjs reads it). */
function track(exports) {
  if (exports?.memory) memories.push(exports.memory);
  return exports;
}

/** Bytes of every wasm memory of this realm (a diagnostic: bench/soak.mjs). */
globalThis.rnnLabEngineMemory = () => memories.reduce((a, m) => a + m.buffer.byteLength, 0);

/** The URL of a file of module `name` in www/pkg (`glue`: NAME.js, else NAME_bg.wasm). */
function pkgUrl(name, glue) {
  if (!/^[a-z0-9_-]+$/.test(name)) throw new Error(`no engine module named ${JSON.stringify(name)}`);
  return new URL(`./pkg/${glue ? `${name}.js` : `${name}_bg.wasm`}`, import.meta.url).href;
}

/** Compiles the fetched wasm (streaming where the server says application/wasm). */
async function compile(fetching) {
  const response = await fetching;
  if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
  if (WebAssembly.compileStreaming && response.headers.get('Content-Type')?.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Fetches and compiles module `name` and imports its glue, both at once; → { glue, module }. */
async function fetchEngine(name) {
  const compiling = compile(fetch(pkgUrl(name, false)));
  compiling.catch(() => {}); // a failure is reported by the await below, not as unhandled
  const glue = await import(pkgUrl(name, true));
  return { glue, module: await compiling };
}

/** Caches `load()` under `name`; a failed load is forgotten (the next call tries again). */
function once(name, load) {
  let p = engines.get(name);
  if (!p) {
    p = load();
    engines.set(name, p);
    p.catch(() => engines.delete(name));
  }
  return p;
}

/**
 * The page's engine module `name` (default core): the wasm-bindgen glue, initialised.
 * Loaded once; every worker started here gets the compiled module too.
 */
export function loadEngine(name = CORE) {
  return once(name, async () => {
    const { glue, module } = await fetchEngine(name);
    track(await glue.default({ module_or_path: module }));
    compiled.set(name, module);
    for (const worker of workers) withEngine(worker, name, module);
    return glue;
  });
}

/** A new training worker (www/worker.js, a module worker), given the engines. May throw. */
export function startWorker() {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  workers.add(worker);
  for (const [name, module] of compiled) withEngine(worker, name, module);
  return worker;
}

/**
 * Sends `worker` the compiled `module` of engine `name`; where a module cannot be posted,
 * null (the worker then loads that module itself). Returns the worker.
 */
export function withEngine(worker, name, module) {
  try {
    worker.postMessage({ op: 'engine', name, module });
  } catch {
    worker.postMessage({ op: 'engine', name, module: null });
  }
  return worker;
}

/** In the worker: name → the module the page sent (or null: load it here), and waiters. */
const sent = new Map();
const waiting = new Map();

/**
 * In the worker: takes the page's { op: 'engine' } messages from now on. Call it before
 * setting self.onmessage: its listener then runs first and keeps those messages from the
 * worker's own handlers.
 */
export function listenForEngines() {
  self.addEventListener('message', (event) => {
    if (event.data?.op !== 'engine') return;
    event.stopImmediatePropagation();
    const { name, module } = event.data;
    sent.set(name, module);
    for (const resolve of waiting.get(name) ?? []) resolve(module);
    waiting.delete(name);
  });
}

/**
 * In the worker: engine module `name`, initialised with the compiled module the page sent
 * (waits for it: the page sends a module before any model of it reaches the worker), or
 * loaded here when the page could not post it.
 */
export function workerEngine(name = CORE) {
  return once(name, async () => {
    const module = sent.has(name) ? sent.get(name) : await new Promise((resolve) => {
      waiting.set(name, [...(waiting.get(name) ?? []), resolve]);
    });
    if (module) {
      const glue = await import(pkgUrl(name, true));
      track(await glue.default({ module_or_path: module }));
      return glue;
    }
    const fetched = await fetchEngine(name);
    track(await fetched.glue.default({ module_or_path: fetched.module }));
    return fetched.glue;
  });
}
