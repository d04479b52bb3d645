/**
 * Preference center demo (an app key): for one shopper id, the consent toggle, do-not-target,
 * excluded categories, the data export and erasure, each on the real routes
 * (`/v1/shoppers/{id}/preferences`, `/data`, `DELETE /v1/shoppers/{id}`). The shopper id is shared
 * with "try it", so its next answer shows the change.
 */
import { describeError } from '../api-client.ts';
import { h, replace } from '../element.ts';
import { statusLine, type Panel, type PanelContext } from '../panel.ts';
import type { CatalogSearch } from './item-search.ts';

interface Preferences {
  consent: 'opted-in' | 'opted-out' | 'never-asked';
  doNotTarget: boolean;
  excludedCategories: string[];
  excludedBrands: string[];
}

export const preferencesPanel: Panel = {
  id: 'preferences',
  title: 'Preference center',
  operations: ['putShopperPreferences'],
  render(container, context) {
    const status = statusLine('preferences-status');
    const shopper = h('input', { id: 'pref-shopper', name: 'shopper', value: context.shared.shopperId, required: true });
    const editor = h('div', { id: 'pref-editor' });
    const exported = h('div', { id: 'pref-export' });
    const load = async (): Promise<void> => {
      context.shared.shopperId = shopper.value.trim();
      try {
        const [preferences, catalog] = await Promise.all([context.api.get<Preferences>(shopperPath(context, '/preferences')), context.api.get<CatalogSearch>('/v1/catalog', { limit: '100' })]);
        const categories = [...new Set([...catalog.items.map((i) => i.category), ...preferences.excludedCategories])].sort();
        replace(editor, ...preferencesForm(context, preferences, categories, status));
        status.textContent = `Preferences of “${context.shared.shopperId}”: consent ${preferences.consent}.`;
      } catch (error) {
        status.textContent = `Could not read the preferences: ${describeError(error)}`;
      }
    };
    const lookup = h('form', { id: 'pref-lookup', 'aria-label': 'Shopper' }, h('div', { class: 'row' }, h('div', { class: 'field' }, h('label', { for: 'pref-shopper' }, 'Shopper id'), shopper), h('button', { type: 'submit' }, 'Open')));
    lookup.addEventListener('submit', (event) => {
      event.preventDefault();
      void load();
    });
    const exportButton = h('button', { type: 'button', id: 'pref-export-button', class: 'secondary' }, 'Export this shopper’s data');
    exportButton.addEventListener('click', () => {
      context.api.get<unknown>(shopperPath(context, '/data')).then(
        (data) => replace(exported, h('pre', { tabindex: 0, 'aria-label': 'The data export (JSON)' }, JSON.stringify(data, null, 2))),
        (error: unknown) => (status.textContent = `Export failed: ${describeError(error)}`),
      );
    });
    const eraseButton = h('button', { type: 'button', id: 'pref-erase-button', class: 'danger' }, 'Erase this shopper');
    eraseButton.addEventListener('click', () => {
      if (!window.confirm(`Erase everything fedrec keeps about “${context.shared.shopperId}”? This cannot be undone.`)) return;
      context.api.send<{ total: number }>('DELETE', shopperPath(context, '')).then(
        (receipt) => {
          status.textContent = `Erased ${receipt.total} records of “${context.shared.shopperId}”.`;
          void load();
        },
        (error: unknown) => (status.textContent = `Erasure failed: ${describeError(error)}`),
      );
    });
    container.append(lookup, status, editor, h('div', { class: 'row' }, exportButton, eraseButton), exported);
    void load();
  },
};

const shopperPath = (context: PanelContext, rest: string): string => `/v1/shoppers/${encodeURIComponent(context.shared.shopperId)}${rest}`;

function preferencesForm(context: PanelContext, preferences: Preferences, categories: string[], status: HTMLElement): Node[] {
  const consent = h('input', { id: 'pref-consent', type: 'checkbox', checked: preferences.consent === 'opted-in' });
  const doNotTarget = h('input', { id: 'pref-do-not-target', type: 'checkbox', checked: preferences.doNotTarget });
  const boxes = categories.map((category, i) => ({ category, box: h('input', { id: `pref-category-${i}`, type: 'checkbox', 'data-category': category, checked: preferences.excludedCategories.includes(category) }) }));
  const form = h(
    'form',
    { id: 'pref-form', 'aria-labelledby': 'pref-form-title' },
    h('h3', { id: 'pref-form-title' }, 'Choices'),
    h('div', {}, consent, h('label', { for: 'pref-consent' }, 'Personalise recommendations (consent)')),
    h('div', {}, doNotTarget, h('label', { for: 'pref-do-not-target' }, 'Do not target me')),
    h('fieldset', {}, h('legend', {}, 'Never recommend these categories'), boxes.map(({ category, box }) => h('span', {}, box, h('label', { for: box.id }, category)))),
    h('button', { type: 'submit', id: 'pref-save' }, 'Save choices'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = {
      consent: { choice: consent.checked ? 'opted-in' : 'opted-out', noticeVersion: 'dashboard-demo-1', source: 'dashboard-preference-center' },
      doNotTarget: doNotTarget.checked,
      excludedCategories: boxes.filter((b) => b.box.checked).map((b) => b.category),
      excludedBrands: preferences.excludedBrands,
    };
    context.api.send<Preferences>('PUT', `/v1/shoppers/${encodeURIComponent(context.shared.shopperId)}/preferences`, body).then(
      (saved) => (status.textContent = `Saved: consent ${saved.consent}${saved.doNotTarget ? ', do not target' : ''}${saved.excludedCategories.length ? `, excluding ${saved.excludedCategories.join(', ')}` : ''}. The next “Try it” answer applies it.`),
      (error: unknown) => (status.textContent = `Not saved: ${describeError(error)}`),
    );
  });
  return [form];
}
