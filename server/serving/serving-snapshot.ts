/**
 * Everything one served model version needs to answer a request, built once and never mutated: the
 * scorer, the item features read from the catalogue, the id ↔ index maps, and the fast catalogue
 * scorer with its score buffer. `ServedModel` swaps whole snapshots, so a request that holds one sees a single version.
 */
import type { CatalogItem } from '../../client-sim/world/index.ts';
import type { ReasonVocabulary } from '../../explain/index.ts';
import type { ItemFeatures, ModelMeta, ModelWeights } from '../../models/index.ts';
// Values come from their modules, not models/index.ts: that index also re-exports the tfjs training
// graph and backend, and loading tfjs has no place in the serving process.
import { ConceptScorer } from '../../models/recommender/concept-scorer.ts';
import { modelMeta } from '../../models/recommender/initialize-weights.ts';
import { descriptionTokens } from '../../models/recommender/description-tokens.ts';
import { CatalogueScorer } from './catalogue-scorer.ts';

/** Why a catalogue item cannot be scored by a version, as data. */
export type UnscorableCause = 'not-in-model' | 'not-in-catalog' | 'category-unknown-to-model';

export interface ServingSnapshot {
  version: number;
  releasedAt: string;
  weights: ModelWeights;
  meta: ModelMeta;
  scorer: ConceptScorer;
  itemIndex: ReadonlyMap<string, number>;
  storeIndex: ReadonlyMap<string, number>;
  /** The catalogue entry of each model item (undefined when the catalogue lacks it). */
  items: readonly (CatalogItem | undefined)[];
  /** 1 where the item can be scored: in the catalogue, with a category the model knows. */
  scorable: Uint8Array;
  /** Model indices that cannot be scored (masked out of every ranking). */
  unscorable: Int32Array;
  /** Scorable model indices by catalogue category, for `excludeCategories`. */
  itemsByCategory: ReadonlyMap<string, Int32Array>;
  vocabulary: ReasonVocabulary;
  /** Scores the whole catalogue into a buffer reused by every request on this snapshot (scoring is synchronous). */
  catalogueScorer: CatalogueScorer;
}

/**
 * @example const snapshot = buildSnapshot(3, weights, catalogById, new Date().toISOString());
 */
export function buildSnapshot(version: number, weights: ModelWeights, catalog: ReadonlyMap<string, CatalogItem>, releasedAt: string): ServingSnapshot {
  const meta = modelMeta(weights);
  const { shape } = meta;
  const categoryIndex = new Map(meta.categories.map((c, i) => [c, i]));
  const items = meta.itemIds.map((id) => catalog.get(id));
  const features: ItemFeatures = {
    category: new Int32Array(shape.items),
    logPrice: new Float32Array(shape.items),
    promotion: new Float32Array(shape.items),
    novelty: new Float32Array(shape.items),
    // From the names of the model's items in model order, as training built them from its catalogue.
    description: descriptionTokens(items.map((item) => item?.name)),
  };
  const scorable = new Uint8Array(shape.items);
  const byCategory = new Map<string, number[]>();
  items.forEach((item, i) => {
    const category = item && categoryIndex.get(item.category);
    if (!item || category === undefined) return;
    scorable[i] = 1;
    features.category[i] = category;
    features.logPrice[i] = Math.log(item.price);
    features.promotion[i] = item.promotion ? 1 : 0;
    features.novelty[i] = item.novelty ? 1 : 0;
    const members = byCategory.get(item.category);
    if (members) members.push(i);
    else byCategory.set(item.category, [i]);
  });
  const unscorable: number[] = [];
  scorable.forEach((flag, i) => flag || unscorable.push(i));
  // Reasons only ever name scorable items (history and candidates are both filtered), which have an entry.
  const entry = (i: number): CatalogItem => items[i]!;
  const scorer = new ConceptScorer(shape, weights, features);
  return {
    version,
    releasedAt,
    weights,
    meta,
    scorer,
    itemIndex: new Map(meta.itemIds.map((id, i) => [id, i])),
    storeIndex: new Map(meta.storeIds.map((id, i) => [id, i])),
    items,
    scorable,
    unscorable: Int32Array.from(unscorable),
    itemsByCategory: new Map([...byCategory].map(([c, members]) => [c, Int32Array.from(members)])),
    vocabulary: {
      itemId: (i) => meta.itemIds[i],
      itemName: (i) => entry(i).name,
      itemCategory: (i) => entry(i).category,
      itemPrice: (i) => entry(i).price,
      storeId: (s) => meta.storeIds[s],
    },
    catalogueScorer: new CatalogueScorer(scorer, weights),
  };
}

/**
 * Why `itemId` cannot be scored by this snapshot, or undefined when it can.
 * @example unscorableCause(snapshot, 'i09999', true) // 'not-in-model'
 */
export function unscorableCause(snapshot: ServingSnapshot, itemId: string, inCatalog: boolean): UnscorableCause | undefined {
  const index = snapshot.itemIndex.get(itemId);
  if (index === undefined) return 'not-in-model';
  if (snapshot.scorable[index]) return undefined;
  return inCatalog ? 'category-unknown-to-model' : 'not-in-catalog';
}
