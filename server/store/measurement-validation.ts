/** What both stores accept for measurement records, checked before anything is written (see `store-validation.ts`). */
import { z } from 'zod';
import { experimentGroups, outcomeKinds } from './measurement-records.ts';
import { pseudonym } from './shopper-validation.ts';

const text = z.string().min(1).max(200);
const time = z.iso.datetime({ offset: true });
const group = z.enum(experimentGroups);

export const holdoutAssignmentInput = z.object({ pseudonym, group, share: z.number().min(0).max(1), assignedAt: time });

export const issuedRecommendationInput = z.object({
  id: text,
  pseudonym,
  group,
  modelVersion: z.int().nonnegative().nullable(),
  items: z.array(text).max(100),
  issuedAt: time,
});

export const outcomeEventInput = z.object({
  eventId: text,
  pseudonym,
  kind: z.enum(outcomeKinds),
  recommendationId: text.nullable(),
  itemId: text,
  position: z.int().positive().max(100).nullable(),
  value: z.number().nonnegative().nullable(),
  currency: z.string().regex(/^[A-Z]{3}$/).nullable(),
  modelVersion: z.int().nonnegative().nullable(),
  group,
  at: time,
});
