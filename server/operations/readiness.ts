/**
 * Readiness as a list of named checks, each answering `undefined` (ready) or the reason it is not,
 * so `/readyz` can say why and other parts can add theirs (a model refused at load, say) without
 * touching the route: pass one more check. Liveness (`/healthz`) is separate and checks nothing
 * but the process answering: a store outage must take the instance out of rotation, not get it
 * restarted.
 */
import type { ServedModel } from '../serving/index.ts';
import type { FedrecStore } from '../store/index.ts';

export interface ReadinessCheck {
  name: string;
  /** `undefined` when ready, else the reason (said to anyone who asks `/readyz`, so no internals). */
  check(): Promise<string | undefined> | string | undefined;
}

export interface Readiness {
  ready: boolean;
  checks: { name: string; ready: boolean; reason?: string }[];
}

/** Checks that take longer than this count as failed: a hung store must not hang the probe. */
const checkTimeoutMs = 2_000;

/** @example const { ready, checks } = await readiness([storeReachable(store), modelServed(servedModel)]); */
export async function readiness(checks: readonly ReadinessCheck[]): Promise<Readiness> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      const reason = await withTimeout(Promise.resolve().then(check), `${name} did not answer within ${checkTimeoutMs} ms`).catch(() => `${name} check failed`);
      return reason === undefined ? { name, ready: true } : { name, ready: false, reason };
    }),
  );
  return { ready: results.every((r) => r.ready), checks: results };
}

function withTimeout<T>(promise: Promise<T>, reason: string): Promise<T | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(reason), checkTimeoutMs)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The store answers a read (a job id that cannot exist). */
export const storeReachable = (store: FedrecStore): ReadinessCheck => ({
  name: 'store',
  check: async () => {
    try {
      await store.getJob('readiness-probe');
      return undefined;
    } catch {
      return 'the store is not reachable';
    }
  },
});

/**
 * A model version is being served, or a kill left the store ranking serving (the API answers
 * either way). A version serving refused to load (non-finite weights) does not make the instance
 * unready while another one serves: `/readyz` reports the refusal beside the checks instead.
 */
export const modelServed = (servedModel: ServedModel): ReadinessCheck => ({
  name: 'model',
  check: () => {
    if (servedModel.current() || servedModel.withdrawn) return undefined;
    const refusal = servedModel.readiness().refusal;
    return refusal ? `no model version is served: ${refusal.reason}` : 'no model version is served yet (none has been approved)';
  },
});
