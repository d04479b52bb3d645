/**
 * A catalogue search box (`GET /v1/catalog?q=`) whose results are buttons: "why this item" picks
 * the item to explain, "try it" adds past purchases. It also reports the stores the served model
 * knows, which "try it" offers.
 */
import { describeError, type ApiClient } from '../api-client.ts';
import { h, replace } from '../element.ts';

export interface CatalogItem {
  id: string;
  name: string;
  category: string;
  brand: string;
  price: number;
}

export interface CatalogSearch {
  items: CatalogItem[];
  total: number;
  stores: string[];
}

export function itemSearch(api: ApiClient, id: string, label: string, actionLabel: string, onPick: (item: CatalogItem) => void): HTMLElement {
  const input = h('input', { id, name: id, type: 'search', placeholder: 'name, id, category or brand' });
  const results = h('ul', { class: 'chips', id: `${id}-results`, 'aria-label': `${label}: results` });
  const status = h('p', { class: 'status', role: 'status' });
  const form = h('form', { role: 'search', 'aria-label': label }, h('div', { class: 'row' }, h('div', { class: 'field' }, h('label', { for: id }, label), input), h('button', { type: 'submit' }, 'Search')), status, results);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    api.get<CatalogSearch>('/v1/catalog', { q: input.value, limit: '12' }).then(
      (found) => {
        status.textContent = `${found.total} matching item${found.total === 1 ? '' : 's'}${found.total > found.items.length ? `, the first ${found.items.length} shown` : ''}.`;
        replace(results, found.items.map((item) => h('li', {}, h('button', { type: 'button', class: 'secondary', 'data-item': item.id, onclick: () => onPick(item) }, `${actionLabel} ${item.name} (${item.id}, ${item.category})`))));
      },
      (error: unknown) => (status.textContent = `Search failed: ${describeError(error)}`),
    );
  });
  return form;
}
