// Colour scales of the diagram. The diverging scale is ColorBrewer's RdBu (7 classes),
// which stays readable for the common colour-vision deficiencies: blue below 0, near
// white at 0, red above. The same anchors are used by the Rust hidden-state heatmap
// (src/web/charts/unrolled.rs), so a cell means the same colour in both.

export const RDBU = ['#2166ac', '#67a9cf', '#d1e5f0', '#f7f7f7', '#fddbc7', '#ef8a62', '#b2182b'];

const ANCHORS = RDBU.map((hex) => [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16)));

/** [r, g, b] of value v on the scale −limit … +limit (clamped; NaN gives grey). */
export function divergingRgb(v, limit = 1) {
  if (!Number.isFinite(v)) return [128, 128, 128];
  const u = Math.max(-1, Math.min(1, v / (limit > 0 ? limit : 1)));
  const pos = (u + 1) / 2 * (ANCHORS.length - 1);
  const k = Math.min(ANCHORS.length - 2, Math.floor(pos));
  const f = pos - k;
  return ANCHORS[k].map((c, j) => Math.round(c + (ANCHORS[k + 1][j] - c) * f));
}

/** CSS colour of value v on the diverging scale. */
export function diverging(v, limit = 1) {
  const [r, g, b] = divergingRgb(v, limit);
  return `rgb(${r},${g},${b})`;
}

function luminance([r, g, b]) {
  const lin = (c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Black or white, whichever contrasts more with the fill [r, g, b]. */
export function textOn(rgb) {
  const l = luminance(rgb);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#111111' : '#ffffff';
}

/** rgba() of a #rrggbb colour with opacity a. */
export function withAlpha(hex, a) {
  const [r, g, b] = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
  return `rgba(${r},${g},${b},${a})`;
}

/** Fixed colours of the diagram that are not weight matrices. */
export const INK = {
  text: '#1a1a1a',
  muted: '#595959',
  faint: '#8c8c8c',
  line: '#9a9a9a',
  empty: '#ffffff',
  current: '#eef3fb',
  glow: '#e69f00',
  bar: '#3b3b3b',
  target: '#000000',
};
