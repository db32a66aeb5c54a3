// The interactive diagram: a wide scroller with a sticky viewport canvas (only what is
// visible is drawn, so T = 64 scrolls natively and stays fast), hover and keyboard focus
// of cells with a tooltip, the rolled ↔ unrolled animation, and keeping column t in view.
// The picture itself is drawDiagram(): a pure function of (data, cursor, options); "Save
// PNG" draws the whole of it (every column, not only the visible ones) into an image.
import { el } from '../views/common.js';
import { fitCanvas } from '../views/charts.js';
import { download } from '../shell/model-file.js';
import { computeLayout, hitTest, scrollFor, blockSize } from './layout.js';
import { drawDiagram, describeCell, placement } from './render.js';

/** Length of the rolled ↔ unrolled animation. */
const MORPH_MS = 900;
const ORDER = ['y', 'h', 'x'];

function reducedMotion() {
  return globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}

export class DiagramView {
  /**
   * idPrefix: ids of the elements; label: what the canvas is, in words;
   * describe(cursor): the step in words (the canvas's aria-label starts with it).
   */
  constructor(app, { idPrefix, label = 'The unrolled network', describe }) {
    this.app = app;
    this.label = label;
    this.describe = describe;
    this.canvas = el('canvas', { id: `${idPrefix}-canvas`, class: 'diagram-canvas', role: 'img', tabindex: '0', 'aria-label': label });
    this.track = el('div', { class: 'diagram-track' }, this.canvas);
    this.scroller = el('div', { class: 'diagram-scroller', id: `${idPrefix}-scroller` }, this.track);
    this.tip = el('div', { class: 'diagram-tip', id: `${idPrefix}-tip`, role: 'status', 'aria-live': 'polite', hidden: true });
    this.idPrefix = idPrefix;
    const save = el('button', {
      type: 'button', class: 'small', id: `${idPrefix}-save-png`, text: 'Save PNG',
      'aria-label': `Save PNG: ${label}`, title: 'Save the whole picture, every time step, as a PNG image',
      on: { click: () => this.savePng() },
    });
    this.el = el('div', { class: 'diagram' }, this.scroller, this.tip, el('div', { class: 'diagram-foot' }, save));
    this.canvas.setAttribute('aria-describedby', this.tip.id);
    /** { kind, t, i } under the mouse, or null. */
    this.hover = null;
    /** { kind, i } focused by keyboard (its column is always t), or null. */
    this.keyFocus = null;
    this.rolled = false;
    this.morphFrom = 1;
    this.morphStart = -Infinity;
    this.lastCursor = null;
    /** Which of hover and keyboard focus came last: that one is shown. */
    this.lastInput = 'mouse';
    this.last = null;
    this.scroller.addEventListener('scroll', () => app.requestRender(), { passive: true });
    if (globalThis.ResizeObserver) new ResizeObserver(() => app.requestRender()).observe(this.scroller);
    this.canvas.addEventListener('mousemove', (ev) => this.onMove(ev));
    this.canvas.addEventListener('mouseleave', () => {
      this.hover = null;
      app.requestRender();
    });
    this.canvas.addEventListener('focus', () => {
      if (!this.keyFocus) this.keyFocus = { kind: 'h', i: 0 };
      this.lastInput = 'key';
      app.requestRender();
    });
    this.canvas.addEventListener('blur', () => {
      this.keyFocus = null;
      app.requestRender();
    });
    this.canvas.addEventListener('keydown', (ev) => this.onKey(ev));
  }

  /** Where the rolled ↔ unrolled animation is now (0 rolled … 1 unrolled). */
  morph(now = performance.now()) {
    const target = this.rolled ? 0 : 1;
    const u = Math.min(1, (now - this.morphStart) / MORPH_MS);
    return this.morphFrom + (target - this.morphFrom) * Math.max(0, u);
  }

  /** Starts the animation to rolled (true) or unrolled (false). */
  setRolled(rolled) {
    if (rolled === this.rolled) return;
    const now = performance.now();
    this.morphFrom = this.morph(now);
    this.rolled = rolled;
    this.morphStart = reducedMotion() ? -Infinity : now;
    if (reducedMotion()) this.morphFrom = rolled ? 0 : 1;
  }

