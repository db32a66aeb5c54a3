// Where each column of the diagram sits, rolled or unrolled: the placement of column j at
// a morph between 0 (rolled: one cell, every column drawn where column t is) and 1
// (unrolled). Shared by the drawing (render.js) and the interactive view (view.js).

/** Smooth start and end of the rolled ↔ unrolled animation. */
export function ease(m) {
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
