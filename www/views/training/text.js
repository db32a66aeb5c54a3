// Text mode (a built-in paragraph or a pasted text, min-char-rnn style) and truncated
// BPTT: the timeline of the next sequence, cut into chunks, with the hidden state carried
// across every border and the gradient stopped at each, and what each border discards
// (‖dL_chunk/dh_start‖, the engine's segment_dh_start).
import { el, fmt, math, showSymbol } from '../common.js';
import { Chart } from '../charts.js';
import { control } from '../controls.js';
import { engineVariant } from '../../engine.js';

/** The fast mode as the info line names it: with fused multiply-add where the relaxed-SIMD build runs. */
function float32Name() {
  return engineVariant() === 'relaxed' ? 'float32 (fast, fused multiply-add)' : 'float32 (fast)';
}

export function textPanel(app, model) {
  const ui = {};
  ui.source = el('p', { class: 'text-source', id: 'training-text-source' });
  ui.preview = el('blockquote', { class: 'text-preview', id: 'training-text-preview' });
  ui.paste = el('textarea', {
    id: 'training-paste', rows: 4, spellcheck: 'false',
    'aria-describedby': 'training-paste-hint',
    placeholder: 'Paste any text here (up to 100 KB), then press “Train on this text”.',
  });
  const usePaste = el('button', {
    type: 'button', id: 'training-use-paste', text: 'Train on this text',
    on: { click: () => model.usePasted(ui.paste.value, { data: 'text' }) },
  });
  const useParagraph = el('button', {
    type: 'button', id: 'training-use-paragraph', text: 'Use the built-in paragraph',
    on: { click: () => model.useParagraph({ data: 'text' }) },
  });
  ui.info = el('p', { class: 'readout', id: 'training-text-info' });
  const textBox = el('div', { class: 'text-box' },
    ui.source, ui.preview,
    el('div', { class: 'field paste-field' },
      el('label', { for: 'training-paste', text: 'Your own text' }), ui.paste,
      el('span', { class: 'hint', id: 'training-paste-hint', text: 'Any language or symbols; the vocabulary is the set of characters in it. The text goes into the link, compressed, if it fits (about 10 KB of prose); a longer one is shared with Save model.' })),
    el('div', { class: 'buttons' }, usePaste, useParagraph),
    el('div', { class: 'fields' }, control(app, 'tseq', { id: 'training-tseq' }), control(app, 'thidden', { id: 'training-thidden' }),
      control(app, 'tprec', { id: 'training-tprec', hint: 'float32 trains about twice as fast (full BPTT; with k1 set the exact engine trains)' })),
    el('p', { class: 'note', id: 'training-precision-note', text: 'The forward and backward steps, the gradients and the samples are always computed in float64 from the current weights, whichever precision trains them.' }),
    ui.info);

  ui.timeline = new Chart(app, {
    id: 'training-timeline-chart', title: 'Truncated BPTT timeline', draw: 'draw_timeline_chart',
    className: 'timeline',
    caption: 'Top: the input characters and the hidden state h_t, carried forward across every chunk border (vermillion). Middle: each chunk’s backward pass (blue arrows, width ∝ ‖dL/dh_t‖) stops at the thick bar where the chunk starts; ✕ gives the norm of the gradient dropped there. A black line with ◆ marks each update of W: after every chunk, or once after the sequence. Bottom: ‖dL/dh_t‖ of this backward pass (filled) and of full BPTT (outlined).',
  });
  ui.updateNote = el('p', { class: 'note', id: 'training-update-note' });
  ui.summary = el('p', { class: 'readout', id: 'training-timeline-summary' });
  ui.borders = el('ul', { class: 'borders', id: 'training-borders' });
  const tbptt = el('div', { class: 'tbptt' },
    el('div', { class: 'fields' }, control(app, 'k1', { id: 'training-k1', hint: '0 = full BPTT' }), control(app, 'k2', { id: 'training-k2', hint: '0 = same as k1' }),
      control(app, 'tupd', { id: 'training-tupd' })),
    ui.updateNote,
    el('div', { class: 'charts one' }, ui.timeline.figure),
    ui.summary,
    el('details', { class: 'borders-box' }, el('summary', { text: 'What each border discards' }), ui.borders));

  function update() {
    const text = model.textOf();
    ui.source.textContent = model.pasted === null
      ? `Built-in paragraph (${text.length.toLocaleString('en')} characters).`
      : `Your pasted text (${[...text].length.toLocaleString('en')} characters)${model.unlinked ? ': too long for a link, so the link names the built-in paragraph; use Save model to share it' : ', in the link'}.`;
    ui.preview.textContent = text.length > 320 ? `${text.slice(0, 320)}…` : text;
    if (model.mode === 'text') {
      const i = model.info();
      ui.info.textContent = `${i.text_chars.toLocaleString('en')} characters · V = ${i.vocab_size} symbols · H = ${i.hidden} · T = ${i.seq} steps per sequence · data pointer p = ${i.pointer} · ${i.parameters.toLocaleString('en')} parameters · trains in ${app.state.tprec === 'f32' ? float32Name() : 'float64 (exact)'}`;
    } else {
      ui.info.textContent = 'Choose “Train on: a text” above (or press a button here) to train on this text.';
    }

    const { k1, k2, tupd } = app.state;
    const perChunk = tupd === 'chunk';
    const key = `${model.version()}/${k1}/${k2}/${tupd}`;
    ui.updateNote.replaceChildren(math(k1 === 0
      ? 'With full BPTT the whole sequence is one chunk, so W is updated once after it either way; set k1 to cut it into chunks and compare the two.'
      : perChunk
      ? 'After each chunk (the lecture’s way): forward and backward through the chunk, then W is updated at once, so the next chunk runs forward, and back, with the new weights. A sequence cut into n chunks makes n updates.'
      : 'Once per sequence: every chunk runs forward and backward with the same weights, their gradients are added up, and W is updated once after the last chunk. Fewer, larger steps; each chunk still stops its gradient at its border.'));
    // While running, the timeline follows the model at most once a second.
    if (ui.timeline.key !== null && model.running && performance.now() - (ui.lastDraw ?? 0) < 1000) return;
    let tl;
    try {
      tl = model.get(`timeline${k1}/${k2}/${tupd}`, () => model.lab().training_timeline(k1 > 0 ? k1 : undefined, k1 > 0 && k2 > 0 ? k2 : undefined, perChunk));
    } catch (e) {
      ui.summary.textContent = e.message;
      return;
    }
    ui.lastDraw = performance.now();
    const chunks = tl.chunks;
    const what = k1 > 0 ? `TBPTT(k1 = ${k1}, k2 = ${k2 > 0 ? k2 : k1})` : 'full BPTT';
    const updates = `${tl.updates.length} update${tl.updates.length === 1 ? '' : 's'} of W (after step${tl.updates.length === 1 ? '' : 's'} ${tl.updates.join(', ')})`;
    ui.timeline.update(key, { ...tl, inputs: tl.inputs.map(showSymbol) },
      `Timeline of ${tl.steps} steps with ${what}: ${chunks.length} chunk${chunks.length === 1 ? '' : 's'}; gradient norms dropped at the borders: ${chunks.map((c) => fmt(c.dh_start_norm)).join(', ')}; ${updates}.`);
    // Full BPTT is one chunk: comparing it with itself would say nothing.
    const summary = k1 > 0
      ? `${what} on the next sequence (T = ${tl.steps}): ${chunks.length} chunk${chunks.length === 1 ? '' : 's'}, ${updates}; ‖g‖ = ${fmt(tl.grad_norm)} against ${fmt(tl.full_grad_norm)} for full BPTT (relative difference ${fmt(tl.grad_difference, 4)}, both with the current weights); the gradients dropped at the chunk starts add up to Σ ‖dL/dh_start‖ = ${fmt(tl.discarded_norm_sum)}.`
      : `Full BPTT on the next sequence (T = ${tl.steps}): one chunk, ${updates}; ‖g‖ = ${fmt(tl.grad_norm)}; the gradient that reaches its start, ‖dL/dh_0‖ = ${fmt(tl.discarded_norm_sum)}, stops there.`;
    ui.summary.replaceChildren(math(summary));
    const items = chunks.map((c, i) => el('li', { dataset: { start: c.start } },
      math(`chunk ${i + 1}: losses of steps ${c.loss_from + 1}–${c.end}, back-propagated through steps ${c.start + 1}–${c.end}; at h_${c.start} it stops, dropping ‖dL/dh_${c.start}‖ = `),
      el('span', { class: 'num', text: fmt(c.dh_start_norm, 4), title: String(c.dh_start_norm) }),
      c.start === 0 ? math(' (h_0 is the state carried in from the previous sequence)') : ''));
    ui.borders.replaceChildren(...items);
  }
  return { el: el('div', {}, textBox, tbptt), update, ui, textBox, tbptt };
}
