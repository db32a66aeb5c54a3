// The state in the address: writing it into the hash (throttled, since browsers throttle
// history.replaceState) and the nav links with it, and taking a hash the user typed or
// navigated to back into the state.
import { parseHash, serialise } from '../state.js';

/** At most one hash write per this many ms (browsers throttle history.replaceState). */
const HASH_WRITE_MS = 200;

export class HashSync {
  constructor(app) {
    this.app = app;
    this.timer = 0;
  }

  /** Writes the state into the hash now (`now`) or within HASH_WRITE_MS. */
  write(now = false) {
    const app = this.app;
    const write = () => {
      this.timer = 0;
      const hash = `#${serialise(app.state)}`;
      if (location.hash !== hash) history.replaceState(null, '', hash);
      app.nav.setHrefs((id) => `#${serialise({ ...app.state, chapter: id })}`);
    };
    if (now) {
      clearTimeout(this.timer);
      write();
    } else if (!this.timer) {
      this.timer = setTimeout(write, HASH_WRITE_MS);
    }
  }

  /** Applies the current location.hash (hashchange): only what differs from the state. */
  read() {
    const app = this.app;
    // A hash typed after the page loaded: an unreadable value keeps the current one.
    const { values, notes } = parseHash(location.hash, { keep: true });
    if (notes.length) app.notice(`Some settings in the address were changed: ${notes.join('; ')}.`, 'warn');
    const patch = {};
    for (const [k, v] of Object.entries(values)) if (app.state[k] !== v) patch[k] = v;
    if (Object.keys(patch).length) app.setState(patch);
  }
}
