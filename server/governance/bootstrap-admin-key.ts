/**
 * The first admin key. A store without any key gets one on the first start: the one in
 * FEDREC_ADMIN_KEY, or a new random one printed once. FEDREC_OPERATOR_TOKEN, the shared secret
 * keys replaced, is no longer read; a deployment that still sets it is told what to do instead.
 */
import type { FedrecStore } from '../store/index.ts';
import { createApiKey } from './api-keys.ts';
import { systemActor } from './audit-log.ts';

export const adminKeyVariable = 'FEDREC_ADMIN_KEY';
export const retiredOperatorTokenVariable = 'FEDREC_OPERATOR_TOKEN';

/**
 * @example await bootstrapAdminKey(store, process.env, console.error);
 * @returns the key id created, or null when the store already had keys.
 */
export async function bootstrapAdminKey(store: FedrecStore, env: Record<string, string | undefined>, log: (line: string) => void): Promise<string | null> {
  if (env[retiredOperatorTokenVariable]) {
    log(`${retiredOperatorTokenVariable} is set but no longer used: fedrec now uses API keys with roles (admin, approver, engineer, merchant, app). ` +
      `Unset it; use the admin key (${adminKeyVariable} on the first start, or the one printed then) to create keys with \`fedrec keys create --role R --name N\`, and give clients FEDREC_API_KEY.`);
  }
  if ((await store.listApiKeys()).length > 0) return null;
  const given = env[adminKeyVariable];
  const { key, record } = await createApiKey(store, { role: 'admin', name: 'first admin', ...(given ? { secret: given } : {}) }, systemActor);
  if (given) log(`created admin key ${record.id} from ${adminKeyVariable}`);
  else log(`created the first admin key ${record.id}; it is shown this once, only its hash is kept:\n  ${key}`);
  return record.id;
}
