import { api, byId, el, fact, start } from './dashboard.js';

// A page of one named item (a schedule, an inventory, a credential): `path` is its API
// collection and its page's too; `render` draws the item into the page (its facts, actions and
// sections), and is called again with a newer copy after an action on it.

export const name = decodeURIComponent(location.pathname.replace(/^\/[^/]+\//, ''));

export function detail(path, render) {
  start(async () => {
    const item = await api('/' + path + '/' + encodeURIComponent(name));
    const draw = current => {
      document.title = current.name + ' · charon-jobs';
      byId('item-name').textContent = current.name;
      return render(current, draw);
    };
    await draw(item);
  });
}

export function facts(...pairs) {
  byId('item-facts').replaceChildren(...pairs.flatMap(([term, value]) => fact(term, value)));
}

export function actions(...buttons) {
  byId('item-actions').replaceChildren(...buttons);
}

/** The page's sections below its facts, each a card with a heading and its content. */
export function sections(...parts) {
  byId('item-sections').replaceChildren(...parts.map(([title, ...content], i) => el('section',
      { class: 'card', 'aria-labelledby': 'section-' + i }, el('h2', { id: 'section-' + i }, title), ...content)));
}

/** name=value, one a line: variables as an inventory holds them. */
export function variables(map) {
  return el('ul', { class: 'plain' }, ...Object.entries(map || {}).map(([key, value]) => el('li', {}, key + '=' + value)));
}

/** The templates the caller may see whose definition `uses` (e.g. names this inventory). */
export async function templatesThat(uses) {
  return (await api('/templates')).filter(uses);
}
