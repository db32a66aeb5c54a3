// A chart on the page: a <figure> with a canvas a chart function draws on (one of the
// charts module's, in Rust, or one in JS: www/charts/), a caption, and a "Save PNG" button.
// The canvas is sized in device pixels (CSS size × devicePixelRatio) so that the chart
// draws crisp lines and text; a chart is redrawn only when its data key or its size
// changed, or fonts arrived since.
import { el, math } from './common.js';

/**
 * Device pixels per chart pixel, passed to every chart function: devicePixelRatio ×
 * (the page's root font size / 16, in [1, 1.6]), so charts follow the screen's pixel
 * density and the page's type size (presenter mode, a user's larger text).
 */
export function chartScale() {
  const px = Number.parseFloat(getComputedStyle(document.documentElement).fontSize);
  const type = Number.isFinite(px) && px > 0 ? Math.min(1.6, Math.max(1, px / 16)) : 1;
  return (window.devicePixelRatio || 1) * type;
}

/**
 * Each observed canvas's CSS border box as the ResizeObserver last reported it: reading it
 * costs nothing, while getBoundingClientRect after a change of the page's text forces a
 * layout of the whole page, in every frame a model trains.
 */
const cssSize = new WeakMap();

/** `canvas`'s CSS box × devicePixelRatio, in whole device pixels (at least 1). */
function deviceSize(canvas) {
  const rect = cssSize.get(canvas) ?? canvas.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  return { w: Math.max(1, Math.round(rect.width * dpr)), h: Math.max(1, Math.round(rect.height * dpr)) };
}

/** Sizes `canvas` to its CSS box × devicePixelRatio. Returns true if it changed. */
export function fitCanvas(canvas) {
  const { w, h } = deviceSize(canvas);
  if (canvas.width === w && canvas.height === h) return false;
  canvas.width = w;
  canvas.height = h;
  return true;
}

/**
 * Bumped whenever web fonts finish loading: a chart drawn before the app's fonts arrived
 * (the boot waits 3 s at most, www/fonts.js) is drawn again with them at the next render.
 */
let fontGeneration = 0;
globalThis.document?.fonts?.addEventListener?.('loadingdone', () => {
  fontGeneration++;
});

/**
 * While the page boots (www/app.js start), charts queue their drawing instead of drawing at
 * once, and drawQueued() then draws each in a task of its own: a phone's main thread is
 * never blocked for the whole first picture at once.
 */
const queued = new Map();
let queueing = false;

/** From now on charts queue their drawing, until drawQueued() has drawn them. */
export function queueCharts() {
  queueing = true;
}

/**
 * Draws every queued chart, each in its own task (charts queued meanwhile too), then
 * lets charts draw at once again; resolves when all are drawn.
 */
export async function drawQueued() {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  while (queued.size) {
    await tick();
    const [chart, args] = queued.entries().next().value;
    queued.delete(chart);
    queueing = false;
    try {
      chart.update(...args);
    } finally {
      queueing = queued.size > 0;
    }
  }
  queueing = false;
}

let resizeObserver = null;
const onResize = new WeakMap();

function observe(canvas, fn) {
  if (!resizeObserver) {
    resizeObserver = new ResizeObserver((entries) => {
      for (const e of entries) {
        const box = e.borderBoxSize?.[0];
        if (box) cssSize.set(e.target, { width: box.inlineSize, height: box.blockSize });
        onResize.get(e.target)?.();
      }
    });
  }
  onResize.set(canvas, fn);
  resizeObserver.observe(canvas);
}

export class Chart {
  /**
   * `draw`: a JS chart function (e.g. drawLossChart, www/charts/loss.js), called as
   * draw(canvas, data, scale); or the name of a chart function of the charts module (e.g.
   * 'draw_timeline_chart'), called the same way: the first such chart to update starts
   * that module's load (App.hasCharts), and a chart updated before it is here is drawn
   * once it arrives.
   * `label`: the figure's short name (file name of the PNG, the canvas's label).
   */
  constructor(app, { id, title, caption, draw, className = '' }) {
    this.app = app;
    this.drawFn = draw;
    this.key = null;
    /** An update is waiting for the charts module (see `stale`). */
    this.awaitingModule = false;
    this.canvas = el('canvas', { id, class: 'chart-canvas', role: 'img', 'aria-label': title });
    // Captions are our own text in the lecture's notation: real subscripts and powers.
    this.caption = el('figcaption', { class: 'chart-caption' }, math(caption ?? ''));
    const save = el('button', {
      type: 'button',
      class: 'small',
      text: 'Save PNG',
      'aria-label': `Save PNG: ${title}`,
      title: 'Save this chart as a PNG image',
      on: { click: () => this.savePng(id) },
    });
    this.figure = el('figure', { class: `chart ${className}`.trim() }, this.canvas, el('div', { class: 'chart-foot' }, this.caption, save));
    observe(this.canvas, () => app.requestRender());
  }

  /**
   * Draws `data` unless the same key was drawn at the same size. `label`: the text
   * alternative of the canvas (what the chart shows, in words).
   */
  update(key, data, label) {
    if (queueing) {
      queued.set(this, [key, data, label]);
      return false;
    }
    const resized = fitCanvas(this.canvas);
    if (!resized && key === this.key && this.fontGeneration === fontGeneration) return false;
    if (this.canvas.width < 2 || this.canvas.height < 2) return false;
    // A name is a function of the charts module (it may still be on its way); a function
    // draws in JS.
    const named = typeof this.drawFn === 'string';
    this.awaitingModule = named && !this.app.hasCharts();
    if (this.awaitingModule) return false;
    try {
      (named ? this.app.wasm[this.drawFn] : this.drawFn)(this.canvas, typeof data === 'function' ? data() : data, chartScale());
      this.key = key;
      this.fontGeneration = fontGeneration;
    } catch (e) {
      this.key = null;
      this.app.notice(`A chart could not be drawn: ${e.message}`, 'error');
      console.error(e);
    }
    if (label) this.canvas.setAttribute('aria-label', label);
    return true;
  }

  /**
   * True when what the canvas shows is behind without any new data: an update is waiting
   * for the charts module, or the canvas was resized or the fonts arrived since it was
   * drawn. A view that redraws its charts only now and then (while a model trains) still
   * updates a stale chart in the next frame, so a chart never stays blank or stretched
   * for the length of its throttle after the module arrives.
   */
  get stale() {
    if (this.awaitingModule) return this.app.hasCharts();
    if (this.key === null) return false;
    if (this.fontGeneration !== fontGeneration) return true;
    const { w, h } = deviceSize(this.canvas);
    return w >= 2 && h >= 2 && (w !== this.canvas.width || h !== this.canvas.height);
  }

  savePng(name) {
    this.canvas.toBlob((blob) => {
      if (!blob) return;
      const url = URL.createObjectURL(blob);
      const a = el('a', { href: url, download: `${name}.png` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    }, 'image/png');
  }
}
