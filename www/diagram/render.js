// The unrolled network drawn on a canvas: a pure function of (data, cursor, options).
// See index.js for the API. Coordinates are CSS pixels; the canvas transform scales
// them by devicePixelRatio. Only columns inside the visible width are drawn, so a
// 64-step word costs no more per frame than a short one.
import { fmt, showSymbol } from '../views/common.js';
import { computeLayout } from './layout.js';
import { INK, divergingRgb, textOn } from './colors.js';
import { F, forwardLevel, backwardLevel, hiddenQuantity, hiddenGradient, outputQuantity, scales } from './stages.js';
import { drawBackward, backwardGlow } from './backward.js';
import { arrow, roundRect, glowRect, text, resetText } from './draw.js';

const DEFAULT_PALETTE = {
  W_xh: '#0072b2', W_hh: '#d55e00', W_hy: '#009e73', gradient: '#0072b2',
  text: '#1a1a1a', axis: '#595959', grid: '#e3e3e3', background: '#ffffff',
};

/** Smooth start and end of the rolled ↔ unrolled animation. */
function ease(m) {
  const u = Math.max(0, Math.min(1, m));
  return u * u * (3 - 2 * u);
}

/**
 * Placement of column j (0 = h_0, 1..T) in canvas coordinates at morph e:
 * { x, alpha }. Rolled, every column sits where column t is drawn alone.
 */
export function placement(layout, cursor, j, { scrollX = 0, morph = 1, width }) {
  // Whole CSS pixels, so cached blocks are copied without resampling.
  const e = ease(morph);
  const unrolled = Math.round(layout.colX(j) - scrollX);
  if (e >= 1) return { x: unrolled, alpha: 1 };
  const rolled = Math.max(layout.labelW + layout.gapX, (width - layout.cellW) / 2);
  const x = Math.round(rolled + (unrolled - rolled) * e);
  return { x, alpha: j === cursor.t ? 1 : e * e };
}

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

