/** GET /v1/items/:itemId/explanation: the merchant view of one item. */
import { z } from 'zod';
import { conceptKinds, reasonCodes } from '../../explain/index.ts';
import { shopperSegments } from '../exposure/index.ts';
import { storeId } from './common-schemas.ts';

const day = z.iso.date();

export const itemExplanationQuery = z
  .strictObject({
    store: storeId.optional(),
    segment: z.enum(shopperSegments).optional(),
    from: day.optional().describe('First UTC day, inclusive (YYYY-MM-DD).'),
    to: day.optional().describe('Last UTC day, inclusive (YYYY-MM-DD).'),
  })
  .superRefine((query, ctx) => {
    if (query.from && query.to && query.from > query.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  });

const perConcept = z.partialRecord(z.enum(conceptKinds), z.number());

const reasonShare = z.object({
  code: z.enum(reasonCodes),
  concept: z.enum(conceptKinds).nullable(),
  share: z.number().describe('Share of explained recommendations.'),
  phrase: z.string().describe('The reason in words, for a merchant (it names no shopper).'),
});

const breakdown = z.union([
  z.object({
    withheld: z.literal(false),
    recommended: z.int().nonnegative(),
    explained: z.int().nonnegative(),
    topReasonShare: perConcept.describe('Share of explained recommendations whose largest positive attribution was this concept.'),
    meanAttribution: perConcept.describe('Mean attribution of the concept over explained recommendations (0 where it took no part).'),
    holdsBackShare: perConcept.describe('Share of explained recommendations whose most negative attribution was this concept.'),
    topReasons: z.array(reasonShare).describe('Why it is surfaced: the reason of the largest positive attribution, by code, most often first.'),
    heldBackBy: z.array(reasonShare).describe('What holds it back: the reason of the most negative attribution, by code, most often first.'),
    mostlyHeldBackBy: reasonShare
      .extend({ sentence: z.string().describe('e.g. "Held back by: price above the shopper’s usual range."') })
      .nullable()
      .describe('The first of heldBackBy, or null if nothing ever held it back.'),
  }),
  z.object({ withheld: z.literal(true), reason: z.string().describe('Why the cohort is not shown (too few recommendations).') }),
]);

export const itemExplanationResponse = z.object({
  itemId: z.string(),
  filter: z.object({ storeId: z.string().optional(), segment: z.string().optional(), fromDay: z.string().optional(), toDay: z.string().optional() }),
  minCohort: z.int().positive(),
  overall: breakdown,
  segments: z.record(z.enum(shopperSegments), breakdown).optional().describe('Per shopper segment, when no segment was asked for.'),
});
