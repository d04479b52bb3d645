/** The catalogue routes' request and response bodies. */
import { z } from 'zod';
import { itemId } from './common-schemas.ts';

export const catalogItemSchema = z.strictObject({
  id: itemId,
  name: z.string().min(1).max(200),
  category: z.string().min(1).max(100),
  brand: z.string().max(100),
  price: z.number().positive().describe('Unit price, > 0.'),
  promotion: z.boolean().describe('On promotion now.'),
  novelty: z.boolean().describe('A new arrival.'),
});

export const putCatalogBody = z
  .strictObject({ items: z.array(catalogItemSchema).min(1).max(50_000) })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.items.forEach((item, i) => {
      if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: ['items', i, 'id'], message: `duplicate item id "${item.id}"` });
      seen.add(item.id);
    });
  })
  .describe('Items to insert or update by id, all or nothing.');

const unscorableCause = z
  .enum(['not-in-model', 'not-in-catalog', 'category-unknown-to-model'])
  .describe('Why the served model cannot score the item; it is stored and listed, but never recommended.');

export const putCatalogResponse = z.object({
  inserted: z.int().nonnegative(),
  updated: z.int().nonnegative(),
  modelVersion: z.int().nullable().describe('The served model version, or null before the first release.'),
  unscorable: z.array(z.object({ itemId, cause: unscorableCause })).describe('Items of this request the served model cannot score.'),
});

export const catalogItemResponse = z.object({
  item: catalogItemSchema,
  modelVersion: z.int().nullable(),
  scorable: z.boolean(),
  unscorableCause: unscorableCause.optional(),
});
