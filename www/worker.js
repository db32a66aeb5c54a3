// The training worker: it owns a twin of every model the page trains, trains it off the
// main thread, and sends its state back (Lab.export_state, a Float64Array transferred,
// not copied) for the page's copy to import. The page stays at 60 frames per second
// whatever the model size, and Pause takes effect between two slices (≤ SLICE_MS).
//
// Messages in: { op: 'engine', name, module }, the compiled wasm modules from the page
// (taken by www/engine.js listenForEngines: core first, then any other as the page loads
// it); from www/trainer.js: adopt, call, train, run, pause, cancel, free. A spec's
// `engine` names the module of its handle (default core). Messages are handled one after
// the other, in order, even when an adopt waits for its module.
// Messages out: { op: 'ready' } once, then { op: 'state', id, generation, state, partial, ran,
// report, jobDone, error } after each slice or change (at most every POST_MS while running).
// A handle with `export_light` (a state without the optimiser's memory: smaller, enough to
// show the model) sends light states while it trains (`partial: true`) and a full one when
// it stops.
import { listenForEngines, workerEngine } from './engine.js';
import { makeHandle, trainSlice } from './model.js';

/** Training between two looks at the message queue. */
const SLICE_MS = 8;
/** While training, the page gets a state at most this often: each one costs the page an import
 * and fresh reads of the model (a forward pass, the charts), so ten a second keep the
 * readouts live and the main thread free. */
const POST_MS = 100;
/** A large state costs the page about what it costs here to export it: it is sent at most
 * this many times less often than it takes to make (≤ 10% of the page's time). */
const POST_COST_RATIO = 10;

/** id → { handle, generation, jobs, running, sent (iteration the page has), ran, lastPost, chunk } */
const twins = new Map();
let scheduled = false;
// A zero-delay yield: the worker's own message queue, not setTimeout (clamped to ≥ 4 ms).
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  scheduled = false;
  work();
};

function schedule() {
  if (scheduled) return;
  scheduled = true;
  channel.port2.postMessage(null);
}

/** Sends the twin's state; `light` (while training): without the optimiser's memory if the handle can. */
function post(id, twin, extra = {}, light = false) {
  const partial = light && typeof twin.handle.export_light === 'function';
  const t0 = performance.now();
  const state = partial ? twin.handle.export_light(twin.sent) : twin.handle.export_state(twin.sent);
  twin.sent = twin.handle.status().iteration;
  const now = performance.now();
  twin.postEvery = Math.max(POST_MS, POST_COST_RATIO * (now - t0));
  self.postMessage({ op: 'state', id, generation: twin.generation, state, partial, ran: twin.ran, ...extra }, [state.buffer]);
  twin.ran = 0;
  twin.lastPost = now;
}

function fail(id, twin, e) {
  twin.jobs = [];
  twin.running = false;
  post(id, twin, { error: e.message ?? String(e) });
}

/** One slice for every twin with work, then yield. */
function work() {
  let busy = false;
  for (const [id, twin] of twins) {
    if (!twin.jobs.length && !twin.running) continue;
    busy = true;
    let slice;
    try {
      slice = trainSlice(twin.handle, twin, SLICE_MS);
    } catch (e) {
      fail(id, twin, e);
      continue;
    }
    twin.ran += slice.ran;
    const job = slice.finished;
    if (job) post(id, twin, { jobDone: job.job, report: { ...job.report, iterations_run: job.done } });
    else if ((twin.jobs.length || twin.running) && performance.now() - twin.lastPost >= twin.postEvery) post(id, twin, {}, true);
  }
  if (busy) schedule();
}

const handlers = {
  /** A twin of the page's model: its settings and its state. */
  async adopt({ id, spec, state, generation }) {
    const wasm = await workerEngine(spec.engine);
    twins.get(id)?.handle.free();
    const handle = makeHandle(wasm, spec);
    handle.import_state(state);
    twins.set(id, { handle, generation, jobs: [], running: false, sent: handle.status().iteration, ran: 0, lastPost: 0, postEvery: POST_MS, chunk: 1 });
  },
  call({ id, method, args, generation }) {
    const twin = twins.get(id);
    twin.handle[method](...args);
    if (generation !== twin.generation) {
      // The weights were replaced: the page drops states of the old generation.
      twin.generation = generation;
      twin.jobs = [];
      twin.running = false;
      twin.sent = 0;
    }
    post(id, twin);
  },
  train({ id, job, n, until }) {
    twins.get(id).jobs.push({ job, n, until, done: 0, report: null });
    schedule();
  },
  run({ id }) {
    twins.get(id).running = true;
    schedule();
  },
  pause({ id }) {
    const twin = twins.get(id);
    twin.running = false;
    post(id, twin);
  },
  cancel({ id }) {
    const twin = twins.get(id);
    twin.running = false;
    twin.jobs = [];
    post(id, twin);
  },
  free({ id }) {
    twins.get(id)?.handle.free();
    twins.delete(id);
  },
};

listenForEngines();
/** The messages so far, handled in order (an adopt may wait for its engine module). */
let queue = workerEngine().then(() => self.postMessage({ op: 'ready' }));

self.onmessage = (event) => {
  const msg = event.data;
  queue = queue.then(async () => {
    try {
      await handlers[msg.op](msg);
    } catch (e) {
      // The page made the same call on its copy first and it succeeded, so this is a fault.
      self.postMessage({ op: 'fault', id: msg.id, message: e.message ?? String(e) });
    }
  });
};
