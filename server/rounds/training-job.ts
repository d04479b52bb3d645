/**
 * Runs one federated training job round by round (DP-FedAvg, McMahan et al. 2018, with the
 * privacy unit one shopper): invite the connected clients, collect validated update sums until all
 * answered or the deadline, add N(0, (σC)²) to the sum once, divide by the expected number of
 * sampled shoppers qN (a fixed denominator, so one shopper's presence changes it by at most C),
 * take the server optimizer step, persist the privacy spend, and only then release the model.
 */
import { randomBytes } from 'node:crypto';
import { roundAbandonSchema, type AbandonReason } from '../../protocol/index.ts';
import { toFedrecError } from '../errors/index.ts';
import { PrivacyAccountant, PrivacyLedger, baselineMetric, baselineNames, noiseMetricSums, releaseMetrics, roundReleases, updateClipNorm, type RandomSource, type RoundSpec } from '../privacy/index.ts';
import { exactSegmentMetrics, noiseSegmentedEvaluation, releaseSegmentMetrics } from '../privacy/index.ts';
import type { FedrecStore, JobStatus } from '../store/fedrec-store.ts';
import type { ModelWeights } from '../../models/weights/model-weights.ts';
import { cloneWeights, serializeWeights } from '../../models/weights/model-weights.ts';
import type { JobConfig } from './job-config.ts';
import type { ResolvedPrivacy } from './resolve-privacy.ts';
import { aggregationBytes, maxAggregationBytes } from './aggregation/aggregator.ts';
import { RoundAggregate } from './round-aggregate.ts';
import type { RoundTiming } from './round-timing.ts';
import type { RoundTransport } from './round-transport.ts';
import { learningRateScaleVector } from './learning-rate-scales.ts';
import { serverOptimizerFor, type ResumedOptimizerState, type ServerOptimizer } from './server-optimizer.ts';
import { RejectionCounts } from './rejection-counts.ts';
import { UpdateRejection, refuseIfClosed, validateUpdate, type OpenRound, type ValidUpdate } from './validate-update.ts';
import { firstOutOfBound, maxWeightMagnitude } from './weight-bound.ts';

export interface RoundSummary {
  /** The job the round belongs to (always set by TrainingJob). */
  jobId?: string;
  round: number;
  version: number;
  clients: number;
  /** Clients invited to the round (always set by TrainingJob); invited − clients dropped out or were refused. */
  invited?: number;
  loss: number;
  epsilon: number | null;
  metrics: Record<string, number>;
  clipNorm: number | null;
  /** Where the round's wall time went on the coordinator (always set by TrainingJob). */
  timing?: RoundTiming;
  /** Updates refused during the round, by reason (rounds/rejection-counts.ts). */
  rejections?: Record<string, number>;
  /** Invited clients that said they would not answer, by reason (protocol's `abandonReasons`): dropped, not refused. */
  abandoned?: Record<string, number>;
}

export interface TrainingJobDeps {
  store: FedrecStore;
  transport: RoundTransport;
  random: RandomSource;
  /** Called after a version is durably stored; serving swaps to it. */
  onRelease?: (version: number, weights: ModelWeights) => void;
  onRound?: (summary: RoundSummary) => void;
  /** Told once when a job fails (its status is already `failed` with the reason): the host logs it at error. */
  onJobFailed?: (jobId: string, error: unknown) => void;
  log?: (line: string) => void;
  /** Where refused updates are counted, across jobs (the coordinator's; a fresh one otherwise). */
  rejections?: RejectionCounts;
  /** The deployment's ledger, shared by every job of the coordinator (a job alone gets its own, without a budget). */
  ledger?: PrivacyLedger;
  /** Where abandoned rounds are counted, across jobs (the coordinator's). */
  abandonments?: Map<AbandonReason, number>;
}

/** Clients handed their round request per event-loop turn. */
const broadcastSlice = 50;

type RoundOutcome = 'released' | 'too-few-clients' | { refused: string };

interface CollectingRound extends OpenRound {
  /** The accepted updates, summed as they arrive. */
  aggregate: RoundAggregate;
  answered: Set<string>;
  /** Time spent validating answers so far, ms. */
  validateMs: number;
  /** Time spent adding accepted answers to the sum so far, ms. */
  sumMs: number;
  /** Refusals this round, by reason. */
  rejections: RejectionCounts;
  /** Clients that abandoned this round, by reason. */
  abandoned: Map<AbandonReason, number>;
  done: () => void;
}

