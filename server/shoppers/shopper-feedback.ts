/**
 * POST /v1/feedback, transport-free. Every number is checked against what the server knows: the
 * item must be in the catalogue, the model version one the server has (stored or serving).
 * `never-show` joins the shopper's suppression list for good (applied at serving whatever version
 * serves); `not-relevant` hides the item for `notRelevantDays`. Both count as complaints in the
 * merchant view, through the sealed, noised daily counters, never as rows about a shopper.
 */
import { exposureKeys, feedbackCell, utcDay, type ExposureRecorder } from '../exposure/index.ts';
import { FedrecError } from '../errors/index.ts';
import type { FeedbackKind } from '../store/index.ts';
import { pseudonymize } from './pseudonym-key.ts';
import type { ShopperContext } from './shopper-rights.ts';

export interface FeedbackInput {
  shopperId?: string;
  itemId: string;
  modelVersion: number;
  recommendationId?: string;
  kind: FeedbackKind;
  rating?: number;
}

export interface FeedbackContext extends ShopperContext {
  exposure: ExposureRecorder;
  /** How long `not-relevant` hides an item from that shopper. */
  notRelevantDays: number;
  /** Whether the server has this model version (the served one, or one in the store). */
  knowsVersion: (version: number) => Promise<boolean>;
}

/** @example await submitFeedback(ctx, { shopperId: 's-1', itemId: 'i00012', modelVersion: 3, kind: 'never-show' }) */
export async function submitFeedback(ctx: FeedbackContext, input: FeedbackInput): Promise<{ recorded: true; suppressedUntil: string | null | undefined }> {
  const [item, known] = await Promise.all([ctx.store.getCatalogItem(input.itemId), ctx.knowsVersion(input.modelVersion)]);
  const issues = [
    ...(item ? [] : [{ path: ['body', 'itemId'], message: `no catalogue item "${input.itemId}"` }]),
    ...(known ? [] : [{ path: ['body', 'modelVersion'], message: `no model version ${input.modelVersion} on this server` }]),
  ];
  if (issues.length) throw new FedrecError('invalid-input', 'feedback names what this server does not know', issues);
  const now = ctx.clock();
  const until = input.kind === 'never-show' ? null : input.kind === 'not-relevant' ? new Date(now.getTime() + ctx.notRelevantDays * 86_400_000).toISOString() : undefined;
  const pseudonym = input.shopperId === undefined ? null : pseudonymize(ctx.pseudonymKey, input.shopperId);
  await ctx.store.addShopperFeedback(
    pseudonym,
    { itemId: input.itemId, modelVersion: input.modelVersion, recommendationId: input.recommendationId ?? null, kind: input.kind, rating: input.rating ?? null },
    until !== undefined && pseudonym !== null ? { itemId: input.itemId, reason: input.kind === 'never-show' ? 'never-show' : 'not-relevant', until } : undefined,
  );
  if (input.kind !== 'rating') {
    ctx.exposure.addAll(input.itemId, feedbackCell.storeId, feedbackCell.segment, utcDay(now), [exposureKeys.complaint(input.kind), exposureKeys.complaintByVersion(input.modelVersion)], [1, 1]);
  }
  return { recorded: true, suppressedUntil: pseudonym === null ? undefined : until };
}
