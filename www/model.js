// One model of the page: the ONE class every chapter uses for a model it shows or trains.
//
// A Model holds the page's copy of a wasm handle (every view reads its numbers from it,
// memoised per `version`), and trains it: `train(n)`, `run()`, `pause()`, `cancel()`.
// Training happens in one of two places, with the same results bit for bit:
//   - in the training worker (www/worker.js), which owns a twin of the handle built from
//     the same `spec`, trains it, and sends its state back as a transferable Float64Array
//     that the page's copy imports (Lab.import_state); the main thread only draws;
//   - or, when no worker could start (file://, an old browser), in slices inside the
//     app's one frame loop (`tick(budgetMs)`), on the page's copy itself.
// Every change of the numbers bumps `version` (views redraw what depends on it); a
// rebuild, a reset or a loaded model bumps `generation` too (a run of the old one stops).

/** Training per frame on the main thread when there is no worker (the rest of the 16.7 ms draws). */
export const FRAME_BUDGET_MS = 7;

/**
 * The wasm handle a spec describes: `{ cls = 'Lab', ctor: 'new' | <a static constructor>,
 * settings }`, e.g. `{ ctor: 'text', settings }` → `Lab.text(settings)`. `wasm`: the page's
 * app.wasm (every module loaded so far), or in the worker the module the spec's `engine`
 * names (www/engine.js).
 */
export function makeHandle(wasm, spec) {
  const cls = wasm[spec.cls ?? 'Lab'];
  if (!cls) throw new Error(`no model kind ${spec.cls}`);
  return spec.ctor === 'new' ? new cls(spec.settings) : cls[spec.ctor](spec.settings);
}

/**
 * Trains `handle` for about `budgetMs`: the first job of `work.jobs` (`{ n, until, done,
 * report }`), or on and on while `work.running`. The number of iterations per call
 * (`work.chunk`) adapts so that a call takes 1–3 ms: few crossings of the boundary, a
 * fine-grained budget. Returns the iterations run and the job finished, if one was.
 * Throws the engine's error (divergence). Shared by the page (no worker) and the worker.
 */
export function trainSlice(handle, work, budgetMs) {
  const start = performance.now();
  let ran = 0;
  while (performance.now() - start < budgetMs && (work.jobs.length || work.running)) {
    const job = work.jobs[0];
    const want = job ? Math.min(work.chunk, job.n - job.done) : work.chunk;
    const t0 = performance.now();
    const report = job?.until === 'converged' ? handle.unrolled_train_until_converged(want) : handle.train(want);
    ran += report.iterations_run;
    const dt = performance.now() - t0;
    if (dt < 1) work.chunk = Math.min(work.chunk * 2, 4096);
    else if (dt > 3 && work.chunk > 1) work.chunk = Math.max(1, work.chunk >> 1);
    if (job) {
      job.done += report.iterations_run;
      job.report = report;
      if (job.done >= job.n || report.reached || report.iterations_run === 0) {
        work.jobs.shift();
        return { ran, finished: job };
      }
    }
  }
  return { ran, finished: null };
}

/**
 * Whether `error` is a trap of the wasm engine (a Rust panic: a bug, not bad input), or
 * its aftermath: the handle that trapped stays borrowed, and every later call on it
 * throws "recursive use of an object detected".
 */
export function isTrap(error) {
  return error instanceof WebAssembly.RuntimeError
    || /recursive use of an object|unreachable|null pointer passed to rust|RuntimeError/.test(String(error?.message ?? error));
}

/** Whether `message` is the engine's divergence error. */
const isDivergence = (message) => /diverged/.test(message);

let nextId = 1;
let nextJob = 1;

export class Model {
  /**
   * `app`: the App (requestRender, notice, wasm, trainer); `spec`: how to build the handle
   * (see makeHandle). Throws the engine's error if the engine refuses the spec.
   */
  /**
   * `worker: false` keeps the training on the page (small models that train in a few
   * frames, or handles without export_state/import_state).
   */
  constructor(app, spec, { name = 'model', worker = true } = {}) {
    this.app = app;
    this.name = name;
    this.inWorker = worker;
    this.id = nextId++;
    this.handle = null;
    this.version = 0;
    this.generation = 0;
    this.cache = {};
    /** { iteration, message } after NaN/Inf; cleared by a rebuild or a reset. */
    this.diverged = null;
    this.running = false;
    /** Queued train(n) calls: { n, until, done, resolve, generation }. */
    this.jobs = [];
    this.rate = { windowStart: 0, iterations: 0, perSecond: 0 };
    this.chunk = 1;
    this.idleWaiters = [];
    this.rebuild(spec);
    app.models.add(this);
  }

