// Arrow keys, Home and End move between the tabs of a role="tablist" and select them (the
// WAI-ARIA tabs pattern); only the selected tab is in the Tab order.
export function tablist(node: HTMLElement) {
  const tabs = () => [...node.querySelectorAll<HTMLElement>('[role="tab"]')];
  const sync = () => {
    for (const t of tabs()) t.tabIndex = t.getAttribute('aria-selected') === 'true' ? 0 : -1;
  };
  const onKey = (e: KeyboardEvent) => {
    const all = tabs();
    const i = all.indexOf(document.activeElement as HTMLElement);
    if (i < 0) return;
    let next = -1;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = (i + 1) % all.length;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = (i - 1 + all.length) % all.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = all.length - 1;
    if (next < 0) return;
    e.preventDefault();
    all[next]!.click();
    all[next]!.focus();
  };
  const observer = new MutationObserver(sync);
  observer.observe(node, { subtree: true, attributes: true, attributeFilter: ['aria-selected'] });
  node.addEventListener('keydown', onKey);
  sync();
  return {
    destroy() {
      observer.disconnect();
      node.removeEventListener('keydown', onKey);
    },
  };
}
