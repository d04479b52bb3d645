/**
 * Who may call a route: the one check every adapter makes, before it reads a body. A route
 * declares the roles it allows (or that it is public); a key has exactly one role, and admin does
 * not imply the others (README, Decisions: an admin who wants to approve creates an approver key,
 * and that creation is in the audit log).
 */
import { FedrecError } from '../errors/index.ts';
import type { FedrecStore, Role } from '../store/index.ts';
import { hashApiKey } from './api-keys.ts';
import { keyCacheOf } from './key-cache.ts';

export type RouteAccess = { public: true; roles?: undefined } | { roles: readonly Role[]; public?: undefined };

/** The caller of a non-public route. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
}

/**
 * The principal behind an `Authorization: Bearer <key>` header value, if the route allows its role.
 * Public routes need no key and give no principal.
 * @throws FedrecError unauthenticated (no key, unknown or revoked key) or forbidden (a valid key of another role).
 * @example const principal = await authorize(route, req.headers.authorization, { store });
 */
export async function authorize(access: RouteAccess, authorization: string | undefined, services: { store: FedrecStore }): Promise<Principal | undefined> {
  if (access.public) return undefined;
  // The scheme is case-insensitive (RFC 9110 Sec. 11.1).
  const key = /^bearer +(\S+)$/i.exec(authorization ?? '')?.[1];
  if (key === undefined) throw new FedrecError('unauthenticated', `this route needs an API key with the role ${allowedText(access.roles)}: Authorization: Bearer <key>`);
  // Cached by hash (key-cache.ts): a revocation here clears it; one in another process counts within 1 s.
  const record = await keyCacheOf(services.store).find(services.store, hashApiKey(key));
  if (!record) throw new FedrecError('unauthenticated', 'this API key is not known');
  if (record.revokedAt !== null) throw new FedrecError('unauthenticated', 'this API key was revoked');
  if (!access.roles.includes(record.role)) throw new FedrecError('forbidden', `this route needs the role ${allowedText(access.roles)}; the key has the role ${record.role}`);
  return { keyId: record.id, name: record.name, role: record.role };
}

const allowedText = (roles: readonly Role[]): string => (roles.length === 1 ? roles[0] : `${roles.slice(0, -1).join(', ')} or ${roles[roles.length - 1]}`);
