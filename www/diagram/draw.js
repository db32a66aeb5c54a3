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

/**
 * The lecture's notation as pieces [{ text, script }] (script: 0 on the line, 1 subscript,
 * 2 superscript), with the rules of math() in ../views/common.js and notation() in
 * src/web/charts/text.rs: "W_hh", "h_{t−1}" → subscripts; "(γλ1)^(T−k)", "W^{n}" →
 * superscripts. An underscore or caret not followed by one of these stays as it is.
 */
export function notation(s) {
  const re = /_(?:\{([^}]*)\}|([A-Za-z0-9]+))|\^(?:\{([^}]*)\}|\(([^)]*)\)|([−-]?[A-Za-z0-9.]*[A-Za-z0-9]))/g;
  const out = [];
  const push = (piece, script) => {
    if (piece) out.push({ text: piece, script });
  };
  let last = 0;
  let m;
  while ((m = re.exec(s))) {
    push(s.slice(last, m.index), 0);
    const sub = m[1] ?? m[2];
    if (sub !== undefined) push(sub, 1);
    else push(m[3] ?? m[4] ?? m[5], 2);
    last = re.lastIndex;
  }
  push(s.slice(last), 0);
  return out;
}

/** Sub- and superscripts: their size, and their baseline's shift (in ems of the text). */
const SCRIPT_SIZE = 0.72;
const SCRIPT_SHIFT = [0, 0.2, -0.38];

/** The pieces of `s` with their widths, and the total width (CSS pixels). */
function typeset(ctx, s, size, weight) {
  const pieces = notation(s);
  let width = 0;
  for (const p of pieces) {
    useFont(ctx, p.script ? size * SCRIPT_SIZE : size, weight);
    p.width = ctx.measureText(p.text).width;
    width += p.width;
  }
  return { pieces, width };
}

/** The width in CSS pixels of `s` as text() would draw it. */
export function textWidth(ctx, s, { size = 14, weight = 400 } = {}) {
  if (!s.includes('_') && !s.includes('^')) {
    useFont(ctx, size, weight);
    return ctx.measureText(s).width;
  }
  return typeset(ctx, s, size, weight).width;
}

/**
 * Text at (x, y). opts: color, size (px), weight, align ('center'), baseline ('middle'),
 * background (a colour painted behind the text, for labels over lines). The lecture's
 * notation is typeset: 'W_hh' and 'h_t' are drawn with real subscripts (notation()).
 */
export function text(ctx, str, x, y, { color = '#1a1a1a', size = 14, weight = 400, align = 'center', baseline = 'middle', background } = {}) {
  const s = String(str);
  // Most labels are numbers: no notation to typeset, no piece to measure.
  const plain = !s.includes('_') && !s.includes('^');
  const { pieces, width } = plain ? { pieces: null, width: null } : typeset(ctx, s, size, weight);
  if (background) {
    useFont(ctx, size, weight);
    const w = (plain ? ctx.measureText(s).width : width) + 6;
    const left = align === 'left' ? x - 3 : align === 'right' ? x - w + 3 : x - w / 2;
    const top = baseline === 'bottom' ? y - size * 1.15 : baseline === 'top' ? y : y - size * 0.6;
    ctx.fillStyle = background;
    ctx.fillRect(left, top, w, size * 1.2);
  }
  ctx.fillStyle = color;
  if (plain || (pieces.length === 1 && pieces[0].script === 0)) {
    useFont(ctx, size, weight);
    if (ctx.textAlign !== align) ctx.textAlign = align;
    if (ctx.textBaseline !== baseline) ctx.textBaseline = baseline;
    ctx.fillText(s, x, y);
    return;
  }
  // Piece by piece from the left, on the text's alphabetic baseline.
  useFont(ctx, size, weight);
  ctx.textBaseline = baseline;
  const drop = ctx.measureText('Hg').alphabeticBaseline ?? FALLBACK_BASELINE[baseline] * size;
  const base = y - drop;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  let left = align === 'left' ? x : align === 'right' ? x - width : x - width / 2;
  for (const p of pieces) {
    useFont(ctx, p.script ? size * SCRIPT_SIZE : size, weight);
    ctx.fillText(p.text, left, base + SCRIPT_SHIFT[p.script] * size);
    left += p.width;
  }
}

/**
 * TextMetrics.alphabeticBaseline in ems of the app's font, for a browser without it:
 * where the alphabetic baseline is from each textBaseline (negative: below it).
 */
const FALLBACK_BASELINE = { top: -0.76, middle: -0.26, bottom: 0.24, alphabetic: 0, hanging: -0.6, ideographic: 0.24 };

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
