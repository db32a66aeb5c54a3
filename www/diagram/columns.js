// One column of the unrolled diagram: its three weight arrows (W_xh, W_hy, and W_hh from
// the column before), its header (t, prediction, loss) and its output, hidden and input
// blocks as the cursor has them; and h_0, the column before the first step.
import { fmt, showSymbol } from '../views/common.js';
import { INK } from './colors.js';
import { F, forwardLevel, backwardLevel, hiddenQuantity, outputQuantity, scales } from './stages.js';
import { arrow, text, textWidth } from './draw.js';
import { blit, valueCell, paintEmpty, paintInputs, paintOutputs, outputCell } from './cells.js';

/** The three weight arrows of column s (W_hh: the one arriving from column s − 1). */
export function drawColumnArrows(env, s, x) {
  const { ctx, layout: L, cursor, pal, place } = env;
  const level = forwardLevel(cursor, s);
  const faded = env.backward ? 0.3 : 1;
  const cx = x + L.cellW / 2;
  const lw = 2.5 * L.zoom;
  const on = (done) => (done ? 1 : 0.28) * faded;
  const base = ctx.globalAlpha;
  const hBottom = L.hidTop + L.H * L.cellH;
  const oBottom = L.outTop + L.V * L.cellH;
  ctx.globalAlpha = base * on(level >= F.w_xh_x);
  arrow(ctx, cx, L.inTop - 3, cx, hBottom + 3, { color: pal.W_xh, width: lw });
  if (!env.backward) text(ctx, 'W_xh', cx + 7 * L.zoom, (L.inTop + hBottom) / 2, { color: pal.W_xh, size: L.font * 0.95, weight: 700, align: 'left' });
  ctx.globalAlpha = base * on(level >= F.output);
  arrow(ctx, cx, L.hidTop - 3, cx, oBottom + 3, { color: pal.W_hy, width: lw });
  // Where the next column's sub-step label ("W_hh h_1" …) reaches into this gap, this
  // column's W_hy label gives way to it (every other column still names W_hy).
  const hyFont = { size: L.font * 0.95, weight: 700 };
  const next = !env.backward && s < L.T ? substepLabel(env.data, cursor, s + 1) : null;
  const gives = next != null
    && place(s + 1).x + L.cellW / 2 - 8 * L.zoom - textWidth(ctx, next, LABEL_FONT(L)) - 6
      < cx + 7 * L.zoom + textWidth(ctx, 'W_hy', hyFont) + 2;
  if (!env.backward && !gives) text(ctx, 'W_hy', cx + 7 * L.zoom, (L.hidTop + oBottom) / 2, { color: pal.W_hy, ...hyFont, align: 'left' });
  const prev = place(s - 1);
  const hMid = L.hidTop + (L.H * L.cellH) / 2 - (env.backward ? 7 * L.zoom : 0);
  const x1 = prev.x + L.cellW + 3;
  const x2 = x - 3;
  if (x2 - x1 > 8) {
    ctx.globalAlpha = base * on(level >= F.w_hh_h) * Math.min(1, prev.alpha + 0.001);
    arrow(ctx, x1, hMid, x2, hMid, { color: pal.W_hh, width: lw });
    if (!env.backward) text(ctx, 'W_hh', (x1 + x2) / 2, hMid - 9 * L.zoom, { color: pal.W_hh, size: L.font * 0.95, weight: 700, baseline: 'bottom' });
  }
  ctx.globalAlpha = base;
}

/** h_0: the state before the first step (zeros unless a state was carried in). */
export function drawH0(env, x) {
  const { ctx, layout: L, data } = env;
  const sc = scales(data);
  text(ctx, 'h_0', x + L.cellW / 2, L.headerTop + L.font * 1.1, { size: L.font * 1.05, weight: 700 });
  const grad = env.backward ? env.hiddenGrad(0).values : null;
  if (env.backward && !grad) {
    // Not reached by the gradient yet: no numbers, so nothing reads as a gradient.
    blit(env, 'h-unreached', x, L.hidTop, L.H * L.cellH, (g) => paintEmpty(g, L, true));
    return;
  }
  for (let i = 0; i < L.H; i++) {
    const y = L.cellY('h', i);
    if (grad) valueCell(ctx, L, x, y, grad[i], sc.grad);
    else valueCell(ctx, L, x, y, data.forward.h0[i], sc.h);
  }
}

