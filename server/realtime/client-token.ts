/**
 * Client tokens: random secrets handed to a store once; only their SHA-256 is stored. The REST
 * API's operator token is checked the same way.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export const issueClientToken = (): string => randomBytes(24).toString('base64url');

/** Constant-time comparison of a presented token with a stored hash. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const presented = Buffer.from(hashToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
