// The header's button words (Presenter mode, Retry simulation, Share, Data), shown whenever
// the header's row has room for them — with the clock as it is now, not as wide as it can
// ever get. Where the row is short, first Retry, Share and Data, then Presenter mode show
// their icon only (the word is clipped, not removed: it stays the button's name, and the
// tooltip says it). On phones (under 760 px) the stylesheet decides, as before.
//
//   fitHeaderLabels(header)   → a function that stops it
const LEVELS = ['', 'header-icons-some', 'header-short', 'header-icons-all'];

export function fitHeaderLabels(header = document.querySelector('.site-header')) {
  if (!header || typeof ResizeObserver !== 'function') return () => {};
  const brand = header.querySelector('.brand');
  const tools = header.querySelector('.header-tools');
  const clock = header.querySelector('#clock');
  let queued = false;

  /** The title, the buttons (on one line) and, where it shares the row, the clock, side by side. */
  function fits() {
    if (innerWidth < 760) return true;
    const b = brand.getBoundingClientRect();
    const t = tools.getBoundingClientRect();
    const buttons = [...tools.children].map((c) => c.getBoundingClientRect()).filter((r) => r.width > 0);
    if (buttons.some((r) => Math.abs(r.top - buttons[0].top) > 4)) return false;
    if (t.top >= b.bottom - 4) return false; // the buttons fell under the title
    if (clock) {
      const c = clock.getBoundingClientRect();
      if (innerWidth >= 1100 && c.height > 0 && c.top >= t.bottom - 4) return false; // the clock fell under them
      // The clock's own controls on one line (a squeezed clock wraps inside).
      const parts = [...clock.querySelectorAll('.clock > *')].map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 1);
      const mid = (r) => r.top + r.height / 2;
      if (parts.some((r) => Math.abs(mid(r) - mid(parts[0])) > 6)) return false;
    }
    return true;
  }

  function fit() {
    queued = false;
    for (const level of LEVELS) {
      header.classList.remove(...LEVELS.filter(Boolean));
      if (level) header.classList.add(level);
      if (fits()) return;
    }
  }

  const schedule = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(fit);
  };
  const watch = new ResizeObserver(schedule);
  watch.observe(header);
  if (clock) watch.observe(clock);
  fit();
  return () => watch.disconnect();
}
