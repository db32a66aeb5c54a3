// Canvas primitives of the diagram (CSS-pixel coordinates; the caller set the transform).

/**
 * The diagram's font family: the app's own sans (@font-face in www/style.css, loaded by
 * the boot before the first draw), the same family as the plotters charts (FONT in
 * src/web/charts/mod.rs), so labels measure the same on every machine.
 */
export const FONT = '"RNN Lab Sans", "DejaVu Sans", sans-serif';
/** The font last set on each context (ctx.font itself reads back normalised). */
const fonts = new WeakMap();

/** Forgets the cached font of ctx (after something else may have set ctx.font). */
export function resetText(ctx) {
  fonts.delete(ctx);
}

/** A rounded-rectangle path (not filled or stroked). */
export function roundRect(ctx, x, y, w, h, r) {
  const rr = Math.max(0, Math.min(r, w / 2, h / 2));
  ctx.beginPath();
  ctx.moveTo(x + rr, y);
  ctx.arcTo(x + w, y, x + w, y + h, rr);
  ctx.arcTo(x + w, y + h, x, y + h, rr);
  ctx.arcTo(x, y + h, x, y, rr);
  ctx.arcTo(x, y, x + w, y, rr);
  ctx.closePath();
}

/**
 * Text at (x, y). opts: color, size (px), weight, align ('center'), baseline ('middle'),
 * background (a colour painted behind the text, for labels over lines).
 */
/**
 * Sets the context's font. Setting ctx.font parses the string every time: only when it
 * changes (the diagram draws hundreds of labels in a few sizes).
 */
function useFont(ctx, size, weight) {
  const font = `${weight} ${size}px ${FONT}`;
  if (fonts.get(ctx) !== font) {
    ctx.font = font;
    fonts.set(ctx, font);
  }
}

/** The width in CSS pixels of `s` as text() would draw it. */
export function textWidth(ctx, s, { size = 14, weight = 400 } = {}) {
  useFont(ctx, size, weight);
  return ctx.measureText(s).width;
}

export function text(ctx, s, x, y, { color = '#1a1a1a', size = 14, weight = 400, align = 'center', baseline = 'middle', background } = {}) {
  useFont(ctx, size, weight);
  if (ctx.textAlign !== align) ctx.textAlign = align;
  if (ctx.textBaseline !== baseline) ctx.textBaseline = baseline;
  if (background) {
    const w = ctx.measureText(s).width + 6;
    const left = align === 'left' ? x - 3 : align === 'right' ? x - w + 3 : x - w / 2;
    const top = baseline === 'bottom' ? y - size * 1.15 : baseline === 'top' ? y : y - size * 0.6;
    ctx.fillStyle = background;
    ctx.fillRect(left, top, w, size * 1.2);
  }
  ctx.fillStyle = color;
  ctx.fillText(s, x, y);
}

/**
 * An arrow from (x1, y1) to (x2, y2). opts: color, width, glow (a colour drawn wide and
 * translucent under the arrow: the active sub-step), headOnly (just the head at x2, y2).
 */
export function arrow(ctx, x1, y1, x2, y2, { color, width = 2, glow, headOnly = false } = {}) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const head = Math.max(7, width * 2.6);
  const bx = x2 - ux * head;
  const by = y2 - uy * head;
  const half = head * 0.55;
  if (glow) {
    ctx.save();
    ctx.globalAlpha *= 0.45;
    ctx.strokeStyle = glow;
    ctx.lineCap = 'round';
    ctx.lineWidth = width + 10;
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.lineTo(x2, y2);
    ctx.stroke();
    ctx.restore();
  }
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = width;
  ctx.lineCap = 'butt';
  if (!headOnly) {
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.lineTo(bx, by);
    ctx.stroke();
  }
  ctx.beginPath();
  ctx.moveTo(x2, y2);
  ctx.lineTo(bx - uy * half, by + ux * half);
  ctx.lineTo(bx + uy * half, by - ux * half);
  ctx.closePath();
  ctx.fill();
}

/** The glow around an active block: a solid ring and a soft halo. */
export function glowRect(ctx, x, y, w, h, color, zoom = 1) {
  ctx.save();
  ctx.strokeStyle = color;
  ctx.globalAlpha = 0.3;
  ctx.lineWidth = 9 * zoom;
  roundRect(ctx, x - 2, y - 2, w + 4, h + 4, 6 * zoom);
  ctx.stroke();
  ctx.globalAlpha = 1;
  ctx.lineWidth = 3 * zoom;
  roundRect(ctx, x, y, w, h, 5 * zoom);
  ctx.stroke();
  ctx.restore();
}