export class TrainingJob {
  private open: CollectingRound | undefined;
  private readonly spentNonces = new Set<string>();
  /** Closed attempts' nonces of the clients that never answered them (nonce → client id): their late answers are `round-closed`. */
  private readonly closedAttempts = new Map<string, string>();
  private readonly optimizer: ServerOptimizer;
  private clipNorm: number | undefined;
  private stopped = false;
  private cancelled = false;
  private readonly rejections: RejectionCounts;
  /** Set when a round was refused at release because another job spent the deployment's remaining budget meanwhile. */
  private exhaustedAtRelease: string | null = null;
  private readonly ledger: PrivacyLedger;

  constructor(
    readonly jobId: string,
    readonly config: JobConfig,
    readonly privacy: ResolvedPrivacy,
    private weights: ModelWeights,
    private readonly accountant: PrivacyAccountant,
    private completedRounds: number,
    private readonly deps: TrainingJobDeps,
    /** A resumed job's server-optimizer state (`resumeOptimizerState`). */
    optimizerState?: ResumedOptimizerState,
  ) {
    this.optimizer = serverOptimizerFor(config, optimizerState, learningRateScaleVector(weights.manifest, config.serverLearningRateScales));
    this.clipNorm = privacy.clipNorm ?? undefined;
    this.rejections = deps.rejections ?? new RejectionCounts();
    this.ledger = deps.ledger ?? new PrivacyLedger();
    if (privacy.mode === 'dp') this.ledger.track(jobId, accountant);
    else if (completedRounds > 0) this.ledger.markUnbounded(jobId);
  }

  /**
   * Validates one client's answer and, if valid, keeps it for the open round. Throws FedrecError
   * (an UpdateRejection naming its reason) otherwise; a refused genuine answer uses up the
   * client's answer, so the round closes without waiting for it.
   */
  submitUpdate(clientId: string, raw: unknown): void {
    const round = this.open;
    const started = performance.now();
    let update: ValidUpdate;
    try {
      update = validateUpdate(clientId, raw, round, this.closedAttempts);
    } catch (thrown) {
      if (thrown instanceof UpdateRejection) {
        this.rejections.add(thrown.reason);
        round?.rejections.add(thrown.reason);
        if (round && thrown.usesAnswer) this.answer(round, clientId);
      }
      throw thrown;
    } finally {
      if (round) round.validateMs += performance.now() - started;
    }
    // validateUpdate throws when no round is open, so `round` is set from here on.
    const summing = performance.now();
    round!.aggregate.add(update);
    round!.sumMs += performance.now() - summing;
    this.answer(round!, clientId);
  }

