// The page's one frame loop, as methods of App (mixed in by www/app.js, like
// shell/model-reads.js): each turn moves the player's cursor, the chapters' animations and
// a training slice of every model that trains on the page (none while the worker trains),
// then draws the current chapter once. It keeps turning while anything moves and stops when
// all is still, so an idle page costs nothing. Uses the App's renderQueued, frameQueued,
// frameWaiters, animations, models, player and links.
import { FRAME_BUDGET_MS, isTrap } from '../model.js';

export const frameLoop = {
  /** Asks for a drawing of the current chapter in the next frame. */
  requestRender() {
    this.renderQueued = true;
    this.requestFrame();
  },

  /** Asks for one turn of the frame loop. */
  requestFrame() {
    if (this.frameQueued) return;
    this.frameQueued = true;
    requestAnimationFrame((now) => this.loop(now));
  },

  /**
   * The one frame loop: the player's cursor, then a training slice for each model that
   * trains on the page (none when the worker trains), then the drawing. It keeps turning
   * while anything moves, and stops when all is still.
   */
  loop(now) {
    this.frameQueued = false;
    this.player.tick(now);
    for (const t of this.animations.values()) {
      if (now - t.last >= t.interval) {
        t.last = now;
        t.step();
      }
    }
    const training = [...this.models].filter((m) => m.active);
    for (const m of training) {
      const t0 = this.sliceLog ? performance.now() : 0;
      m.tick(FRAME_BUDGET_MS / training.length);
      // A diagnostic, off unless asked for (rnnLab.debug.recordSlices: bench/recap.mjs).
      this.sliceLog?.push({ at: t0, ms: performance.now() - t0 });
    }
    if (this.renderQueued) this.renderNow();
    if (this.player.playing || training.length || this.animations.size) this.requestFrame();
  },

  /**
   * A chapter's own animation (a window sliding over a sentence, a filter over words),
   * moved on by the same frame loop: `step()` every `interval` ms until stopped.
   */
  animate(key, interval, step) {
    this.animations.set(key, { interval, step, last: performance.now() });
    this.requestFrame();
  },

  stopAnimation(key) {
    this.animations.delete(key);
  },

  animating(key) {
    return this.animations.has(key);
  },

  /** Draws the current chapter now, and resolves anyone waiting for a frame. */
  renderNow() {
    this.renderQueued = false;
    try {
      for (const link of this.links) link.sync();
      // A chapter still waiting for its engine module shows its opening text only.
      if (this.view()) this.chapter().render(this, this.view());
    } catch (e) {
      if (isTrap(e)) this.fault(e);
      else {
        console.error(e);
        this.notice(`Something went wrong while drawing: ${e.message}`, 'error');
      }
    }
    const waiters = this.frameWaiters;
    this.frameWaiters = [];
    for (const resolve of waiters) resolve();
  },

  /** Resolves after the next render. */
  frame() {
    return new Promise((resolve) => {
      this.frameWaiters.push(resolve);
      this.requestRender();
    });
  },
};
