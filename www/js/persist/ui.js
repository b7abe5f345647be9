// Small DOM helpers shared by persistence, sharing and export/import: text-only elements,
// the notice banner under the header and a modal dialog. Nothing here ever sets innerHTML:
// every string, wherever it came from (a saved record, a link, a file), becomes text.

import { h } from '../dom.js';

export { h };

/** A download link for `bytes` (a Blob URL, revoked when `release()` is called). */
export function downloadLink(bytes, filename, label, type = 'application/octet-stream') {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = h('a', { class: 'notice-link', href: url, download: filename, text: label });
  return { node: a, release: () => URL.revokeObjectURL(url) };
}

/** Save `bytes` as a file now (a temporary link, clicked). */
export function downloadNow(bytes, filename, type = 'application/octet-stream') {
  const { node, release } = downloadLink(bytes, filename, filename, type);
  node.hidden = true;
  document.body.append(node);
  node.click();
  node.remove();
  setTimeout(release, 60_000);
}

/**
 * The notice area under the header (created after the header when the page has none).
 *   show({ id, kind: 'warning'|'error'|'info', text, details?: [string], links?: [Node],
 *          actions?: [{ label, onClick, primary? }], onDismiss?, dismissLabel? }) → the element
 *   remove(id)
 * A notice is text only; showing an id again replaces the older one.
 */
export function mountNotices(root = document.getElementById('notices')) {
  if (!root) {
    root = h('div', { class: 'notices', id: 'notices' });
    const header = document.querySelector('.site-header');
    if (header) header.after(root);
    else document.body.prepend(root);
  }
  root.setAttribute('aria-label', root.getAttribute('aria-label') || 'Notices');
  root.setAttribute('role', 'region');
  const shown = new Map();

  function remove(id) {
    const n = shown.get(id);
    if (!n) return;
    shown.delete(id);
    n.el.remove();
    n.cleanup?.();
  }

  function show({ id, kind = 'info', text, details = [], links = [], actions = [], onDismiss, dismissLabel = 'Dismiss', cleanup }) {
    remove(id);
    const body = h('div', { class: 'notice-body' }, h('p', { class: 'notice-text', text }));
    if (details.length) {
      body.append(h('ul', { class: 'notice-details' }, details.map((d) => h('li', { text: d }))));
    }
    const bar = h('div', { class: 'notice-actions' }, links);
    for (const a of actions) {
      bar.append(h('button', {
        type: 'button',
        class: `notice-button${a.primary ? ' primary' : ''}`,
        text: a.label,
        onclick: async () => {
          try {
            const keep = await a.onClick();
            if (keep !== true) remove(id);
          } catch (e) {
            console.error(e);
          }
        },
      }));
    }
    const close = h('button', {
      type: 'button',
      class: 'notice-button notice-dismiss',
      text: dismissLabel,
      onclick: async () => {
        remove(id);
        try { await onDismiss?.(); } catch (e) { console.error(e); }
      },
    });
    bar.append(close);
    body.append(bar);
    const el = h('div', {
      class: `notice notice-${kind}`,
      role: kind === 'info' ? 'status' : 'alert',
      'data-notice': id,
    }, h('span', { class: 'notice-icon', 'aria-hidden': 'true', text: kind === 'info' ? 'ℹ' : '⚠' }), body);
    root.append(el);
    shown.set(id, { el, cleanup });
    return el;
  }

  return { show, remove, has: (id) => shown.has(id), root };
}

/**
 * A modal dialog (the native <dialog>, text only). Resolves with the value of the button
 * pressed, or null when closed with Escape or Cancel.
 *   openDialog({ title, body: [Node], buttons: [{ label, value, primary?, danger?, autofocus? }], className })
 */
export function openDialog({ title, body = [], buttons = [{ label: 'Close', value: null }], className = '', onOpen } = {}) {
  return new Promise((resolve) => {
    const id = `dlg-${Math.random().toString(36).slice(2, 8)}`;
    const dialog = h('dialog', { class: `pg-dialog ${className}`.trim(), 'aria-labelledby': `${id}-title` });
    const foot = h('div', { class: 'pg-dialog-buttons' });
    let value = null;
    for (const b of buttons) {
      foot.append(h('button', {
        type: 'button',
        class: `pg-button${b.primary ? ' primary' : ''}${b.danger ? ' danger' : ''}`,
        'data-value': b.value ?? '',
        autofocus: b.autofocus === true,
        text: b.label,
        onclick: () => { value = b.value ?? null; dialog.close(); },
      }));
    }
    dialog.append(h('h2', { class: 'pg-dialog-title', id: `${id}-title`, text: title }), ...body, foot);
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(value);
    });
    document.body.append(dialog);
    dialog.showModal();
    onOpen?.(dialog);
    const primary = dialog.querySelector('.pg-button.primary');
    if (primary && !dialog.contains(document.activeElement)) primary.focus();
  });
}
