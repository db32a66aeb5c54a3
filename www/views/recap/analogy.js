// Recap, part 4: word analogies. First the slide's four 2-D vectors (man, woman, king,
// queen), drawn as arrows and draggable (pointer on the canvas; keyboard through the
// number fields or the arrow keys on the focused picture); the engine computes
// king − man + woman and the arg-max cosine (recap_analogy, recap_cosines). Then the
// same question on the trained word2vec vectors. The dragged vectors are a state row
// (rav: eight numbers, empty for the slide's), so a link shows the same picture.
import { el, fmt, math } from '../common.js';
import { Chart } from '../charts.js';
import { control, syncAll } from '../controls.js';
import { COLORS, drawVectors, pointerFrame } from './draw.js';
import { changed, part, throttled } from './ui.js';

/** The picture's fixed domain (so a drag maps the same way at every move). */
const DOM = { x_min: -0.1, x_max: 1.2, y_min: -0.1, y_max: 1.2 };
/** Where a dragged vector may go. */
const LIMIT = [0, 1];
const COLOR = { man: COLORS.class0, woman: '#cc79a7', king: COLORS.class1, queen: '#009e73' };

/** Each App's parts of this section, made in its mount (no state shared between pages). */
const uiOf = new WeakMap();

/** The vectors the state asks for: the slide's, or the eight numbers of `rav`. */
function vectorsOf(app) {
  const ui = uiOf.get(app);
  const slide = ui.slide;
  const raw = app.state.rav.trim();
  if (!raw) return { named: slide, note: null };
  const nums = raw.split(',').map((s) => Number(s.trim()));
  if (nums.length !== 8 || nums.some((v) => !Number.isFinite(v) || v < -1 || v > 2)) {
    return { named: slide, note: `The analogy vectors in the address (“${raw.slice(0, 40)}”) are not eight numbers from −1 to 2 separated by commas, so the slide’s vectors are shown.` };
  }
  return { named: slide.map(([w], i) => [w, [nums[2 * i], nums[2 * i + 1]]]), note: null };
}

const round2 = (v) => Math.round(v * 100) / 100;

/** Writes the vectors into the state (two decimals: a drag moves in steps of 0.01). */
function commit(app, named) {
  const ui = uiOf.get(app);
  const same = named.every(([, v], i) => v[0] === ui.slide[i][1][0] && v[1] === ui.slide[i][1][1]);
  app.setState({ rav: same ? '' : named.flatMap(([, v]) => v.map((x) => String(round2(x)))).join(',') });
}

function move(app, index, to) {
  const named = vectorsOf(app).named.map(([w, v]) => [w, [...v]]);
  named[index][1] = to.map((x) => round2(Math.max(LIMIT[0], Math.min(LIMIT[1], x))));
  commit(app, named);
}

