/**
 * The merchant view of one item: how often it was recommended, which concept most often carried it
 * (the top reason), each concept's mean attribution, and what most often holds it back; overall and
 * per shopper segment. A cohort with fewer than `minCohort` recommendations is withheld, because a
 * breakdown of a handful of recommendations can describe individual shoppers.
 */
import { conceptKinds, type ConceptKind } from '../../explain/index.ts';
import type { ExposureFilter, FedrecStore } from '../store/index.ts';
import { exposureKeys } from './exposure-keys.ts';
import { shopperSegments, type ShopperSegment } from './shopper-segment.ts';

/** The smallest cohort shown; 20 follows the common "no cell below 20" rule for published aggregates. */
export const defaultMinCohort = 20;

export type ExposureBreakdown =
  | {
      withheld: false;
      recommended: number;
      /** Recommendations that carried an explanation: the denominator of the shares and means below. */
      explained: number;
      topReasonShare: Partial<Record<ConceptKind, number>>;
      meanAttribution: Partial<Record<ConceptKind, number>>;
      holdsBackShare: Partial<Record<ConceptKind, number>>;
      /** The concept that most often was the most negative attribution, or null if none ever was. */
      mostlyHeldBackBy: ConceptKind | null;
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
export async function itemExposureReport(store: Pick<FedrecStore, 'readExposure'>, filter: ExposureFilter, minCohort = defaultMinCohort): Promise<ItemExposureReport> {
  const { itemId, ...rest } = filter;
  const report: ItemExposureReport = { itemId, filter: rest, minCohort, overall: breakdown(await store.readExposure(filter), minCohort) };
  if (filter.segment === undefined) {
    const sums = await Promise.all(shopperSegments.map((segment) => store.readExposure({ ...filter, segment })));
    report.segments = Object.fromEntries(shopperSegments.map((segment, i) => [segment, breakdown(sums[i], minCohort)])) as Record<ShopperSegment, ExposureBreakdown>;
  }
  return report;
}

function breakdown(sums: Record<string, number>, minCohort: number): ExposureBreakdown {
  const recommended = sums[exposureKeys.shown] ?? 0;
  if (recommended < minCohort) return { withheld: true, reason: `fewer than ${minCohort} recommendations in this cohort` };
  const explained = sums[exposureKeys.explained] ?? 0;
  const per = (key: (kind: ConceptKind) => string): Partial<Record<ConceptKind, number>> => {
    const out: Partial<Record<ConceptKind, number>> = {};
    for (const kind of conceptKinds) if (explained > 0 && sums[key(kind)] !== undefined) out[kind] = sums[key(kind)] / explained;
    return out;
  };
  const holdsBackShare = per(exposureKeys.holdsBack);
  let mostlyHeldBackBy: ConceptKind | null = null;
  for (const kind of conceptKinds) if ((holdsBackShare[kind] ?? 0) > (mostlyHeldBackBy ? (holdsBackShare[mostlyHeldBackBy] ?? 0) : 0)) mostlyHeldBackBy = kind;
  return {
    withheld: false,
    recommended,
    explained,
    topReasonShare: per(exposureKeys.topReason),
    meanAttribution: per(exposureKeys.attribution),
    holdsBackShare,
    mostlyHeldBackBy,
  };
}
