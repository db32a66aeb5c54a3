// The backward pass drawn over the (faded) forward picture: gradient arrows whose width
// and opacity follow the engine's norms (data.backward.norms, scaled by max_norm), the
// output cells showing ∂loss_t/∂y_t, the hidden cells dL/dh_t (then da_t), and a
// ‖dL/dh_t‖ bar under each column reached so far (scaled by max_dh_norm).
import { fmt } from '../views/common.js';
import { INK, divergingRgb } from './colors.js';
import { B, backwardLevel, scales } from './stages.js';
import { arrow, text } from './draw.js';

/** Arrow width (CSS px at zoom 1) for a norm n on the scale max: 1.5 … 8.5. */
export function arrowWidth(n, max) {
  const u = Number.isFinite(n) && max > 0 ? Math.sqrt(Math.max(0, n) / max) : 0;
  return 1.5 + 7 * Math.min(1, u);
}

function arrowAlpha(n, max) {
  const u = Number.isFinite(n) && max > 0 ? Math.sqrt(Math.max(0, n) / max) : 0;
  return 0.45 + 0.55 * Math.min(1, u);
}

/** Geometry of the gradient arrows of column s: [x1, y1, x2, y2] each. */
function geometry(env, s) {
  const { layout: L, place } = env;
  const { x } = place(s);
  const cx = x + L.cellW / 2;
  const oMid = L.outTop + (L.V * L.cellH) / 2;
  const hMid = L.hidTop + (L.H * L.cellH) / 2 + 7 * L.zoom;
  const prev = place(s - 1);
  return {
    // ∂loss_t/∂y_t enters the output block from the right.
    dy: [x + L.cellW + L.gapX * 0.75, oMid, x + L.cellW + 3, oMid],
    // W_hyᵀ dy_t flows down into h_t (left of the forward W_hy arrow).
    down: [cx - 14 * L.zoom, L.outTop + L.V * L.cellH + 3, cx - 14 * L.zoom, L.hidTop - 3],
    // W_hhᵀ da_t flows back to h_{t−1} (under the forward W_hh arrow).
    prev: [x - 3, hMid, prev.x + L.cellW + 3, hMid],
  };
}

/**
 * Whether columns s − 1 and s stand apart, with room for the W_hhᵀ arrow between them
 * (rolled up they are one cell, and the arrow would cross it backwards).
 */
function apart(env, s) {
  return env.place(s).x - env.place(s - 1).x > env.layout.cellW + 8;
}

function gradArrow(env, g, n, { glow } = {}) {
  const { ctx, layout: L, data, pal } = env;
  const max = data.backward.max_norm;
  const base = ctx.globalAlpha; // the column's own alpha while rolling up
  ctx.save();
  ctx.globalAlpha = base * arrowAlpha(n, max);
  arrow(ctx, g[0], g[1], g[2], g[3], { color: env.gradColor ?? pal.gradient, width: arrowWidth(n, max) * L.zoom, glow });
  ctx.restore();
}

/** Draws the backward layer for every visible column. */
export function drawBackward(env) {
  const { ctx, layout: L, data, cursor, place, visible } = env;
  const bw = data.backward;
  const sc = scales(data);
  const color = env.gradColor ?? env.pal.gradient;
  for (let s = 1; s <= L.T; s++) {
    const p = place(s);
    // Rolled up, the other columns fade out where column t is: only t's gradients stay.
    if (!visible(p.x) || p.alpha <= 0.01) continue;
    ctx.globalAlpha = p.alpha;
    const level = backwardLevel(cursor, s);
    const b = bw.per_step[s - 1];
    const n = bw.norms[s - 1];
    const g = geometry(env, s);
    const cx = p.x + L.cellW / 2;
    if (level >= B.dy) {
      for (let k = 0; k < L.V; k++) dyCell(env, p.x, L.cellY('y', k), b.dy_t[k], sc.dy, k === data.forward.per_step[s - 1].target_index);
      gradArrow(env, g.dy, n.dy);
    }
    if (level >= B.dh) {
      gradArrow(env, g.down, n.dh_from_output);
      // Left of the arrow and its head, whatever their width.
      const half = (Math.max(7, arrowWidth(n.dh_from_output, bw.max_norm) * L.zoom * 2.6) * 0.55);
      text(ctx, 'W_hyᵀ', g.down[0] - half - 4 * L.zoom, (g.down[1] + g.down[3]) / 2, { color, size: L.font * 0.9, weight: 700, align: 'right' });
      bar(env, p.x, b.dh_norm, bw.max_dh_norm);
    }
    if (level >= B.to_prev && apart(env, s)) {
      gradArrow(env, g.prev, n.to_prev);
      text(ctx, 'W_hhᵀ', (g.prev[0] + g.prev[2]) / 2, g.prev[1] + 8 * L.zoom, { color, size: L.font * 0.9, weight: 700, baseline: 'top' });
    }
    // Which gradient the cells hold: the row is labelled dL/dh, and from the 'da' sub-step
    // on a column holds da_s instead (labelled in every column past the cursor too).
    if (level >= B.da || (s === cursor.t && level >= B.dh)) {
      const label = s !== cursor.t ? `da_${s}` : level >= B.da ? `da_${s} = dL/dh_${s} ⊙ f′` : `dL/dh_${s}`;
      // Under the block: the gap above carries the W_hyᵀ arrow and its label.
      text(ctx, label, cx, L.hidTop + L.H * L.cellH + 4 * L.zoom, { size: L.font * 0.85, weight: 700, baseline: 'top', background: INK.empty });
    }
  }
  const h0 = place(0);
  ctx.globalAlpha = h0.alpha;
  if (visible(h0.x) && h0.alpha > 0.01 && backwardLevel(cursor, 1) >= B.to_prev) bar(env, h0.x, bw.dh0_norm, bw.max_dh_norm);
  ctx.globalAlpha = 1;
  if (L.hasFooter) {
    text(ctx, '‖dL/dh‖', env.labelX, L.footTop + L.footer / 2 - 6 * L.zoom, { size: L.font * 0.8, weight: 700 });
  }
}

