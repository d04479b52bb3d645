/** Schemas of the measurement routes: outcome events, the uplift, fairness and scorecard reports, settings and guardrails. */
import { z } from 'zod';
import { guardrailSettingsSchema, maxEventsPerBatch, maxImpressionItemsPerBatch, measurementSettingsSchema } from '../measurement/index.ts';
import { itemId } from './common-schemas.ts';
import { shopperId } from './shopper-schemas.ts';

const time = z.iso.datetime({ offset: true }).describe('ISO 8601; not in the future (5 minutes’ skew allowed), not older than the retention window.');
const eventId = z.string().min(1).max(128).describe('The app’s id of the event: a batch sent twice is stored once.');
const recommendationId = z.string().min(1).max(128).describe('The `recommendationId` of the response the items came from; it must have been issued to this shopper.');

const impression = z.strictObject({
  kind: z.literal('impression'),
  eventId,
  shopperId,
  recommendationId,
  items: z
    .array(z.strictObject({ itemId, position: z.int().min(1).max(100).describe('1-based rank shown at: must be the item’s rank in that recommendation.') }))
    .min(1)
    .max(100)
    .refine((items) => new Set(items.map((i) => i.itemId)).size === items.length, 'an item is listed twice'),
  time,
});
const interaction = z.strictObject({ kind: z.enum(['click', 'add-to-cart']), eventId, shopperId, itemId, recommendationId: recommendationId.optional(), time });
const purchase = z.strictObject({
  kind: z.literal('purchase'),
  eventId,
  shopperId,
  itemId,
  value: z.number().positive().max(1e7).describe('What the shopper paid for the line, in `currency`; at most the catalogue price × quantity.'),
  currency: z.string().regex(/^[A-Z]{3}$/).describe('ISO 4217; must be the deployment’s (measurement settings).'),
  quantity: z.int().min(1).max(999).default(1),
  recommendationId: recommendationId.optional(),
  time,
});

export const eventsBody = z
  .strictObject({ events: z.array(z.discriminatedUnion('kind', [impression, interaction, purchase])).min(1).max(maxEventsPerBatch) })
  .refine((b) => b.events.reduce((n, e) => n + (e.kind === 'impression' ? e.items.length : 0), 0) <= maxImpressionItemsPerBatch, { message: `at most ${maxImpressionItemsPerBatch} impression items in one batch`, path: ['events'] })
  .describe(`Up to ${maxEventsPerBatch} events (and ${maxImpressionItemsPerBatch} impression items) a batch, all or nothing.`);

export const eventsResponse = z.object({ received: z.int(), stored: z.int().describe('Rows stored (an impression is one row per item).'), duplicates: z.int().describe('Rows already stored by an earlier send.') });

