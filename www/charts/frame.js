// The frame of the charts drawn in JS (loss.js, grad-bars.js): the house style of the Rust
// charts (src/web/charts/house.rs, legend.rs, text.rs, scale.rs) in canvas calls, so a chart
// drawn here looks like one drawn by plotters beside it: the same fonts, colours, margins,
// tick choice, legend and typeset text.
//
// Everything is in device pixels, as plotters draws: a size given in chart pixels (CSS
// pixels at 16 px type) is multiplied by the scale (devicePixelRatio × the type scale) and
// rounded (px); the numbers (tick choice and labels, ranges) are in ./ticks.js. The default
// chapter draws these charts without the charts module (plotters, ~117 KB gzipped), so
// that module is not part of the page's first load.
import { FONT, notation } from '../diagram/draw.js';
import { mapLinear } from './ticks.js';

/** The palette of src/web/palette.rs `colors` (Okabe & Ito), the Rust charts' very colours. */
export const COLORS = {
  loss: '#0072b2',
  smooth: '#000000',
  event: '#d55e00',
  gradient: '#0072b2',
  text: '#1a1a1a',
  axis: '#595959',
  grid: '#e3e3e3',
  background: '#ffffff',
};

/** The scale a chart was passed (www/views/charts.js chartScale); 1 when absent or not above 0 (as Scale::given). */
export function scaleOf(scale) {
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}

/** A length of `css` chart pixels in device pixels: at least 1 (as Scale::px). */
export function px(s, css) {
  return Math.max(1, Math.round(css * s));
}

/** Rust's `f64::round` (half away from zero); Math.round takes −2.5 to −2. */
function roundAway(x) {
  return Math.sign(x) * Math.round(Math.abs(x));
}

// ---- text -----------------------------------------------------------------------------

/** Sub- and superscripts are this much of the text's size (text.rs SCRIPT_SIZE). */
const SCRIPT_SIZE = 0.72;

/**
 * Where a piece's centre sits from the text's centre line, in ems (text.rs script_shift):
 * a subscript's baseline 0.2 em under the text's, a superscript's 0.38 em over it.
 */
const SCRIPT_SHIFT = [0, 0.26 + 0.2 - 0.26 * SCRIPT_SIZE, 0.26 - 0.38 - 0.26 * SCRIPT_SIZE];

/**
 * The line height plotters measured a title's line with: a span in the page, whose line
 * height is the body's (www/style.css, 1.45).
 */
const LINE_HEIGHT = 1.45;

/** Sets the context's font: the app's sans (FONT, as the Rust charts' text.rs FONT) at `devicePx` pixels. */
export function setFont(ctx, devicePx) {
  ctx.font = `${devicePx}px ${FONT}`;
}

/**
 * Typeset text (text.rs `Rich`): the lecture's notation with real subscripts and
 * superscripts, `css` chart pixels high, in one colour, optionally read bottom to top.
 */
export class Rich {
  constructor(css, { color = COLORS.text, vertical = false } = {}) {
    this.css = css;
    this.color = color;
    this.vertical = vertical;
  }

  /** The pieces of `text` with their widths in whole device pixels (as plotters measured them). */
  pieces(ctx, s, text) {
    return notation(text).map((p) => {
      const size = this.css * s * (p.script ? SCRIPT_SIZE : 1);
      setFont(ctx, size);
      return { ...p, size, width: Math.round(ctx.measureText(p.text).width) };
    });
  }

  /** The width of `text` typeset, in device pixels. */
  width(ctx, s, text) {
    return this.pieces(ctx, s, text).reduce((a, p) => a + p.width, 0);
  }

