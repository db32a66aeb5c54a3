// The "hello" ambiguity, live: a window-1 character model and the vanilla RNN learn "hello"
// side by side (HelloRaceHandle). After `l` comes `l` once and `o` once: the window, which
// sees only the current character, can do no better than ½ and ½ there; the RNN, with its
// memory, gets both right and its loss goes towards 0.
import { el, fmt, math } from '../common.js';
import { Chart } from '../charts.js';
import { control, syncAll } from '../controls.js';

const VOCAB = ['h', 'e', 'l', 'o'];

export function helloSection(app, ui) {
  const o = {};
  ui.hello = o;
  o.loss = new Chart(app, {
    id: 'why-hello-loss', title: '“hello”: loss per step', draw: 'draw_why_curves_chart',
    caption: 'Mean loss per time step of each model over the four steps h→e, e→l, l→l, l→o; the dashed line is ln 2 / 2, the best a window-1 model can reach.',
  });
  o.tbody = el('tbody');
  o.status = el('p', { class: 'readout', id: 'why-hello-status', 'aria-live': 'polite' });
  o.controls = el('div', { class: 'why-controls' }, control(app, 'wh', { id: 'why-hello-steps' }));
  o.more = el('button', {
    type: 'button', id: 'why-hello-more', class: 'primary', text: 'Train 300 more',
    on: { click: () => app.setState({ wh: Math.min(app.state.wh + 300, 10000) }) },
  });
  return el('section', { class: 'why-failure', id: 'why-hello', 'aria-labelledby': 'why-hello-title' },
    el('h4', { id: 'why-hello-title', text: 'The “hello” ambiguity: memory, not a wider window' }),
    el('p', {}, 'Train on the word “hello”, one character at a time: after h comes e, after e comes l, after the first l comes l, after the second l comes o. ',
      'A model that sees only the current character gets the same input, l, twice, with two different answers. The best it can do is p(l) = p(o) = ½. ',
      'The RNN reads l with a different memory ', math('h_{t−1}'), ' each time, so it can give both answers.'),
    o.controls,
    el('div', { class: 'buttons' }, o.more),
    o.status,
    o.loss.figure,
    el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'why-hello-caption' },
      el('table', { class: 'why-table', id: 'why-hello-table' },
        el('caption', { id: 'why-hello-caption', text: 'p(next character) after l' }),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Model, step' }), ...VOCAB.map((c) => el('th', { scope: 'col', text: `p(${c})` })))),
        o.tbody)));
}

export function renderHello(app, ui, heavy) {
  const o = ui.hello;
  const m = ui.models.hello;
  syncAll(o.controls, app.state);
  if (!heavy && o.shownVersion !== undefined && !o.loss.stale) return;
  const snap = m.get('snapshot', (h) => h.snapshot());
  const best = app.wasm.HelloRaceHandle.window_best_loss();
  ui.chart(o.loss, `${m.generation}/${m.version}`, {
    series: [{ name: 'window-1 model', values: snap.window_losses, step: snap.window_loss_stride }, { name: 'RNN', values: snap.rnn_losses }],
    reference: { name: 'ln 2 / 2', value: best }, title: '“hello”: loss per step', x_desc: 'iteration', y_desc: 'loss per step',
  }, `Line chart of the loss per step over ${snap.steps} iterations: window-1 model ${fmt(snap.window_losses.at(-1), 3)}, RNN ${fmt(snap.rnn_losses.at(-1), 3)}.`);
  const row = (label, p, target) => el('tr', {}, el('th', { scope: 'row', text: label }),
    ...p.map((x, k) => el('td', { class: `num${k === target ? ' is-target' : ''}`, text: fmt(x, 3) })));
  o.tbody.replaceChildren(
    row('Window-1, after either l', snap.window_after_l, null),
    row('RNN, after the first l (answer l)', snap.rnn_after_first_l, 2),
    row('RNN, after the second l (answer o)', snap.rnn_after_second_l, 3));
  o.status.textContent = snap.steps
    ? `After ${snap.steps} iterations: window-1 loss ${fmt(snap.window_losses.at(-1), 4)} per step (floor ${fmt(best, 4)}), RNN loss ${fmt(snap.rnn_losses.at(-1), 4)} per step.`
    : 'Not trained yet.';
  o.shown = snap;
  o.shownVersion = m.version;
}
