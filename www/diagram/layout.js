// Where everything of the unrolled diagram sits, in CSS pixels of the whole (unscrolled)
// diagram. Columns: t = 0 is h_0 (hidden block only), t = 1..T the time steps. Each step
// column stacks, from top to bottom: a header (t, prediction, loss), the output block
// (V cells: y_t / p_t), the hidden block (H cells: h_t), the input block (V cells: x_t),
// and — when backward data is present — a footer with the ‖dL/dh_t‖ bar.

/** Sizes at zoom 1 (CSS px). */
const BASE = {
  labelW: 52, // the row labels at the left (p_t, h_t, x_t)
  cellW: 58,
  gapX: 50, // between columns: the W_hh arrow and its label
  cellH: 28,
  minCellH: 12,
  gapY: 40, // between blocks: the W_xh and W_hy arrows and their labels
  header: 60,
  footer: 58,
  padTop: 6,
  padBottom: 10,
  padRight: 16,
  font: 14,
  /** Cell rows (2V + H) that fit at full cell height; above, cells shrink. */
  rowBudget: 22,
};

/** Smallest zoom 'fit' goes to when it must also fit a height (presenter mode). */
const MIN_FIT_TO_HEIGHT = 0.6;

/**
 * The layout of `data.forward` at `zoom`. `width` is the visible width (CSS px) the
 * diagram is drawn into; zoom 'fit' picks the largest zoom in [1, 1.6] at which every
 * column fits (1 when they do not). With `maxHeight` (CSS px; presenter mode), 'fit' also
 * keeps the whole picture within that height, down to a zoom of MIN_FIT_TO_HEIGHT.
 */
export function computeLayout(data, { width = 800, zoom = 1, maxHeight } = {}) {
  const f = data.forward;
  const T = f.steps;
  const V = f.vocab.length;
  const H = f.hidden;
  const rows = 2 * V + H;
  const natural = (z) => z * (BASE.labelW + BASE.cellW + T * (BASE.cellW + BASE.gapX) + BASE.padRight);
  const shrink = Math.min(1, BASE.rowBudget / rows);
  let z = Number(zoom);
  if (zoom === 'fit' || !Number.isFinite(z) || z <= 0) {
    z = Math.max(1, Math.min(1.6, width / natural(1)));
    if (Number.isFinite(maxHeight) && maxHeight > 0) {
      // The height is linear in z: (fixed rows + cells) × z.
      const cells = (2 * V + H) * Math.max(BASE.minCellH, Math.floor(BASE.cellH * shrink));
      const unit = BASE.padTop + BASE.header + cells + 2 * BASE.gapY + 8 + (data.backward ? BASE.footer : 0) + BASE.padBottom;
      z = Math.max(MIN_FIT_TO_HEIGHT, Math.min(z, maxHeight / unit));
    }
  }
  const cellH = Math.max(BASE.minCellH, Math.floor(BASE.cellH * shrink)) * z;
  const cellW = BASE.cellW * z;
  const gapX = BASE.gapX * z;
  const colW = cellW + gapX;
  const labelW = BASE.labelW * z;
  const headerTop = BASE.padTop * z;
  const outTop = headerTop + BASE.header * z;
  const hidTop = outTop + V * cellH + BASE.gapY * z;
  const inTop = hidTop + H * cellH + BASE.gapY * z;
  const footTop = inTop + V * cellH + 8 * z;
  const hasFooter = Boolean(data.backward);
  const height = footTop + (hasFooter ? BASE.footer * z : 0) + BASE.padBottom * z;
  const fullWidth = natural(z);
  return {
    T, V, H, zoom: z, cellW, cellH, colW, gapX, labelW, width, fullWidth, height,
    font: BASE.font * z,
    cellFont: Math.min(BASE.font * z, cellH * 0.78),
    /** Whether numbers fit inside the cells. */
    numbersInCells: cellH >= 16 && cellW >= 44,
    headerTop, outTop, hidTop, inTop, footTop, hasFooter,
    footer: BASE.footer * z,
    gapY: BASE.gapY * z,
    /** Left edge of the cells of column t (t = 0: h_0). */
    colX: (t) => labelW + t * colW,
    /** Top of cell i of a block. */
    cellY: (kind, i) => (kind === 'y' ? outTop : kind === 'h' ? hidTop : inTop) + i * cellH,
  };
}

/** How many cells a block of `kind` has. */
export function blockSize(layout, kind) {
  return kind === 'h' ? layout.H : layout.V;
}

/**
 * The cell at diagram point (x, y) (CSS px of the whole diagram), or null:
 * { kind: 'x' | 'h' | 'y', t, i }; kind 'h' with t = 0 is h_0.
 */
export function hitTest(layout, data, x, y) {
  const t = Math.floor((x - layout.labelW + layout.gapX / 2) / layout.colW);
  if (t < 0 || t > layout.T) return null;
  const left = layout.colX(t);
  if (x < left || x > left + layout.cellW) return null;
  for (const kind of ['y', 'h', 'x']) {
    if (t === 0 && kind !== 'h') continue;
    const top = layout.cellY(kind, 0);
    const n = blockSize(layout, kind);
    if (y >= top && y < top + n * layout.cellH) return { kind, t, i: Math.floor((y - top) / layout.cellH) };
  }
  return null;
}

/** Scroll offset (CSS px) that keeps column t in view, moving as little as possible. */
export function scrollFor(layout, t, current, viewWidth) {
  const max = Math.max(0, layout.fullWidth - viewWidth);
  const left = layout.colX(t) - layout.gapX - layout.labelW * 0.5;
  const right = layout.colX(t) + layout.cellW + layout.gapX;
  let s = current;
  if (left < s) s = left;
  else if (right > s + viewWidth) s = right - viewWidth;
  return Math.max(0, Math.min(max, s));
}
