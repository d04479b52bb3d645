/**
 * What `/metrics` exposes, through prom-client (Prometheus text format 0.0.4). One registry per
 * server, not prom-client's global one, so two servers in one process (tests, the bench) never mix
 * their series. Every series is named here; the route table only renders the registry, the host
 * feeds rounds and releases in through the coordinator's `onRound` / `onRelease` callbacks, and
 * refusals of store clients' messages are read from the coordinator's own counts at each scrape
 * (`countRejectionsFrom`), so the engine keeps one tally and nothing reports them twice.
 *
 * Labels are bounded sets (route patterns, not URLs; error codes; job ids, one per job), so a
 * hostile caller cannot grow the registry by sending odd paths.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { abandonReasons } from '../../protocol/index.ts';

/** How an invited client's round ended, as `fedrec_round_clients_total` labels it: the outcomes add up to the invited clients. */
const roundOutcomes = ['answered', 'abandoned', 'dropped'] as const;
type RoundOutcome = (typeof roundOutcomes)[number];

export class ServiceMetrics {
  readonly registry = new Registry();
  readonly requestDuration = new Histogram({
    name: 'fedrec_http_request_duration_seconds',
    help: 'REST request duration, by route pattern (unmatched: any path no route serves), method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    // Serving answers in about a millisecond; uploads and job starts take longer.
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [this.registry],
  });
  readonly roundsCompleted = new Counter({ name: 'fedrec_rounds_completed_total', help: 'Training rounds released, by job.', labelNames: ['job'] as const, registers: [this.registry] });
  readonly roundDuration = new Histogram({
    name: 'fedrec_round_duration_seconds',
    help: 'Wall time of a released round, from inviting the clients to the stored model.',
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  readonly roundClients = new Counter({
    name: 'fedrec_round_clients_total',
    help: 'Clients per released round, each invited client once: answered (update accepted), abandoned (said it could not finish by the deadline), dropped (neither).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly lastRoundClients = new Gauge({ name: 'fedrec_last_round_clients', help: 'Clients of the last released round, by outcome.', labelNames: ['outcome'] as const, registers: [this.registry] });
  private readonly rejectedMessages = tallyCounter(this.registry, 'fedrec_rejected_client_messages_total', 'Store-client handshakes and messages refused, by reason (the closed set in server/rounds/rejection-counts.ts).');
  private readonly abandonedRounds = tallyCounter(this.registry, 'fedrec_round_abandonments_total', 'Round attempts a store client abandoned, by reason (protocol abandonReasons), in every round, released or not.', abandonReasons);
  readonly epsilonSpent = new Gauge({ name: 'fedrec_job_epsilon_spent', help: 'Privacy spent by a job so far (ε at its δ), after its last released round.', labelNames: ['job'] as const, registers: [this.registry] });
  readonly servedModelVersion = new Gauge({ name: 'fedrec_served_model_version', help: 'The model version serving answers from (0: none).', registers: [this.registry] });
  readonly recommendations = new Counter({ name: 'fedrec_recommendations_total', help: 'Recommendation responses, by whether the history was read.', labelNames: ['personalization'] as const, registers: [this.registry] });

  constructor(options: { processMetrics?: boolean } = {}) {
    // CPU, memory, event-loop lag, handles, GC: prom-client's defaults (`process_*`, `nodejs_*`).
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.servedModelVersion.set(0);
    for (const outcome of roundOutcomes) this.roundClients.inc({ outcome }, 0);
    for (const personalization of ['true', 'false']) this.recommendations.inc({ personalization }, 0);
  }

  /**
   * One released round (`onRound`). `invited` is how many clients were asked (without it nobody
   * counts as dropped); `abandoned` the invited clients that said they would not answer, by reason.
   */
  recordRound(round: { jobId: string; clients: number; invited?: number; abandoned?: Record<string, number>; epsilon: number | null; wallMs?: number }): void {
    this.roundsCompleted.inc({ job: round.jobId });
    if (round.wallMs !== undefined) this.roundDuration.observe(round.wallMs / 1000);
    const abandoned = Object.values(round.abandoned ?? {}).reduce((n, count) => n + count, 0);
    const counts: Record<RoundOutcome, number> = { answered: round.clients, abandoned, dropped: Math.max(0, (round.invited ?? round.clients) - round.clients - abandoned) };
    for (const outcome of roundOutcomes) {
      this.roundClients.inc({ outcome }, counts[outcome]);
      this.lastRoundClients.set({ outcome }, counts[outcome]);
    }
    if (round.epsilon !== null) this.epsilonSpent.set({ job: round.jobId }, round.epsilon);
  }

  /** Where the refusal counts come from (the coordinator's running tally, read at each scrape). */
  countRejectionsFrom(snapshot: () => Record<string, number>): void {
    this.rejectedMessages.readFrom(snapshot);
  }

  /** Where the abandonment counts come from (the coordinator's running tally over every round, read at each scrape). */
  countAbandonmentsFrom(snapshot: () => Record<string, number>): void {
    this.abandonedRounds.readFrom(snapshot);
  }

  recordServedVersion(version: number): void {
    this.servedModelVersion.set(version);
  }

  recordRecommendation(personalized: boolean): void {
    this.recommendations.inc({ personalization: String(personalized) });
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}

/**
 * A counter by reason that mirrors a running tally kept elsewhere (reason → count), read again at
 * each scrape through prom-client's `collect` hook: the engine keeps the one tally, and the
 * exposition can neither lag it nor count it twice. `known` reasons are exposed at 0 before they
 * first occur.
 */
function tallyCounter(registry: Registry, name: string, help: string, known: readonly string[] = []): { readFrom(snapshot: () => Record<string, number>): void } {
  let snapshot: () => Record<string, number> = () => ({});
  new Counter({
    name,
    help,
    labelNames: ['reason'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const reason of known) this.inc({ reason }, 0);
      for (const [reason, count] of Object.entries(snapshot())) this.inc({ reason }, count);
    },
  });
  return { readFrom: (read) => (snapshot = read) };
}
