/** What both stores accept for shopper records, checked before anything is written (see `store-validation.ts`). */
import { z } from 'zod';
import { consentChoices, feedbackKinds, suppressionReasons } from './shopper-records.ts';

/** A pseudonym is a lower-case hex HMAC-SHA-256: anything else (a raw id) is refused. */
export const pseudonym = z.string().regex(/^[0-9a-f]{64}$/, 'must be a pseudonym (hex HMAC-SHA-256), never a raw shopper id');

const text = z.string().min(1).max(200);
const time = z.iso.datetime({ offset: true });

export const consentRecord = z.object({ purpose: z.literal('personalisation'), choice: z.enum(consentChoices), time, noticeVersion: text, source: text });

export const preferencesInput = z.object({
  consent: consentRecord.nullable(),
  doNotTarget: z.boolean(),
  excludedCategories: z.array(text).max(100),
  excludedBrands: z.array(text).max(100),
});

export const feedbackInput = z.object({
  itemId: text,
  modelVersion: z.int().nonnegative(),
  recommendationId: text.nullable(),
  kind: z.enum(feedbackKinds),
  rating: z.int().min(1).max(5).nullable(),
});

export const suppressionInput = z.object({ itemId: text, reason: z.enum(suppressionReasons), until: time.nullable() });