  /** Skips the animation (first draw, tests). */
  settleMorph() {
    this.morphFrom = this.rolled ? 0 : 1;
    this.morphStart = -Infinity;
  }

  /** The cell shown in the tooltip: the one the mouse or the keys chose last. */
  focusedCell() {
    const c = this.last?.cursor;
    const key = this.keyFocus && c ? { kind: this.keyFocus.kind, t: c.t, i: this.keyFocus.i } : null;
    return this.lastInput === 'key' ? key ?? this.hover : this.hover ?? key;
  }

  describeFocus() {
    const cell = this.focusedCell();
    return cell && this.last ? describeCell(this.last.data, this.last.cursor, cell) : '';
  }

  onMove(ev) {
    if (!this.last) return;
    const { layout, cursor, scrollX, morph, width } = this.last;
    const rect = this.canvas.getBoundingClientRect();
    let x = ev.clientX - rect.left + scrollX;
    const y = ev.clientY - rect.top;
    if (morph < 1) {
      // Rolled: only column t is drawn, at its own place.
      const p = placement(layout, cursor, cursor.t, { scrollX, morph, width });
      x = x - scrollX - p.x + layout.colX(cursor.t);
    }
    const cell = hitTest(layout, this.last.data, x, y);
    const same = (a, b) => (a && b ? a.kind === b.kind && a.t === b.t && a.i === b.i : a === b);
    if (morph < 1 && cell && cell.t !== cursor.t) return;
    if (!same(cell, this.hover)) {
      this.hover = cell;
      this.lastInput = 'mouse';
      this.app.requestRender();
    }
  }

  onKey(ev) {
    if (ev.key !== 'ArrowUp' && ev.key !== 'ArrowDown') return;
    ev.preventDefault();
    const L = this.last?.layout;
    if (!L) return;
    // Walk the cells of column t from top (outputs) to bottom (inputs).
    const cells = ORDER.flatMap((kind) => Array.from({ length: blockSize(L, kind) }, (_, i) => ({ kind, i })));
    const k = this.keyFocus ? cells.findIndex((c) => c.kind === this.keyFocus.kind && c.i === this.keyFocus.i) : -1;
    const next = Math.max(0, Math.min(cells.length - 1, k + (ev.key === 'ArrowDown' ? 1 : -1)));
    this.keyFocus = cells[next];
    this.lastInput = 'key';
    this.app.requestRender();
  }

  /**
   * Draws (data, cursor). opts: { rolled, zoom, fitHeight (presenter mode: 'fit' also
   * fits the window's height), phase-independent options for drawDiagram (palette,
   * gradientColor) }. Returns the layout.
   */
  render(data, cursor, opts = {}) {
    this.setRolled(Boolean(opts.rolled));
    if (!this.last) this.settleMorph();
    const viewW = Math.max(200, this.scroller.clientWidth);
    const layout = computeLayout(data, { width: viewW, zoom: opts.zoom ?? 'fit', maxHeight: this.heightLeft(opts) });
    const now = performance.now();
    const morph = this.morph(now);
    const unrolled = morph >= 1;
    // The track is as wide as the whole diagram when unrolled; rolled, nothing scrolls.
    const trackW = unrolled ? Math.max(viewW, layout.fullWidth) : viewW;
    if (this.track.style.width !== `${trackW}px`) this.track.style.width = `${trackW}px`;
    const h = `${Math.ceil(layout.height)}px`;
    if (this.canvas.style.height !== h) this.canvas.style.height = h;
    if (this.canvas.style.width !== `${viewW}px`) this.canvas.style.width = `${viewW}px`;
    // Any move of the cursor brings column t into view (scrolling by hand in between is fine).
    const cursorKey = `${cursor.phase}/${cursor.t}/${cursor.substep}`;
    if (this.lastCursor !== cursorKey && unrolled) {
      const want = scrollFor(layout, cursor.t, this.scroller.scrollLeft, viewW);
      if (Math.abs(want - this.scroller.scrollLeft) > 0.5) this.scroller.scrollLeft = want;
      // Done once the scroller really moved (before the stylesheet applies it cannot).
      if (Math.abs(want - this.scroller.scrollLeft) <= 1) this.lastCursor = cursorKey;
    }
    // A diagram narrower than the view is centred (a negative scroll offset).
    const scrollX = layout.fullWidth < viewW ? -(viewW - layout.fullWidth) / 2 : this.scroller.scrollLeft;
    fitCanvas(this.canvas);
    const dpr = window.devicePixelRatio || 1;
    this.last = { data, cursor, layout, scrollX, morph, width: viewW, opts };
    const focus = this.focusedCell();
    drawDiagram(this.canvas, data, cursor, {
      ...opts, layout, dpr, scrollX: unrolled ? scrollX : scrollX * morph, morph, focus,
    });
    const desc = focus ? describeCell(data, cursor, focus) : '';
    this.tip.hidden = !focus;
    if (this.tip.textContent !== desc) this.tip.textContent = desc;
    if (focus) this.placeTip(focus);
    const words = this.describe ? this.describe(cursor) : '';
    const aria = `${this.label}. ${words}${desc ? ` Selected cell: ${desc}.` : ''}`;
    if (this.canvas.getAttribute('aria-label') !== aria) this.canvas.setAttribute('aria-label', aria);
    if (morph !== (this.rolled ? 0 : 1)) this.app.requestRender(); // animating
    return layout;
  }

