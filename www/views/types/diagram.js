// The small unrolled picture of one "Types of RNN" card: a column per time step with
// the input x_t at the bottom, the hidden state h_t in the middle (one coloured cell per
// unit) and the output y_t at the top, W_xh / W_hh / W_hy arrows in their colours.
// An absent input is a dashed empty box ("no input", and no W_xh arrow); an output that
// is not scored is a dashed box with its prediction greyed ("not scored"). A pure
// function of (canvas, snapshot, options): every number comes from the engine's snapshot.
import { fmt, showSymbol } from '../common.js';
import { divergingRgb, INK } from '../../diagram/colors.js';
import { arrow, roundRect, text } from '../../diagram/draw.js';

/** Height of the picture in CSS px. */
export const DIAGRAM_HEIGHT = 226;

/** The layout for T steps in a canvas `width` CSS px wide. */
export function layout(T, width) {
  const labels = 40;
  const colW = Math.max(22, Math.min(110, (width - labels - 8) / T));
  const box = Math.min(72, colW - 12);
  // The columns are centred in the space right of the row labels.
  const left = labels + Math.max(0, (width - labels - 8 - T * colW) / 2);
  return {
    left, colW, box,
    font: Math.max(9, Math.min(14, box * 0.3)),
    tTop: 12, outTop: 36, outH: 52, hidTop: 112, hidH: 44, inTop: 184, inH: 34,
    colX: (t) => left + (t - 1) * colW + (colW - box) / 2,
  };
}

function dashedBox(ctx, x, y, w, h, r = 5) {
  ctx.save();
  ctx.setLineDash([4, 3]);
  ctx.strokeStyle = INK.faint;
  ctx.lineWidth = 1.5;
  roundRect(ctx, x + 0.75, y + 0.75, w - 1.5, h - 1.5, r);
  ctx.stroke();
  ctx.restore();
}

function solidBox(ctx, x, y, w, h, color, fill = INK.empty) {
  roundRect(ctx, x + 1, y + 1, w - 2, h - 2, 5);
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.stroke();
}

/** h_t as H thin cells on the diverging scale (−1 … 1, tanh's range). */
function hiddenCells(ctx, x, y, w, h, values) {
  const H = values.length;
  const cols = H > 8 ? Math.ceil(H / 2) : H;
  const rows = Math.ceil(H / cols);
  const cw = (w - 4) / cols;
  const ch = (h - 4) / rows;
  values.forEach((v, i) => {
    const [r, g, b] = divergingRgb(v, 1);
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(x + 2 + (i % cols) * cw, y + 2 + Math.floor(i / cols) * ch, Math.max(1, cw - 0.5), Math.max(1, ch - 0.5));
  });
  ctx.strokeStyle = INK.line;
  ctx.lineWidth = 1;
  ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
}

/**
 * Draws `snap` (TypesLab.snapshot) on `canvas` (sized in device px). `cursor`: the step
 * the player is on (steps after it are not computed yet), or null for the whole sequence.
 * `palette`: app.palette (W_xh, W_hh, W_hy).
 */