/** One output cell in the backward pass: ∂loss_t/∂y_t as a signed bar from the middle. */
function dyCell(env, x, y, v, limit, isTarget) {
  const { ctx, layout: L } = env;
  const rgb = divergingRgb(v, limit);
  ctx.fillStyle = INK.empty;
  ctx.fillRect(x, y, L.cellW, L.cellH);
  ctx.strokeStyle = INK.line;
  ctx.lineWidth = 1;
  ctx.strokeRect(x + 0.5, y + 0.5, L.cellW - 1, L.cellH - 1);
  const mid = x + L.cellW / 2;
  const w = Math.max(-1, Math.min(1, v / limit)) * (L.cellW / 2 - 3);
  ctx.fillStyle = `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`;
  ctx.fillRect(Math.min(mid, mid + w), y + 3, Math.abs(w), L.cellH - 6);
  ctx.fillStyle = INK.muted;
  ctx.fillRect(mid - 0.5, y + 2, 1, L.cellH - 4);
  if (L.numbersInCells) text(ctx, fmt(v, 2), mid, y + L.cellH / 2, { color: INK.text, size: L.cellFont * 0.9, background: 'rgba(255,255,255,0.75)' });
  if (isTarget) {
    ctx.strokeStyle = INK.target;
    ctx.lineWidth = 2.5 * L.zoom;
    ctx.strokeRect(x + 1.25 * L.zoom, y + 1.25 * L.zoom, L.cellW - 2.5 * L.zoom, L.cellH - 2.5 * L.zoom);
  }
}

/** The ‖dL/dh_t‖ bar under a column. */
function bar(env, x, norm, max) {
  const { ctx, layout: L, pal } = env;
  if (!L.hasFooter) return;
  const room = L.footer - 22 * L.zoom;
  const bottom = L.footTop + room;
  const finite = Number.isFinite(norm);
  const h = finite ? Math.max(1, (Math.max(0, norm) / max) * room) : room;
  ctx.fillStyle = env.gradColor ?? pal.gradient;
  ctx.fillRect(x + L.cellW * 0.2, bottom - h, L.cellW * 0.6, h);
  text(ctx, finite ? fmt(norm, 2) : Number.isNaN(norm) ? 'NaN' : '∞', x + L.cellW / 2, bottom + 3 * L.zoom, { size: L.font * 0.85, baseline: 'top' });
}

/** The active backward sub-step glows. `block(kind, x)` rings a block. */
export function backwardGlow(env, block) {
  const { layout: L, data, cursor, place } = env;
  const t = cursor.t;
  const { x } = place(t);
  const g = geometry(env, t);
  const n = data.backward.norms[t - 1];
  switch (cursor.substep) {
    case 'dy':
      block('y', x);
      gradArrow(env, g.dy, n.dy, { glow: INK.glow });
      break;
    case 'dh':
      block('h', x);
      gradArrow(env, g.down, n.dh_from_output, { glow: INK.glow });
      if (t < L.T && apart(env, t + 1)) gradArrow(env, geometry(env, t + 1).prev, data.backward.norms[t].to_prev, { glow: INK.glow });
      break;
    case 'da':
      block('h', x);
      break;
    case 'to_prev':
      block('h', place(t - 1).x);
      if (apart(env, t)) gradArrow(env, g.prev, n.to_prev, { glow: INK.glow });
      break;
    default:
  }
}