/** The three weight arrows of column s (W_hh: the one arriving from column s − 1). */
function drawColumnArrows(env, s, x) {
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
  if (!env.backward) text(ctx, 'W_hy', cx + 7 * L.zoom, (L.hidTop + oBottom) / 2, { color: pal.W_hy, size: L.font * 0.95, weight: 700, align: 'left' });
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
function drawH0(env, x) {
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

/** A cell coloured by value v on the diverging scale, with the number when it fits. */
function valueCell(ctx, L, x, y, v, limit) {
  const rgb = divergingRgb(v, limit);
  ctx.fillStyle = `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`;
  ctx.fillRect(x, y, L.cellW, L.cellH);
  ctx.strokeStyle = INK.line;
  ctx.lineWidth = 1;
  ctx.strokeRect(x + 0.5, y + 0.5, L.cellW - 1, L.cellH - 1);
  if (L.numbersInCells) text(ctx, fmt(v, 2), x + L.cellW / 2, y + L.cellH / 2, { color: textOn(rgb), size: L.cellFont });
}

/**
 * H empty hidden cells at y = 0: not computed yet at this cursor. `dot`: a "·" in each
 * (the backward pass: the gradient has not reached them yet).
 */
function paintEmpty(g, L, dot = false) {
  g.fillStyle = INK.empty;
  g.fillRect(0, 0, L.cellW, L.H * L.cellH);
  g.setLineDash([3, 3]);
  g.strokeStyle = INK.faint;
  g.lineWidth = 1;
  for (let i = 0; i < L.H; i++) g.strokeRect(0.5, i * L.cellH + 0.5, L.cellW - 1, L.cellH - 1);
  g.setLineDash([]);
  if (dot) for (let i = 0; i < L.H; i++) text(g, '·', L.cellW / 2, (i + 0.5) * L.cellH, { color: INK.muted, size: L.cellFont * 1.3, weight: 700 });
}

function drawColumn(env, s, x) {
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
    // The gradient dL_s/dy_s is not computed yet: labelled, dashed, empty cells (the
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
  if (hid.key && hid.key !== 'h_t' && !grad) {
    // Say which quantity the cells hold while h_t is being formed.
    // Left of the W_hy arrow, in the gap above the block: clear of every arrow and label.
    const label = hid.key === 'a_t' ? `a_${s}` : hid.key === 'w_hh_h' ? `W_hh h_${s - 1}` : `W_xh x_${s}`;
    text(ctx, label, cx - 8 * L.zoom, L.hidTop - L.gapY / 2, { size: L.font * 0.85, weight: 700, align: 'right', background: INK.empty });
  }

  // Input block: the one-hot x_t, the active symbol lit (a cached picture per symbol).
  ctx.globalAlpha = base * fade;
  const vocab = data.forward.vocab;
  blit(env, `x${snap.input_index}`, x, L.inTop, L.V * L.cellH, (g) => paintInputs(g, L, vocab, snap.input_index));
  ctx.globalAlpha = base;
}

/** The V input cells of one column at y = 0, cell `on` lit. */
function paintInputs(g, L, vocab, on) {
  for (let k = 0; k < L.V; k++) {
    const y = k * L.cellH;
    const lit = k === on;
    g.fillStyle = lit ? INK.text : INK.empty;
    g.fillRect(0, y, L.cellW, L.cellH);
    g.strokeStyle = lit ? INK.text : INK.line;
    g.lineWidth = 1;
    g.strokeRect(0.5, y + 0.5, L.cellW - 1, L.cellH - 1);
    const label = L.cellH >= 14 ? `${showSymbol(vocab[k])}${lit ? ' = 1' : ''}` : showSymbol(vocab[k]);
    text(g, label, L.cellW / 2, y + L.cellH / 2, { color: lit ? '#ffffff' : INK.muted, size: L.cellFont, weight: lit ? 700 : 400 });
  }
}

/**
 * The V empty output cells with their symbols at y = 0 (dashed: not computed yet; `dot`:
 * a "·" in each, the backward pass has not reached them).
 */
function paintOutputs(g, L, vocab, dashed, dot = false) {
  const labelW = Math.min(L.cellW * 0.3, 16 * L.zoom);
  g.fillStyle = INK.empty;
  g.fillRect(0, 0, L.cellW, L.V * L.cellH);
  if (dashed) g.setLineDash([3, 3]);
  g.strokeStyle = dashed ? INK.faint : INK.line;
  g.lineWidth = 1;
  for (let k = 0; k < L.V; k++) {
    const y = k * L.cellH;
    g.strokeRect(0.5, y + 0.5, L.cellW - 1, L.cellH - 1);
    text(g, showSymbol(vocab[k]), labelW / 2 + 1, y + L.cellH / 2, { color: INK.muted, size: L.cellFont * 0.95 });
    if (dot) text(g, '·', L.cellW / 2 + labelW / 2, y + L.cellH / 2, { color: INK.muted, size: L.cellFont * 1.3, weight: 700 });
  }
  g.setLineDash([]);
}

const sprites = new WeakMap();

/**
 * Draws a cached picture of one block (cellW wide, h tall) at (x, y). Labels are the
 * costly part of a frame; these blocks look the same in every column, so each is drawn
 * once per model, size and pixel ratio, then copied.
 */
function blit(env, key, x, y, h, paint) {
  const { ctx, layout: L, dpr, data } = env;
  let cache = sprites.get(data.forward);
  if (!cache) sprites.set(data.forward, (cache = new Map()));
  const full = `${key}|${L.cellW}|${L.cellH}|${dpr}`;
  let c = cache.get(full);
  if (!c) {
    c = document.createElement('canvas');
    c.width = Math.ceil(L.cellW * dpr);
    c.height = Math.ceil(h * dpr);
    const g = c.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    paint(g);
    cache.set(full, c);
  }
  ctx.drawImage(c, x, y, c.width / dpr, c.height / dpr);
}

/** One output cell: symbol label, then a bar (p_t from the left, y_t from the middle). */
function outputCell(env, x, y, k, out, snap, sc) {
  const { ctx, layout: L } = env;
  const labelW = Math.min(L.cellW * 0.3, 16 * L.zoom);
  const isTarget = k === snap.target_index;
  const bx = x + labelW + 2;
  const bw = L.cellW - labelW - 10 * L.zoom;
  const pad = Math.max(2, L.cellH * 0.18);
  if (out.key === 'p_t') {
    const v = out.values[k];
    ctx.fillStyle = INK.bar;
    ctx.fillRect(bx, y + pad, Math.max(0, Math.min(1, v)) * bw, L.cellH - 2 * pad);
  } else if (out.key === 'y_t') {
    const v = out.values[k] / sc.y;
    const mid = bx + bw / 2;
    ctx.fillStyle = INK.bar;
    const w = Math.max(-1, Math.min(1, v)) * (bw / 2);
    ctx.fillRect(Math.min(mid, mid + w), y + pad, Math.abs(w), L.cellH - 2 * pad);
    ctx.fillStyle = INK.muted;
    ctx.fillRect(mid - 0.5, y + 2, 1, L.cellH - 4);
  }
  if (out.values && isTarget) {
    ctx.strokeStyle = INK.target;
    ctx.lineWidth = 2.5 * L.zoom;
    ctx.strokeRect(x + 1.25 * L.zoom, y + 1.25 * L.zoom, L.cellW - 2.5 * L.zoom, L.cellH - 2.5 * L.zoom);
  }
  if (out.key === 'p_t' && k === snap.predicted_index) {
    // The arg max: a filled triangle at the right end of the cell.
    const tx = x + L.cellW - 3 * L.zoom;
    const ty = y + L.cellH / 2;
    const r = Math.min(6 * L.zoom, L.cellH * 0.3);
    ctx.fillStyle = INK.text;
    ctx.beginPath();
    ctx.moveTo(tx, ty - r);
    ctx.lineTo(tx, ty + r);
    ctx.lineTo(tx - r * 1.2, ty);
    ctx.closePath();
    ctx.fill();
  }
}

/** The active sub-step glows in the diagram. */
function drawGlow(env) {
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
      const hMid = L.hidTop + (L.H * L.cellH) / 2;
      arrow(ctx, prev.x + L.cellW + 3, hMid, x - 3, hMid, { color: pal.W_hh, width: 2.5 * L.zoom, glow: INK.glow });
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
function drawFocus(env, cell) {
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
function drawLoop(env, x, alpha) {
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
function drawRowLabels(env) {
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

/**
 * The value of one cell in words, full precision (for the tooltip and aria-label):
 * what it is at this cursor, or that it is not computed yet.
 */
export function describeCell(data, cursor, cell) {
  if (!cell) return '';
  const f = data.forward;
  const full = (v) => String(v).replace('-', '\u2212');
  if (cell.kind === 'h' && cell.t === 0) {
    if (cursor.phase === 'backward' && data.backward && backwardLevel(cursor, 1) >= 4) {
      return `dL/dh_0[${cell.i + 1}] = ${full(data.backward.dh0[cell.i])}`;
    }
    return `h_0[${cell.i + 1}] = ${full(f.h0[cell.i])}`;
  }
  const snap = f.per_step[cell.t - 1];
  if (!snap) return '';
  const s = cell.t;
  if (cell.kind === 'x') {
    const sym = showSymbol(f.vocab[cell.i]);
    return `x_${s}[${sym}] = ${cell.i === snap.input_index ? 1 : 0} (input at t = ${s}: “${showSymbol(snap.input)}”)`;
  }
  if (cursor.phase === 'backward' && data.backward) {
    const b = data.backward.per_step[s - 1];
    const level = backwardLevel(cursor, s);
    if (cell.kind === 'y') {
      return level >= 1 ? `dL_${s}/dy_${s}[${showSymbol(f.vocab[cell.i])}] = ${full(b.dy_t[cell.i])}`
        : `dL_${s}/dy_${s}[${showSymbol(f.vocab[cell.i])}]: not reached yet`;
    }
    if (level >= 3) return `da_${s}[${cell.i + 1}] = ${full(b.da_t[cell.i])}`;
    if (level >= 2) return `dL/dh_${s}[${cell.i + 1}] = ${full(b.dh_t[cell.i])}`;
    return `dL/dh_${s}[${cell.i + 1}]: not reached yet`;
  }
  if (cell.kind === 'h') {
    const q = hiddenQuantity(data, cursor, s);
    const name = { h_t: `h_${s}`, a_t: `a_${s}`, w_hh_h: `(W_hh h_${s - 1})`, w_xh_x: `(W_xh x_${s})` }[q.key];
    if (!q.values) return `h_${s}[${cell.i + 1}]: not computed yet`;
    return `${name}[${cell.i + 1}] = ${full(q.values[cell.i])}`;
  }
  const q = outputQuantity(data, cursor, s);
  const sym = showSymbol(f.vocab[cell.i]);
  if (!q.values) return `y_${s}[${sym}]: not computed yet`;
  const notes = [];
  if (cell.i === snap.target_index) notes.push('target');
  if (q.key === 'p_t' && cell.i === snap.predicted_index) notes.push('predicted');
  const tail = notes.length ? ` (${notes.join(', ')})` : '';
  if (q.key === 'p_t') return `p_${s}[${sym}] = ${full(snap.p_t[cell.i])}; y_${s}[${sym}] = ${full(snap.y_t[cell.i])}${tail}`;
  return `y_${s}[${sym}] = ${full(snap.y_t[cell.i])}${tail}`;
}