  /**
   * Draws `text` at (x, y) (device pixels), anchored like plotters text: `h` along the
   * text ('left', 'center', 'right'), `v` across it ('top', 'center', 'bottom' of the em box).
   */
  draw(ctx, s, text, x, y, h, v) {
    const pieces = this.pieces(ctx, s, text);
    const total = pieces.reduce((a, p) => a + p.width, 0);
    const em = this.css * s;
    let along = h === 'left' ? 0 : h === 'center' ? Math.trunc(-total / 2) : -total;
    const across = v === 'top' ? em / 2 : v === 'center' ? 0 : -em / 2;
    ctx.fillStyle = this.color;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    for (const p of pieces) {
      const shift = roundAway(across + SCRIPT_SHIFT[p.script] * em);
      setFont(ctx, p.size);
      if (this.vertical) {
        // A quarter turn anticlockwise: along the text is up, across it is right.
        ctx.save();
        ctx.translate(x + shift, y - along);
        ctx.rotate(-Math.PI / 2);
        ctx.fillText(p.text, 0, 0);
        ctx.restore();
      } else {
        ctx.fillText(p.text, x + along, y + shift);
      }
      along += p.width;
    }
  }
}

/**
 * `text` on one line if it is at most `room` wide (as `width` measures it), else on two,
 * broken at the space that makes the longer line shortest (text.rs `two_lines`).
 */
export function twoLines(text, width, room) {
  if (width(text) <= room) return [text];
  let best = null;
  for (let i = text.indexOf(' '); i >= 0; i = text.indexOf(' ', i + 1)) {
    const [a, b] = [text.slice(0, i).trimEnd(), text.slice(i).trimStart()];
    if (!a || !b) continue;
    const longer = Math.max(width(a), width(b));
    if (!best || longer < best.longer) best = { longer, a, b };
  }
  return best ? [best.a, best.b] : [text];
}

/**
 * Rows of items of the given widths, each row at most `room` wide with `gap` between items:
 * [start, end) index pairs (an item wider than `room` gets a row of its own; text.rs `flow`).
 */
export function flow(widths, gap, room) {
  const rows = [];
  let start = 0;
  let used = 0;
  widths.forEach((w, i) => {
    if (i > start && used + gap + w > room) {
      rows.push([start, i]);
      start = i;
      used = 0;
    }
    used += i > start ? gap + w : w;
  });
  if (start < widths.length) rows.push([start, widths.length]);
  return rows;
}

// ---- the frame ------------------------------------------------------------------------

/**
 * The canvas's 2-D context, cleared to the background, with the whole canvas as the area
 * {x, y, w, h} (device pixels). Throws if the canvas has no size (as the Rust charts).
 */
export function begin(canvas, chart) {
  if (!canvas.width || !canvas.height) throw new Error(`${chart} chart: the chart's canvas has no size`);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error(`${chart} chart: this canvas has no 2D drawing context`);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = COLORS.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.lineCap = 'butt';
  ctx.lineJoin = 'miter';
  return { ctx, area: { x: 0, y: 0, w: canvas.width, h: canvas.height } };
}

/** The part of `area` from `dy` device pixels down (plotters' split_vertically, lower half). */
function below(area, dy) {
  const top = Math.min(area.h, Math.max(0, dy));
  return { x: area.x, y: area.y + top, w: area.w, h: area.h - top };
}

/**
 * Draws `text` as a title of `css` pixels centred at the top of `area`, on two lines where
 * one does not fit between margins of `sideCss` pixels (smaller only if a line still does
 * not fit: one long word), and returns the area below it (text.rs `title`).
 */
export function title(ctx, s, area, text, css = 17, sideCss = 10) {
  const room = area.w - 2 * px(s, sideCss);
  let rich = new Rich(css);
  let lines = twoLines(text, (t) => rich.width(ctx, s, t), room);
  const widest = Math.max(0, ...lines.map((l) => rich.width(ctx, s, l)));
  if (widest > room && room > 0) {
    rich = new Rich(css * Math.max(0.5, room / widest));
    lines = twoLines(text, (t) => rich.width(ctx, s, t), room);
  }
  const lineHeight = Math.max(1, Math.round(rich.css * s * LINE_HEIGHT));
  let y = px(s, 5);
  for (const line of lines) {
    rich.draw(ctx, s, line, area.x + Math.trunc(area.w / 2), area.y + y, 'center', 'top');
    y += lineHeight;
  }
  return below(area, y + px(s, 5));
}

