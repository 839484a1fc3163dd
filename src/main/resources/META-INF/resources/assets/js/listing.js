import { api, byId, el, formatTime, start } from './dashboard.js';

/**
 * A read-only list page: `columns` are [heading, value of an item] pairs; `path` answers either
 * an array or a page {items, nextCursor}, which is followed with "More".
 */
export function listing(path, columns) {
  start(async () => {
    document.querySelector('#listing thead tr').replaceChildren(...columns.map(([heading]) => el('th', { scope: 'col' }, heading)));
    const body = document.querySelector('#listing tbody');
    const more = byId('more');
    let cursor = null;
    async function load() {
      const answer = await api(path + (cursor ? (path.includes('?') ? '&' : '?') + 'cursor=' + encodeURIComponent(cursor) : ''));
      const items = Array.isArray(answer) ? answer : answer.items;
      cursor = Array.isArray(answer) ? null : answer.nextCursor;
      body.append(...items.map(item => el('tr', {}, ...columns.map(([, value]) => el('td', {}, value(item) ?? '')))));
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
