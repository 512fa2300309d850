// A table wider than the screen scrolls in its own box (never the page); a box that scrolls must
// be reachable from the keyboard (WCAG 2.1.1; axe scrollable-region-focusable), so it becomes a
// focusable region named by its table's caption — but only while it does scroll.
export function scrollRegion(node: HTMLElement) {
  const sync = () => {
    const scrolls = node.scrollWidth > node.clientWidth || node.scrollHeight > node.clientHeight;
    if (scrolls) {
      node.tabIndex = 0;
      node.setAttribute('role', 'region');
      const caption = node.querySelector('caption')?.textContent?.trim();
      if (caption) node.setAttribute('aria-label', caption);
    } else {
      node.removeAttribute('tabindex');
      node.removeAttribute('role');
      node.removeAttribute('aria-label');
    }
  };
  const observer = new ResizeObserver(sync);
  observer.observe(node);
  const table = node.querySelector('table');
  if (table) observer.observe(table);
  sync();
  return { destroy: () => observer.disconnect() };
}