/**
 * A legend across the top of `area` (legend.rs): entries [label, swatch] with swatch
 * {line: [colour, width]} | {tick: colour} | {box: colour}, centred, one row where it fits,
 * else as many rows as it needs (a phone); an entry wider than the canvas makes the whole
 * legend smaller, down to 60%. Returns the area below it; with `draw` false, only that (a
 * chart with no data yet keeps its plot where the data will put it).
 */
export function legend(ctx, scale, area, entries, { draw = true } = {}) {
  const rich = new Rich(14);
  const measure = (s) => entries.map(([label]) => px(s, 30) + rich.width(ctx, s, label));
  const room = area.w - px(scale, 20);
  const widest = Math.max(0, ...measure(scale));
  const s = widest > room && room > 0 ? scale * Math.max(0.6, room / widest) : scale;
  const widths = measure(s);
  const [sample, gap, sep] = [px(s, 24), px(s, 6), px(s, 22)];
  const rows = flow(widths, sep, room);
  const rowHeight = px(s, 22);
  const rest = below(area, rowHeight * rows.length + px(s, 6));
  if (!draw) return rest;
  rows.forEach(([start, end], r) => {
    const row = widths.slice(start, end);
    const total = row.reduce((a, w) => a + w, 0) + sep * (row.length - 1);
    let x = area.x + Math.trunc(Math.max(0, area.w - total) / 2);
    const y = area.y + px(s, 3) + rowHeight * r + Math.trunc(rowHeight / 2);
    const half = px(s, 7);
    entries.slice(start, end).forEach(([label, swatch], k) => {
      if (swatch.line) {
        stroke(ctx, [[x, y], [x + sample, y]], swatch.line[0], px(s, swatch.line[1]));
      } else if (swatch.tick) {
        stroke(ctx, [[x + Math.trunc(sample / 2), y - half], [x + Math.trunc(sample / 2), y + half]], swatch.tick, px(s, 2));
      } else if (swatch.box) {
        ctx.fillStyle = swatch.box;
        ctx.fillRect(x + Math.trunc(sample / 2) - half, y - half, 2 * half, 2 * half);
      }
      rich.draw(ctx, s, label, x + sample + gap, y, 'left', 'center');
      x += row[k] + sep;
    });
  });
  return rest;
}

/** A polyline through device-pixel points (plotters' PathElement: no half-pixel offset). */
export function stroke(ctx, points, color, width) {
  if (points.length === 0) return;
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.moveTo(points[0][0], points[0][1]);
  for (const [x, y] of points.slice(1)) ctx.lineTo(x, y);
  ctx.stroke();
}

/**
 * A straight grid line the way plotters' canvas backend draws one: moved half a pixel so
 * that a 1-pixel line covers one row or column of pixels, not two at half strength.
 */
function gridLine(ctx, x0, y0, x1, y1, color, width) {
  const dx = x0 === x1 ? 0.5 : 0;
  const dy = y0 === y1 ? 0.5 : 0;
  stroke(ctx, [[x0 - dx, y0 - dy], [x1 - dx, y1 - dy]], color, width);
}

/**
 * The house chart on `area` (house.rs `house_chart`): margins of 10 px (`topCss` at the
 * top), 18 px on the right so the last x label is not cut, 46 px under the plot for the x
 * tick labels and name, 74 px on its left for the y ones. Returns the plot: its pixel box
 * {left, top, right, bottom} (right and bottom exclusive) and y(v) for a y range [0, yMax].
 */
export function housePlot(s, area, yMax, { topCss = 10 } = {}) {
  const left = area.x + px(s, 10) + px(s, 74);
  const right = area.x + area.w - px(s, 18);
  const top = area.y + px(s, topCss);
  const bottom = area.y + area.h - px(s, 10) - px(s, 46);
  return {
    left, top, right, bottom, yMax,
    // Value 0 on the plot's last row, yMax on its first (as plotters' reversed y range).
    y: (v) => mapLinear(v, 0, yMax, bottom - 1, top),
  };
}

