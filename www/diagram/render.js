// The unrolled network drawn on a canvas: a pure function of (data, cursor, options).
// See index.js for the API. Coordinates are CSS pixels; the canvas transform scales
// them by devicePixelRatio. Only columns inside the visible width are drawn, so a
// 64-step word costs no more per frame than a short one.
//
// The parts: placement.js (where each column sits, rolled ↔ unrolled), columns.js (one
// column: arrows, header, blocks), cells.js (cells and cached blocks), backward.js (the
// gradient layer), overlays.js (glow, focus ring, loop, row labels), describe.js (a cell
// in words).
import { computeLayout } from './layout.js';
import { INK } from './colors.js';
import { hiddenGradient } from './stages.js';
import { drawBackward } from './backward.js';
import { roundRect, resetText } from './draw.js';
import { ease, placement } from './placement.js';
import { drawColumnArrows, drawH0, drawColumn } from './columns.js';
import { drawGlow, drawFocus, drawLoop, drawRowLabels } from './overlays.js';

export { placement } from './placement.js';
export { describeCell } from './describe.js';

const DEFAULT_PALETTE = {
  W_xh: '#0072b2', W_hh: '#d55e00', W_hy: '#009e73', gradient: '#0072b2',
  text: '#1a1a1a', axis: '#595959', grid: '#e3e3e3', background: '#ffffff',
};

/** Draws the diagram; returns the layout used. */
export function drawDiagram(canvas, data, cursor, options = {}) {
  const dpr = options.dpr ?? (globalThis.devicePixelRatio || 1);
  const width = canvas.width / dpr;
  const height = canvas.height / dpr;
  const layout = options.layout ?? computeLayout(data, { width, zoom: options.zoom ?? 1 });
  const pal = { ...DEFAULT_PALETTE, ...(options.palette ?? {}) };
  const ctx = canvas.getContext('2d');
  resetText(ctx); // a resized canvas has lost its font
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.globalAlpha = 1;
  ctx.fillStyle = pal.background;
  ctx.fillRect(0, 0, width, height);
  const morph = options.morph ?? 1;
  const place = (j) => placement(layout, cursor, j, { scrollX: options.scrollX ?? 0, morph, width });
  const visible = (x) => x > -layout.colW && x < width + layout.colW;
  const backward = cursor.phase === 'backward' && Boolean(data.backward);
  const env = {
    ctx, layout, data, cursor, pal, place, visible, width, height, backward, dpr,
    gradColor: options.gradientColor,
    /**
     * Centre x of the row labels: at the left edge, or beside h_0 when the whole
     * diagram is narrower than the view and drawn centred (so labels stay by their rows).
     */
    labelX: Math.max(layout.labelW / 2 - 2, morph >= 1 ? place(0).x - layout.labelW / 2 - 2 : 0),
    /** What the hidden cells of column s show in the backward pass ({key, values}), or null. */
    hiddenGrad: (s) => (backward ? hiddenGradient(data, cursor, s) : null),
  };
  const T = layout.T;

  // The current column's band, behind everything.
  {
    const { x } = place(cursor.t);
    ctx.fillStyle = INK.current;
    roundRect(ctx, x - layout.gapX * 0.32, layout.headerTop, layout.cellW + layout.gapX * 0.64,
      layout.inTop + layout.V * layout.cellH + 4 - layout.headerTop, 6);
    ctx.fill();
  }
  for (let s = 1; s <= T; s++) {
    const p = place(s);
    if (!visible(p.x) || p.alpha <= 0.01) continue;
    ctx.globalAlpha = p.alpha;
    drawColumnArrows(env, s, p.x);
  }
  const h0 = place(0);
  if (visible(h0.x) && h0.alpha > 0.01) {
    ctx.globalAlpha = h0.alpha;
    drawH0(env, h0.x);
  }
  for (let s = 1; s <= T; s++) {
    const p = place(s);
    if (!visible(p.x) || p.alpha <= 0.01) continue;
    ctx.globalAlpha = p.alpha;
    drawColumn(env, s, p.x);
  }
  ctx.globalAlpha = 1;
  if (env.backward) drawBackward(env);
  drawGlow(env);
  if (options.focus) drawFocus(env, options.focus);
  if (morph < 1) drawLoop(env, place(cursor.t).x, 1 - ease(morph));
  drawRowLabels(env);
  ctx.globalAlpha = 1;
  return layout;
}
