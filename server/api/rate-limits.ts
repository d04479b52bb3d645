/**
 * Request rate limits (express-rate-limit), two fixed windows side by side: one per client address
 * and one per credential (the `Authorization` header's SHA-256, so a token shared from many
 * addresses is held to its own quota and a token is never kept in memory as is). Answers past the
 * quota are 429 with the FedrecError body; every counted answer carries the IETF `RateLimit` and
 * `RateLimit-Policy` fields (draft-ietf-httpapi-ratelimit-headers-08, express-rate-limit's
 * `draft-8`), and a 429 carries `Retry-After`.
 *
 * Counters live in the process (express-rate-limit's memory store): one process is one quota. The
 * client address is the socket's unless `trustProxy` says which proxies' `X-Forwarded-For` to believe.
 */
import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { FedrecError } from '../errors/index.ts';
import { sendBody } from './express-adapter.ts';

export const rateLimitSchema = z.object({
  /** Length of a window, ms. */
  windowMs: z.int().positive().default(60_000),
  /** Requests per window from one client address (0: no limit). */
  perAddress: z.int().nonnegative().default(6_000),
  /** Requests per window with one credential (0: no limit). */
  perCredential: z.int().nonnegative().default(12_000),
});

export type RateLimits = z.infer<typeof rateLimitSchema>;

const refused = (what: string): FedrecError => new FedrecError('rate-limited', `too many requests from this ${what}; see Retry-After`);

/** @example app.use(...rateLimiters({ windowMs: 60_000, perAddress: 600, perCredential: 1200 })); */
export function rateLimiters(limits: Partial<RateLimits> = {}): RequestHandler[] {
  const l = rateLimitSchema.parse(limits);
  const common = {
    windowMs: l.windowMs,
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
  };
  const limiters: RequestHandler[] = [];
  if (l.perAddress > 0) {
    limiters.push(
      rateLimit({
        ...common,
        limit: l.perAddress,
        identifier: 'address',
        handler: (_req, res) => sendBody(res, 429, 'application/json; charset=utf-8', JSON.stringify(refused('address').toJSON())),
      }),
    );
  }
  if (l.perCredential > 0) {
    limiters.push(
      rateLimit({
        ...common,
        limit: l.perCredential,
        identifier: 'credential',
        skip: (req) => req.headers.authorization === undefined,
        keyGenerator: (req) => createHash('sha256').update(req.headers.authorization ?? '').digest('base64url'),
        handler: (_req, res) => sendBody(res, 429, 'application/json; charset=utf-8', JSON.stringify(refused('credential').toJSON())),
      }),
    );
  }
  return limiters;
}
