/**
 * Recommendation ids, and the log of recommendations issued to named shoppers that impressions
 * are checked against. Every response gets a random id (`rec_` + 128 random bits, ~0.25 µs); a
 * named shopper's response is also remembered (id, pseudonym, group, model version, item ids),
 * in memory first and written in batches off the hot path, as the exposure recorder does:
 * every `flushMs`, when `maxPending` wait, before events are ingested, and on close. A crash loses
 * at most one window, and an impression of a lost recommendation is then refused like any unknown id.
 */
import { randomFillSync } from 'node:crypto';
import type { ExperimentGroup, FedrecStore, IssuedRecommendation } from '../store/index.ts';

/**
 * CSPRNG bytes drawn 4 KiB at a time (256 ids) and each used once, as node's own randomUUID keeps
 * a cache of 128 UUIDs' worth: one `randomBytes(16)` per response cost 8.3 µs of CPU here (the
 * OS's random source on this VM), a pooled id 0.25 µs (200,000 calls each, process.cpuUsage).
 */
const idPool = Buffer.alloc(4096);
let idOffset = idPool.length;

/** @example newRecommendationId() // 'rec_3f2a…' (32 hex digits: 128 random bits) */
export function newRecommendationId(): string {
  if (idOffset + 16 > idPool.length) {
    randomFillSync(idPool);
    idOffset = 0;
  }
  const hex = idPool.toString('hex', idOffset, idOffset + 16);
  idOffset += 16;
  return `rec_${hex}`;
}

export class IssuedRecommendationLog {
  private pending: IssuedRecommendation[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly store: Pick<FedrecStore, 'addIssuedRecommendations'>,
    private readonly options: { flushMs?: number; maxPending?: number; onError?: (error: unknown) => void } = {},
  ) {}

  /** Remembers one issued recommendation (ignored after close). */
  add(id: string, pseudonym: string, group: ExperimentGroup, modelVersion: number | null, items: readonly { itemId: string }[], at: Date): void {
    if (this.closed) return;
    this.pending.push({ id, pseudonym, group, modelVersion, items: items.map((i) => i.itemId), issuedAt: at.toISOString() });
    if (this.pending.length >= (this.options.maxPending ?? 1000)) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs ?? 2000).unref();
  }

  /** Writes what is pending; resolves once it (and any earlier flush) is stored. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) {
      const onError = this.options.onError ?? (() => {});
      this.flushing = this.flushing.then(() => this.store.addIssuedRecommendations(batch)).catch(onError);
    }
    return this.flushing;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }
}
