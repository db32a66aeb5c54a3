// The state in the address, both ways, and in the browser's history.
//
// Writing: each change says how it goes into the history (the state table's `history`
// per row, www/state.js): a discrete change ('push') adds an entry, so Back undoes it; a
// continuous one ('replace': the step cursor, iterations counted by training) rewrites
// the current entry, throttled (browsers throttle history.replaceState); a slider being
// dragged ('drag') rewrites the current entry while it moves and, when the drag ends
// (endDrag), leaves the state before the drag in that entry and pushes one entry for
// the state after it. The nav links carry the state too.
// Reading: a hash the user typed, or one Back/Forward brought back (hashchange), is
// applied whole: rows it does not name take their defaults, so the earlier state comes
// back exactly (the models are rebuilt or retrained to match, www/shell/links.js).
import { defaults, parseHash, serialise } from '../state.js';

/** At most one replacing write per this many ms (browsers throttle history.replaceState). */
const HASH_WRITE_MS = 200;

export class HashSync {
  constructor(app) {
    this.app = app;
    this.timer = 0;
    /** The hash of the current history entry as this page last wrote or read it. */
    this.current = null;
    /** While a slider is dragged: the hash from before the drag. */
    this.dragBase = null;
  }

  /** The state's hash now. */
  hash(state = this.app.state) {
    return `#${serialise(state)}`;
  }

  /**
   * Writes the state into the address. `mode`: 'replace' (soon, or `now`), 'push' (a new
   * entry now; `before`: the hash the current entry must keep, the state before the
   * change), 'drag' (replace, remembering `before` for endDrag).
   */
  write(mode = 'replace', { now = false, before = null } = {}) {
    if (mode === 'push') {
      this.push(before);
    } else if (mode === 'drag') {
      if (this.dragBase === null) this.dragBase = before ?? this.current ?? location.hash;
      this.replaceSoon(now);
    } else {
      this.replaceSoon(now);
    }
  }

  /** A new history entry for the state, the current one keeping `before`. */
  push(before) {
    clearTimeout(this.timer);
    this.timer = 0;
    const hash = this.hash();
    if (this.navigated()) {
      // Back/Forward moved us and the hashchange is still on its way: it will be read.
      return;
    }
    if (before && location.hash !== before) history.replaceState(null, '', before);
    if (location.hash !== hash) history.pushState(null, '', hash);
    this.current = hash;
    this.setHrefs();
  }

  /** The drag of a slider ended: one entry for it (the state before stays in the last). */
  endDrag() {
    const base = this.dragBase;
    this.dragBase = null;
    if (base === null) return;
    this.push(base);
  }

  replaceSoon(now) {
    const write = () => {
      this.timer = 0;
      if (this.navigated()) return;
      const hash = this.hash();
      if (location.hash !== hash) history.replaceState(null, '', hash);
      this.current = hash;
      this.setHrefs();
    };
    if (now) {
      clearTimeout(this.timer);
      write();
    } else if (!this.timer) {
      this.timer = setTimeout(write, HASH_WRITE_MS);
    }
  }

  /**
   * Whether the address changed under us (Back, Forward, a typed hash) since we last
   * wrote it: then nothing is written over it until it has been read.
   */
  navigated() {
    return this.current !== null && location.hash !== this.current && (location.hash || '#') !== this.current;
  }

  setHrefs() {
    const app = this.app;
    app.nav.setHrefs((id) => `#${serialise({ ...app.state, chapter: id })}`);
  }

  /**
   * Applies the current location.hash (hashchange: Back, Forward, a typed or clicked
   * link): the whole state it describes, defaults for the rows it leaves out.
   */
  read() {
    const app = this.app;
    clearTimeout(this.timer);
    this.timer = 0;
    this.dragBase = null;
    this.current = location.hash;
    // A hash typed after the page loaded: an unreadable value keeps the current one.
    const { values, notes } = parseHash(location.hash, { keep: true });
    if (notes.length) app.notice(`Some settings in the address were changed: ${notes.join('; ')}.`, 'warn');
    const wanted = { ...defaults(), ...values };
    // A row the address names but that could not be read keeps its current value (not the default).
    for (const k of new URLSearchParams(location.hash.replace(/^#/, '')).keys()) {
      if (!(k in values) && k in app.state) wanted[k] = app.state[k];
    }
    const patch = {};
    for (const [k, v] of Object.entries(wanted)) if (app.state[k] !== v) patch[k] = v;
    // The iteration counts always go in: they say which weights the entry had, even when
    // the count did not change but the model was rebuilt by the other rows.
    for (const k of ['iter', 'titer']) patch[k] = wanted[k];
    app.setState(patch, { history: 'replace', fromAddress: true });
  }
}
