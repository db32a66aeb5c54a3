// Where the engine comes from: the wasm module (www/pkg, built by scripts/build) and the
// training worker (www/worker.js). The page, www/trainer.js and the worker ask here; the
// single-file build (scripts/single-file) puts its own version of this module in its
// place, with the wasm embedded in the page and the worker made from a Blob.

/** The page's engine: the wasm-bindgen module, initialised (fetches www/pkg/rnn_lab_bg.wasm). */
export async function loadEngine() {
  // The module's bytes and its JS glue at the same time, not one after the other.
  const response = fetch(new URL('./pkg/rnn_lab_bg.wasm', import.meta.url));
  response.catch(() => {}); // a failed fetch is reported by the init below, not as unhandled
  const wasm = await import('./pkg/rnn_lab.js');
  await wasm.default({ module_or_path: response });
  return wasm;
}

/** A new training worker (www/worker.js, a module worker). May throw where none can start. */
export function startWorker() {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

/** In the worker: initialises `glue` (the wasm-bindgen module the worker imported). */
export function loadWorkerEngine(glue) {
  return glue.default();
}