/** A calendar day that exists (0000-00-00 and 2026-02-30 match the pattern, not the calendar). */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00.000Z`);
    return Number.isFinite(t) && t >= 0 && new Date(t).toISOString().slice(0, 10) === d;
  }, 'not a calendar day (1970 or later)');
const periodShape = { from: day.optional().describe('First day (UTC), inclusive; default 28 days before `to`.'), to: day.optional().describe('Last day (UTC), inclusive; default yesterday.') };
const orderedPeriod = (q: { from?: string; to?: string }, ctx: z.RefinementCtx) => {
  if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after `to`' });
};
export const periodQuery = z.strictObject(periodShape).superRefine(orderedPeriod);

const interval = z.object({ low: z.number(), high: z.number() });
const difference = z.object({ difference: z.number(), low: z.number().nullable(), high: z.number().nullable() });
const group = z.object({
  shoppers: z.int(), converted: z.int(), conversionRate: z.number(), conversionInterval: interval.describe('Wilson 95%.'),
  revenue: z.number(), revenuePerShopper: z.number(), impressions: z.int(), clicks: z.int(), clickThrough: z.number(), clickThroughInterval: interval.describe('Wilson 95% (impressions treated as independent).'),
});
const periodOut = z.object({ fromDay: z.string(), toDay: z.string() });

export const upliftResponse = z.object({
  period: periodOut,
  prePeriod: periodOut.describe('CUPED’s covariate period: the same number of days just before.'),
  currency: z.string(),
  minCohort: z.int(),
  noised: z.literal(false).describe('Not noised: the retailer’s own shoppers’ purchases, released as group means only, each group at least minCohort shoppers.'),
  groups: z.object({ treatment: group, holdout: group }),
  withheld: z.boolean(),
  reason: z.string().optional(),
  difference: z.object({ conversionRate: difference.describe('Newcombe hybrid score 95%.'), revenuePerShopper: difference.extend({ df: z.number().nullable() }).describe('Welch 95%, Welch–Satterthwaite df.'), clickThrough: difference }).optional().describe('Treatment minus holdout.'),
  cuped: z.object({ theta: z.number(), correlation: z.number(), varianceRatio: z.number().describe('1 − ρ²: adjusted variance ÷ unadjusted.'), varianceReduction: z.number().describe('ρ²: the share of variance removed.'), revenuePerShopper: difference.extend({ df: z.number().nullable() }) }).optional(),
});

const groupExposure = z.object({ group: z.string(), items: z.int(), catalogueShare: z.number(), exposure: z.number(), exposureShare: z.number(), purchases: z.number(), meritShare: z.number().nullable(), gapToMerit: z.number().nullable(), gapToCatalogue: z.number() });
const largestGap = z.object({ dimension: z.string(), group: z.string(), against: z.enum(['merit', 'catalogue']), exposureShare: z.number(), comparedShare: z.number(), gap: z.number() }).nullable();

const segmentsReport = z
    .discriminatedUnion('available', [
      z.object({ available: z.literal(false), reason: z.string() }),
      z.object({
        available: z.literal(true),
        source: z.enum(['dp-federated-evaluation', 'federated-evaluation']),
        version: z.int().describe('The serving version.'),
        jobId: z.string(),
        round: z.int().describe('The job’s latest round at or before the version’s that released recall@10 by segment.'),
        segments: z.array(z.object({ segment: z.enum(['new', 'occasional', 'regular']), 'recall@10': z.number(), 'ndcg@10': z.number(), evaluated: z.int().describe('The segment’s evaluated cohort, noised with DP.') })),
        largestGap: z.object({ highest: z.string(), lowest: z.string(), gap: z.number() }).describe('Highest minus lowest recall@10 across segments; reported beside the exposure gap (different units), not merged into it.'),
      }),
    ])
    .describe('Recall@10 by shopper segment (new: 0 purchases read, occasional: 1–5, regular: 6+), from the serving version’s job’s DP federated evaluation.');

export const fairnessResponse = z.object({
  period: periodOut,
  source: z.literal('sealed-noised-daily-counters'),
  recommendations: z.number(),
  exposure: z.number(),
  purchases: z.number(),
  priceBands: z.object({ lowBelow: z.number(), highFrom: z.number() }),
  dimensions: z.object({ category: z.array(groupExposure), brand: z.array(groupExposure), 'price-band': z.array(groupExposure), newness: z.array(groupExposure) }),
  largestGap: largestGap.describe('The group whose exposure share is furthest from its merit (purchase) share; from its catalogue share while no purchase is counted.'),
  segments: segmentsReport,
});

const consentPoint = z.object({ at: z.string(), asked: z.int(), optInRate: z.number().nullable(), optOutRate: z.number().nullable() });
export const scorecardQuery = z.strictObject({ ...periodShape, format: z.enum(['json', 'md']).default('json').describe('md: the one-page markdown in `markdown`, besides the figures.') }).superRefine(orderedPeriod);
export const scorecardResponse = z.object({
  period: periodOut,
  generatedAt: z.string(),
  consent: consentPoint.extend({ trend: z.array(consentPoint), optInChange: z.number().nullable(), optOutChange: z.number().nullable() }),
  complaints: z.object({ complaints: z.int(), impressions: z.int(), perThousandImpressions: z.number().nullable() }),
  suppressionList: z.object({ suppressions: z.int(), shoppers: z.int() }),
  privacy: z.object({ servingVersion: z.int().nullable(), servingEpsilon: z.number().nullable(), lifetimeEpsilon: z.number().nullable(), lifetimeBudget: z.number().nullable(), delta: z.number() }),
  uplift: z.object({ withheld: z.boolean(), currency: z.string(), groups: z.object({ treatment: group, holdout: group }), revenuePerShopper: difference.nullable(), conversionRate: difference.nullable(), cupedRevenuePerShopper: difference.extend({ varianceReduction: z.number() }).nullable(), reason: z.string().optional() }),
  largestFairnessGap: largestGap,
  segmentRecall: segmentsReport,
  approval: z.object({ version: z.int(), approval: z.object({ by: z.string(), at: z.string(), reason: z.string(), gates: z.array(z.object({ gate: z.string(), value: z.number().nullable(), threshold: z.number(), passed: z.boolean(), source: z.string() })) }).nullable() }).nullable(),
  auditChain: z.object({ ok: z.boolean(), entries: z.int(), head: z.string(), firstBadEntry: z.int().nullable() }),
  markdown: z.string().optional(),
});

export const measurementSettingsBody = measurementSettingsSchema.partial();
export const measurementSettingsResponse = z.object({ holdoutShare: z.number(), retentionDays: z.int(), currency: z.string() });

export const guardrailSettingsBody = guardrailSettingsSchema;
export const guardrailSettingsResponse = z.object({
  guardrails: z.array(z.object({ name: z.string(), metric: z.string(), windowDays: z.int(), baseline: z.string(), maxExcess: z.number(), minBase: z.int() })),
  checkEveryMinutes: z.int(),
});

const rate = z.object({ count: z.int(), base: z.int(), rate: z.number() }).nullable();
export const guardrailCheckResponse = z.object({
  at: z.string(),
  results: z.array(z.object({
    name: z.string(), metric: z.string(), baseline: z.string(), window: z.object({ from: z.string(), to: z.string() }), servingVersion: z.int().nullable(), baselineVersion: z.int().nullable(),
    subject: rate, compared: rate, maxExcess: z.number(), excess: z.number().nullable(), crossed: z.boolean(), reason: z.string().optional(),
  })),
  killed: z.object({ version: z.int(), guardrail: z.string(), servingNow: z.int().nullable() }).nullable().describe('The version this check killed (serving fell back), if a guardrail was crossed.'),
});

export const retentionResponse = z.object({ before: z.string(), retentionDays: z.int(), events: z.int(), recommendations: z.int() });
