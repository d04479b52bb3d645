/** Turns one served response into counter increments for the merchant view. */
import { conceptKindOf, conceptKinds, reasonCodes, type ConceptKind, type ReasonCode } from '../../explain/index.ts';
import type { RecommendationResponse } from '../serving/index.ts';
import { exposureKeys, unknownStoreId, utcDay } from './exposure-keys.ts';
import type { ExposureRecorder } from './exposure-recorder.ts';
import { shopperSegment } from './shopper-segment.ts';

// Built once: this runs for every recommended item.
const keysOf = <K extends string>(names: readonly K[], key: (name: K) => string) => Object.fromEntries(names.map((name) => [name, key(name)])) as Record<K, string>;
const attributionKey = keysOf<ConceptKind>(conceptKinds, exposureKeys.attribution);
const topReasonKey = keysOf<ReasonCode>(reasonCodes, exposureKeys.topReason);
const holdsBackKey = keysOf<ReasonCode>(reasonCodes, exposureKeys.holdsBack);

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
      if (top && top.contribution > 0) counts.set(topReasonKey[top.code], 1);
      if (bottom && bottom.contribution < 0) counts.set(holdsBackKey[bottom.code], 1);
    }
    recorder.addAll(item.itemId, storeId, segment, day, counts);
  }
}