  /**
   * A client's word that it will not answer the open round (it could not finish by the deadline):
   * checked against the round and the nonce it was issued, counted by reason, and it uses up the
   * client's answer so the round closes without waiting for it. Throws UpdateRejection otherwise.
   */
  abandonRound(clientId: string, raw: unknown): AbandonReason {
    const parsed = roundAbandonSchema.safeParse(raw);
    if (!parsed.success) {
      this.rejections.add('update-invalid');
      throw new UpdateRejection('invalid-input', 'update-invalid', 'abandonment failed validation', false, parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code })));
    }
    const notice = parsed.data;
    const round = this.open;
    const refuse = (reason: 'stale-update' | 'wrong-nonce' | 'duplicate-update', message: string): never => {
      this.rejections.add(reason);
      round?.rejections.add(reason);
      throw new UpdateRejection('conflict', reason, message, false);
    };
    try {
      refuseIfClosed(clientId, notice.nonce, this.closedAttempts);
    } catch (closed) {
      this.rejections.add('round-closed');
      round?.rejections.add('round-closed');
      throw closed;
    }
    if (!round || notice.round !== round.round || notice.modelVersion !== round.modelVersion) refuse('stale-update', `stale abandonment: round ${notice.round} is not open`);
    if (round!.nonces.get(clientId) !== notice.nonce) refuse('wrong-nonce', 'abandonment does not carry the nonce issued to this client for this round');
    if (round!.answered.has(clientId)) refuse('duplicate-update', 'this client already answered this round');
    round!.abandoned.set(notice.reason, (round!.abandoned.get(notice.reason) ?? 0) + 1);
    this.deps.abandonments?.set(notice.reason, (this.deps.abandonments.get(notice.reason) ?? 0) + 1);
    this.answer(round!, clientId);
    return notice.reason;
  }

  /** Stops after the current step, leaving the job `running` so the next coordinator resumes it. */
  stop(): void {
    this.stopped = true;
    this.open?.done();
  }

  /** Stops at once and for good: the job reads `cancelled` and is never resumed. */
  cancel(): void {
    this.cancelled = true;
    this.stop();
  }

  /**
   * Runs the remaining rounds; resolves with the job's final status and never rejects: any error
   * in a round marks the job `failed` with its reason (a failed job is not resumed on restart), so
   * nothing a client sends, nor a store that throws, can take the process down.
   */
  async run(): Promise<JobStatus> {
    try {
      return await this.runRounds();
    } catch (thrown) {
      const error = toFedrecError(thrown);
      const reason = error.code === 'internal' ? `internal error: ${thrown instanceof Error ? thrown.message : String(thrown)}` : error.message;
      this.deps.log?.(`job ${this.jobId} failed in round ${this.completedRounds + 1}: ${thrown instanceof Error ? thrown.stack : String(thrown)}`);
      try {
        await this.deps.store.setJobStatus(this.jobId, 'failed', `round ${this.completedRounds + 1} failed: ${reason}`);
      } catch (again) {
        this.deps.log?.(`job ${this.jobId}: could not record its failure either: ${again instanceof Error ? again.message : String(again)}`);
      }
      this.deps.onJobFailed?.(this.jobId, thrown);
      return 'failed';
    }
  }

  private answer(round: CollectingRound, clientId: string): void {
    round.answered.add(clientId);
    if (round.answered.size === round.nonces.size) round.done();
  }

  private async runRounds(): Promise<JobStatus> {
    await this.deps.store.setJobStatus(this.jobId, 'running');
    let retries = 0;
    while (this.completedRounds < this.config.rounds && !this.stopped) {
      const round = this.completedRounds + 1;
      const exhausted = this.budgetExhausted(round, this.releases(this.evaluates(round)));
      if (exhausted) {
        await this.deps.store.setJobStatus(this.jobId, 'budget-exhausted', exhausted);
        return 'budget-exhausted';
      }
      const outcome = await this.runRound(round);
      // A stop (coordinator shutting down) is not a failed round: it must neither use up a retry
      // nor pause the job, which stays `running` so the next coordinator resumes it.
      if (this.stopped) break;
      if (outcome !== 'released') {
        const why = outcome === 'too-few-clients' ? `fewer than ${this.config.minClients} clients answered before the deadline` : `not released: ${outcome.refused}`;
        if (++retries > this.config.roundRetries) {
          const detail = `round ${round}: ${why}, ${this.config.roundRetries} retries used`;
          await this.deps.store.setJobStatus(this.jobId, 'paused', detail);
          return 'paused';
        }
        this.deps.log?.(`round ${round}: ${why}, retrying (${retries}/${this.config.roundRetries})`);
        continue;
      }
      retries = 0;
    }
    if (this.cancelled) {
      await this.deps.store.setJobStatus(this.jobId, 'cancelled', `cancelled by the operator after round ${this.completedRounds}`);
      return 'cancelled';
    }
    if (this.exhaustedAtRelease) {
      await this.deps.store.setJobStatus(this.jobId, 'budget-exhausted', this.exhaustedAtRelease);
      return 'budget-exhausted';
    }
    if (this.stopped) return 'paused';
    await this.deps.store.setJobStatus(this.jobId, 'completed');
    return 'completed';
  }

  private evaluates(round: number): boolean {
    return round % this.config.evaluateEvery === 0 || round === this.config.rounds;
  }

  /** What a round releases, as the accountant composes it (none are accounted without DP). */
  private releases(evaluated: boolean): RoundSpec[] {
    return this.privacy.mode === 'dp' ? roundReleases(this.privacy, evaluated) : [];
  }

  /** Why the round's releases may not happen (the job's own budget, or the deployment's), or null. */
  private budgetExhausted(round: number, releases: RoundSpec[]): string | null {
    if (this.privacy.mode !== 'dp') return null;
    const { budgetEpsilon, delta } = this.privacy;
    if (budgetEpsilon !== null && this.accountant.wouldExceed(budgetEpsilon, delta, releases)) {
      return `round ${round} would exceed ε = ${budgetEpsilon} (spent ${this.accountant.spent(delta).epsilon.toFixed(3)})`;
    }
    const lifetime = this.ledger.budget;
    if (lifetime && this.ledger.wouldExceed(releases)) {
      return `round ${round} would exceed the deployment's lifetime ε = ${lifetime.epsilon} at δ = ${lifetime.delta} (spent ${this.ledger.epsilon(lifetime.delta).toFixed(3)})`;
    }
    return null;
  }

  private async runRound(round: number): Promise<RoundOutcome> {
    const startedAt = new Date();
    const roundStarted = performance.now();
    const clients = this.deps.transport.connectedClients();
    const base = this.weights;
    const evaluate = this.evaluates(round);
    const nonces = new Map(clients.map((c) => [c.id, randomBytes(16).toString('hex')]));
    // The transport reports each client's registered population, never its own claim.
    const populations = new Map(clients.map((c) => [c.id, c.shoppers]));
    const rejections = new RejectionCounts();
    // A robust rule holds every client's sum until the round closes: refused before the round opens
    // when that would pass the bound, instead of growing the coordinator's memory with clients × model size.
    const held = aggregationBytes(this.config.aggregation ?? { rule: 'sum' }, clients.length, base.manifest.size);
    if (held > maxAggregationBytes) {
      return { refused: `the ${this.config.aggregation!.rule} rule would hold ${clients.length} sums of ${base.manifest.size} values (${held} bytes), past ${maxAggregationBytes}` };
    }
    const aggregate = new RoundAggregate(base.manifest.size, this.config.aggregation);
    const collected = new Promise<void>((resolve) => {
      this.open = {
        jobId: this.jobId,
        round,
        modelVersion: base.manifest.version,
        modelSize: base.manifest.size,
        samplingRate: this.privacy.samplingRate,
        nonces,
        populations,
        rejections,
        abandoned: new Map(),
        answered: new Set(),
        validateMs: 0,
        sumMs: 0,
        spentNonces: this.spentNonces,
        clipNorm: this.privacy.mode === 'dp' ? this.clipNorm : undefined,
        evaluationBaselines: evaluate && this.privacy.evaluationBaselines === true,
        aggregate,
        done: resolve,
      };
    });
    const deadline = Date.now() + this.config.roundDeadlineMs;
    const broadcastStarted = performance.now();
    const bytes = serializeWeights(base);
    let sent = 0;
    for (const client of clients) {
      // The event loop is given back every 50 clients: handing 1,000 device clients their request
      // in one go encodes and queues 1,000 frames on one turn (bench/device-load-bench.ts).
      if (sent++ > 0 && sent % broadcastSlice === 0) await new Promise((resolve) => setImmediate(resolve));
      this.deps.transport.sendRound(
        client.id,
        {
          jobId: this.jobId,
          round,
          modelVersion: base.manifest.version,
          nonce: nonces.get(client.id)!,
          samplingRate: this.privacy.samplingRate,
          clipNorm: this.privacy.mode === 'dp' ? this.clipNorm : undefined,
          localEpochs: this.config.localEpochs,
          batchSize: this.config.batchSize,
          clientLearningRate: this.config.clientLearningRate,
          evaluate,
          evaluationSamplingRate: this.privacy.mode === 'dp' ? this.privacy.evaluationSamplingRate : undefined,
          evaluateBaselines: evaluate && this.privacy.evaluationBaselines === true,
          deadline,
        },
        bytes,
      );
    }
    const broadcastMs = performance.now() - broadcastStarted;
    // The noise goes in once, now, while the clients train; a round that is not released discards it.
    // (Only the plain sum streams: a robust rule's sensitivity depends on how many clients answer, so it is noised when it is combined.)
    const noised =
      this.privacy.mode === 'dp' && aggregate.aggregator.streams ? aggregate.addNoise(this.privacy.noiseMultiplier * aggregate.aggregator.sensitivity(this.clipNorm!), this.deps.random) : Promise.resolve();
    // Awaited below; this keeps a failure meanwhile from counting as an unhandled rejection.
    noised.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([collected, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))))]);
    clearTimeout(timer);
    const collectMs = performance.now() - broadcastStarted - broadcastMs;
    const open = this.open!;
    this.open = undefined;
    for (const [clientId, nonce] of nonces) {
      this.spentNonces.add(nonce);
      if (!open.answered.has(clientId)) this.closedAttempts.set(nonce, clientId);
    }
    await noised;
    if (this.stopped) return 'too-few-clients';
    if (aggregate.clients < this.config.minClients) return 'too-few-clients';
    const timing = { roundStarted, broadcastMs, collectMs, validateMs: open.validateMs, aggregatingMs: open.sumMs + aggregate.noiseMs, invited: clients.length };
    return this.release(round, startedAt, aggregate, evaluate, timing, rejections, open.abandoned);
  }

  private async release(
    round: number,
    startedAt: Date,
    aggregate: RoundAggregate,
    evaluated: boolean,
    timing: { roundStarted: number; broadcastMs: number; collectMs: number; validateMs: number; aggregatingMs: number; invited: number },
    rejections: RejectionCounts,
    abandoned: Map<AbandonReason, number>,
  ): Promise<RoundOutcome> {
    const releases = this.releases(evaluated);
    // Checked again now: another job of the deployment may have spent the budget during this round.
    const exhausted = this.budgetExhausted(round, releases);
    if (exhausted) {
      this.exhaustedAtRelease = exhausted;
      this.stopped = true;
      return 'too-few-clients';
    }
    const aggregateStarted = performance.now();
    const clipUsed = this.clipNorm;
    // The round's combined sum becomes its update in place: it is not read again.
    const delta = await aggregate.combine(this.privacy.mode === 'dp' ? { noiseMultiplier: this.privacy.noiseMultiplier, clipNorm: clipUsed!, random: this.deps.random } : undefined);
    const { shoppers, examples, unclipped, lossSum, evaluation } = aggregate;
    // Adaptive clipping's next C is adopted only if the round is released (below): a refused
    // round is not in the accountant, so nothing computed from its counts may outlive it.
    let nextClipNorm = clipUsed;
    if (this.privacy.mode === 'dp') {
      // N(0, (σC)²) is already in the sum (drawn when the round opened, with this same C).
      const denominator = this.privacy.expectedShoppers;
      for (let i = 0; i < delta.length; i++) delta[i] /= denominator;
      if (this.privacy.adaptive) {
        nextClipNorm = updateClipNorm({
          clipNorm: clipUsed!,
          unclippedCount: unclipped,
          sampledCount: shoppers,
          expectedShoppers: denominator,
          targetQuantile: this.privacy.adaptive.targetQuantile,
          learningRate: this.privacy.adaptive.learningRate,
          countNoiseStd: this.privacy.adaptive.countNoiseStd,
          random: this.deps.random,
        }).clipNorm;
      }
    } else {
      this.ledger.markUnbounded(this.jobId);
      if (examples > 0) for (let i = 0; i < delta.length; i++) delta[i] /= examples;
    }
    let persistMs = 0;
    const persist = async <T>(write: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      try {
        return await write();
      } finally {
        persistMs += performance.now() - started;
      }
    };
    // Nothing non-finite or beyond the weight bound leaves the coordinator: the averaged (and
    // noised) update and the weights it gives are checked before any ε is recorded for them.
    const badDelta = firstOutOfBound(delta);
    if (badDelta) return { refused: `its averaged update holds ${badDelta.value} at ${badDelta.index}, beyond ±${maxWeightMagnitude}` };
    const candidate = cloneWeights(this.weights, this.weights.manifest.version);
    this.optimizer.apply(candidate.values, delta);
    const badWeight = firstOutOfBound(candidate.values);
    if (badWeight) return { refused: `its weights would hold ${badWeight.value} at ${badWeight.index}, beyond ±${maxWeightMagnitude}` };
    const version = await persist(() => this.deps.store.nextModelVersion());
    const next = { ...candidate, manifest: { ...candidate.manifest, version } };
    this.clipNorm = nextClipNorm;
    const aggregateMs = timing.aggregatingMs + performance.now() - aggregateStarted - persistMs;

    let epsilon: number | null = null;
    let accountMs = 0;
    if (this.privacy.mode === 'dp') {
      // The cost is made durable before the model leaves the coordinator: a crash between the two
      // can only over-report ε, never under-report it.
      // Recorded synchronously with the check above, so the deployment's ledger (which holds this
      // accountant) can never be overspent by two jobs at once.
      const accountStarted = performance.now();
      this.accountant.recordAll(releases);
      epsilon = this.accountant.spent(this.privacy.delta).epsilon;
      accountMs = performance.now() - accountStarted;
      const spend = { jobId: this.jobId, round, epsilon, delta: this.privacy.delta, accountant: this.accountant.toJSON() };
      await persist(() => this.deps.store.recordPrivacySpend(spend));
    }
    let metrics: Record<string, number>;
    if (this.privacy.mode === 'dp') {
      // Every metric is a noised sum over bounded per-shopper contributions, accounted above (server/privacy/metric-release.ts).
      const baselines = this.privacy.evaluationBaselines === true ? evaluation.baselines : undefined;
      // Per-segment evaluation (issue 14 point 4): the bands' model sums are released in place of
      // the overall ones, which are derived from them at no extra ε; the baselines stay overall
      // sums. A shopper touches their band's 3 parts + the 4 baseline parts: 7, the σ accounted
      // (server/privacy/segment-release.ts).
      const segmentSums = evaluated ? aggregate.completeSegments() : undefined;
      const sums = { lossSum, evaluation: evaluated && !segmentSums ? { ...evaluation, baselines } : undefined };
      const noised = noiseMetricSums(sums, this.privacy, this.deps.random);
      if (segmentSums) {
        const segmented = noiseSegmentedEvaluation(segmentSums, baselines, this.privacy, this.deps.random);
        noised.evaluation = segmented.evaluation;
        metrics = { ...releaseMetrics(noised, this.privacy, this.privacy.expectedShoppers), ...releaseSegmentMetrics(segmented.segments) };
      } else metrics = releaseMetrics(noised, this.privacy, this.privacy.expectedShoppers);
    } else {
      metrics = { loss: shoppers > 0 ? lossSum / shoppers : 0, shoppers, examples };
      if (evaluated && evaluation.shoppers > 0) {
        metrics['recall@10'] = evaluation.recall / evaluation.shoppers;
        metrics['ndcg@10'] = evaluation.ndcg / evaluation.shoppers;
        if (this.privacy.evaluationBaselines === true) {
          for (const name of baselineNames) {
            metrics[baselineMetric(name, 'recall@10')] = evaluation.baselines[name].recall / evaluation.shoppers;
            metrics[baselineMetric(name, 'ndcg@10')] = evaluation.baselines[name].ndcg / evaluation.shoppers;
          }
        }
      }
      const segmentSums = evaluated ? aggregate.completeSegments() : undefined;
      if (segmentSums) Object.assign(metrics, exactSegmentMetrics(segmentSums));
    }
    if (clipUsed !== undefined) metrics.clipNorm = clipUsed;
    const record = {
      jobId: this.jobId,
      round,
      baseVersion: this.weights.manifest.version,
      releasedVersion: version,
      clients: aggregate.clients,
      shoppers,
      metrics,
      epsilon: epsilon ?? 0,
      delta: this.privacy.mode === 'dp' ? this.privacy.delta : 0,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
    };
    // The optimizer's next state (FedAdam's moments) is stored with the round, so a resume continues it.
    await persist(() => this.deps.store.completeRound(record, next, this.optimizer.stagedState()));
    this.optimizer.commit();
    this.weights = next;
    this.completedRounds = round;
    const roundTiming: RoundTiming = { wallMs: performance.now() - timing.roundStarted, broadcastMs: timing.broadcastMs, collectMs: timing.collectMs, validateMs: timing.validateMs, aggregateMs, accountMs, persistMs };
    this.deps.onRelease?.(version, next);
    this.deps.onRound?.({ jobId: this.jobId, round, version, clients: aggregate.clients, invited: timing.invited, loss: metrics.loss, epsilon, metrics, clipNorm: clipUsed ?? null, timing: roundTiming, rejections: rejections.snapshot(), abandoned: Object.fromEntries(abandoned) });
    return 'released';
  }
}

