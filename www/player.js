// The step cursor: time step t, pass (forward / backward) and sub-step within a step,
// with play/pause at a chosen speed, moved on by the app's one frame loop (tick).
//
// t, the pass and the sub-step live in the app state only (step, phase, sub: they are in
// the URL); the player reads them there and changes them through app.setState.
// The forward pass runs t = 1 → T, the backward pass t = T → 1, so "next" always moves
// on through the current pass. Views with `granularity: 'substep'` step through the
// sub-steps of each time step; others move a whole time step at a time (the cursor then
// sits on the last sub-step: the step is complete).

/** Sub-steps of one forward time step, in order. */
export const FORWARD_SUBSTEPS = ['w_xh_x', 'w_hh_h', 'sum', 'activation', 'output', 'softmax', 'loss'];
/** Sub-steps of one backward time step, in order (the BPTT chapter may refine them). */
export const BACKWARD_SUBSTEPS = ['dy', 'dh', 'da', 'to_prev'];

/** Speeds offered, in steps per second. */
export const SPEEDS = [0.5, 1, 2, 4, 8];

export class Player {
  constructor(app) {
    this.app = app;
    this.substeps = { forward: FORWARD_SUBSTEPS, backward: BACKWARD_SUBSTEPS };
    this.playing = false;
    this.speed = 1;
    this.lastTick = 0;
  }

  get t() {
    return this.app.state.step;
  }

  /** The sub-step's index within the current pass (app.state.sub). */
  get substep() {
    return this.app.state.sub;
  }

  get phase() {
    return this.app.state.phase;
  }

  /** T, the number of time steps of the model shown. */
  get steps() {
    return this.app.steps();
  }

  /** Sub-step names of the current pass. */
  get names() {
    return this.substeps[this.phase] ?? FORWARD_SUBSTEPS;
  }

  get substepName() {
    return this.names[this.substep] ?? null;
  }

  get fine() {
    return this.app.chapter()?.granularity === 'substep';
  }

  /** +1 forward (t grows), −1 backward (t falls). */
  get dir() {
    return this.phase === 'backward' ? -1 : 1;
  }

  get first() {
    return this.dir > 0 ? 1 : this.steps;
  }

  get last() {
    return this.dir > 0 ? this.steps : 1;
  }

  atStart() {
    return this.t === this.first && (!this.fine || this.substep === 0);
  }

  atEnd() {
    return this.t === this.last && this.substep === this.names.length - 1;
  }

  /** Moves the cursor to (t, substep) and tells the app. */
  go(t, substep) {
    const sub = Math.max(0, Math.min(substep, this.names.length - 1));
    const step = Math.max(1, Math.min(t, this.steps));
    if (step !== this.app.state.step || sub !== this.app.state.sub) this.app.setState({ step, sub });
    else this.app.requestRender();
    this.app.announceStep();
  }

  /** One move on; false at the end of the pass. */
  next() {
    const lastSub = this.names.length - 1;
    if (this.fine && this.substep < lastSub) {
      this.go(this.t, this.substep + 1);
      return true;
    }
    if (this.t === this.last) {
      if (this.substep !== lastSub) this.go(this.t, lastSub);
      return false;
    }
    this.go(this.t + this.dir, this.fine ? 0 : lastSub);
    return true;
  }

  /** One move back; false at the start of the pass. */
  prev() {
    const lastSub = this.names.length - 1;
    if (this.fine && this.substep > 0) {
      this.go(this.t, this.substep - 1);
      return true;
    }
    if (this.t === this.first) return false;
    this.go(this.t - this.dir, lastSub);
    return true;
  }

  /** n moves (negative: back). Returns how many were made. */
  step(n = 1) {
    let moved = 0;
    const count = Math.min(Math.abs(Math.trunc(Number(n) || 0)), 100000);
    for (let i = 0; i < count; i++) {
      if (!(n > 0 ? this.next() : this.prev())) break;
      moved++;
    }
    return moved;
  }

  home() {
    this.go(this.first, this.fine ? 0 : this.names.length - 1);
  }

  end() {
    this.go(this.last, this.names.length - 1);
  }

  /** Switches the pass and puts the cursor at its start (t = 1 forward, t = T backward). */
  setPhase(phase) {
    if (phase !== 'forward' && phase !== 'backward') return false;
    if (phase !== this.phase) this.app.setState({ phase });
    this.home();
    return true;
  }

  /**
   * Keeps the sub-step in range after the view or the pass changed (part of setState's
   * normalisation, like keeping t within 1..T): a chapter that moves whole steps sits on
   * the last sub-step.
   */
  settle() {
    const lastSub = this.names.length - 1;
    if (!this.fine || this.app.state.sub > lastSub) this.app.state.sub = lastSub;
  }

  setSpeed(speed) {
    const v = Number(speed);
    if (SPEEDS.includes(v)) this.speed = v;
    this.app.requestRender();
  }

  play() {
    if (this.playing) return;
    if (this.atEnd()) this.home();
    this.playing = true;
    this.lastTick = performance.now();
    this.app.requestRender();
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    this.app.requestRender();
  }

  toggle() {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Called by the app's frame loop: one move on when the interval has passed. */
  tick(now) {
    if (!this.playing) return;
    const interval = 1000 / this.speed / (this.fine ? 2 : 1);
    if (now - this.lastTick >= interval) {
      this.lastTick = now;
      if (!this.next()) this.pause();
    }
  }
}
