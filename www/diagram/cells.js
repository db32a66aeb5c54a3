// The cells of the diagram: one value cell on the diverging scale, one output cell with
// its bar, and the blocks that look the same in every column (inputs, empty outputs,
// empty hidden cells), painted once and copied from a cache.
import { fmt, showSymbol } from '../views/common.js';
import { INK, divergingRgb, textOn } from './colors.js';
import { text } from './draw.js';

/** A cell coloured by value v on the diverging scale, with the number when it fits. */
export function valueCell(ctx, L, x, y, v, limit) {
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
export function paintEmpty(g, L, dot = false) {
  g.fillStyle = INK.empty;
  g.fillRect(0, 0, L.cellW, L.H * L.cellH);
  g.setLineDash([3, 3]);
  g.strokeStyle = INK.faint;
  g.lineWidth = 1;
  for (let i = 0; i < L.H; i++) g.strokeRect(0.5, i * L.cellH + 0.5, L.cellW - 1, L.cellH - 1);
  g.setLineDash([]);
  if (dot) for (let i = 0; i < L.H; i++) text(g, '·', L.cellW / 2, (i + 0.5) * L.cellH, { color: INK.muted, size: L.cellFont * 1.3, weight: 700 });
}

/** The V input cells of one column at y = 0, cell `on` lit. */
export function paintInputs(g, L, vocab, on) {
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
export function paintOutputs(g, L, vocab, dashed, dot = false) {
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
export function blit(env, key, x, y, h, paint) {
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
export function outputCell(env, x, y, k, out, snap, sc) {
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
