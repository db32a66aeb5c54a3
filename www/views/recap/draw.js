// The Recap chapter's pictures: small canvas functions of (canvas, data), like the Rust
// charts. They draw only what they are given: every number (outputs over the plane,
// boundaries, weights, projections, feature maps) comes from the engine. Sizes are in
// chart pixels (CSS pixels at 16 px type), scaled by devicePixelRatio × the type scale.

/** Okabe–Ito colours (the palette of the Rust charts). */
export const COLORS = {
  class1: '#0072b2', // blue
  class0: '#d55e00', // vermillion
  text: '#1a1a1a',
  axis: '#595959',
  grid: '#e3e3e3',
  boundary: '#000000',
  units: ['#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#0072b2', '#d55e00', '#000000', '#999999'],
};

/** Device pixels per chart pixel (as the Rust charts: dpr × root font / 16, the latter in [1, 1.6]). */
function scaleOf() {
  const dpr = window.devicePixelRatio || 1;
  const px = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  return dpr * Math.min(1.6, Math.max(1, px / 16));
}

/** The 2-D context in chart pixels, cleared to white: { ctx, w, h }. */
export function begin(canvas) {
  const s = scaleOf();
  const ctx = canvas.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(s, 0, 0, s, 0, 0);
  ctx.lineJoin = 'round';
  return { ctx, w: canvas.width / s, h: canvas.height / s };
}

export function font(ctx, size, weight = '') {
  ctx.font = `${weight} ${size}px sans-serif`.trim();
}

export function text(ctx, str, x, y, { size = 13, color = COLORS.text, align = 'left', base = 'middle', weight = '' } = {}) {
  font(ctx, size, weight);
  ctx.fillStyle = color;
  ctx.textAlign = align;
  ctx.textBaseline = base;
  ctx.fillText(str, x, y);
}

/** A title centred at the top, shrunk to fit. */
export function title(ctx, str, w) {
  if (!str) return;
  let size = 15;
  font(ctx, size, '600');
  const width = ctx.measureText(str).width;
  if (width > w - 8) size = Math.max(10, (size * (w - 8)) / width);
  text(ctx, str, w / 2, 4, { size, align: 'center', base: 'top', weight: '600' });
}

/** Short tick text: at most 2 decimals, a true minus sign. */
export function tickText(v) {
  const s = Math.abs(v) < 1e-9 ? '0' : String(Number(v.toFixed(2)));
  return s.replace('-', '\u2212');
}

/**
 * The frame of a 2-D plot: the data box `dom` = {x_min, x_max, y_min, y_max} mapped into
 * the canvas with margins for ticks, square units when `square`. Pure: the pointer
 * handlers of a draggable picture use the same function to map back.
 */
export function frame(w, h, dom, { square = true, top = 26, left = 44, bottom = 38, right = 14 } = {}) {
  let pw = Math.max(10, w - left - right);
  let ph = Math.max(10, h - top - bottom);
  const dx = dom.x_max - dom.x_min;
  const dy = dom.y_max - dom.y_min;
  if (square) {
    const unit = Math.min(pw / dx, ph / dy);
    pw = unit * dx;
    ph = unit * dy;
  }
  const x0 = left + (w - left - right - pw) / 2;
  const y0 = top + (h - top - bottom - ph) / 2;
  return {
    x0, y0, pw, ph, dom,
    px: (x) => x0 + ((x - dom.x_min) / dx) * pw,
    py: (y) => y0 + ph - ((y - dom.y_min) / dy) * ph,
    fromPx: (X, Y) => [dom.x_min + ((X - x0) / pw) * dx, dom.y_min + ((y0 + ph - Y) / ph) * dy],
  };
}