/** Column s: header, output block, hidden block and input block at the cursor. */
export function drawColumn(env, s, x) {
  const { ctx, layout: L, data, cursor } = env;
  const snap = data.forward.per_step[s - 1];
  const level = forwardLevel(cursor, s);
  const sc = scales(data);
  const fade = env.backward ? 0.35 : 1;
  const cx = x + L.cellW / 2;
  const base = ctx.globalAlpha;

  // Header: t, prediction, loss.
  text(ctx, `t = ${s}`, cx, L.headerTop + L.font * 0.8, { size: L.font * 1.05, weight: 700 });
  if (level >= F.softmax) {
    const mark = snap.target_index == null ? '' : snap.correct ? ' ✓' : ' ✗';
    text(ctx, `ŷ ${showSymbol(snap.predicted)}${mark}`, cx, L.headerTop + L.font * 2.05, { size: L.font * 0.95 });
  }
  if (level >= F.loss && snap.target_index != null) {
    text(ctx, `loss ${fmt(snap.loss_t, 2)}`, cx, L.headerTop + L.font * 3.25, { size: L.font * 0.95 });
  }

  // Output block: logits or probabilities, target outlined, arg max marked.
  const out = outputQuantity(data, cursor, s);
  const bwOut = env.backward && backwardLevel(cursor, s) >= 1;
  if (env.backward && !bwOut) {
    // The gradient ∂loss_s/∂y_s is not computed yet: labelled, dashed, empty cells (the
    // forward p_s here would read as a gradient).
    blit(env, 'out-unreached', x, L.outTop, L.V * L.cellH, (g) => paintOutputs(g, L, data.forward.vocab, true, true));
  } else if (!bwOut) {
    // bwOut: the backward layer draws these cells.
    blit(env, out.values ? 'out' : 'out-dashed', x, L.outTop, L.V * L.cellH, (g) => paintOutputs(g, L, data.forward.vocab, !out.values));
    for (let k = 0; k < L.V; k++) outputCell(env, x, L.cellY('y', k), k, out, snap, sc);
  }

  // Hidden block. In the backward pass: the gradient once it has reached column s, else
  // empty cells with a "·" (never the forward h_s, which would read as a gradient).
  const bw = env.backward ? env.hiddenGrad(s) : null;
  const grad = bw?.values ?? null;
  const hid = env.backward ? { key: null, values: null } : hiddenQuantity(data, cursor, s);
  if (env.backward && !grad) blit(env, 'h-unreached', x, L.hidTop, L.H * L.cellH, (g) => paintEmpty(g, L, true));
  else if (!grad && !hid.values) blit(env, 'h-empty', x, L.hidTop, L.H * L.cellH, (g) => paintEmpty(g, L));
  for (let i = 0; i < L.H; i++) {
    const y = L.cellY('h', i);
    if (grad) valueCell(ctx, L, x, y, grad[i], sc.grad);
    else if (hid.values) valueCell(ctx, L, x, y, hid.values[i], hid.key === 'h_t' ? sc.h : sc.pre);
  }
  const label = env.backward ? null : substepLabel(data, cursor, s);
  if (label) {
    // Say which quantity the cells hold while h_t is being formed: left of the W_hy
    // arrow, in the gap above the block (the previous column's W_hy label gives way).
    text(ctx, label, cx - 8 * L.zoom, L.hidTop - L.gapY / 2, { ...LABEL_FONT(L), align: 'right', background: INK.empty });
  }

  // Input block: the one-hot x_t, the active symbol lit (a cached picture per symbol).
  ctx.globalAlpha = base * fade;
  const vocab = data.forward.vocab;
  blit(env, `x${snap.input_index}`, x, L.inTop, L.V * L.cellH, (g) => paintInputs(g, L, vocab, snap.input_index));
  ctx.globalAlpha = base;
}

/** The font of the sub-step labels. */
const LABEL_FONT = (L) => ({ size: L.font * 0.85, weight: 700 });

/** The label of column s's hidden cells while they hold a partial sum (W_xh x_t, W_hh h_{t−1}, a_t), else null. */
function substepLabel(data, cursor, s) {
  const { key } = hiddenQuantity(data, cursor, s);
  if (key === 'a_t') return `a_${s}`;
  if (key === 'w_hh_h') return `W_hh h_${s - 1}`;
  if (key === 'w_xh_x') return `W_xh x_${s}`;
  return null;
}
