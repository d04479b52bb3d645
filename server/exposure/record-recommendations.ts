/** Turns one served response into counter increments for the merchant view. */
import { conceptKinds, reasonCodes, reasonConcept, type ReasonCode } from '../../explain/index.ts';
import type { RecommendationResponse } from '../serving/index.ts';
import { exposureKeys, positionWeight, unknownStoreId, utcDay } from './exposure-keys.ts';
import { attributionBound, countedItemsPerRequest } from './seal-day.ts';
import type { ExposureRecorder } from './exposure-recorder.ts';
import { shopperSegment } from './shopper-segment.ts';

// Built once, and the scratch arrays reused: this runs for every recommended item (recording an
// explained top-10 measured ~20 µs with a Map of counts per item, most of it allocation).
const attributionKeys = conceptKinds.map(exposureKeys.attribution);
const byCode = new Map(
  reasonCodes.map((code: ReasonCode) => {
    const kind = reasonConcept[code];
    return [code, { kind: kind === null ? -1 : conceptKinds.indexOf(kind), topReason: exposureKeys.topReason(code), holdsBack: exposureKeys.holdsBack(code) }];
  }),
);
const sums = new Float64Array(conceptKinds.length);
const present = new Uint8Array(conceptKinds.length);
const weights = Array.from({ length: countedItemsPerRequest }, (_, n) => positionWeight(n + 1));
const keys: string[] = [];
const amounts: number[] = [];

/**
 * Counts at most the first `countedItemsPerRequest` items, and each concept kind's attribution sum
 * clipped to ±`attributionBound`: what bounds one request's contribution to a sealed day
 * (seal-day.ts).
 * @example recordRecommendations(recorder, response, new Date());
 */
export function recordRecommendations(recorder: ExposureRecorder, response: RecommendationResponse, at: Date): void {
  const segment = shopperSegment(response.personalized, response.historyRead);
  // Only store ids the model knows become counter keys: free text from requests must not grow the table.
  const storeId = response.store.known ? response.store.id : unknownStoreId;
  const day = utcDay(at);
  const counted = Math.min(response.items.length, countedItemsPerRequest);
  const byVersion = response.modelVersion === null ? undefined : exposureKeys.shownByVersion(response.modelVersion);
  for (let n = 0; n < counted; n++) {
    const item = response.items[n];
    keys.length = 0;
    amounts.length = 0;
    keys.push(exposureKeys.shown, exposureKeys.exposureWeight);
    amounts.push(1, weights[n]);
    if (byVersion) {
      keys.push(byVersion);
      amounts.push(1);
    }
    const attributions = item.attributions;
    if (attributions) {
      keys.push(exposureKeys.explained);
      amounts.push(1);
      sums.fill(0);
      present.fill(0);
      // Each attribution's code names its concept kind (the merged other purchases are purchases).
      for (const a of attributions) {
        const { kind } = byCode.get(a.code)!;
        sums[kind] += a.contribution;
        present[kind] = 1;
      }
      for (let kind = 0; kind < conceptKinds.length; kind++) {
        if (!present[kind]) continue;
        keys.push(attributionKeys[kind]);
        amounts.push(Math.min(attributionBound, Math.max(-attributionBound, sums[kind])));
      }
      // Attributions are sorted largest lift first.
      const top = attributions[0];
      const bottom = attributions[attributions.length - 1];
      if (top && top.contribution > 0) {
        keys.push(byCode.get(top.code)!.topReason);
        amounts.push(1);
      }
      if (bottom && bottom.contribution < 0) {
        keys.push(byCode.get(bottom.code)!.holdsBack);
        amounts.push(1);
      }
    }
    recorder.addAll(item.itemId, storeId, segment, day, keys, amounts);
  }
}
