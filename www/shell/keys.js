// The page's keyboard shortcuts: → / ← step, Home / End, Space play/pause, P presenter
// mode. Keys typed into a field are left alone, and Space still activates a focused
// button, link or summary.

/** Listens for the shortcuts on the document for the life of the page. */
export function bindKeys(app) {
  document.addEventListener('keydown', (ev) => {
    if (ev.defaultPrevented || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const target = ev.target;
    const tag = target?.tagName ?? '';
    const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(tag) || target?.isContentEditable;
    if (typing) return;
    const activates = /^(BUTTON|A|SUMMARY)$/.test(tag);
    let handled = true;
    switch (ev.key) {
      case 'ArrowRight': app.player.step(1); break;
      case 'ArrowLeft': app.player.step(-1); break;
      case 'Home': app.player.home(); break;
      case 'End': app.player.end(); break;
      case 'p':
      case 'P': app.setState({ present: !app.state.present }); break;
      case ' ':
        if (activates) handled = false;
        else app.player.toggle();
        break;
      default: handled = false;
    }
    if (handled) ev.preventDefault();
  });
}
