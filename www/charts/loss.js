// The loss curve: loss and smooth loss against the training iteration, with a tick at the
// top wherever gradient clipping fired. Drawn in JS (the frame: ./frame.js) so that the
// default chapter needs no charts module; it looks as the plotters chart it replaces did.
import {
  COLORS, axisNames, begin, checkData, housePlot, houseMesh, legend, listOf, message, px,
  scaleOf, stroke, textOf, title,
} from './frame.js';
import { finiteRuns, fixed, floatTicks, mapLinear, tickLabel, yTop } from './ticks.js';

/**
 * The x range of the curve: its first to last iteration, at least 10 iterations wide so that
 * the whole-number ticks stay distinct; [0, 10] with no data.
 */
export function lossXRange(iteration) {
  if (iteration.length === 0) return [0, 10];
  const first = iteration[0];
  const last = iteration[iteration.length - 1];
  const lo = Math.min(first, last);
  return [lo, Math.max(last, lo + 10)];
}

/**
 * Draws the loss curve on `canvas` (sized in device pixels by the page). `data`: the shape
 * of `Lab.history()`, {iteration, loss, smooth_loss, clip_fired?, title?}, one entry per
 * iteration in each list. `scale`: device pixels per chart pixel (views/charts.js chartScale).
 */
export function drawLossChart(canvas, data, scale) {
  checkData('loss', data);
  const iteration = listOf('loss', data, 'iteration');
  const loss = listOf('loss', data, 'loss');
  const smooth = listOf('loss', data, 'smooth_loss');
  const clipFired = listOf('loss', data, 'clip_fired');
  const name = textOf('loss', data, 'title', 'Loss during training');
  const s = scaleOf(scale);
  const { ctx, area } = begin(canvas, 'loss');
  const n = iteration.length;
  const [x0, x1] = lossXRange(iteration);
  const top = yTop(loss, smooth);
  const under = title(ctx, s, area, name);
  const entries = [
    ['loss', { line: [COLORS.loss, 1.5] }],
    ['smooth loss', { line: [COLORS.smooth, 3] }],
  ];
  if (Array.prototype.some.call(clipFired, Boolean)) entries.push(['clipping fired', { tick: COLORS.event }]);
  // The key once there are lines to name (its room is kept, so the plot does not move).
  const area2 = legend(ctx, s, under, entries, { draw: n > 0 });
  const plot = housePlot(s, area2, top, { topCss: 4 });
  const x = (v) => mapLinear(v, x0, x1, plot.left, plot.right - 1);
  houseMesh(ctx, s, plot, {
    xTicks: floatTicks(x0, x1, 6).map((v) => ({ at: x(v), label: fixed(v, 0) })),
    yTicks: floatTicks(0, top, 5).map((v) => ({ at: plot.y(v), label: tickLabel(v) })),
  });
  axisNames(ctx, s, plot, ['iteration', 15], ['loss L', 15]);
  if (n === 0) {
    message(ctx, s, area2, 'Train to see the loss fall');
    return;
  }
  for (const run of finiteRuns(iteration, loss)) {
    stroke(ctx, run.map(([i, l]) => [x(i), plot.y(l)]), COLORS.loss, px(s, 1.5));
  }
  for (const run of finiteRuns(iteration, smooth)) {
    stroke(ctx, run.map(([i, l]) => [x(i), plot.y(l)]), COLORS.smooth, px(s, 3));
  }
  const tickLength = top * 0.06;
  for (let i = 0; i < Math.min(n, clipFired.length); i++) {
    if (!clipFired[i]) continue;
    stroke(ctx, [[x(iteration[i]), plot.y(top)], [x(iteration[i]), plot.y(top - tickLength)]], COLORS.event, px(s, 2));
  }
}
