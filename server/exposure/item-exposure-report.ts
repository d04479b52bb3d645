/**
 * The merchant view of one item: how often it was recommended, which reasons most often carried it
 * (the top reason) and which most often held it back, each concept's mean attribution; overall and
 * per shopper segment. A cohort with fewer than `minCohort` recommendations is withheld, because a
 * breakdown of a handful of recommendations can describe individual shoppers; and since the
 * segments add up to the overall figures, withholding one small segment alone would leave it to
 * be read off by subtraction, so more segments are withheld with it (complementary suppression,
 * as statistical offices do for published tables) until what is hidden is not a small cohort
 * either. Only sealed days are read (seal-day.ts): every counter is the noised value released once
 * when its day was sealed, so differencing queries (two day ranges, one store against all) only
 * recombines noised values; the minimum-cohort rule is applied to the noised counts, and the figures
 * shown are those counts rounded and the shares and means computed from them, clamped to their
 * ranges (post-processing). Reasons are counted by code and summed into concepts here; their words come from
 * `explain/reasons/reason-templates.ts`.
 */
import { conceptKinds, reasonCodes, reasonConcept, reasonTemplates, sentenceTemplates, type ConceptKind, type ReasonCode } from '../../explain/index.ts';
import type { ExposureFilter, FedrecStore } from '../store/index.ts';
import { exposureKeys } from './exposure-keys.ts';
import { shopperSegments, type ShopperSegment } from './shopper-segment.ts';

/** The smallest cohort shown; 20 follows the common "no cell below 20" rule for published aggregates. */
export const defaultMinCohort = 20;

/** A reason's share of the explained recommendations, and its words for a merchant. */
export interface ReasonShare {
  code: ReasonCode;
  concept: ConceptKind | null;
  share: number;
  phrase: string;
}

export type ExposureBreakdown =
  | {
      withheld: false;
      recommended: number;
      /** Recommendations that carried an explanation: the denominator of the shares and means below. */
      explained: number;
      /** Per concept: share of explained recommendations whose largest positive attribution it was. */
      topReasonShare: Partial<Record<ConceptKind, number>>;
      meanAttribution: Partial<Record<ConceptKind, number>>;
      /** Per concept: share of explained recommendations whose most negative attribution it was. */
      holdsBackShare: Partial<Record<ConceptKind, number>>;
      /** The same two by reason code, most often first: why it is surfaced, and what holds it back. */
      topReasons: ReasonShare[];
      heldBackBy: ReasonShare[];
      /** The reason that most often held it back, as a sentence, or null if nothing ever did. */
      mostlyHeldBackBy: (ReasonShare & { sentence: string }) | null;
    }
  | { withheld: true; reason: string };

export interface ItemExposureReport {
  itemId: string;
  filter: Omit<ExposureFilter, 'itemId'>;
  minCohort: number;
  overall: ExposureBreakdown;
  /** Per segment, when the query did not choose one. */
  segments?: Record<ShopperSegment, ExposureBreakdown>;
}

/**
 * @example await itemExposureReport(store, { itemId: 'i00012', storeId: 'store-01' }, 20)
 */
export async function itemExposureReport(store: Pick<FedrecStore, 'readSealedExposure'>, filter: ExposureFilter, minCohort = defaultMinCohort): Promise<ItemExposureReport> {
  const { itemId, ...rest } = filter;
  const report: ItemExposureReport = { itemId, filter: rest, minCohort, overall: breakdown(await store.readSealedExposure(filter), minCohort) };
  if (filter.segment === undefined) {
    const sums = await Promise.all(shopperSegments.map((segment) => store.readSealedExposure({ ...filter, segment })));
    const shown = sums.map((s) => count(s[exposureKeys.shown]));
    const complement = report.overall.withheld ? new Set<number>() : complementOfSmallCohorts(shown, minCohort);
    report.segments = Object.fromEntries(
      shopperSegments.map((segment, i) => [segment, complement.has(i) ? { withheld: true, reason: complementReason } : breakdown(sums[i], minCohort)]),
    ) as Record<ShopperSegment, ExposureBreakdown>;
  }
  return report;
}

const complementReason = 'withheld with a smaller cohort, which could otherwise be derived from the overall figures';

/**
 * The segments to withhold besides the small ones (secondary suppression): while the hidden
 * segments hold between 1 and minCohort − 1 recommendations between them, the overall minus the
 * shown segments would describe that small cohort, so the smallest shown segment is hidden too.
 */
function complementOfSmallCohorts(shown: readonly number[], minCohort: number): Set<number> {
  const hidden = shown.map((n) => n < minCohort);
  const extra = new Set<number>();
  let hiddenTotal = shown.reduce((sum, n, i) => sum + (hidden[i] ? n : 0), 0);
  while (hiddenTotal > 0 && hiddenTotal < minCohort) {
    let smallest = -1;
    for (let i = 0; i < shown.length; i++) if (!hidden[i] && (smallest < 0 || shown[i] < shown[smallest])) smallest = i;
    if (smallest < 0) break;
    hidden[smallest] = true;
    extra.add(smallest);
    hiddenTotal += shown[smallest];
  }
  return extra;
}

/** A noised counter as shown: rounded, and never below 0. */
function count(value: number | undefined): number {
  return Math.max(0, Math.round(value ?? 0));
}

function breakdown(sums: Record<string, number>, minCohort: number): ExposureBreakdown {
  const recommended = count(sums[exposureKeys.shown]);
  if (recommended < minCohort) return { withheld: true, reason: `fewer than ${minCohort} recommendations in this cohort` };
  const explained = count(sums[exposureKeys.explained]);
  const meanAttribution: Partial<Record<ConceptKind, number>> = {};
  for (const kind of conceptKinds) {
    const sum = sums[exposureKeys.attribution(kind)];
    if (explained > 0 && sum !== undefined) meanAttribution[kind] = Math.min(1, Math.max(-1, sum / explained));
  }
  const topReasons = reasonShares(sums, exposureKeys.topReason, explained);
  const heldBackBy = reasonShares(sums, exposureKeys.holdsBack, explained);
  const worst = heldBackBy[0];
  return {
    withheld: false,
    recommended,
    explained,
    topReasonShare: byConcept(topReasons),
    meanAttribution,
    holdsBackShare: byConcept(heldBackBy),
    topReasons,
    heldBackBy,
    mostlyHeldBackBy: worst ? { ...worst, sentence: sentenceTemplates.heldBackBy(worst.code) } : null,
  };
}

/** Every reason counted under `key`, most often first (ties in the documented code order). */
function reasonShares(sums: Record<string, number>, key: (code: ReasonCode) => string, explained: number): ReasonShare[] {
  if (explained === 0) return [];
  return reasonCodes
    .filter((code) => count(sums[key(code)]) > 0)
    .map((code) => ({ code, concept: reasonConcept[code], share: Math.min(1, count(sums[key(code)]) / explained), phrase: reasonTemplates[code].merchant }))
    .sort((a, b) => b.share - a.share || reasonCodes.indexOf(a.code) - reasonCodes.indexOf(b.code));
}

function byConcept(shares: readonly ReasonShare[]): Partial<Record<ConceptKind, number>> {
  const out: Partial<Record<ConceptKind, number>> = {};
  for (const { concept, share } of shares) if (concept) out[concept] = (out[concept] ?? 0) + share;
  return out;
}
