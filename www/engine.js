// Where the engine comes from: the wasm module (www/pkg, built by scripts/build) and the
// training worker (www/worker.js). The page, www/trainer.js and the worker ask here; the
// single-file build (scripts/single-file.mjs) puts its own loadEngine and startWorker in
// their place (the wasm embedded in the page, the worker made from a Blob) and keeps the
// rest.
//
// The page compiles the wasm once and hands the compiled module to the worker in its first
// message ({ op: 'engine', module }): the worker neither downloads nor compiles it again.

/** The compiled module, once loadEngine has it (for the worker). */
let compiled = null;

/** Compiles the fetched wasm (streaming where the server says application/wasm). */
async function compile(fetching) {
  const response = await fetching;
  if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
  if (WebAssembly.compileStreaming && response.headers.get('Content-Type')?.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/** The page's engine: the wasm-bindgen module, initialised (fetches www/pkg/rnn_lab_bg.wasm). */
export async function loadEngine() {
  // The module's bytes and its JS glue at the same time, not one after the other.
  const compiling = compile(fetch(new URL('./pkg/rnn_lab_bg.wasm', import.meta.url)));
  compiling.catch(() => {}); // a failure is reported by the await below, not as unhandled
  const glue = await import('./pkg/rnn_lab.js');
  compiled = await compiling;
  await glue.default({ module_or_path: compiled });
  return glue;
}

/** A new training worker (www/worker.js, a module worker), given the engine. May throw. */
export function startWorker() {
  return withEngine(new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }), compiled);
}

/**
 * Sends `worker` the compiled `module` as its first message; where a module cannot be
 * posted, null (the worker then loads the wasm itself). Returns the worker.
 */
export function withEngine(worker, module) {
  try {
    worker.postMessage({ op: 'engine', module });
  } catch {
    worker.postMessage({ op: 'engine', module: null });
  }
  return worker;
}

/**
 * In the worker: initialises `glue` (the wasm-bindgen module the worker imported) with the
 * module of the page's { op: 'engine' } message. Call it before setting self.onmessage:
 * its listener then runs first and keeps that message from the worker's own handlers.
 */
export function loadWorkerEngine(glue) {
  return new Promise((resolve, reject) => {
    self.addEventListener('message', function first(event) {
      if (event.data?.op !== 'engine') return;
      event.stopImmediatePropagation();
      self.removeEventListener('message', first);
      const module = event.data.module;
      glue.default(module ? { module_or_path: module } : undefined).then(resolve, reject);
    });
  });
}
