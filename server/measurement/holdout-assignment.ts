/**
 * The holdout group. A named shopper's group is drawn once, when first served: u = the first 48
 * bits of HMAC-SHA-256(holdout salt, pseudonym) as a fraction of 2⁴⁸, holdout iff u < share. The
 * pseudonym is itself an HMAC under a key the shopper never sees, so nobody can choose their
 * group; the salt is the experiment's own (a setting, created with an audit entry on first use),
 * so the group is not a function of the pseudonym alone. The assignment is then stored with the
 * share in force, so it survives restarts, does not depend on request order (u depends on the
 * pseudonym alone), and a later change of share never moves a shopper already assigned.
 *
 * Hot path: one store read per named request until the shopper's assignment is cached in memory
 * (bounded; evicted oldest first), one write per shopper ever.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { ExperimentGroup, FedrecStore } from '../store/index.ts';
import { systemActor } from '../governance/index.ts';
import { readMeasurementSettings } from './measurement-settings.ts';

export const holdoutSaltName = 'holdout-salt';

/** The fraction of [0, 1) a pseudonym hashes to under the salt. */
export function holdoutDraw(salt: Buffer, pseudonym: string): number {
  return createHmac('sha256', salt).update(pseudonym, 'utf8').digest().readUIntBE(0, 6) / 2 ** 48;
}

/** The experiment's salt, created (32 random bytes, audited) if the store has none. */
export async function holdoutSalt(store: Pick<FedrecStore, 'getSetting' | 'putSetting'>): Promise<Buffer> {
  const stored = await store.getSetting(holdoutSaltName);
  if (typeof stored === 'string' && /^[0-9a-f]{64}$/.test(stored)) return Buffer.from(stored, 'hex');
  const salt = randomBytes(32).toString('hex');
  await store.putSetting(holdoutSaltName, salt, { actor: systemActor, action: 'experiment.salt-created', target: holdoutSaltName, details: {} });
  // Another process may have written one first: the stored one is the one in force.
  return Buffer.from(((await store.getSetting(holdoutSaltName)) as string) ?? salt, 'hex');
}

const cacheLimit = 100_000;

export class HoldoutAssigner {
  private salt: Promise<Buffer> | undefined;
  private readonly cache = new Map<string, ExperimentGroup>();

  constructor(private readonly deps: { store: FedrecStore; clock: () => Date }) {}

  /**
   * The shopper's group, assigning it on first sight.
   * @example await assigner.groupOf(pseudonymize(key, 'shopper-42')) // 'treatment'
   */
  async groupOf(pseudonym: string): Promise<ExperimentGroup> {
    const cached = this.cache.get(pseudonym);
    if (cached) return cached;
    const { store } = this.deps;
    const stored = await store.getHoldoutAssignment(pseudonym);
    const group = stored?.group ?? (await this.assign(pseudonym));
    if (this.cache.size >= cacheLimit) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(pseudonym, group);
    return group;
  }

  /** Forgets cached groups (after an erasure or a re-keying, the store is the truth). */
  forget(pseudonym?: string): void {
    if (pseudonym === undefined) this.cache.clear();
    else this.cache.delete(pseudonym);
  }

  private async assign(pseudonym: string): Promise<ExperimentGroup> {
    const { store, clock } = this.deps;
    this.salt ??= holdoutSalt(store).catch((error) => {
      this.salt = undefined;
      throw error;
    });
    const [salt, { holdoutShare }] = await Promise.all([this.salt, readMeasurementSettings(store)]);
    const group: ExperimentGroup = holdoutDraw(salt, pseudonym) < holdoutShare ? 'holdout' : 'treatment';
    return (await store.assignHoldout({ pseudonym, group, share: holdoutShare, assignedAt: clock().toISOString() })).group;
  }
}
