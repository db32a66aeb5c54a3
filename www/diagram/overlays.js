// What is drawn over the columns: the glow of the active sub-step, the focus ring, the
// rolled picture's W_hh loop, and the row labels that stay at the left edge.
import { INK } from './colors.js';
import { backwardGlow } from './backward.js';
import { arrow, glowRect, text } from './draw.js';

/** The active sub-step glows in the diagram. */
export function drawGlow(env) {
  const { ctx, layout: L, cursor, place, pal } = env;
  const t = cursor.t;
  const { x } = place(t);
  const block = (kind, bx) => {
    const n = kind === 'h' ? L.H : L.V;
    glowRect(ctx, bx - 3, L.cellY(kind, 0) - 3, L.cellW + 6, n * L.cellH + 6, INK.glow, L.zoom);
  };
  const cx = x + L.cellW / 2;
  ctx.globalAlpha = 1;
  if (env.backward) {
    backwardGlow(env, block);
    return;
  }
  switch (cursor.substep) {
    case 'w_xh_x':
      block('x', x);
      arrow(ctx, cx, L.inTop - 3, cx, L.hidTop + L.H * L.cellH + 3, { color: pal.W_xh, width: 2.5 * L.zoom, glow: INK.glow });
      break;
    case 'w_hh_h': {
      const prev = place(t - 1);
      block('h', prev.x);
      // Rolled up, h_{t−1} is the same cell: the loop (drawn by drawLoop) is the W_hh
      // arrow, and a straight one would cross the cell backwards.
      const hMid = L.hidTop + (L.H * L.cellH) / 2;
      const [x1, x2] = [prev.x + L.cellW + 3, x - 3];
      if (x2 - x1 > 8) arrow(ctx, x1, hMid, x2, hMid, { color: pal.W_hh, width: 2.5 * L.zoom, glow: INK.glow });
      break;
    }
    case 'sum':
    case 'activation':
      block('h', x);
      break;
    case 'output':
      block('y', x);
      arrow(ctx, cx, L.hidTop - 3, cx, L.outTop + L.V * L.cellH + 3, { color: pal.W_hy, width: 2.5 * L.zoom, glow: INK.glow });
      break;
    case 'softmax':
      block('y', x);
      break;
    case 'loss': {
      const k = env.data.forward.per_step[t - 1].target_index;
      if (k != null) glowRect(ctx, x - 3, L.cellY('y', k) - 3, L.cellW + 6, L.cellH + 6, INK.glow, L.zoom);
      glowRect(ctx, x - L.gapX * 0.3, L.headerTop + L.font * 2.6, L.cellW + L.gapX * 0.6, L.font * 1.3, INK.glow, L.zoom);
      break;
    }
    default:
  }
}

/** The focus ring around one cell (hover or keyboard focus). */
export function drawFocus(env, cell) {
  const { ctx, layout: L, place } = env;
  const { x } = place(cell.t);
  const y = L.cellY(cell.kind, cell.i);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 5;
  ctx.strokeRect(x - 2, y - 2, L.cellW + 4, L.cellH + 4);
  ctx.strokeStyle = '#000000';
  ctx.lineWidth = 2.5;
  ctx.strokeRect(x - 2, y - 2, L.cellW + 4, L.cellH + 4);
}

/** The rolled picture's loop: W_hh feeding h back into itself (fades as it unrolls). */
export function drawLoop(env, x, alpha) {
  const { ctx, layout: L, pal } = env;
  if (alpha <= 0.01) return;
  ctx.globalAlpha = alpha;
  const right = x + L.cellW + 3;
  const top = L.hidTop + 4;
  const bottom = L.hidTop + L.H * L.cellH - 4;
  const reach = 46 * L.zoom;
  ctx.strokeStyle = pal.W_hh;
  ctx.lineWidth = 2.5 * L.zoom;
  ctx.beginPath();
  ctx.moveTo(right, top + 2);
  ctx.bezierCurveTo(right + reach, top - 30 * L.zoom, right + reach, bottom + 30 * L.zoom, right + 6, bottom);
  ctx.stroke();
  arrow(ctx, right + 14 * L.zoom, bottom + 3 * L.zoom, right, bottom - 1, { color: pal.W_hh, width: 2.5 * L.zoom, headOnly: true });
  text(ctx, 'W_hh', right + reach + 4, (top + bottom) / 2 - L.font * 0.6, { color: pal.W_hh, size: L.font, weight: 700, align: 'left' });
  text(ctx, `h_${env.cursor.t - 1} → h_${env.cursor.t}`, right + reach + 4, (top + bottom) / 2 + L.font * 0.6, { color: INK.muted, size: L.font * 0.85, align: 'left' });
  text(ctx, 'one cell, used at every step t = 1 … T', right + 14 * L.zoom, L.inTop + (L.V * L.cellH) / 2, { color: INK.muted, size: L.font * 0.85, align: 'left' });
  ctx.globalAlpha = 1;
}

/** Row labels stay at the left edge while the columns scroll under them. */
export function drawRowLabels(env) {
  const { ctx, layout: L } = env;
  ctx.globalAlpha = 1;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(env.labelX - L.labelW / 2 + 2, 0, L.labelW - 4, L.inTop + L.V * L.cellH + 2);
  const mid = (kind) => L.cellY(kind, 0) + ((kind === 'h' ? L.H : L.V) * L.cellH) / 2;
  const bw = env.backward;
  const size = L.font;
  text(ctx, bw ? 'dL/dy' : 'y, p', env.labelX, mid('y'), { size, weight: 700, color: INK.text });
  text(ctx, bw ? 'dL/dh' : 'h', env.labelX, mid('h'), { size, weight: 700, color: INK.text });
  text(ctx, 'x', env.labelX, mid('x'), { size, weight: 700, color: INK.text });
}
