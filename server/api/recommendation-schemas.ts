/**
 * POST /v1/recommendations: the request (a shopper's history and context travel in it, and the
 * server keeps none of it) and the explained response.
 */
import { z } from 'zod';
import { reasonCodes } from '../../explain/index.ts';
import { itemId, storeId } from './common-schemas.ts';
import { shopperId } from './shopper-schemas.ts';

const time = z.iso.datetime({ offset: true });

export const recommendationRequest = z
  .strictObject({
    history: z
      .array(z.strictObject({ itemId, time: time.optional() }))
      .max(1000)
      .default([])
      .describe('Past purchases, oldest first; if every entry has a time, they are ordered by it. Only the most recent 20 known items are read.'),
    context: z.strictObject({ storeId, time: time.optional().describe('When the request is made (not read by the current model).') }),
    shopperId: shopperId.optional().describe('Names the shopper: the response is served from their stored choices (consent, do-not-target, exclusions, suppression list), which `personalization` can only narrow. Never stored or logged.'),
    personalization: z.boolean().describe('The shopper consents to personalisation. false: the history is not read at all, and results are the store’s non-personalised ones. With a shopperId it can only narrow the stored consent: true does not personalise a shopper who opted out or was never asked.'),
    k: z.int().min(1).max(100).default(10),
    exclude: z.array(itemId).max(1000).optional().describe('Item ids never to recommend (the shopper’s "never show me").'),
    excludeCategories: z.array(z.string().min(1).max(100)).max(100).optional(),
    explain: z.boolean().default(true).describe('false: ranked items with scores only, no attributions or reasons (used by the serving benchmark).'),
  })
  .superRefine((body, ctx) => {
    const timed = body.history.filter((entry) => entry.time !== undefined).length;
    if (timed > 0 && timed < body.history.length) ctx.addIssue({ code: 'custom', path: ['history'], message: 'give a time on every history entry or on none' });
  });

const reasonParams = z.record(z.string(), z.union([z.string(), z.number()]));


const attribution = z.object({
  concept: z.string().describe('`purchase:<itemId>` for one past purchase (repeats merged), else the concept kind.'),
  code: z.enum(reasonCodes),
  params: reasonParams,
  contribution: z.number().describe('Exact Shapley value of the concept (Shapley 1953).'),
  phrase: z.string(),
});

const recommendedItem = z.object({
  rank: z.int().positive(),
  itemId,
  name: z.string(),
  category: z.string(),
  price: z.number(),
  score: z.number().describe('= baseline + Σ attributions[].contribution (explained items).'),
  baseline: z.number().optional().describe('The score with every concept absent: the item’s global appeal.'),
  method: z.enum(['exact-shapley', 'brute-force-shapley', 'integrated-gradients']).optional(),
  attributions: z.array(attribution).optional().describe('Concepts that moved the score, largest lift first.'),
  reasonConcepts: z
    .array(z.string())
    .optional()
    .describe('The `concept`s of the attributions the sentence was built from, in sentence order (their codes and params are in `attributions`).'),
  reason: z.string().optional().describe('One plain-language sentence.'),
  completenessError: z
    .number()
    .nonnegative()
    .optional()
    .describe('Only for a method that is not exact (integrated-gradients): score is still baseline + Σ contributions, and the model’s own score differs from it by this much.'),
});

export const recommendationResponse = z.object({
  recommendationId: z.string().describe('This response’s id: outcome events (`POST /v1/events`) and feedback name it.'),
  modelVersion: z.int().nullable().describe('The model version that served this response; null when no approved version serves (servedBy store-ranking).'),
  servedBy: z
    .enum(['model', 'store-ranking'])
    .describe('model: the version an approver put in serving. store-ranking: a kill left no approved version, so items come from the catalogue alone (promotions, then new arrivals), not personalised, and each reason says so.'),
  personalized: z.boolean(),
  store: z.object({ id: storeId, known: z.boolean().describe('false: the model has no such store; popularity at the store is left out.') }),
  items: z.array(recommendedItem),
  ignoredHistory: z.array(itemId).describe('History item ids the served model cannot read.'),
  historyRead: z.int().nonnegative(),
  choices: z
    .object({
      shopper: z.boolean().describe('The request named a shopper, and their stored choices were applied.'),
      consent: z.enum(['opted-in', 'opted-out', 'never-asked']).nullable().describe('The stored consent; null without a shopperId.'),
      doNotTarget: z.boolean(),
      globalPrivacyControl: z.boolean().describe('Sec-GPC: 1 was sent: served as do-not-target.'),
      excludedCategories: z.array(z.string()).describe('Stored category exclusions applied (the request’s own come on top).'),
      excludedBrands: z.array(z.string()),
      suppressedItems: z.int().nonnegative().describe('Items of the shopper’s suppression list in force (never-show; not-relevant until it ends).'),
    })
    .describe('Which choices this response honoured.'),
  experiment: z
    .object({ group: z.enum(['treatment', 'holdout']).nullable().describe('The named shopper’s fixed group: holdout shoppers get the non-personalised ranking. null without a shopperId.') })
    .describe('The personalisation holdout experiment (`GET /v1/reports/uplift`).'),
});
