/** Turns one served response into counter increments for the merchant view. */
import { conceptKindOf, conceptKinds, type ConceptKind } from '../../explain/index.ts';
import type { RecommendationResponse } from '../serving/index.ts';
import { exposureKeys, unknownStoreId, utcDay } from './exposure-keys.ts';
import type { ExposureRecorder } from './exposure-recorder.ts';
import { shopperSegment } from './shopper-segment.ts';

// Built once: this runs for every recommended item.
const keysOf = (key: (kind: ConceptKind) => string) => Object.fromEntries(conceptKinds.map((kind) => [kind, key(kind)])) as Record<ConceptKind, string>;
const attributionKey = keysOf(exposureKeys.attribution);
const topReasonKey = keysOf(exposureKeys.topReason);
const holdsBackKey = keysOf(exposureKeys.holdsBack);

/**
 * @example recordRecommendations(recorder, response, new Date());
 */
export function recordRecommendations(recorder: ExposureRecorder, response: RecommendationResponse, at: Date): void {
  const segment = shopperSegment(response.personalized, response.historyRead);
  // Only store ids the model knows become counter keys: free text from requests must not grow the table.
  const storeId = response.store.known ? response.store.id : unknownStoreId;
  const day = utcDay(at);
  for (const item of response.items) {
    const counts = new Map<string, number>([[exposureKeys.shown, 1]]);
    const attributions = item.attributions;
    if (attributions) {
      counts.set(exposureKeys.explained, 1);
      for (const a of attributions) {
        const key = attributionKey[conceptKindOf(a.concept)];
        counts.set(key, (counts.get(key) ?? 0) + a.contribution);
      }
      // Attributions are sorted largest lift first.
      const top = attributions[0];
      const bottom = attributions[attributions.length - 1];
      if (top && top.contribution > 0) counts.set(topReasonKey[conceptKindOf(top.concept)], 1);
      if (bottom && bottom.contribution < 0) counts.set(holdsBackKey[conceptKindOf(bottom.concept)], 1);
    }
    recorder.addAll(item.itemId, storeId, segment, day, counts);
  }
}
