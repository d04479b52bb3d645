/**
 * A finished round as the dashboard namespace sends it. The server's zod schema
 * (server/realtime/dashboard-round-event.ts) is the source of truth; it checks at compile time
 * that what it sends is assignable to this, so the page cannot read a field that is not sent.
 */
export interface DashboardRoundEvent {
  jobId: string;
  round: number;
  version: number;
  loss: number;
  recallAt10: number | null;
  ndcgAt10: number | null;
  /** The stores' popularity and repeat baselines on the same cohort; null on rounds that did not evaluate them. */
  baselines: { popularity: { recallAt10: number; ndcgAt10: number }; repeat: { recallAt10: number; ndcgAt10: number } } | null;
  epsilon: number | null;
  /** invited = answered + abandoned + dropped. */
  clients: { invited: number; answered: number; abandoned: number; dropped: number };
  rejections: Record<string, number>;
}
