/** The shopper-rights routes' schemas: preferences, the access export, the erasure receipt, feedback. */
import { z } from 'zod';
import { consentChoices, feedbackKinds } from '../store/index.ts';
import { itemId } from './common-schemas.ts';

export const shopperId = z.string().min(1).max(256).describe('The retailer’s opaque shopper id. fedrec never stores or logs it: it keys what it keeps by HMAC-SHA-256(pseudonym key, shopperId).');

export const shopperParams = z.strictObject({ shopperId });

const name = z.string().min(1).max(100);
const time = z.string().describe('ISO 8601, the server’s clock.');

const consentRecord = z.object({
  purpose: z.literal('personalisation'),
  choice: z.enum(consentChoices),
  time,
  noticeVersion: z.string(),
  source: z.string(),
});

export const preferencesResponse = z.object({
  consent: z.enum(consentChoices).describe('never-asked is served non-personalised (opt-in).'),
  consentRecord: consentRecord.nullable().describe('The current consent record; null when never asked.'),
  doNotTarget: z.boolean(),
  excludedCategories: z.array(z.string()),
  excludedBrands: z.array(z.string()),
  updatedAt: time.nullable(),
});

export const putPreferencesBody = z.strictObject({
  consent: z
    .strictObject({
      choice: z.enum(consentChoices),
      noticeVersion: name.describe('The version of the privacy notice the shopper was shown.'),
      source: name.describe('Where the choice was made (app-settings, cookie-banner, …).'),
    })
    .optional()
    .describe('Omitted: the stored consent stays. The record’s time is the server’s.'),
  doNotTarget: z.boolean().default(false),
  excludedCategories: z.array(name).max(100).default([]),
  excludedBrands: z.array(name).max(100).default([]),
});

const feedbackRecord = z.object({ itemId: z.string(), modelVersion: z.int(), recommendationId: z.string().nullable(), kind: z.enum(feedbackKinds), rating: z.int().nullable(), createdAt: time });
const suppressionRecord = z.object({ itemId: z.string(), reason: z.enum(['never-show', 'not-relevant']), until: time.nullable(), createdAt: time });

export const shopperDataResponse = z.object({
  format: z.literal('fedrec-shopper-export-1'),
  exportedAt: time,
  preferences: preferencesResponse.nullable(),
  consentHistory: z.array(consentRecord).describe('Every consent record, oldest first.'),
  feedback: z.array(feedbackRecord),
  suppressions: z.array(suppressionRecord),
  experimentAssignments: z
    .array(z.object({ experiment: z.literal('personalisation-holdout'), group: z.enum(['treatment', 'holdout']), share: z.number(), assignedAt: time }))
    .describe('The shopper’s holdout assignment, once served by name: the group, and the holdout share when assigned.'),
  outcomeEvents: z
    .array(z.object({ eventId: z.string(), kind: z.string(), recommendationId: z.string().nullable(), itemId: z.string(), position: z.int().nullable(), value: z.number().nullable(), currency: z.string().nullable(), modelVersion: z.int().nullable(), group: z.string(), at: time }))
    .describe('The app’s outcome events about the shopper, kept for the retention window.'),
});

export const erasureResponse = z.object({
  erased: z
    .object({ preferences: z.int(), consentRecords: z.int(), suppressions: z.int(), feedback: z.int(), experimentAssignments: z.int(), issuedRecommendations: z.int(), outcomeEvents: z.int() })
    .describe('Rows removed, by kind.'),
  total: z.int(),
  at: time,
});

export const feedbackBody = z
  .strictObject({
    shopperId: shopperId.optional(),
    itemId,
    modelVersion: z.int().nonnegative().describe('The version that served the item (`modelVersion` of the response); must be one this server has.'),
    recommendationId: z.string().min(1).max(128).optional(),
    kind: z.enum(feedbackKinds),
    rating: z.int().min(1).max(5).optional().describe('1–5, with kind rating only.'),
  })
  .superRefine((body, ctx) => {
    if (body.kind === 'rating' && body.rating === undefined) ctx.addIssue({ code: 'custom', path: ['rating'], message: 'a rating needs a value 1–5' });
    if (body.kind !== 'rating' && body.rating !== undefined) ctx.addIssue({ code: 'custom', path: ['rating'], message: 'only kind rating takes a rating' });
  });

export const feedbackResponse = z.object({
  recorded: z.literal(true),
  suppressedUntil: time.nullable().optional().describe('For a named shopper: null (never-show, for good) or when not-relevant stops hiding the item; absent for a rating or anonymous feedback.'),
});

/** `Sec-GPC: 1` (Global Privacy Control, https://privacycg.github.io/gpc-spec/): any other value, or none, is no signal. */
export const gpcHeaders = z.object({
  'sec-gpc': z.string().optional().describe('Global Privacy Control: `1` is served as do-not-target (non-personalised), whatever the stored consent.'),
});

export const complaintsQuery = z.strictObject({
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
});

// Flat objects with optional fields, not unions: the compiled serializer writes exactly the listed properties.
const rate = {
  withheld: z.boolean().describe('true: fewer recommendations than the minimum cohort; only `reason` is given.'),
  reason: z.string().optional(),
  recommended: z.int().optional(),
  complaints: z.int().optional(),
  perThousand: z.number().optional(),
};
const byKind = { notRelevant: z.int().optional(), neverShow: z.int().optional() };

export const complaintsResponse = z.object({
  denominator: z.literal('recommendations-served').describe('Complaints (not-relevant and never-show feedback) per 1,000 recommendations served; impressions once they are recorded.'),
  minCohort: z.int(),
  filter: z.object({ fromDay: z.string().optional(), toDay: z.string().optional() }),
  items: z.array(z.object({ itemId: z.string(), category: z.string(), ...rate, ...byKind })),
  categories: z.array(z.object({ category: z.string(), ...rate, ...byKind })),
  modelVersions: z.array(z.object({ modelVersion: z.int(), ...rate }).describe('Complaints of either kind, under the version the feedback named.')),
});