function pick(app, ev) {
  const ui = uiOf.get(app);
  const { f, X, Y } = pointerFrame(ui.chart.canvas, ev, DOM);
  const named = vectorsOf(app).named;
  let best = -1;
  let bestD = 22 * 22;
  named.forEach(([, v], i) => {
    const d = (f.px(v[0]) - X) ** 2 + (f.py(v[1]) - Y) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

function bindDrag(app, canvas) {
  const ui = uiOf.get(app);
  canvas.style.touchAction = 'none';
  canvas.addEventListener('pointerdown', (ev) => {
    const i = pick(app, ev);
    if (i < 0) return;
    ui.dragging = i;
    ui.selected = i;
    canvas.setPointerCapture(ev.pointerId);
    ev.preventDefault();
    app.requestRender();
  });
  canvas.addEventListener('pointermove', (ev) => {
    if (ui.dragging == null) return;
    move(app, ui.dragging, pointerFrame(canvas, ev, DOM).at);
  });
  const end = () => {
    ui.dragging = null;
    app.requestRender();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  // Keyboard: Tab to the picture, 1–4 choose a vector, the arrow keys move it by 0.01
  // (0.1 with Shift). Handled here, so the page's own arrow-key shortcuts stay out of it.
  canvas.tabIndex = 0;
  canvas.addEventListener('keydown', (ev) => {
    const k = ev.key;
    if (/^[1-4]$/.test(k)) {
      ui.selected = Number(k) - 1;
      app.requestRender();
      ev.preventDefault();
      return;
    }
    const d = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[k];
    if (!d) return;
    ev.preventDefault();
    const step = ev.shiftKey ? 0.1 : 0.01;
    const v = vectorsOf(app).named[ui.selected][1];
    move(app, ui.selected, [v[0] + d[0] * step, v[1] + d[1] * step]);
  });
  canvas.addEventListener('focus', () => app.requestRender());
  canvas.addEventListener('blur', () => app.requestRender());
}

/** Number fields for each vector: the keyboard's precise way to move them. */
function fields(app) {
  const ui = uiOf.get(app);
  ui.inputs = ui.slide.map(([w], i) => {
    const mk = (axis) => {
      const input = el('input', {
        type: 'number', id: `recap-vec-${w}-${axis}`, min: LIMIT[0], max: LIMIT[1], step: 0.01, inputmode: 'decimal',
      });
      input.addEventListener('change', () => {
        const v = Number(input.value);
        if (input.value.trim() === '' || !Number.isFinite(v)) {
          app.notice(`${w}: “${input.value}” is not a number; the vector was kept.`, 'warn');
          app.requestRender();
          return;
        }
        const cur = vectorsOf(app).named[i][1];
        move(app, i, axis === 'x' ? [v, cur[1]] : [cur[0], v]);
      });
      return input;
    };
    const x = mk('x');
    const y = mk('y');
    const field = el('fieldset', { class: 'recap-vec' }, el('legend', {}, el('span', { class: 'swatch', style: `background:${COLOR[w]}`, 'aria-hidden': 'true' }), ` ${w}`),
      el('label', { for: x.id, text: 'x' }), x, el('label', { for: y.id, text: 'y' }), y);
    return { field, x, y };
  });
  return el('div', { class: 'recap-vecs' }, ui.inputs.map((f) => f.field),
    el('button', { type: 'button', id: 'recap-analogy-reset', text: 'The slide’s vectors', on: { click: () => app.setState({ rav: '' }) } }));
}

export function mountAnalogy(app, word2vec) {
  const ui = {};
  uiOf.set(app, ui);
  ui.word2vec = word2vec;
  ui.slide = app.wasm.recap_slide_vectors();
  ui.selected = 2;
  ui.chart = new Chart(app, {
    id: 'recap-analogy-plane', title: 'king − man + woman on the slide’s vectors', draw: drawVectors, className: 'recap-square',
    caption: 'Each word is an arrow from the origin. The green arrow man → woman is the offset woman − man; added at king it lands on king − man + woman (dashed), next to queen. Drag the round handles, or focus the picture and press 1–4 to choose a vector and the arrow keys to move it.',
  });
  bindDrag(app, ui.chart.canvas);
  ui.arith = el('div', { class: 'recap-arith', id: 'recap-analogy-arith', 'aria-live': 'polite' });
  ui.cosines = el('table', { class: 'recap-table', id: 'recap-analogy-cosines' });
  ui.trainedOut = el('div', { class: 'recap-trained-analogy', id: 'recap-analogy-trained', 'aria-live': 'polite' });
  ui.trainedControls = el('div', { class: 'fields' },
    control(app, 'rwa1', { id: 'recap-analogy-a', label: 'a' }), control(app, 'rwa2', { id: 'recap-analogy-b', label: 'b' }),
    control(app, 'rwa3', { id: 'recap-analogy-c', label: 'c' }));
  return part('analogy', 'Word analogies',
    el('p', { class: 'equation' }, math('a : b :: c : d,   d = argmax_x cos(w_b − w_a + w_c, w_x)')),
    el('p', { class: 'lead' },
      'If word vectors capture meaning, the step from man to woman should be the same step as from king to queen. ',
      'So start at king, take away man, add woman, and look for the word whose vector points the same way as the result (the cosine of the angle is 1 for the same direction). ',
      'The words of the question themselves are left out of the search.'),
    el('div', { class: 'charts' }, ui.chart.figure,
      el('div', {}, ui.arith, ui.cosines, fields(app))),
    el('h4', { text: 'The same on the trained vectors' }),
    el('p', { class: 'note' }, 'a : b :: c : ? on the word2vec vectors of the section above (train them first: untrained vectors are random). Words must be in the corpus.'),
    ui.trainedControls, ui.trainedOut);
}

function renderSlide(app) {
  const ui = uiOf.get(app);
  const focused = document.activeElement === ui.chart.canvas;
  if (!changed(ui, 'slideKey', `${app.state.rav}/${ui.selected}/${focused}`)) {
    if (ui.chartData) ui.chart.update(ui.chartKey, ui.chartData);
    return;
  }
  const { named, note } = vectorsOf(app);
  if (note && note !== ui.note) app.notice(note, 'warn');
  ui.note = note;
  const a = app.wasm.recap_analogy(named, 'man', 'woman', 'king');
  const cos = app.wasm.recap_cosines(named, a.result);
  ui.analogy = a;
  ui.cos = cos;
  ui.named = named;
  const origin = [0, 0];
  const arrows = [
    ...named.map(([w, v]) => ({ from: origin, to: v, color: COLOR[w], label: w, width: 2 })),
    { from: a.w_a, to: a.w_b, color: '#00704f', label: 'woman − man', labelAt: 'mid', width: 3 },
    { from: a.w_c, to: a.result, color: '#00704f', dash: [7, 5] },
  ];
  const key = `${JSON.stringify(named)}/${ui.selected}/${focused}`;
  ui.chartKey = key;
  ui.chartData = () => ({
    title: 'king − man + woman', points: [a.result], words: ['king − man + woman'], labels: [0], highlight: 0, labelBelow: true, dom: DOM, arrows,
    xLabel: 'dimension 1', yLabel: 'dimension 2',
    handles: named.map(([w, v], i) => ({ at: v, color: COLOR[w], focused: focused && i === ui.selected })),
  });
  ui.chart.update(key, ui.chartData, `Four word vectors as arrows: ${named.map(([w, v]) => `${w} (${fmt(v[0], 2)}, ${fmt(v[1], 2)})`).join(', ')}; king − man + woman = (${fmt(a.result[0], 2)}, ${fmt(a.result[1], 2)}), nearest by cosine: ${a.answer}.${focused ? ` Selected: ${named[ui.selected][0]}.` : ''}`);
  const f2 = (v) => fmt(v, 2);
  const line = (k) => `${f2(a.w_c[k])} − ${f2(a.w_a[k])} + ${f2(a.w_b[k])} = ${f2(a.result[k])}`.replace(/− −/g, '+ ').replace(/\+ −/g, '− ');
  const best = a.ranking[0];
  ui.arith.replaceChildren(
    el('p', { class: 'recap-formula' }, math('w_king − w_man + w_woman')),
    el('p', { class: 'recap-formula' }, 'dimension 1: ', el('span', { id: 'recap-analogy-x', text: line(0) })),
    el('p', { class: 'recap-formula' }, 'dimension 2: ', el('span', { id: 'recap-analogy-y', text: line(1) })),
    el('p', { class: 'recap-result' }, 'so d = ', el('strong', { id: 'recap-analogy-answer', text: a.answer ?? '—' }),
      best ? ` (cosine ${fmt(best.score, 3)})` : ''));
  const excluded = new Set(['man', 'woman', 'king']);
  ui.cosines.replaceChildren(
    el('caption', {}, math('cos(w_king − w_man + w_woman, w_x)')),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'word x' }), el('th', { scope: 'col', text: 'cosine' }), el('th', { scope: 'col', text: '' }))),
    el('tbody', {}, cos.map((s) => el('tr', { class: s.word === a.answer ? 'is-answer' : '' },
      el('th', { scope: 'row', text: s.word }), el('td', { class: 'num', text: fmt(s.score, 3) }),
      el('td', { text: excluded.has(s.word) ? 'in the question: left out' : s.word === a.answer ? '← d' : '' })))));
  ui.inputs.forEach((f, i) => {
    for (const [input, v] of [[f.x, named[i][1][0]], [f.y, named[i][1][1]]]) {
      if (document.activeElement !== input) input.value = String(v);
    }
  });
}

