// The JS side of the wasm Lab: training in slices.
//
// Training is promise-returning on purpose: callers `await app.train(n)`, so the loop
// can move into a Web Worker later without changing them. Today it runs on the main
// thread in slices of at most `budgetMs` per animation frame, so the page keeps
// drawing while a long run goes on.

/** Resolves on the next animation frame (or after 50 ms where frames are paused). */
export function nextFrame() {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        resolve();
      }
    };
    requestAnimationFrame(finish);
    setTimeout(finish, 50);
  });
}

/**
 * Trains `lab` for `n` iterations in slices. Calls `onSlice(report, done)` after each
 * slice, stops early when `cancelled()` turns true, and resolves with the last report
 * (null if nothing ran). Engine errors (divergence) reject with the engine's message.
 */
export async function trainInSlices(lab, n, { budgetMs = 12, onSlice, cancelled } = {}) {
  const total = Math.max(0, Math.trunc(n));
  let done = 0;
  let report = null;
  let chunk = 1;
  while (done < total) {
    if (cancelled?.()) break;
    const sliceStart = performance.now();
    while (done < total) {
      const k = Math.min(chunk, total - done);
      const t0 = performance.now();
      report = lab.train(k);
      done += report.iterations_run;
      // Aim at ~2 ms per call: few crossings of the boundary, fine-grained slices.
      const dt = performance.now() - t0;
      if (dt < 1) chunk = Math.min(chunk * 2, 4096);
      else if (dt > 4 && chunk > 1) chunk = Math.max(1, chunk >> 1);
      if (report.iterations_run < k || performance.now() - sliceStart > budgetMs) break;
    }
    onSlice?.(report, done);
    if (report && report.iterations_run === 0) break;
    if (done < total) await nextFrame();
  }
  return report;
}
