/**
 * One API key per role in a test's store, and the key a test should send to a route: the first
 * role the route table allows for it. Tests then call every route as its intended caller would.
 */
import { routes } from '../../server/api/index.ts';
import { createApiKey, systemActor } from '../../server/governance/index.ts';
import { roles, type FedrecStore, type Role } from '../../server/store/index.ts';

export type RoleKeys = Record<Role, string>;

export async function createRoleKeys(store: FedrecStore): Promise<RoleKeys> {
  const keys = {} as RoleKeys;
  for (const role of roles) keys[role] = (await createApiKey(store, { role, name: `test ${role}` }, systemActor)).key;
  return keys;
}

/** The route table's route for a request, or undefined (`/v1/catalog/x1` → `get /v1/catalog/:itemId`). */
export function routeFor(method: string, path: string) {
  const parts = path.split('?')[0].split('/');
  return routes.find((r) => {
    if (r.method !== method.toLowerCase() && !(method === 'HEAD' && r.method === 'get')) return false;
    const segments = r.path.split('/');
    return segments.length === parts.length && segments.every((s, i) => s.startsWith(':') || s === parts[i]);
  });
}

/** `Bearer <key>` for the first role the route allows; '' for a public or unknown route. */
export function authorizationFor(keys: RoleKeys, method: string, path: string): string {
  const route = routeFor(method, path);
  return route && !route.public ? `Bearer ${keys[route.roles[0]]}` : '';
}
