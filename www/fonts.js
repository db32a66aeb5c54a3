// The app's own fonts (@font-face in style.css, files in fonts/): the canvases (plotters
// charts, the diagram) measure and draw text with them, so the boot waits for them before
// the first draw. A face that fails or is slow never holds the app: after TIMEOUT_MS the
// canvases draw with the fallback fonts, and are drawn again when the faces arrive.

/** The faces to have before drawing: one font string per @font-face rule. */
export const FACES = ['400 16px "RNN Lab Sans"', '700 16px "RNN Lab Sans"', '400 16px "RNN Lab Mono"'];
export const TIMEOUT_MS = 3000;

/**
 * Loads every face in FACES (document.fonts.load; then document.fonts.ready). Resolves to
 * true once they are in, to false after timeoutMs or if one fails (never rejects); `late`
 * is called if the faces arrive after the timeout (to draw the canvases again).
 */
export function fontsReady({ timeoutMs = TIMEOUT_MS, late } = {}) {
  const fonts = globalThis.document?.fonts;
  if (!fonts?.load) return Promise.resolve(false);
  let timedOut = false;
  const loaded = Promise.all(FACES.map((f) => fonts.load(f)))
    .then((faces) => faces.every((list) => list.length > 0))
    .then((ok) => fonts.ready.then(() => ok))
    .catch(() => false);
  loaded.then((ok) => {
    if (ok && timedOut) late?.();
  });
  const timer = new Promise((resolve) => {
    setTimeout(() => {
      timedOut = true;
      resolve(false);
    }, timeoutMs);
  });
  return Promise.race([loaded, timer]);
}
