/**
 * Why this item (merchant): search the catalogue, then for one item its aggregated reasons from
 * the merchant view (`GET /v1/items/{id}/explanation`, sealed and noised days only): how often each
 * concept was the top reason, overall and per shopper segment, as bars; what holds it back; and,
 * from `GET /v1/merchant/complaints`, its complaint rate and its share of all recommendations
 * served (exposure share). A store filter narrows the merchant view to one store.
 */
import { describeError } from '../api-client.ts';
import { categoryBarChart } from '../charts/category-bar-chart.ts';
import { h, formatNumber, replace, table } from '../element.ts';
import { statusLine, type Panel } from '../panel.ts';
import { itemSearch, type CatalogItem, type CatalogSearch } from './item-search.ts';

const concepts = ['purchase', 'category-affinity', 'price-fit', 'promotion', 'novelty', 'store-popularity'] as const;

interface ReasonShare {
  code: string;
  share: number;
  phrase: string;
}

type Breakdown =
  | { withheld: false; recommended: number; explained: number; topReasonShare: Partial<Record<string, number>>; holdsBackShare: Partial<Record<string, number>>; topReasons: ReasonShare[]; heldBackBy: ReasonShare[]; mostlyHeldBackBy: (ReasonShare & { sentence: string }) | null }
  | { withheld: true; reason: string };

interface ItemReport {
  itemId: string;
  minCohort: number;
  overall: Breakdown;
  segments?: Record<string, Breakdown>;
}

interface ComplaintRow {
  itemId: string;
  withheld: boolean;
  reason?: string;
  recommended?: number;
  complaints?: number;
  perThousand?: number;
}

export const whyItemPanel: Panel = {
  id: 'why-item',
  title: 'Why this item',
  operations: ['getItemExplanation'],
  render(container, context) {
    const status = statusLine('why-status');
    const storeSelect = h('select', { id: 'why-store', name: 'store' }, h('option', { value: '' }, 'every store'));
    const report = h('div', { id: 'item-report' });
    let destroy: (() => void)[] = [];
    let current: CatalogItem | undefined;
    const show = async (item: CatalogItem): Promise<void> => {
      current = item;
      destroy.forEach((d) => d());
      destroy = [];
      status.textContent = `Reading the merchant view of ${item.name}…`;
      try {
        const [explanation, complaints] = await Promise.all([
          context.api.get<ItemReport>(`/v1/items/${encodeURIComponent(item.id)}/explanation`, { store: storeSelect.value || undefined }),
          context.may('getComplaints') ? context.api.get<{ items: ComplaintRow[] }>('/v1/merchant/complaints') : Promise.resolve(undefined),
        ]);
        replace(report, ...itemReport(item, explanation, complaints?.items, destroy));
        status.textContent = `The merchant view of ${item.name}.`;
      } catch (error) {
        status.textContent = `Could not read the merchant view: ${describeError(error)}`;
      }
    };
    storeSelect.addEventListener('change', () => current && void show(current));
    context.api.get<CatalogSearch>('/v1/catalog', { limit: '1' }).then((found) => storeSelect.append(...found.stores.map((s) => h('option', { value: s }, s))), () => {});
    container.append(itemSearch(context.api, 'why-search', 'Search the catalogue', 'Explain', (item) => void show(item)), h('div', { class: 'field' }, h('label', { for: 'why-store' }, 'Store'), storeSelect), status, report);
    return () => destroy.forEach((d) => d());
  },
};

function itemReport(item: CatalogItem, report: ItemReport, complaints: ComplaintRow[] | undefined, destroy: (() => void)[]): Node[] {
  const nodes: Node[] = [h('h3', {}, `${item.name} (${item.id})`)];
  const groups = [{ label: 'all shoppers', breakdown: report.overall }, ...Object.entries(report.segments ?? {}).map(([label, breakdown]) => ({ label: `segment ${label}`, breakdown }))];
  const shown = groups.filter((g): g is { label: string; breakdown: Extract<Breakdown, { withheld: false }> } => !g.breakdown.withheld);
  const withheld = groups.filter((g) => g.breakdown.withheld).map((g) => `${g.label}: ${(g.breakdown as { reason: string }).reason}`);
  if (shown.length === 0) nodes.push(h('p', { class: 'notice', id: 'item-withheld' }, `Nothing to show yet (sealed days only, cohorts under ${report.minCohort} withheld). ${withheld.join(' ')}`));
  else {
    const top = categoryBarChart('chart-top-reasons', 'Share of recommendations whose top reason was each concept', [...concepts], shown.map((g) => ({ label: g.label, values: concepts.map((c) => g.breakdown.topReasonShare[c] ?? 0) })), 'share of explained recommendations');
    const back = categoryBarChart('chart-held-back', 'Share of recommendations each concept held back', [...concepts], shown.map((g) => ({ label: g.label, values: concepts.map((c) => g.breakdown.holdsBackShare[c] ?? 0) })), 'share of explained recommendations');
    destroy.push(top.destroy, back.destroy);
    const overall = report.overall.withheld ? undefined : report.overall;
    nodes.push(
      h('div', { class: 'charts' }, top.element, back.element),
      h('p', { id: 'held-back-sentence' }, overall?.mostlyHeldBackBy ? overall.mostlyHeldBackBy.sentence : 'Nothing held it back.'),
      table('Top reasons (all shoppers)', ['reason', 'share'], (overall?.topReasons ?? []).map((r) => [r.phrase, formatNumber(r.share, 3)])),
    );
    if (withheld.length) nodes.push(h('p', {}, `Withheld: ${withheld.join(' ')}`));
  }
  if (complaints) {
    const row = complaints.find((c) => c.itemId === item.id);
    const served = complaints.reduce((n, c) => n + (c.withheld ? 0 : (c.recommended ?? 0)), 0);
    const rate = !row ? 'no complaint data for this item' : row.withheld ? `withheld: ${row.reason ?? 'small cohort'}` : `${formatNumber(row.perThousand ?? 0, 3)} complaints per 1,000 recommendations (${row.complaints ?? 0} of ${row.recommended ?? 0})`;
    const share = row && !row.withheld && served > 0 ? `${formatNumber((100 * (row.recommended ?? 0)) / served, 3)}% of the recommendations served (sealed days)` : '—';
    nodes.push(h('dl', { id: 'item-outcomes' }, h('dt', {}, 'Complaint rate'), h('dd', { id: 'complaint-rate' }, rate), h('dt', {}, 'Exposure share'), h('dd', { id: 'exposure-share' }, share)));
  }
  return nodes;
}