function axes(ctx, f, { ticks = 1, xLabel = 'x₁', yLabel = 'x₂', grid = false } = {}) {
  const { dom } = f;
  ctx.strokeStyle = COLORS.axis;
  ctx.lineWidth = 1;
  ctx.strokeRect(f.x0, f.y0, f.pw, f.ph);
  const start = (lo) => Math.ceil(lo / ticks - 1e-9) * ticks;
  for (let x = start(dom.x_min); x <= dom.x_max + 1e-9; x += ticks) {
    const X = f.px(x);
    if (grid) {
      ctx.strokeStyle = COLORS.grid;
      ctx.beginPath(); ctx.moveTo(X, f.y0); ctx.lineTo(X, f.y0 + f.ph); ctx.stroke();
    }
    ctx.strokeStyle = COLORS.axis;
    ctx.beginPath(); ctx.moveTo(X, f.y0 + f.ph); ctx.lineTo(X, f.y0 + f.ph + 4); ctx.stroke();
    text(ctx, tickText(x), X, f.y0 + f.ph + 6, { size: 12, align: 'center', base: 'top', color: COLORS.axis });
  }
  for (let y = start(dom.y_min); y <= dom.y_max + 1e-9; y += ticks) {
    const Y = f.py(y);
    if (grid) {
      ctx.strokeStyle = COLORS.grid;
      ctx.beginPath(); ctx.moveTo(f.x0, Y); ctx.lineTo(f.x0 + f.pw, Y); ctx.stroke();
    }
    ctx.strokeStyle = COLORS.axis;
    ctx.beginPath(); ctx.moveTo(f.x0 - 4, Y); ctx.lineTo(f.x0, Y); ctx.stroke();
    text(ctx, tickText(y), f.x0 - 6, Y, { size: 12, align: 'right', color: COLORS.axis });
  }
  text(ctx, xLabel, f.x0 + f.pw / 2, f.y0 + f.ph + 22, { size: 13, align: 'center', base: 'top' });
  ctx.save();
  ctx.translate(f.x0 - 34, f.y0 + f.ph / 2);
  ctx.rotate(-Math.PI / 2);
  text(ctx, yLabel, 0, 0, { size: 13, align: 'center' });
  ctx.restore();
}

/** t ∈ [0, 1] → a light tint [r, g, b]: vermillion (0) through white (½) to blue (1). */
function regionColor(t) {
  const c = Math.max(0, Math.min(1, t));
  const a = [246, 200, 170]; // light vermillion
  const b = [176, 212, 236]; // light blue
  const m = c < 0.5 ? a : b;
  const k = Math.abs(c - 0.5) * 2;
  return [0, 1, 2].map((i) => Math.round(255 + (m[i] - 255) * k));
}

/** The grid's cells as an nx × ny image (one pixel per cell, top row first). */
function gridImage(g, lo, hi) {
  const img = new ImageData(g.nx, g.ny);
  for (let j = 0; j < g.ny; j++) {
    for (let i = 0; i < g.nx; i++) {
      const v = g.values[j * g.nx + i];
      const rgb = Number.isFinite(v) ? regionColor((v - lo) / (hi - lo)) : [128, 128, 128];
      const o = 4 * ((g.ny - 1 - j) * g.nx + i); // row j = 0 is the bottom of the box
      img.data.set([...rgb, 255], o);
    }
  }
  const c = document.createElement('canvas');
  c.width = g.nx;
  c.height = g.ny;
  c.getContext('2d').putImageData(img, 0, 0);
  return c;
}

function point(ctx, X, Y, cls, r = 4.5) {
  ctx.lineWidth = 1.2;
  ctx.strokeStyle = '#ffffff';
  ctx.fillStyle = cls === 1 ? COLORS.class1 : COLORS.class0;
  ctx.beginPath();
  if (cls === 1) ctx.arc(X, Y, r, 0, 2 * Math.PI);
  else ctx.rect(X - r, Y - r, 2 * r, 2 * r);
  ctx.fill();
  ctx.stroke();
}

function segment(ctx, f, seg, { color, width = 2, dash = [] }) {
  if (!seg) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(f.x0, f.y0, f.pw, f.ph);
  ctx.clip();
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.setLineDash(dash);
  ctx.beginPath();
  ctx.moveTo(f.px(seg[0][0]), f.py(seg[0][1]));
  ctx.lineTo(f.px(seg[1][0]), f.py(seg[1][1]));
  ctx.stroke();
  ctx.restore();
}

/**
 * A model over the plane. `d`: { title, grid: {plot_box, nx, ny, values}, lo, hi (the
 * output's range: lo → class 0's tint, hi → class 1's), points: {x, y}, boundary (segment
 * or null), lines: [{segment, color, label}], selected (point index or null) }.
 */