  /**
   * With opts.fitHeight (presenter mode) true: the CSS px from the picture's top to the
   * bottom of the window, less room for a scroll bar, so the whole picture is seen at once
   * when the page is scrolled to the top; a number: that height. Otherwise undefined (the
   * width alone sets 'fit').
   */
  heightLeft(opts) {
    if (!opts.fitHeight) return undefined;
    if (typeof opts.fitHeight === 'number') return opts.fitHeight;
    const top = this.scroller.getBoundingClientRect().top + window.scrollY;
    const bar = this.scroller.offsetHeight - this.scroller.clientHeight;
    return Math.max(0, window.innerHeight - top - Math.max(bar, 16) - 8);
  }

  /** Puts the tooltip beside the focused cell. */
  placeTip(cell) {
    const { layout: L, cursor, scrollX, morph, width } = this.last;
    const p = placement(L, cursor, cell.t, { scrollX: morph >= 1 ? scrollX : scrollX * morph, morph, width });
    const left = Math.max(4, Math.min(width - 260, p.x + L.cellW + 10));
    const top = L.cellY(cell.kind, cell.i) - 6;
    this.tip.style.left = `${left}px`;
    this.tip.style.top = `${top}px`;
  }

  /**
   * The picture as last drawn, whole: unrolled, every column from h_0 to T at the
   * device's pixel ratio (rolled: the one cell as shown), with no hover or focus ring.
   * Returns the canvas (for tests); `save` downloads it as <idPrefix>.png.
   */
  fullCanvas() {
    if (!this.last) return null;
    const { data, cursor, layout, scrollX, morph, width, opts } = this.last;
    const dpr = window.devicePixelRatio || 1;
    const unrolled = morph >= 1;
    const w = unrolled ? layout.fullWidth : width;
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(w * dpr);
    canvas.height = Math.ceil(layout.height * dpr);
    drawDiagram(canvas, data, cursor, { ...opts, layout, dpr, scrollX: unrolled ? 0 : scrollX * morph, morph, focus: null });
    return canvas;
  }

  savePng() {
    const canvas = this.fullCanvas();
    canvas?.toBlob((blob) => {
      if (blob) download(blob, `${this.idPrefix}.png`);
    }, 'image/png');
  }

  /** Geometry for tests and automation: where cells are on the page. */
  geometry() {
    if (!this.last) return null;
    const { layout: L, scrollX, morph, width, cursor } = this.last;
    const rect = this.canvas.getBoundingClientRect();
    const cellCenter = (kind, t, i) => {
      const p = placement(L, cursor, t, { scrollX: morph >= 1 ? scrollX : scrollX * morph, morph, width });
      return { x: rect.left + p.x + L.cellW / 2, y: rect.top + L.cellY(kind, i) + L.cellH / 2 };
    };
    return { cellCenter, layout: L, scrollX, morph };
  }
}
