// Where the engine comes from: the wasm modules (www/pkg, built by scripts/build) and the
// training worker (www/worker.js). The page, www/trainer.js and the worker ask here; the
// single-file build (scripts/single-file.mjs) puts its own loadEngine, startWorker and
// workerEngine in their place (the wasm embedded in the page, the worker made from a Blob).
//
// The engine is several wasm modules, one per family of chapters, each loaded by name:
// www/pkg/NAME.js (wasm-bindgen's glue) and www/pkg/NAME_bg.wasm. `core` (the word model
// and the chapters Time steps to Vanishing gradients) loads at start; `charts` (the charts
// drawn with plotters) when the first chart that needs it is shown (the default chapter's
// two charts are drawn in JS, www/charts/: it needs none) or once the page is idle; `recap`,
// `why` and `types` when their chapter first opens (a chapter names its module:
// `engine: 'recap'`).
// Each has its own memory: a handle is only ever passed to functions of its own module.
//
// The page compiles each module once and hands the compiled module to the worker
// ({ op: 'engine', name, module, variant }, at start for those already compiled, and as each
// new one arrives): the worker neither downloads nor compiles it again.
//
// Two builds (variants) of a module that trains in float32 (the fast mode): 'simd128' in
// www/pkg and 'relaxed' in www/pkg-relaxed, the same code with relaxed SIMD's fused
// multiply-add in its f32 kernels. The page loads the relaxed one where the browser
// validates a relaxed-SIMD instruction, and the plain one otherwise or if that fails; the
// worker is sent the page's variant, so both train to the same bits.

/** The module every page loads first. */
export const CORE = 'core';
/** The charts drawn with plotters: loaded when a chart needs it, or once the page is idle (App.hasCharts, loadCharts). */
export const CHARTS = 'charts';

/** The modules with a relaxed-SIMD build (scripts/build's RELAXED names the same ones). */
const RELAXED_MODULES = new Set([CORE]);

/**
 * A function () → v128 of one f32x4.relaxed_madd of three zero vectors: the browser has
 * relaxed SIMD iff it validates. (Byte by byte: header; type () → v128; one function;
 * its body: no locals, v128.const 0 three times, 0xfd 0x105 relaxed_madd, end.)
 */
const RELAXED_PROBE = (() => {
  const zero = [0xfd, 0x0c, ...new Array(16).fill(0)];
  const body = [0x00, ...zero, ...zero, ...zero, 0xfd, 0x85, 0x02, 0x0b];
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00,
    0x0a, body.length + 2, 0x01, body.length, ...body]);
})();

/** Whether this browser runs relaxed SIMD (asked once). */
let relaxed = null;
export function hasRelaxedSimd() {
  if (relaxed === null) {
    try {
      relaxed = WebAssembly.validate(RELAXED_PROBE);
    } catch {
      relaxed = false;
    }
  }
  return relaxed;
}

/** name → the variant loaded in this realm ('relaxed' or 'simd128'). */
const variants = new Map();

/** Which build of module `name` this realm runs ('relaxed' or 'simd128'; undefined before it loads). */
export function engineVariant(name = CORE) {
  return variants.get(name);
}

/** name → Promise of the initialised glue module (the page's, or the worker's). */
const engines = new Map();
/** name → the compiled WebAssembly.Module (for the workers). */
const compiled = new Map();
/** The workers started here (each is sent every module the page compiles). */
const workers = new Set();
/** The wasm memories instantiated in this realm (the page's, or the worker's), by module name. */
const memories = new Map();

/** Keeps module `name`'s memory for rnnLabEngineMemory (bench/soak.mjs reads it). */
function track(name, exports) {
  if (exports?.memory) memories.set(name, exports.memory);
  return exports;
}

/** Bytes of every wasm memory of this realm (a diagnostic: bench/soak.mjs). */
globalThis.rnnLabEngineMemory = () => [...memories.values()].reduce((a, m) => a + m.buffer.byteLength, 0);
/** The same per module: { core: bytes, charts: bytes, … }. */
globalThis.rnnLabEngineMemories = () => Object.fromEntries([...memories].map(([name, m]) => [name, m.buffer.byteLength]));

