import { api, byId, el, formatTime, start } from './dashboard.js';

/**
 * A list page: `columns` are [heading, value of an item] pairs; `path` answers either an array or
 * a page {items, nextCursor}, which is followed with "More". A value is text or an element; it is
 * also given `redraw`, which draws the item's row again from a newer copy of the item (after an
 * action on it). `key` names an item: its row's data-key.
 */
export function listing(path, columns, key = () => null) {
  start(async () => {
    document.querySelector('#listing thead tr').replaceChildren(...columns.map(([heading]) => el('th', { scope: 'col' }, heading)));
    const body = document.querySelector('#listing tbody');
    const more = byId('more');
    let cursor = null;
    function row(item) {
      const tr = el('tr', { 'data-key': key(item) });
      const redraw = newer => tr.replaceWith(row(newer));
      tr.append(...columns.map(([, value]) => el('td', {}, value(item, redraw) ?? '')));
      return tr;
    }
    async function load() {
      const answer = await api(path + (cursor ? (path.includes('?') ? '&' : '?') + 'cursor=' + encodeURIComponent(cursor) : ''));
      const items = Array.isArray(answer) ? answer : answer.items;
      cursor = Array.isArray(answer) ? null : answer.nextCursor;
      body.append(...items.map(row));
      byId('listing-empty').hidden = body.children.length > 0;
      more.hidden = !cursor;
    }
    more.addEventListener('click', load);
    await load();
  });
}

export const when = formatTime;

export function list(values) {
  return (values || []).join(', ');
}
