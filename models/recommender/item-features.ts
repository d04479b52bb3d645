/** The public, per-item side features the model reads, as typed arrays indexed like the model. */
import type { CatalogItem } from '../data/retail-world.ts';
import { descriptionTokens, type DescriptionTokens } from './description-tokens.ts';

export interface ItemFeatures {
  category: Int32Array;
  logPrice: Float32Array;
  promotion: Float32Array;
  novelty: Float32Array;
  /** The items' names as TF-IDF word vectors (`description-tokens.ts`). */
  description: DescriptionTokens;
}

/**
 * @example const features = itemFeatures(world.catalog, world.categories);
 */
export function itemFeatures(catalog: readonly CatalogItem[], categories: readonly string[]): ItemFeatures {
  const categoryIndex = new Map(categories.map((c, i) => [c, i]));
  const features: ItemFeatures = {
    category: new Int32Array(catalog.length),
    logPrice: new Float32Array(catalog.length),
    promotion: new Float32Array(catalog.length),
    novelty: new Float32Array(catalog.length),
    description: descriptionTokens(catalog.map((item) => item.name)),
  };
  catalog.forEach((item, i) => {
    const c = categoryIndex.get(item.category);
    if (c === undefined) throw new Error(`itemFeatures: item ${item.id} has category "${item.category}", not one of ${categories.length} known`);
    features.category[i] = c;
    features.logPrice[i] = Math.log(item.price);
    features.promotion[i] = item.promotion ? 1 : 0;
    features.novelty[i] = item.novelty ? 1 : 0;
  });
  return features;
}
