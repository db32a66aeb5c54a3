// The page's side of the training worker (www/worker.js): starts it, routes its messages to
// the models by id, and says when it cannot be used, so that models train on the page
// instead (in slices of the frame loop), with a notice.
//
// A module worker does not start on file:// pages and in some older browsers; a worker
// that has not said "ready" within READY_MS counts as not started. The worker itself comes
// from www/engine.js (startWorker).
import { startWorker } from './engine.js';

const READY_MS = 8000;

export class Trainer {
  constructor(app) {
    this.app = app;
    this.ready = false;
    this.worker = null;
  }

  /** Starts the worker; resolves true when it is ready, false (with a notice) if it cannot be used. */
  start() {
    return new Promise((resolve) => {
      let settled = false;
      const give = (ok, why) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!ok) this.lost(why);
        resolve(ok);
      };
      const timer = setTimeout(() => give(false, 'it did not start in time'), READY_MS);
      try {
        this.worker = startWorker();
      } catch (e) {
        give(false, e.message);
        return;
      }
      this.worker.onmessage = (event) => {
        const msg = event.data;
        if (msg.op === 'ready') {
          this.ready = true;
          // Models made before the worker was ready get their twins now.
          for (const m of this.app.models) m.register();
          give(true);
        } else if (msg.op === 'state') {
          this.model(msg.id)?.receive(msg);
        } else if (msg.op === 'fault') {
          console.error('training worker:', msg.message);
          this.model(msg.id)?.fail(`the training worker failed: ${msg.message}`);
        }
      };
      this.worker.onerror = (event) => {
        event.preventDefault?.();
        give(false, event.message || 'it could not be loaded');
        if (this.ready) this.lost(event.message || 'it stopped');
      };
    });
  }

  model(id) {
    for (const m of this.app.models) if (m.id === id) return m;
    return null;
  }

  send(msg, transfer = []) {
    this.worker?.postMessage(msg, transfer);
  }

  /** The worker cannot be used (any more): train on the page from now on. */
  lost(why) {
    const was = this.ready;
    this.ready = false;
    this.worker?.terminate();
    this.worker = null;
    this.app.workerNote = `Training runs on the page, not in a background worker (${why}): the page may draw less smoothly while a large model trains.`;
    this.app.notice(this.app.workerNote, 'info');
    if (was) for (const m of this.app.models) m.workerLost();
  }
}
