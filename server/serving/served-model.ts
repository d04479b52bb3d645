/**
 * The model version being served. `release` builds a complete snapshot (scorer, features, indices)
 * before it swaps ONE reference, and a request reads that reference once, so every response comes
 * from exactly one version even while the training side releases a new one. JavaScript runs a
 * request's synchronous scoring without interleaving, so no lock is needed; the single swap is what
 * keeps a request from mixing, say, new weights with old item features.
 */
import type { CatalogItem } from '../../client-sim/world/index.ts';
import type { ModelWeights } from '../../models/index.ts';
import { cloneWeights } from '../../models/weights/model-weights.ts';
import { FedrecError } from '../errors/index.ts';
import { buildSnapshot, type ServingSnapshot } from './serving-snapshot.ts';

/** A model version serving refused to load, and why (what `/readyz` reports). */
export interface ServingRefusal {
  version: number;
  reason: string;
  at: string;
}

/** What serving can say about itself, transport-free: the version it serves and the last refusal. */
export interface ServingReadiness {
  servingVersion: number | null;
  refusal: ServingRefusal | null;
}

export class ServedModel {
  private snapshot: ServingSnapshot | undefined;
  private lastRefusal: ServingRefusal | null = null;
  /** True once a kill left no approved version: requests get the store ranking, not a 503. */
  private withdrawnFlag = false;
  private catalog: Map<string, CatalogItem>;
  private readonly clock: () => Date;

  constructor(options: { catalog?: Iterable<CatalogItem>; clock?: () => Date } = {}) {
    this.catalog = new Map([...(options.catalog ?? [])].map((item) => [item.id, { ...item }]));
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Serves `weights` as `version` from now on. The weights are copied first: the training side may
   * keep updating its own array in place, which must never change what is served.
   * @example servedModel.release(4, weights);
   */
  release(version: number, weights: ModelWeights): ServingSnapshot {
    const next = this.prepare(version, weights);
    this.install(next);
    return next;
  }

  /** Builds the snapshot `release` would serve without serving it (the lifecycle builds before it commits). */
  prepare(version: number, weights: ModelWeights): ServingSnapshot {
    // A non-finite weight makes every score it touches NaN, and NaN scores rank nothing: serving it
    // answered 200 with no items. Refused here, whatever asks for it (an approval, a restart); what
    // is served stays as it was.
    const bad = weights.values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      const reason = `version ${version} holds a non-finite weight (${weights.values[bad]} at ${bad})`;
      this.lastRefusal = { version, reason, at: this.clock().toISOString() };
      throw new FedrecError('invalid-input', `serving refused ${reason}`);
    }
    return buildSnapshot(version, cloneWeights(weights, version), this.catalog, this.clock().toISOString());
  }

  /** Serves a prepared snapshot: one reference swap. */
  install(snapshot: ServingSnapshot): void {
    this.snapshot = snapshot;
    this.withdrawnFlag = false;
  }

  /** Serves no model from now on (a kill with nothing to fall back to): requests get the store ranking. */
  withdraw(): void {
    this.snapshot = undefined;
    this.withdrawnFlag = true;
  }

  /** Whether a kill took the model out of serving with no approved version left. */
  get withdrawn(): boolean {
    return this.withdrawnFlag;
  }

  /** The catalogue serving knows, in first-insertion order. */
  catalogItems(): CatalogItem[] {
    return [...this.catalog.values()];
  }

  /** Merges catalogue items (upsert by id) and rebuilds the served version's features from them. */
  updateCatalog(items: readonly CatalogItem[]): void {
    const catalog = new Map(this.catalog);
    for (const item of items) catalog.set(item.id, { ...item });
    const current = this.snapshot;
    const next = current && buildSnapshot(current.version, current.weights, catalog, current.releasedAt);
    this.catalog = catalog;
    if (next) this.snapshot = next;
  }

  /** The version served now and the last version refused; `/readyz` reads this. */
  readiness(): ServingReadiness {
    return { servingVersion: this.snapshot?.version ?? null, refusal: this.lastRefusal && { ...this.lastRefusal } };
  }

  /** The snapshot serving now, or undefined before the first release. */
  current(): ServingSnapshot | undefined {
    return this.snapshot;
  }

  /** The snapshot serving now; `unavailable` before the first release. */
  require(): ServingSnapshot {
    if (!this.snapshot) throw new FedrecError('unavailable', 'no model version is being served yet');
    return this.snapshot;
  }
}