export function drawPlane(canvas, d) {
  const { ctx, w, h } = begin(canvas);
  title(ctx, d.title, w);
  const g = d.grid;
  const f = frame(w, h, g.plot_box);
  // Each cell a flat colour: the grid is what the engine computed, no smoothing between cells.
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(gridImage(g, d.lo, d.hi), f.x0, f.y0, f.pw, f.ph);
  axes(ctx, f);
  for (const [k, line] of (d.lines ?? []).entries()) {
    segment(ctx, f, line.segment, { color: line.color ?? COLORS.units[k % COLORS.units.length], width: 2, dash: [6, 4] });
  }
  segment(ctx, f, d.boundary, { color: COLORS.boundary, width: 3 });
  const pts = d.points;
  ctx.save();
  ctx.beginPath();
  ctx.rect(f.x0, f.y0, f.pw, f.ph);
  ctx.clip();
  pts.x.forEach((p, i) => point(ctx, f.px(p[0]), f.py(p[1]), pts.y[i]));
  if (d.selected != null && pts.x[d.selected]) {
    const p = pts.x[d.selected];
    ctx.strokeStyle = COLORS.text;
    ctx.lineWidth = 2.5;
    ctx.setLineDash([]);
    ctx.beginPath();
    ctx.arc(f.px(p[0]), f.py(p[1]), 10, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.restore();
  return f;
}

function arrow(ctx, X0, Y0, X1, Y1, color, width = 2.5) {
  const a = Math.atan2(Y1 - Y0, X1 - X0);
  const len = Math.hypot(X1 - X0, Y1 - Y0);
  const head = Math.min(12, len * 0.45);
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = width;
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.moveTo(X0, Y0);
  ctx.lineTo(X1 - head * 0.8 * Math.cos(a), Y1 - head * 0.8 * Math.sin(a));
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(X1, Y1);
  ctx.lineTo(X1 - head * Math.cos(a - 0.4), Y1 - head * Math.sin(a - 0.4));
  ctx.lineTo(X1 - head * Math.cos(a + 0.4), Y1 - head * Math.sin(a + 0.4));
  ctx.closePath();
  ctx.fill();
}

/** The domain that holds every point of `pts` with a margin, or `fixed` if given. */
export function domainOf(pts, fixed) {
  if (fixed) return fixed;
  const xs = pts.map((p) => p[0]).filter(Number.isFinite);
  const ys = pts.map((p) => p[1]).filter(Number.isFinite);
  let [x0, x1, y0, y1] = [Math.min(...xs, 0), Math.max(...xs, 0), Math.min(...ys, 0), Math.max(...ys, 0)];
  const pad = 0.08 * Math.max(x1 - x0, y1 - y0, 1e-6);
  x0 -= pad; x1 += pad; y0 -= pad; y1 += pad;
  return { x_min: x0, x_max: x1, y_min: y0, y_max: y1 };
}

/**
 * Word vectors in 2-D. `d`: { title, points: [[x, y]…], words, labels: [index…] (words
 * written beside their dot), highlight: index, arrows: [{from: [x, y], to: [x, y], color,
 * label, dash}], dom (fixed domain, else fitted), xLabel, yLabel, square, handles:
 * [{at: [x, y], color, focused}] (drag handles) }.
 */
export function drawVectors(canvas, d) {
  const { ctx, w, h } = begin(canvas);
  title(ctx, d.title, w);
  const all = [...d.points, ...(d.arrows ?? []).flatMap((a) => [a.from, a.to])];
  const f = frame(w, h, domainOf(all, d.dom), { square: d.square !== false });
  const span = Math.max(f.dom.x_max - f.dom.x_min, f.dom.y_max - f.dom.y_min);
  const tick = span <= 1.6 ? 0.2 : span <= 4 ? 0.5 : span <= 10 ? 1 : 5;
  axes(ctx, f, { ticks: tick, xLabel: d.xLabel ?? 'dimension 1', yLabel: d.yLabel ?? 'dimension 2', grid: true });
  ctx.save();
  ctx.beginPath();
  ctx.rect(f.x0 - 2, f.y0 - 2, f.pw + 4, f.ph + 4);
  ctx.clip();
  const labelled = new Set(d.labels ?? d.points.map((_, i) => i));
  d.points.forEach((p, i) => {
    const X = f.px(p[0]);
    const Y = f.py(p[1]);
    const hi = i === d.highlight;
    ctx.fillStyle = hi ? COLORS.class0 : labelled.has(i) ? COLORS.class1 : '#9aa5ad';
    ctx.beginPath();
    ctx.arc(X, Y, hi ? 5.5 : labelled.has(i) ? 4 : 2.5, 0, 2 * Math.PI);
    ctx.fill();
  });
  d.points.forEach((p, i) => {
    if (!labelled.has(i)) return;
    const hi = i === d.highlight;
    const X = f.px(p[0]);
    const Y = f.py(p[1]);
    font(ctx, hi ? 14 : 12, hi ? '700' : '');
    const tw = ctx.measureText(d.words[i]).width;
    const right = X + 7 + tw < f.x0 + f.pw;
    const below = hi && d.labelBelow ? 16 : 0;
    ctx.fillStyle = 'rgba(255,255,255,0.8)';
    ctx.fillRect(right ? X + 5 : X - 9 - tw, Y - 8 + below, tw + 4, 16);
    text(ctx, d.words[i], right ? X + 7 : X - 7, Y + below, { size: hi ? 14 : 12, weight: hi ? '700' : '', align: right ? 'left' : 'right' });
  });
  for (const a of d.arrows ?? []) {
    const [X0, Y0, X1, Y1] = [f.px(a.from[0]), f.py(a.from[1]), f.px(a.to[0]), f.py(a.to[1])];
    if (a.dash) {
      ctx.setLineDash(a.dash);
      ctx.strokeStyle = a.color;
      ctx.lineWidth = 2;
      ctx.beginPath(); ctx.moveTo(X0, Y0); ctx.lineTo(X1, Y1); ctx.stroke();
      ctx.setLineDash([]);
    } else {
      arrow(ctx, X0, Y0, X1, Y1, a.color, a.width ?? 2.5);
    }
    if (a.label) {
      font(ctx, 13, '700');
      const tw = ctx.measureText(a.label).width;
      const lx = a.labelAt === 'mid' ? (X0 + X1) / 2 : X1;
      const ly = a.labelAt === 'mid' ? (Y0 + Y1) / 2 : Y1;
      const dx = lx + 8 + tw < f.x0 + f.pw ? 8 : -8 - tw;
      ctx.fillStyle = 'rgba(255,255,255,0.85)';
      ctx.fillRect(lx + dx - 2, ly - 17, tw + 4, 16);
      text(ctx, a.label, lx + dx, ly - 9, { size: 13, weight: '700', color: a.color });
    }
  }
  for (const hd of d.handles ?? []) {
    const X = f.px(hd.at[0]);
    const Y = f.py(hd.at[1]);
    ctx.lineWidth = hd.focused ? 3 : 1.5;
    ctx.strokeStyle = hd.focused ? '#000000' : hd.color;
    ctx.fillStyle = '#ffffff';
    ctx.setLineDash([]);
    ctx.beginPath();
    ctx.arc(X, Y, hd.focused ? 8 : 6, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
  ctx.restore();
  return f;
}

/**
 * The frame a picture of `canvas` uses for domain `dom` (same options as its draw call),
 * and the chart-pixel position of a pointer event: for hit tests and dragging.
 */
export function pointerFrame(canvas, ev, dom, options) {
  const s = scaleOf();
  const rect = canvas.getBoundingClientRect();
  const f = frame(canvas.width / s, canvas.height / s, dom, options);
  const X = ((ev.clientX - rect.left) / rect.width) * (canvas.width / s);
  const Y = ((ev.clientY - rect.top) / rect.height) * (canvas.height / s);
  return { f, X, Y, at: f.fromPx(X, Y) };
}

/** The client (CSS pixel) position of data point `xy` in a picture of `canvas` over `dom`. */
export function screenPoint(canvas, xy, dom, options) {
  const s = scaleOf();
  const rect = canvas.getBoundingClientRect();
  const f = frame(canvas.width / s, canvas.height / s, dom, options);
  return {
    x: rect.left + (f.px(xy[0]) / (canvas.width / s)) * rect.width,
    y: rect.top + (f.py(xy[1]) / (canvas.height / s)) * rect.height,
  };
}
