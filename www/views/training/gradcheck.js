// Gradient check: BPTT's gradient against central finite differences (with a Richardson
// step, see src/engine/gradcheck.rs) on the sequence the model trains on next, one row
// per parameter with its largest relative error; green under 1e-6.
import { el } from '../common.js';

/** The pass mark of the engine's check. */
export const PASS = 1e-6;

export function gradcheckPanel(app, model) {
  const ui = {};
  ui.button = el('button', {
    type: 'button', id: 'training-gradcheck', class: 'primary', text: 'Check the gradient',
    on: { click: () => run() },
  });
  ui.status = el('p', { class: 'readout', id: 'training-gradcheck-status', role: 'status' });
  ui.body = el('tbody');
  ui.table = el('table', { class: 'gradcheck-table', id: 'training-gradcheck-table', hidden: true },
    // The engine's denominator (src/engine/gradcheck.rs): a floor that grows with the loss L,
    // so entries whose gradient is ~0 are not judged on rounding noise.
    el('caption', { id: 'training-gradcheck-caption', text: 'Largest relative error |analytic − numeric| / max(|analytic| + |numeric|, 10⁻⁵ · max(1, |L|)) per parameter, L the loss of the sequence checked' }),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', text: 'parameter' }),
      el('th', { scope: 'col', text: 'entries checked' }),
      el('th', { scope: 'col', text: 'max relative error' }),
      el('th', { scope: 'col', text: 'result' }))),
    ui.body);
  let result = null;

  function run() {
    ui.status.textContent = 'Checking… (four extra forward passes per entry)';
    ui.button.setAttribute('aria-disabled', 'true');
    // Let the message paint before the work.
    setTimeout(() => {
      const t0 = performance.now();
      try {
        const report = model.lab().grad_check();
        result = { report, ms: performance.now() - t0, version: model.version() };
      } catch (e) {
        result = null;
        ui.status.textContent = e.message;
      }
      ui.button.setAttribute('aria-disabled', 'false');
      app.requestRender();
    }, 0);
  }

  let shown = null;
  function update() {
    if (!result) {
      if (!ui.status.textContent) ui.status.textContent = 'Press the button to compare BPTT with finite differences on the next sequence.';
      return;
    }
    const { report, ms, version } = result;
    const stale = version !== model.version();
    if (shown === result && stale === ui.stale) return;
    shown = result;
    ui.stale = stale;
    ui.table.hidden = false;
    ui.body.replaceChildren(...report.entries.map((e) => {
      const ok = e.max_relative_error < PASS;
      return el('tr', { class: ok ? 'pass' : 'fail', dataset: { name: e.name } },
        el('th', { scope: 'row', text: e.name }),
        el('td', { text: String(e.checked) }),
        el('td', { class: 'num', text: e.max_relative_error.toExponential(2), title: String(e.max_relative_error) }),
        el('td', { class: 'verdict-cell', text: ok ? '✓ under 1e-6' : '✗ too large' }));
    }));
    const note = stale ? ' (the model has changed since: press again to re-check)' : '';
    ui.status.textContent = `${report.passed ? 'Passed' : 'Failed'}: largest error ${report.max_relative_error.toExponential(2)} over ${report.entries.length} parameters, in ${Math.round(ms)} ms${note}.`;
  }

  return { el: el('div', { class: 'training-gradcheck' }, ui.button, ui.status, ui.table), update, ui };
}