  /** The training worker, or null when training runs on the page. */
  get trainer() {
    return this.inWorker && this.app.trainer?.ready ? this.app.trainer : null;
  }

  /**
   * The worker stopped: what it had not finished goes on here, from the last state it sent.
   * A light state (`partial`) lacks the optimiser's memory, so training cannot go on from it
   * exactly: the model starts again from its settings (its users queue the training again).
   */
  workerLost() {
    if (this.partial) {
      const ctor = this.spec.ctor === 'vanishing' ? 'vanishing' : 'new';
      this.rebuild({ cls: this.spec.cls, ctor, settings: this.handle.settings() });
      return;
    }
    for (const j of this.jobs) j.sent = false;
    this.app.requestFrame();
  }

  /** Replaces the model by the one `spec` describes; throws (and keeps the old one) on refusal. */
  rebuild(spec) {
    const handle = makeHandle(this.app.wasm, spec);
    this.cancel();
    try {
      this.handle?.free();
    } catch {
      // A handle that trapped cannot be freed; it is dropped.
    }
    this.handle = handle;
    this.spec = spec;
    this.diverged = null;
    /** Whether the last state from the worker was a light one (see workerLost). */
    this.partial = false;
    this.changed(true);
    this.remember();
    this.register();
  }

  /** Keeps the handle's own settings, to rebuild it after a trap. */
  remember() {
    try {
      this.lastSettings = this.handle.settings?.() ?? null;
    } catch {
      this.lastSettings = null;
    }
  }

  /**
   * After a trap: a new handle from the settings the model last had (the spec, with every
   * change made since), fresh weights from its seed. Returns true if it was rebuilt.
   */
  recover() {
    let alive = true;
    try {
      this.handle.status();
    } catch {
      alive = false;
    }
    if (alive) return false;
    this.running = false;
    const jobs = this.jobs;
    this.jobs = [];
    for (const j of jobs) j.resolve({ diverged: false, error: 'the engine stopped on an internal error', cancelled: true });
    const settings = this.lastSettings ?? this.spec.settings;
    const ctor = this.spec.ctor === 'vanishing' ? 'vanishing' : 'new';
    this.rebuild(this.lastSettings ? { cls: this.spec.cls, ctor, settings } : this.spec);
    this.settleIfIdle();
    return true;
  }

  /**
   * Gives the worker a twin of the page's copy: built from the copy's own settings (so
   * changes made since the spec are in), then brought to its state, bit for bit.
   */
  register() {
    if (!this.trainer) return;
    const ctor = this.spec.ctor === 'vanishing' ? 'vanishing' : 'new';
    const state = this.handle.export_state(0);
    // The worker builds the twin from the same engine module (app.engineOf: the module that
    // gave the page this class).
    const spec = { cls: this.spec.cls, ctor, settings: this.handle.settings(), engine: this.app.engineOf?.(this.spec.cls ?? 'Lab') };
    this.trainer.send({ op: 'adopt', id: this.id, spec, state, generation: this.generation }, [state.buffer]);
    // What was going on here goes on there.
    for (const j of this.jobs) j.sent = false;
    this.sendJob();
    if (this.running) this.trainer.send({ op: 'run', id: this.id });
  }

  /**
   * Calls a method that changes the model (configure, reset, import_params, …) on the
   * page's copy and, if it succeeds, on the worker's twin. Throws the engine's error,
   * with nothing changed. `replaces`: the call replaces the weights (a run stops).
   */
  mutate(method, args, { replaces = false } = {}) {
    const result = this.handle[method](...args);
    const rebuilt = replaces || result?.rebuilt === true;
    if (rebuilt) {
      this.cancel();
      this.diverged = null;
    }
    this.trainer?.send({ op: 'call', id: this.id, method, args, generation: this.generation + (rebuilt ? 1 : 0) });
    this.changed(rebuilt);
    this.remember();
    return result;
  }

  /** The numbers changed: views redraw; `rebuilt`: a new model (runs of the old one stop). */
  changed(rebuilt = false) {
    this.version++;
    this.cache = {};
    if (rebuilt) this.generation++;
    this.app.requestRender();
  }

  /** Memoised per version: `model.get('status', (h) => h.status())`. */
  get(key, fn) {
    if (!(key in this.cache)) this.cache[key] = fn(this.handle);
    return this.cache[key];
  }

  status() {
    return this.get('status', (h) => h.status());
  }

  /** Whether a train(n) or a run is going on. */
  get busy() {
    return this.jobs.length > 0;
  }

  get active() {
    return this.running || this.jobs.length > 0;
  }

