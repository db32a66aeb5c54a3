// Visible notices (corrections, refusals, errors) in one polite aria-live region, and a
// separate visually hidden region that announces step changes to screen readers.
// Text always goes in with textContent: notices often quote what a user typed.
import { visible } from './views/common.js';

const MAX_NOTICES = 4;
const INFO_MS = 12_000;

export class Notices {
  /** `region`: the element with aria-live="polite" that holds the notices. */
  constructor(region) {
    this.region = region;
  }

  /**
   * Shows `text`. kind: 'info' (fades after a while), 'warn' or 'error' (stay until
   * dismissed). Returns the notice element.
   */
  show(text, kind = 'info') {
    const item = document.createElement('div');
    item.className = `notice notice-${kind}`;
    item.dataset.kind = kind;
    const label = document.createElement('strong');
    label.textContent = kind === 'error' ? 'Refused: ' : kind === 'warn' ? 'Note: ' : '';
    const body = document.createElement('span');
    body.className = 'notice-text';
    // Invisible and reordering characters (from a word, a pasted text, a file) are written out.
    body.textContent = visible(text);
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'notice-close';
    close.textContent = '×';
    close.setAttribute('aria-label', 'Dismiss this message');
    close.addEventListener('click', () => item.remove());
    item.append(label, body, close);
    this.region.append(item);
    while (this.region.children.length > MAX_NOTICES) this.region.firstElementChild.remove();
    if (kind === 'info') setTimeout(() => item.remove(), INFO_MS);
    return item;
  }

  clear() {
    this.region.replaceChildren();
  }
}

export class Announcer {
  /** `region`: a visually hidden element with aria-live="polite". */
  constructor(region) {
    this.region = region;
    this.last = '';
  }

  say(text) {
    if (text === this.last) return;
    this.last = text;
    this.region.textContent = text;
  }
}
