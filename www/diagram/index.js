/**
 * www/diagram/ — the unrolled RNN on a canvas, shared by chapter 2 (forward pass) and
 * chapter 3 (backward pass). Everything drawn is a pure function of (data, cursor,
 * options): no state is kept between draws, so stepping back redraws exactly.
 *
 * ## Pure functions
 *
 *   drawDiagram(canvas, data, cursor, options) → layout
 *       Draws the whole picture on `canvas` (already sized in device pixels:
 *       canvas.width = CSS width × dpr). Returns the layout it used.
 *   computeLayout(data, { width, zoom, maxHeight }) → layout   (CSS pixels)
 *       Where every column and cell sits; layout.fullWidth / layout.height are the
 *       diagram's size; layout.colX(t) is the left edge of column t (t = 0: h_0).
 *   hitTest(layout, data, x, y) → cell | null
 *       The cell under diagram point (x, y) in CSS pixels (add options.scrollX to a
 *       canvas-relative x). cell = { kind: 'x'|'h'|'y', t, i } (i: symbol or unit;
 *       kind 'h' with t = 0 is h_0).
 *   describeCell(data, cursor, cell) → string
 *       The cell's value in words with full precision ("h_2[1] = 0.1234567…"), or what
 *       is not computed yet at this cursor. For the tooltip and the canvas aria-label.
 *   buildEquationPanel(container, data, cursor, options)
 *       Replaces container's children with the forward equations of step cursor.t,
 *       filled in as far as cursor.substep (DOM text only, textContent; rounded
 *       numbers, full value in `title`; each number a <span data-q=NAME data-i=I
 *       [data-j=J]>). matrixEl / vectorEl / numberEl are exported for chapter 3's panel.
 *
 * ## data = { forward, backward? }
 *
 *   forward  = lab.unrolled_forward() (src/web/unrolled.rs):
 *     { steps: T, hidden: H, vocab: [V strings], activation, bias, word, iteration,
 *       converged, w_xh [H][V], w_hh [H][H], w_hy [V][H], b_h [H], b_y [V], h0 [H], loss,
 *       per_step: [T] of lab.forward_snapshot(t) = { t, input, input_index, target,
 *       target_index, x_t, h_prev, w_xh_x, w_hh_h, b_h, a_t, h_t, w_hy_h, b_y, y_t, p_t,
 *       predicted, predicted_index, correct, loss_t, running_loss, loss } }
 *   backward = lab.unrolled_backward() (same file), or the same shape from elsewhere:
 *     { steps: T,
 *       per_step: [T] of lab.backward_snapshot(t) = { t, dy_t [V], dh_from_output [H],
 *         dh_from_next [H], dh_t [H], dh_norm, f_prime [H], da_t [H], to_prev [H], … },
 *       norms: [T] of { dy, dh_from_output, dh_from_next, dh, da, to_prev }  (‖·‖₂, engine),
 *       dh0 [H], dh0_norm, max_norm (> 0: arrow-width scale), max_dh_norm (> 0: bar scale) }
 *     Arrow width = 1.5 + 7·sqrt(norm / max_norm) CSS px, opacity grows the same way;
 *     the ‖dL/dh_t‖ bar under column t has height ∝ dh_norm / max_dh_norm (h_0: dh0_norm).
 *
 * ## cursor = { phase: 'forward' | 'backward', t: 1..T, substep: name }
 *
 *   Forward sub-steps (FORWARD_SUBSTEPS, the player's order), at step t:
 *     'w_xh_x'     W_xh x_t          the W_xh arrow of column t glows; h_t cells show W_xh x_t
 *     'w_hh_h'     W_hh h_{t−1}      the W_hh arrow into column t glows; cells show W_hh h_{t−1}
 *     'sum'        a_t (+ b_h)       cells show the pre-activation a_t
 *     'activation' h_t = f(a_t)      cells show h_t
 *     'output'     y_t = W_hy h_t    the W_hy arrow glows; output cells show the logits y_t
 *     'softmax'    p_t               output cells show p_t bars, target outlined, argmax marked
 *     'loss'       loss_t            loss_t and the running total appear over the column
 *   Steps s < t are complete, steps s > t show only their inputs (nothing computed yet).
 *
 *   Backward sub-steps (BACKWARD_SUBSTEPS), t runs T → 1; steps s > t are complete, s < t
 *   not reached: their output and hidden cells are empty with a "·" (a forward value there
 *   would read as a gradient); inputs stay, faded. At step t:
 *     'dy'       ∂loss_t/∂y_t = p_t − onehot(target): output cells show dy_t, arrow into y_t
 *     'dh'       W_hyᵀ dy_t (down from the output) + W_hhᵀ da_{t+1} (from h_{t+1}) → dL/dh_t;
 *                h_t cells show dh_t, the ‖dL/dh_t‖ bar under column t appears
 *     'da'       diag(f′(a_t)) dL/dh_t: cells show da_t (so do the columns after it, each
 *                labelled da_s under its block)
 *     'to_prev'  W_hhᵀ da_t: the arrow from h_t back to h_{t−1} (width from norms.to_prev)
 *   Unknown sub-step names draw the step as complete (a chapter may refine the list).
 *
 * ## options
 *   { palette: app.palette ({W_xh, W_hh, W_hy, gradient, text, axis, grid, background}),
 *     dpr: devicePixelRatio, scrollX: CSS px of the diagram scrolled out at the left,
 *     zoom: 0.75 | 1 | 1.25 | 1.5, morph: 0 (rolled: one cell with its loop) … 1 (unrolled),
 *     focus: cell | null (drawn with a focus ring), layout: a computeLayout() result to reuse,
 *     gradientColor: the backward arrows' colour (default palette.gradient) }
 *   The glow of the active sub-step is still (no clock), so equal cursors give equal pixels.
 *
 * ## The interactive wrapper
 *   new DiagramView(app, { idPrefix, label }) builds a scrolling figure (a sticky
 *   viewport canvas inside a wide scroller, so T = 64 scrolls natively and only the
 *   visible columns are drawn), a tooltip, hover and keyboard focus of cells (↑/↓ move
 *   the focused cell within column t when the canvas has focus), and the rolled ↔
 *   unrolled animation. view.el is the element to insert; call
 *   view.render(data, cursor, { rolled, zoom, fitHeight }) from the chapter's render()
 *   (fitHeight, presenter mode: zoom 'fit' also fits the window's height); it keeps
 *   column t in view. view.focusedCell(), view.describeFocus() serve tests and aria.
 */
export { FORWARD_SUBSTEPS, BACKWARD_SUBSTEPS } from '../player.js';
export { computeLayout, hitTest } from './layout.js';
export { drawDiagram, describeCell } from './render.js';
export { buildEquationPanel, matrixEl, vectorEl, numberEl } from './equation.js';
export { DiagramView } from './view.js';
export { diverging, textOn } from './colors.js';