  /**
   * Trains n iterations (in the worker, or in slices of the frame loop). `until:
   * 'converged'` stops as soon as every step predicts its target with p ≥ 0.9. Resolves
   * with the engine's last report plus { diverged, error }, or null if it was cancelled
   * before anything ran. Calls queue behind each other.
   */
  train(n, { until = null } = {}) {
    const total = Math.max(0, Math.min(Math.trunc(Number(n) || 0), 1e6));
    if (this.diverged) return Promise.resolve({ ...this.status(), diverged: true, error: this.diverged.message });
    return new Promise((resolve) => {
      const job = { id: nextJob++, n: total, until, done: 0, report: null, resolve, generation: this.generation, sent: false };
      this.jobs.push(job);
      this.app.requestFrame();
      if (this.trainer) this.sendJob();
    });
  }

  /** Run: train until paused. */
  run() {
    if (this.running || this.diverged) return;
    this.running = true;
    this.rate = { windowStart: 0, iterations: 0, perSecond: this.rate.perSecond };
    this.trainer?.send({ op: 'run', id: this.id });
    this.app.requestFrame();
    this.app.requestRender();
  }

  pause() {
    if (!this.running) return;
    this.running = false;
    this.trainer?.send({ op: 'pause', id: this.id });
    this.app.requestRender();
    this.settleIfIdle();
  }

  toggle() {
    if (this.running) this.pause();
    else this.run();
  }

  /** Stops everything: the run and the queued train(n) calls (they resolve with what ran). */
  cancel() {
    this.running = false;
    const jobs = this.jobs;
    this.jobs = [];
    if (jobs.length) this.trainer?.send({ op: 'cancel', id: this.id });
    for (const j of jobs) j.resolve(j.report ? { ...j.report, diverged: false, error: null, cancelled: true } : null);
    this.settleIfIdle();
  }

  /** Resolves when no training is going on or queued. */
  settled() {
    if (!this.active) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  settleIfIdle() {
    if (this.active) return;
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of w) resolve();
  }

  /** Sends the first unsent job to the worker (one at a time, in order). */
  sendJob() {
    const job = this.jobs[0];
    if (!job || job.sent) return;
    job.sent = true;
    this.trainer.send({ op: 'train', id: this.id, job: job.id, n: job.n - job.done, until: job.until });
  }

  countRate(n) {
    const now = performance.now();
    const r = this.rate;
    if (!r.windowStart) r.windowStart = now;
    r.iterations += n;
    const dt = now - r.windowStart;
    if (dt >= 250) {
      r.perSecond = (r.iterations * 1000) / dt;
      r.windowStart = now;
      r.iterations = 0;
    }
  }

  /** Training stopped on an error: divergence is shown as such, anything else as a notice. */
  fail(message) {
    if (isTrap(message)) {
      this.app.fault(new Error(message));
      return;
    }
    const status = this.handle.status();
    if (status.diverged || isDivergence(message)) this.diverged = { iteration: status.iteration + 1, message };
    else this.app.notice(message, 'error');
    this.running = false;
    const jobs = this.jobs;
    this.jobs = [];
    for (const j of jobs) j.resolve({ ...status, diverged: Boolean(this.diverged), error: message });
    this.changed(false);
    this.settleIfIdle();
  }

  /** A state from the worker: the page's copy takes it, bit for bit. */
  receive(msg) {
    if (msg.generation !== this.generation) return; // from before a rebuild, reset or load
    if (msg.state) {
      this.partial = Boolean(msg.partial);
      try {
        this.handle.import_state(msg.state);
      } catch (e) {
        this.app.notice(`The trained model could not be shown: ${e.message}`, 'error');
      }
      this.countRate(msg.ran ?? 0);
      this.changed(false);
    }
    if (msg.error) {
      this.fail(msg.error);
      return;
    }
    if (msg.jobDone && this.jobs[0]?.id === msg.jobDone) {
      const job = this.jobs.shift();
      job.resolve({ ...msg.report, iterations_run: job.done + msg.report.iterations_run, diverged: false, error: null });
      if (this.jobs.length) this.sendJob();
    }
    this.settleIfIdle();
  }

  /** One slice of training on the page's copy (no worker): called by the app's frame loop. */
  tick(budgetMs) {
    if (this.trainer || !this.active) return;
    let slice;
    try {
      slice = trainSlice(this.handle, this, budgetMs);
    } catch (e) {
      this.fail(e.message);
      return;
    }
    const { ran, finished } = slice;
    this.countRate(ran);
    if (finished) finished.resolve({ ...finished.report, iterations_run: finished.done, diverged: false, error: null });
    if (ran) this.changed(false);
    this.settleIfIdle();
  }

  free() {
    this.cancel();
    this.trainer?.send({ op: 'free', id: this.id });
    this.app.models.delete(this);
    this.handle?.free();
    this.handle = null;
  }
}