function renderTrained(app) {
  const ui = uiOf.get(app);
  syncAll(ui.trainedControls, app.state);
  const m = ui.word2vec();
  if (!m?.model || throttled(ui, !m.atTarget())) return;
  const s = app.state;
  const key = `${m.version}/${s.rwa1}/${s.rwa2}/${s.rwa3}/${s.rwsrc}`;
  if (key === ui.trainedKey) return;
  ui.trainedKey = key;
  try {
    const a = m.get(`analogy/${s.rwa1}/${s.rwa2}/${s.rwa3}/${s.rwsrc}`, (h) => h.analogy(s.rwa1, s.rwa2, s.rwa3, s.rwsrc));
    ui.trained = a;
    ui.trainedOut.replaceChildren(
      el('p', { class: 'recap-result' }, `${a.a} : ${a.b} :: ${a.c} : `, el('strong', { id: 'recap-analogy-trained-answer', text: a.answer ?? '—' }),
        ' — the five words nearest to ', math(`w_{${a.c}} − w_{${a.a}} + w_{${a.b}}`), ` by cosine (step ${m.status().iteration} of training):`),
      el('ol', { class: 'recap-ranking' }, a.ranking.slice(0, 5).map((r) => el('li', {}, el('span', { text: r.word }), ` ${fmt(r.score, 3)}`))));
  } catch (e) {
    ui.trained = null;
    ui.trainedOut.replaceChildren(el('p', { class: 'recap-error', role: 'status', text: `${e.message}.` }));
  }
}

export function renderAnalogy(app) {
  renderSlide(app);
  renderTrained(app);
}

export function analogyApi(app) {
  // Made before the chapter is mounted: read this page's parts when called.
  const ui = new Proxy({}, { get: (_, k) => uiOf.get(app)?.[k] });
  return {
    slide: () => ui.analogy,
    cosines: () => ui.cos,
    vectors: () => ui.named,
    trained: () => ui.trained,
    shown: () => ({
      x: document.getElementById('recap-analogy-x')?.textContent,
      y: document.getElementById('recap-analogy-y')?.textContent,
      answer: document.getElementById('recap-analogy-answer')?.textContent,
    }),
  };
}
