// The Recap chapter's heatmaps (word2vec's embedding matrix, the CNN's feature maps): a
// canvas function of (canvas, data), like the other pictures of www/views/recap/draw.js.
import { COLORS, begin, font, text, tickText, title } from './draw.js';

/** A diverging colour for v ∈ [−m, m]: vermillion (negative), white, blue (positive). */
function divergingColor(v, m) {
  const t = m > 0 ? Math.max(-1, Math.min(1, v / m)) : 0;
  const end = t < 0 ? [213, 94, 0] : [0, 114, 178];
  const k = Math.abs(t);
  const mix = (i) => Math.round(255 + (end[i] - 255) * k);
  return { fill: `rgb(${mix(0)},${mix(1)},${mix(2)})`, dark: k > 0.55 };
}

/** A sequential colour for v ∈ [0, m]: white to dark blue. */
function sequentialColor(v, m) {
  const k = m > 0 ? Math.max(0, Math.min(1, v / m)) : 0;
  const end = [0, 70, 130];
  const mix = (i) => Math.round(255 + (end[i] - 255) * k);
  return { fill: `rgb(${mix(0)},${mix(1)},${mix(2)})`, dark: k > 0.5 };
}

/**
 * A matrix as a heatmap. `d`: { title, rows: [[v…]…], rowLabels, colLabels, rowTitle,
 * colTitle, scale: 'diverging' | 'sequential', marks: [[r, c]…] (outlined cells),
 * highlightRow, box: {r0, r1, c0, c1} (a framed block), values: show numbers when the
 * cells are big enough (default true) }. Missing cells (ragged rows) stay blank.
 */
export function drawHeatmap(canvas, d) {
  const { ctx, w, h } = begin(canvas);
  title(ctx, d.title, w);
  const rows = d.rows;
  const nr = rows.length;
  const nc = Math.max(1, ...rows.map((r) => r.length));
  font(ctx, 12);
  const labelW = Math.min(w * 0.3, Math.max(18, ...(d.rowLabels ?? []).map((s) => ctx.measureText(s).width + 10)));
  const top = 26 + (d.colLabels ? 18 : 0);
  const bottom = d.colTitle ? 22 : 6;
  const left = labelW + (d.rowTitle ? 18 : 4);
  const cw = Math.max(2, (w - left - 8) / nc);
  const ch = Math.max(2, Math.min(34, (h - top - bottom) / Math.max(1, nr)));
  const m = d.max ?? Math.max(1e-12, ...rows.flat().filter(Number.isFinite).map(Math.abs));
  const color = d.scale === 'sequential' ? sequentialColor : divergingColor;
  const showValues = d.values !== false && cw >= 34 && ch >= 15;
  for (let r = 0; r < nr; r++) {
    for (let c = 0; c < rows[r].length; c++) {
      const v = rows[r][c];
      const { fill, dark } = Number.isFinite(v) ? color(v, m) : { fill: '#808080', dark: true };
      const x = left + c * cw;
      const y = top + r * ch;
      ctx.fillStyle = fill;
      ctx.fillRect(x, y, cw + 0.3, ch + 0.3);
      if (showValues) text(ctx, tickText(v), x + cw / 2, y + ch / 2, { size: Math.min(12, ch * 0.7), align: 'center', color: dark ? '#ffffff' : COLORS.text });
    }
    if (d.rowLabels) {
      text(ctx, d.rowLabels[r], left - 5, top + r * ch + ch / 2, {
        size: Math.min(12, Math.max(7, ch * 0.8)), align: 'right', weight: r === d.highlightRow ? '700' : '',
      });
    }
  }
  ctx.strokeStyle = COLORS.axis;
  ctx.lineWidth = 1;
  ctx.strokeRect(left, top, nc * cw, nr * ch);
  if (d.colLabels) {
    const step = Math.max(1, Math.ceil(28 / cw));
    d.colLabels.forEach((s, c) => {
      if (c % step === 0) text(ctx, s, left + c * cw + cw / 2, top - 4, { size: 11, align: 'center', base: 'bottom', color: COLORS.axis });
    });
  }
  if (d.colTitle) text(ctx, d.colTitle, left + (nc * cw) / 2, top + nr * ch + 5, { size: 12, align: 'center', base: 'top', color: COLORS.axis });
  if (d.rowTitle) {
    ctx.save();
    ctx.translate(9, top + (nr * ch) / 2);
    ctx.rotate(-Math.PI / 2);
    text(ctx, d.rowTitle, 0, 0, { size: 12, align: 'center', color: COLORS.axis });
    ctx.restore();
  }
  const outline = (r0, r1, c0, c1, color, width) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.strokeRect(left + c0 * cw + 1, top + r0 * ch + 1, (c1 - c0) * cw - 2, (r1 - r0) * ch - 2);
  };
  if (d.highlightRow != null && d.highlightRow >= 0) outline(d.highlightRow, d.highlightRow + 1, 0, nc, COLORS.class0, 3);
  for (const [r, c] of d.marks ?? []) outline(r, r + 1, c, c + 1, '#000000', 3);
  if (d.box) outline(d.box.r0, d.box.r1, d.box.c0, d.box.c1, COLORS.class0, 3.5);
}