/**
 * The house mesh (house.rs `house_mesh`): a light grid at the labelled ticks, the axis
 * lines along the plot's left and bottom edges, tick marks and 14 px tick labels, drawn
 * as plotters does (a tick of at most 5 device pixels, its label twice that from the axis).
 * `xTicks`, `yTicks`: [{at (pixel), label}]; `xGrid`: whether vertical grid lines are drawn.
 */
export function houseMesh(ctx, s, plot, { xTicks, yTicks, xGrid = true }) {
  const lineWidth = px(s, 1);
  if (xGrid) for (const t of xTicks) gridLine(ctx, t.at, plot.bottom - 1, t.at, plot.top, COLORS.grid, lineWidth);
  for (const t of yTicks) gridLine(ctx, plot.left, t.at, plot.right - 1, t.at, COLORS.grid, lineWidth);
  const tick = Math.min(5, Math.round(0.05 * Math.min(plot.right - plot.left, plot.bottom - plot.top)));
  const labelGap = 2 * tick;
  setFont(ctx, 14 * s);
  ctx.fillStyle = COLORS.text;
  // The y axis: a line just left of the plot, ticks out to the left, labels right-aligned.
  stroke(ctx, [[plot.left - 1, plot.top], [plot.left - 1, plot.bottom - 1]], COLORS.axis, lineWidth);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of yTicks) {
    if (t.at < plot.top || t.at > plot.bottom - 1) continue;
    ctx.fillStyle = COLORS.text;
    ctx.fillText(t.label, plot.left - labelGap, t.at);
    if (tick) stroke(ctx, [[plot.left - 1 - tick, t.at], [plot.left - 1, t.at]], COLORS.axis, lineWidth);
  }
  // The x axis: a line just under the plot, ticks down, labels centred under them.
  stroke(ctx, [[plot.left, plot.bottom], [plot.right - 1, plot.bottom]], COLORS.axis, lineWidth);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of xTicks) {
    if (t.at < plot.left || t.at > plot.right - 1) continue;
    ctx.fillStyle = COLORS.text;
    ctx.fillText(t.label, t.at, plot.bottom + labelGap);
    if (tick) stroke(ctx, [[t.at, plot.bottom], [t.at, plot.bottom + tick]], COLORS.axis, lineWidth);
  }
}

/**
 * The axis names of a house plot (house.rs `axis_names`), typeset (`h_t` with a real
 * subscript): x centred under the plot at the bottom of its label area, y read upwards at
 * the outer edge of its label area. Each name with its size in chart pixels.
 */
export function axisNames(ctx, s, plot, [xName, xCss], [yName, yCss]) {
  new Rich(xCss).draw(ctx, s, xName, Math.trunc((plot.left + plot.right) / 2), plot.bottom + px(s, 46), 'center', 'bottom');
  new Rich(yCss, { vertical: true }).draw(ctx, s, yName, plot.left - px(s, 74), Math.trunc((plot.top + plot.bottom) / 2), 'center', 'top');
}

/** Writes a centred message over `area` (e.g. "no data yet"; mod.rs `message`). */
export function message(ctx, s, area, text) {
  new Rich(16, { color: COLORS.axis }).draw(ctx, s, text, area.x + Math.trunc(area.w / 2), area.y + Math.trunc(area.h / 2), 'center', 'center');
}

/**
 * A list field of a chart's data: an array (or typed array) of numbers, [] when absent (as
 * serde's default); anything else is bad data, named as the Rust charts named it.
 */
export function listOf(chart, data, field) {
  const v = data?.[field];
  if (v === undefined || v === null) return [];
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return v;
  throw new Error(`${chart} chart: bad data: ${field} is not a list`);
}

/** A text field of a chart's data, or `fallback` when absent. */
export function textOf(chart, data, field, fallback) {
  const v = data?.[field];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string') throw new Error(`${chart} chart: bad data: ${field} is not a string`);
  return v;
}

/** A chart's data must be an object (serde's map); undefined counts as empty. */
export function checkData(chart, data) {
  if (data !== undefined && data !== null && (typeof data !== 'object' || Array.isArray(data))) {
    throw new Error(`${chart} chart: bad data: not an object`);
  }
}
