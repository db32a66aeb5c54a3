// Guards for window.rnnLab, the page's scripting API (docs/api.md). Scripts and curious
// students call it from the console, so it hands out no raw engine handle (a wasm handle's
// train, configure, import_state or free would change a model behind the page's back) and
// refuses counts that are not whole numbers in range, at once and with a message.

/** The handle methods that only read: the views, the numbers and the exports. */
const READS = [
  'backward_snapshot', 'export_state', 'forward_snapshot', 'grad_check', 'gradients', 'history',
  'loss_history', 'max_iterations_per_call', 'params', 'sample', 'settings', 'status', 'steps',
  'trace', 'training_contributions', 'training_info', 'training_start_symbol', 'training_timeline',
  'unrolled_backward', 'unrolled_converged', 'unrolled_forward', 'vanishing_analysis',
  'vanishing_sequence', 'vanishing_training', 'vocab',
];

/**
 * A read-only view of the handle `get()` returns now (looked up at each call, so it follows
 * rebuilds): the reading methods it has, nothing that changes it.
 */
export function readOnly(get) {
  const view = {};
  for (const name of READS) {
    view[name] = (...args) => {
      const handle = get();
      if (typeof handle?.[name] !== 'function') throw new TypeError(`this model has no ${name}()`);
      return handle[name](...args);
    };
  }
  return Object.freeze(view);
}

/** `n` when it is a whole number from 0 to `max`; otherwise a RangeError naming `what`. */
export function checkedCount(what, n, max) {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) {
    throw new RangeError(`${what} must be a whole number from 0 to ${max}, got ${typeof n === 'number' ? n : JSON.stringify(n) ?? String(n)}`);
  }
  return n;
}

/** The most iterations one train(n) call of the API queues (it trains in slices, Pause stops it). */
export const MAX_API_ITERATIONS = 1_000_000;