/**
 * The URL of a file of module `name` in www/pkg, or www/pkg-relaxed for the relaxed
 * variant (`glue`: NAME.js, else NAME_bg.wasm).
 */
function pkgUrl(name, glue, variant = 'simd128') {
  if (!/^[a-z0-9_-]+$/.test(name)) throw new Error(`no engine module named ${JSON.stringify(name)}`);
  const dir = variant === 'relaxed' ? 'pkg-relaxed' : 'pkg';
  return new URL(`./${dir}/${glue ? `${name}.js` : `${name}_bg.wasm`}`, import.meta.url).href;
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
async function fetchEngine(name, variant) {
  const compiling = compile(fetch(pkgUrl(name, false, variant)));
  compiling.catch(() => {}); // a failure is reported by the await below, not as unhandled
  const glue = await import(pkgUrl(name, true, variant));
  return { glue, module: await compiling };
}

/**
 * Fetches, compiles and instantiates module `name`, the relaxed variant first where it
 * has one and the browser runs it, the plain one if that fails; → { glue, module, variant }.
 */
async function startEngine(name) {
  if (RELAXED_MODULES.has(name) && hasRelaxedSimd()) {
    try {
      const fetched = await fetchEngine(name, 'relaxed');
      track(name, await fetched.glue.default({ module_or_path: fetched.module }));
      return { ...fetched, variant: 'relaxed' };
    } catch (e) {
      console.warn(`engine ${name}: the relaxed-SIMD build did not load, using the plain one`, e);
    }
  }
  const fetched = await fetchEngine(name, 'simd128');
  track(name, await fetched.glue.default({ module_or_path: fetched.module }));
  return { ...fetched, variant: 'simd128' };
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
    const { glue, module, variant } = await startEngine(name);
    variants.set(name, variant);
    compiled.set(name, { module, variant });
    for (const worker of workers) withEngine(worker, name, module, variant);
    return glue;
  });
}

/** A new training worker (www/worker.js, a module worker), given the engines. May throw. */
export function startWorker() {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  workers.add(worker);
  for (const [name, { module, variant }] of compiled) withEngine(worker, name, module, variant);
  return worker;
}

/**
 * Sends `worker` the compiled `module` of engine `name` and its variant; where a module
 * cannot be posted, null (the worker then loads that variant itself). Returns the worker.
 */
export function withEngine(worker, name, module, variant = 'simd128') {
  try {
    worker.postMessage({ op: 'engine', name, module, variant });
  } catch {
    worker.postMessage({ op: 'engine', name, module: null, variant });
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
    const { name, module, variant } = event.data;
    const engine = { module, variant: variant === 'relaxed' ? 'relaxed' : 'simd128' };
    sent.set(name, engine);
    // Its glue now, while the network is there (the page sends every module once it is
    // idle, so that every chapter opens offline later): the import is kept for workerEngine.
    if (module) import(pkgUrl(name, true, engine.variant)).catch(() => {});
    for (const resolve of waiting.get(name) ?? []) resolve(engine);
    waiting.delete(name);
  });
}

/**
 * In the worker: engine module `name`, initialised with the compiled module the page sent
 * (waits for it: the page sends a module before any model of it reaches the worker), or
 * loaded here when the page could not post it; always the page's variant, with that
 * variant's glue.
 */
export function workerEngine(name = CORE) {
  return once(name, async () => {
    const { module, variant } = sent.has(name) ? sent.get(name) : await new Promise((resolve) => {
      waiting.set(name, [...(waiting.get(name) ?? []), resolve]);
    });
    variants.set(name, variant);
    if (module) {
      const glue = await import(pkgUrl(name, true, variant));
      track(name, await glue.default({ module_or_path: module }));
      return glue;
    }
    const fetched = await fetchEngine(name, variant);
    track(name, await fetched.glue.default({ module_or_path: fetched.module }));
    return fetched.glue;
  });
}
