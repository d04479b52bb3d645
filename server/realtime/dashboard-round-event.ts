/**
 * What the dashboard namespace pushes when a round finishes: the round's public figures only. It
 * carries the job's released numbers (loss and the evaluation metrics, both noised releases, and
 * ε), and counts of store clients; never a shopper id, a history, or the un-noised per-round
 * counts of sampled shoppers and examples, which stay on the coordinator (server/rounds/job-view.ts).
 * The schema is strict, so a field added to RoundSummary does not reach browsers unnoticed.
 */
import { z } from 'zod';
import type { DashboardRoundEvent as PageRoundEvent } from '../../dashboard/round-event.ts';
import { baselineMetric } from '../privacy/index.ts';
import type { RoundSummary } from '../rounds/index.ts';

export const dashboardEvents = { roundFinished: 'round:finished' } as const;

const baselineMetrics = z.strictObject({ recallAt10: z.number(), ndcgAt10: z.number() });

export const dashboardRoundEvent = z.strictObject({
  jobId: z.string(),
  round: z.int().positive(),
  version: z.int().nonnegative(),
  loss: z.number(),
  recallAt10: z.number().nullable().describe('Federated DP evaluation of the round’s starting model; null on rounds that did not evaluate.'),
  ndcgAt10: z.number().nullable(),
  baselines: z
    .strictObject({ popularity: baselineMetrics, repeat: baselineMetrics })
    .nullable()
    .describe('The stores’ per-store popularity and personal-repeat baselines on the same cohort, released like recallAt10; null on rounds that did not evaluate them.'),
  epsilon: z.number().nullable().describe('Cumulative ε of the job after this round; null without DP.'),
  clients: z
    .strictObject({ invited: z.int().nonnegative(), answered: z.int().nonnegative(), abandoned: z.int().nonnegative(), dropped: z.int().nonnegative() })
    .describe('Invited = answered + abandoned (said it could not finish: `round:abandon`) + dropped (neither), as on /metrics.'),
  rejections: z.record(z.string(), z.int().nonnegative()).describe('Updates refused during the round, by reason (server/rounds/rejection-counts.ts).'),
});

export type DashboardRoundEvent = z.infer<typeof dashboardRoundEvent>;

// Fails to compile if the page reads a field this event does not send (or types it otherwise).
export type PageReadsWhatIsSent = DashboardRoundEvent extends PageRoundEvent ? true : never;
const pageReadsWhatIsSent: PageReadsWhatIsSent = true;
void pageReadsWhatIsSent;

/** The event for one finished round, parsed against the strict schema (a throw here is a bug, not input). */
export function roundEventOf(summary: RoundSummary): DashboardRoundEvent {
  const invited = summary.invited ?? summary.clients;
  const abandoned = Object.values(summary.abandoned ?? {}).reduce((a, b) => a + b, 0);
  return dashboardRoundEvent.parse({
    jobId: summary.jobId ?? 'unknown',
    round: summary.round,
    version: summary.version,
    loss: summary.loss,
    recallAt10: summary.metrics['recall@10'] ?? null,
    ndcgAt10: summary.metrics['ndcg@10'] ?? null,
    baselines: baselinesOf(summary.metrics),
    epsilon: summary.epsilon,
    clients: { invited, answered: summary.clients, abandoned, dropped: Math.max(0, invited - summary.clients - abandoned) },
    rejections: { ...summary.rejections },
  });
}

function baselinesOf(metrics: Record<string, number>): DashboardRoundEvent['baselines'] {
  const of = (name: 'popularity' | 'repeat') => ({ recallAt10: metrics[baselineMetric(name, 'recall@10')], ndcgAt10: metrics[baselineMetric(name, 'ndcg@10')] });
  const baselines = { popularity: of('popularity'), repeat: of('repeat') };
  return Object.values(baselines).every((b) => b.recallAt10 !== undefined && b.ndcgAt10 !== undefined) ? baselines : null;
}
