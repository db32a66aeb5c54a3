// The step controls every stepping view shows: First / Previous / Play–Pause / Next /
// Last, the speed, the pass (forward or backward) and where the cursor is. They drive
// app.player; the same actions are on the keys ←/→, Home/End and Space.
import { SPEEDS } from '../player.js';
import { el, math } from './common.js';

/**
 * `substepText(name, t)`: the sub-step in the lecture's notation (e.g. "W_xh x_1"), shown
 * after the step; without it the sub-step's name is shown.
 */
export function playerBar(app, { idPrefix, substepText }) {
  const player = app.player;
  // The visible text is each button's accessible name; the key is in the tooltip.
  const button = (cls, text, title, action) =>
    el('button', { type: 'button', class: cls, title, text, on: { click: action } });
  const first = button('pb-first', '« First', 'First step (Home)', () => player.home());
  const prev = button('pb-prev', '◀ Previous', 'Previous step (←)', () => player.step(-1));
  const play = button('pb-play', '▶ Play', 'Play or pause (Space)', () => player.toggle());
  const next = button('pb-next', 'Next ▶', 'Next step (→)', () => player.step(1));
  const last = button('pb-last', 'Last »', 'Last step (End)', () => player.end());

  const speed = el('select', { id: `${idPrefix}-speed`, on: { change: () => player.setSpeed(speed.value) } },
    SPEEDS.map((s) => el('option', { value: s, text: `${s} step${s === 1 ? '' : 's'}/s` })));
  speed.value = String(player.speed);
  const phase = el('select', { id: `${idPrefix}-phase`, on: { change: () => player.setPhase(phase.value) } },
    el('option', { value: 'forward', text: 'forward (t = 1 → T)' }),
    el('option', { value: 'backward', text: 'backward (t = T → 1)' }));
  const where = el('output', { class: 'pb-where', id: `${idPrefix}-where` });

  const bar = el('div', { class: 'player-bar', role: 'group', 'aria-label': 'Step through the time steps' },
    el('div', { class: 'pb-buttons' }, first, prev, play, next, last),
    el('div', { class: 'field' }, el('label', { for: speed.id, text: 'Speed' }), speed),
    el('div', { class: 'field' }, el('label', { for: phase.id, text: 'Pass' }), phase),
    where);

  function update() {
    const T = app.steps();
    play.textContent = player.playing ? '⏸ Pause' : '▶ Play';
    play.setAttribute('aria-pressed', player.playing ? 'true' : 'false');
    phase.value = player.phase;
    speed.value = String(player.speed);
    // aria-disabled, not disabled: a disabled button drops the keyboard focus.
    const atStart = String(player.atStart());
    const atEnd = String(player.atEnd());
    prev.setAttribute('aria-disabled', atStart);
    first.setAttribute('aria-disabled', atStart);
    next.setAttribute('aria-disabled', atEnd);
    last.setAttribute('aria-disabled', atEnd);
    const text = `t = ${player.t} of ${T} · ${player.phase}`;
    const sub = player.fine ? substepText?.(player.substepName, player.t) ?? player.substepName : '';
    const key = `${text}|${sub}`;
    if (where.dataset.key !== key) {
      where.dataset.key = key;
      where.replaceChildren(text, ...(sub ? [' · ', math(sub)] : []));
    }
  }
  return { el: bar, update };
}
