// The model settings bar under the header, and the header tools that go with it: the
// presenter-mode toggle and, in presenter mode, the button that shows the settings.
// Which chapters show the bar: the chapter's `settingsBar` (see chapters.js).
import { prop } from '../state.js';
import { control } from '../views/controls.js';
import { el } from '../views/common.js';

/** Settings shown in the bar under the header; the rest sit under "More settings". */
const MAIN_SETTINGS = ['word', 'hidden', 'seed', 'lr', 'opt', 'act'];
const MORE_SETTINGS = ['scale', 'bias', 'clip', 'clipc'];

export class SettingsBar {
  constructor(app) {
    this.app = app;
    /** In presenter mode: whether the user asked to see the settings. */
    this.shown = false;
  }

  /** Fills dom.settings with the controls. */
  buildSettings() {
    const app = this.app;
    const main = MAIN_SETTINGS.map((n) => control(app, n, n === 'word' ? { hint: `2–${prop('word').maxLength} characters` } : {}));
    const more = el('details', { class: 'more-settings' },
      el('summary', { text: 'More settings' }),
      el('div', { class: 'fields' }, MORE_SETTINGS.map((n) => control(app, n))));
    app.dom.settings.replaceChildren(el('div', { class: 'fields' }, main), more);
  }

  /** The presenter-mode toggle and, in presenter mode, the button that shows the settings. */
  buildHeaderTools() {
    const app = this.app;
    this.presentButton = el('button', {
      type: 'button', id: 'present-toggle', class: 'small', 'aria-pressed': 'false', text: 'Presenter mode',
      title: 'Large type and high contrast for a projector; settings and long explanations tucked away (key P)',
      on: { click: () => app.setState({ present: !app.state.present }) },
    });
    this.settingsButton = el('button', {
      type: 'button', id: 'show-settings', class: 'small', 'aria-expanded': 'false', 'aria-controls': app.dom.settings.id,
      text: 'Show settings', on: { click: () => this.toggle() },
    });
    this.shown = false;
    app.dom.tools.replaceChildren(this.settingsButton, this.presentButton);
  }

  /** In presenter mode the settings bar is hidden until this asks for it. */
  toggle(show = !this.shown) {
    this.shown = show;
    this.apply();
    if (show) this.app.dom.settings.querySelector('input, select')?.focus();
  }

  /** Puts the page in (or out of) presenter mode, as state.present says. */
  apply() {
    const app = this.app;
    const on = app.state.present;
    const root = document.documentElement;
    root.classList.toggle('present', on);
    this.presentButton.setAttribute('aria-pressed', String(on));
    const barUsed = app.chapter().settingsBar !== false;
    this.settingsButton.hidden = !on || !barUsed;
    const shown = !on || this.shown;
    this.settingsButton.setAttribute('aria-expanded', String(on && this.shown));
    this.settingsButton.textContent = this.shown ? 'Hide settings' : 'Show settings';
    app.dom.settings.hidden = !barUsed || !shown;
    // The chapter's limits on the shared settings (e.g. H ≤ 16 in "Unrolled").
    const limits = app.chapter().limits ?? {};
    for (const input of app.dom.settings.querySelectorAll('input[type="number"][data-prop]')) {
      const name = input.dataset.prop;
      input.max = String(limits[name] ?? prop(name).max);
    }
  }
}
