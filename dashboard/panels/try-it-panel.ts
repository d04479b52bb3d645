/**
 * Try it (support and demos; an app key): pick a store and a few past purchases, optionally as the
 * preference center's shopper, and see the top-10 from `POST /v1/recommendations`, each with its
 * sentence and attribution bars. With consent off (personalization false), with the shopper's
 * stored choices, or when the browser sends Global Privacy Control (`Sec-GPC: 1`, which a page
 * cannot set itself: fetch forbids `Sec-` headers), the list is the non-personalised one and its
 * reason says why.
 */
import { describeError } from '../api-client.ts';
import { h, formatNumber, replace } from '../element.ts';
import { statusLine, type Panel } from '../panel.ts';
import { attributionBars, type Attribution } from './attribution-bars.ts';
import { itemSearch, type CatalogItem, type CatalogSearch } from './item-search.ts';

interface RecommendedItem {
  rank: number;
  itemId: string;
  name: string;
  category: string;
  score: number;
  baseline?: number;
  attributions?: Attribution[];
  reason?: string;
}

export interface RecommendationResponse {
  modelVersion: number | null;
  servedBy: 'model' | 'store-ranking';
  personalized: boolean;
  items: RecommendedItem[];
  ignoredHistory: string[];
  choices: { shopper: boolean; consent: string | null; doNotTarget: boolean; globalPrivacyControl: boolean; excludedCategories: string[]; suppressedItems: number };
}

export const tryItPanel: Panel = {
  id: 'try-it',
  title: 'Try it',
  operations: ['postRecommendations'],
  render(container, context) {
    const status = statusLine('try-status');
    const storeSelect = h('select', { id: 'try-store', name: 'store' });
    const purchases: CatalogItem[] = [];
    const chips = h('ul', { class: 'chips', id: 'try-history', 'aria-label': 'Past purchases' });
    const personalised = h('input', { id: 'try-personalization', type: 'checkbox', checked: true });
    const asShopper = h('input', { id: 'try-as-shopper', type: 'checkbox', checked: true });
    const shopperLabel = h('label', { for: 'try-as-shopper' });
    const result = h('div', { id: 'try-result' });
    const gpc = (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
    const drawChips = (): void =>
      replace(chips, purchases.length ? purchases.map((item, i) => h('li', {}, `${item.name} `, h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove ${item.name}`, onclick: () => (purchases.splice(i, 1), drawChips()) }, '×'))) : [h('li', {}, 'no past purchases')]);
    const ask = async (): Promise<void> => {
      shopperLabel.textContent = `As shopper “${context.shared.shopperId}” (their stored choices apply)`;
      const body = {
        context: { storeId: storeSelect.value },
        history: purchases.map((p) => ({ itemId: p.id })),
        personalization: personalised.checked,
        k: 10,
        ...(asShopper.checked ? { shopperId: context.shared.shopperId } : {}),
      };
      status.textContent = 'Asking for recommendations…';
      try {
        const response = await context.api.send<RecommendationResponse>('POST', '/v1/recommendations', body);
        replace(result, ...recommendationList(response));
        status.textContent = `Top ${response.items.length} from ${response.servedBy === 'model' ? `model version ${response.modelVersion}` : 'the store ranking (no approved model serves)'}.`;
      } catch (error) {
        status.textContent = `Refused: ${describeError(error)}`;
      }
    };
    const form = h(
      'form',
      { id: 'try-form', 'aria-labelledby': 'try-form-title' },
      h('h3', { id: 'try-form-title' }, 'Ask for recommendations'),
      h('div', { class: 'row' }, h('div', { class: 'field' }, h('label', { for: 'try-store' }, 'Store'), storeSelect), h('div', {}, personalised, h('label', { for: 'try-personalization' }, 'Consent to personalisation')), h('div', {}, asShopper, shopperLabel)),
      h('p', { id: 'gpc-state' }, gpc ? 'This browser sends Global Privacy Control: the answer is not personalised.' : 'This browser does not send Global Privacy Control (a page cannot send it for you).'),
      h('h4', {}, 'Past purchases'),
      chips,
      h('button', { type: 'submit', id: 'try-submit' }, 'Recommend'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void ask();
    });
    shopperLabel.textContent = `As shopper “${context.shared.shopperId}” (their stored choices apply)`;
    drawChips();
    container.append(
      form,
      itemSearch(context.api, 'try-search', 'Add a past purchase', 'Add', (item) => {
        if (!purchases.some((p) => p.id === item.id)) purchases.push(item);
        drawChips();
      }),
      status,
      result,
    );
    context.api.get<CatalogSearch>('/v1/catalog', { limit: '1' }).then(
      (found) => replace(storeSelect, found.stores.length ? found.stores.map((s) => h('option', { value: s }, s)) : [h('option', { value: 'unknown' }, 'no model serves: any store')]),
      (error: unknown) => (status.textContent = `Could not read the stores: ${describeError(error)}`),
    );
  },
};

function recommendationList(response: RecommendationResponse): Node[] {
  const nodes: Node[] = [];
  const { choices } = response;
  if (!response.personalized) {
    const why = choices.globalPrivacyControl ? 'the browser sent Global Privacy Control' : choices.doNotTarget ? 'the shopper asked not to be targeted' : choices.consent === 'opted-out' ? 'the shopper opted out' : choices.consent === 'never-asked' ? 'the shopper was never asked (personalisation is opt-in)' : response.servedBy === 'store-ranking' ? 'no approved model serves' : 'consent to personalisation is off';
    nodes.push(h('p', { class: 'notice', id: 'not-personalised' }, `Not personalised: ${why}. Each reason below says so.`));
  }
  const applied = [choices.excludedCategories.length ? `excluded categories: ${choices.excludedCategories.join(', ')}` : '', choices.suppressedItems ? `${choices.suppressedItems} suppressed items` : ''].filter(Boolean);
  if (applied.length) nodes.push(h('p', { id: 'choices-applied' }, `The shopper’s choices applied: ${applied.join('; ')}.`));
  nodes.push(
    h(
      'ol',
      { class: 'recommendations', id: 'recommendations', 'data-model-version': response.modelVersion ?? 'none', 'data-served-by': response.servedBy, 'data-personalized': String(response.personalized) },
      response.items.map((item) =>
        h('li', { 'data-item-id': item.itemId, 'data-category': item.category }, h('strong', {}, `${item.rank}. ${item.name}`), ` (${item.itemId}, ${item.category}) score ${formatNumber(item.score)}`, h('p', { class: 'reason' }, item.reason ?? ''), item.attributions && item.baseline !== undefined ? attributionBars(item.itemId, item.score, item.baseline, item.attributions) : null),
      ),
    ),
  );
  return nodes;
}
