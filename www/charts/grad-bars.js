// Per-step bars: ‖dL/dh_t‖ for t = 1..T (or any per-step values, e.g. a softmax), the
// current step in the event colour (vermillion). Drawn in JS (the frame: ./frame.js) so that
// the default chapter needs no charts module; it looks as the plotters chart it replaces did.
import {
  COLORS, axisNames, begin, checkData, housePlot, houseMesh, listOf, message, px, scaleOf,
  setFont, textOf, title,
} from './frame.js';
import { floatTicks, integerTicks, tickLabel, yTop } from './ticks.js';

/**
 * How many x labels `cssEach` chart pixels apart fit under a house plot on an area `width`
 * device pixels wide (its label areas and margins taken off), at least 1: the bars are
 * labelled every one while they fit, every other one on a phone (house.rs x_label_slots).
 */
export function xLabelSlots(width, s, cssEach) {
  const plot = width / s - (74 + 18 + 20);
  return Math.max(1, Math.floor(plot / cssEach));
}

/**
 * The bars' edges and centres on pixels `from`..`to` (as plotters' segmented axis: n equal
 * slots, the last one ending at `to`): edge(i) for i = 0..n, centre(i) for i < n.
 */
export function barSlots(n, from, to) {
  const margin = Math.round((to - from) / Math.max(1, n));
  const end = to - margin;
  const edge = (i) => {
    if (n <= 1) return i === 0 ? from : to;
    return from + Math.floor(((end - from) * i) / (n - 1) + 1e-3);
  };
  const centre = (i) => (i + 1 < n ? Math.trunc((edge(i) + edge(i + 1)) / 2) : edge(i) + Math.trunc(margin / 2));
  return { edge, centre };
}

/**
 * Draws the bars on `canvas` (sized in device pixels by the page). `data`: {values, labels?,
 * highlight?, title?, x_desc?, y_desc?}: one bar per value (a norm ≥ 0; NaN or ∞ is drawn as
 * a full-height bar labelled so), its label ("1", "2", … when absent), the index of the bar
 * to highlight (the current step). `scale`: device pixels per chart pixel.
 */
export function drawGradBarsChart(canvas, data, scale) {
  checkData('gradient bars', data);
  const values = listOf('gradient bars', data, 'values');
  const labels = listOf('gradient bars', data, 'labels');
  const highlight = data?.highlight ?? null;
  const name = textOf('gradient bars', data, 'title', '‖dL/dh_t‖ per time step');
  const xName = textOf('gradient bars', data, 'x_desc', 'time step t');
  const yName = textOf('gradient bars', data, 'y_desc', '‖dL/dh_t‖');
  const s = scaleOf(scale);
  const { ctx, area } = begin(canvas, 'gradient bars');
  const n = values.length;
  const top = yTop(values);
  const under = title(ctx, s, area, name);
  const plot = housePlot(s, under, top);
  const slots = barSlots(n, plot.left, plot.right - 1);
  // Label every bar while they fit (24 at most, fewer on a phone).
  const shown = n === 0 ? [] : integerTicks(0, n - 1, Math.min(Math.max(n, 1), 24, xLabelSlots(under.w, s, 24)));
  houseMesh(ctx, s, plot, {
    xTicks: shown.map((i) => ({ at: slots.centre(i), label: String(labels[i] ?? i + 1) })),
    yTicks: floatTicks(0, top, 5).map((v) => ({ at: plot.y(v), label: tickLabel(v) })),
    xGrid: false,
  });
  axisNames(ctx, s, plot, [xName, 15], [yName, 15]);
  if (n === 0) {
    message(ctx, s, under, 'No steps to show');
    return;
  }
  const gap = px(s, n > 30 ? 1 : 6);
  const base = plot.y(0);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const height = Number.isFinite(v) ? Math.max(v, 0) : top;
    const y = plot.y(height);
    const [left, right] = [slots.edge(i) + gap, slots.edge(i + 1) - gap];
    ctx.fillStyle = highlight === i ? COLORS.event : COLORS.gradient;
    ctx.fillRect(left, Math.min(y, base), right - left, Math.abs(base - y));
  }
  // A non-finite norm is a fact to show, not a number to draw.
  setFont(ctx, 15 * s);
  ctx.fillStyle = COLORS.background;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i])) ctx.fillText(Number.isNaN(values[i]) ? 'NaN' : '∞', slots.centre(i), plot.y(top));
  }
}