export function drawTypesDiagram(canvas, snap, { cursor = null, palette, dpr = window.devicePixelRatio || 1 }) {
  const ctx = canvas.getContext('2d');
  const width = canvas.width / dpr;
  const T = snap.steps;
  const L = layout(T, width);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, canvas.height / dpr);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, canvas.height / dpr);
  const f = L.font;
  // Row labels.
  text(ctx, 'yₜ', 6, L.outTop + L.outH / 2, { align: 'left', size: 12, weight: 700, color: INK.muted });
  text(ctx, 'hₜ', 6, L.hidTop + L.hidH / 2, { align: 'left', size: 12, weight: 700, color: INK.muted });
  text(ctx, 'xₜ', 6, L.inTop + L.inH / 2, { align: 'left', size: 12, weight: 700, color: INK.muted });
  const shown = cursor ?? T;
  snap.per_step.forEach((s, i) => {
    const t = i + 1;
    const x = L.colX(t);
    const cx = x + L.box / 2;
    const done = t <= shown;
    if (cursor === t) {
      ctx.fillStyle = INK.current;
      ctx.fillRect(x - 4, 2, L.box + 8, DIAGRAM_HEIGHT - 4);
      ctx.strokeStyle = INK.glow;
      ctx.lineWidth = 2;
      ctx.strokeRect(x - 4, 2, L.box + 8, DIAGRAM_HEIGHT - 4);
    }
    ctx.globalAlpha = done ? 1 : 0.35;
    text(ctx, `t = ${t}`, cx, L.tTop, { size: Math.max(9, f * 0.9), weight: 700 });
    // Input.
    if (s.input == null) {
      dashedBox(ctx, x, L.inTop, L.box, L.inH);
      text(ctx, L.box >= 40 ? 'no input' : '∅', cx, L.inTop + L.inH / 2, { size: Math.max(8, f * 0.75), color: INK.muted });
    } else {
      solidBox(ctx, x, L.inTop, L.box, L.inH, palette.W_xh);
      text(ctx, showSymbol(s.input), cx, L.inTop + L.inH / 2, { size: f, weight: 700 });
      arrow(ctx, cx, L.inTop - 2, cx, L.hidTop + L.hidH + 3, { color: palette.W_xh, width: 2 });
    }
    // W_hh from the step before (h_0 = 0 at t = 1).
    if (t > 1) arrow(ctx, x - (L.colW - L.box) + 2, L.hidTop + L.hidH / 2, x - 2, L.hidTop + L.hidH / 2, { color: palette.W_hh, width: 2 });
    // Hidden state and output: computed only up to the cursor.
    if (done) hiddenCells(ctx, x, L.hidTop, L.box, L.hidH, s.h_t);
    else dashedBox(ctx, x, L.hidTop, L.box, L.hidH, 2);
    const scored = s.target != null;
    if (s.read || scored) arrow(ctx, cx, L.hidTop - 2, cx, L.outTop + L.outH + 3, { color: palette.W_hy, width: 2 });
    if (!s.read && !scored) {
      dashedBox(ctx, x, L.outTop, L.box, L.outH);
      text(ctx, L.box >= 40 ? 'not scored' : '·', cx, L.outTop + 15, { size: Math.max(8, f * 0.7), color: INK.muted });
      if (done) text(ctx, showSymbol(s.predicted), cx, L.outTop + 34, { size: Math.max(8, f * 0.8), color: INK.faint });
    } else {
      solidBox(ctx, x, L.outTop, L.box, L.outH, palette.W_hy);
      if (done) {
        // ✓ / ✗ where the box has room; the colour says it too (green right, red wrong).
        const mark = s.correct == null || L.box < 50 ? '' : s.correct ? ' ✓' : ' ✗';
        const color = s.correct == null ? INK.text : s.correct ? '#00704f' : '#b03c00';
        text(ctx, `${showSymbol(s.predicted)}${mark}`, cx, L.outTop + 14, { size: f, weight: 700, color });
        // The bar: p_t of the target where scored, else of the prediction.
        const p = s.p_target ?? s.p_predicted;
        if (L.box >= 44) text(ctx, `p ${fmt(p, 2)}`, cx, L.outTop + 31, { size: Math.max(8, f * 0.7), color: INK.muted });
        ctx.fillStyle = INK.bar;
        ctx.fillRect(x + 4, L.outTop + L.outH - 11, Math.max(0, Math.min(1, p)) * (L.box - 8), 5);
      }
      if (scored && L.box >= 30) text(ctx, L.colW >= 64 ? `target ${showSymbol(s.target)}` : showSymbol(s.target), cx, L.outTop - 9, { size: Math.max(8, f * 0.75), color: INK.muted });
    }
    ctx.globalAlpha = 1;
  });
  return L;
}

/** The picture in words, for the canvas's aria-label. */
export function describeDiagram(snap, cursor) {
  const parts = snap.per_step.map((s) => {
    const x = s.input == null ? 'no input' : `input ${showSymbol(s.input)}`;
    const y = s.target != null ? `scored against ${showSymbol(s.target)}` : s.read ? 'output read' : 'output not scored';
    return `t = ${s.t}: ${x}, ${y}`;
  });
  return `Unrolled over ${snap.steps} step${snap.steps === 1 ? '' : 's'}${cursor ? `, computed up to t = ${cursor}` : ''}. ${parts.join('; ')}.`;
}
