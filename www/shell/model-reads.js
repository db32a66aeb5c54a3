// The model's numbers as the views read them, memoised in app.cache until the model
// changes (app.modelChanged empties it). These are methods of App: app.js mixes them in,
// so views keep calling app.trace(), app.status(), app.snapshot(), …
import { CHAPTERS } from './chapters.js';

export const modelReads = {
  /** T: the current chapter's own (chapters that step through their own model), else the word's. */
  steps() {
    // (A chapter still waiting for its engine module has no model of its own yet.)
    const own = this.view() ? this.chapter().steps?.(this) : undefined;
    if (own) return own;
    return (this.cache.steps ??= this.lab.steps());
  },

  trace() {
    return (this.cache.trace ??= this.lab.trace());
  },

  gradients() {
    return (this.cache.gradients ??= this.lab.gradients());
  },

  status() {
    return (this.cache.status ??= this.lab.status());
  },

  lossHistory(maxPoints) {
    const key = `loss${maxPoints}`;
    return (this.cache[key] ??= this.lab.loss_history(maxPoints));
  },

  /** The forward snapshot at the current step. */
  forwardSnapshot() {
    const key = `fwd${this.state.step}`;
    return (this.cache[key] ??= this.lab.forward_snapshot(this.state.step));
  },

  /** The backward snapshot at the current step. */
  backwardSnapshot() {
    const key = `bwd${this.state.step}`;
    return (this.cache[key] ??= this.lab.backward_snapshot(this.state.step));
  },

  /**
   * The engine's numbers at the current step, for window.rnnLab: the forward snapshot,
   * plus `backward` in the backward pass; chapters with `extendSnapshot(app, snap)` add theirs.
   */
  snapshot() {
    const own = this.view() ? this.chapter().snapshot?.(this) : undefined;
    if (own) return own;
    const snap = { ...this.forwardSnapshot(), phase: this.state.phase, substep: this.player.substep, substep_name: this.player.substepName };
    if (this.state.phase === 'backward') snap.backward = this.backwardSnapshot();
    for (const c of CHAPTERS) if (this.views.has(c.id)) c.extendSnapshot?.(this, snap, this.views.get(c.id));
    return snap;
  },
};
