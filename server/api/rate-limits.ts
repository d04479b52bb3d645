/**
 * Request rate limits (express-rate-limit), two fixed windows side by side: one per client address
 * and one per credential (the `Authorization` header's SHA-256, so a token shared from many
 * addresses is held to its own quota and a token is never kept in memory as is). Answers past the
 * quota are 429 with the FedrecError body; every counted answer carries the IETF `RateLimit` and
 * `RateLimit-Policy` fields (draft-ietf-httpapi-ratelimit-headers-08, the values of express-rate-limit's
 * `draft-8`, written by `writeFields` below), and a 429 carries `Retry-After`.
 *
 * Counters live in the process (express-rate-limit's memory store): one process is one quota. The
 * client address is the socket's unless `trustProxy` says which proxies' `X-Forwarded-For` to believe.
 */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
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

/** What express-rate-limit puts on the request (`requestPropertyName`) once it has counted it. */
interface CountedInfo {
  limit: number;
  remaining: number;
  resetTime?: Date;
  key: string;
}

/**
 * The draft-8 partition key express-rate-limit writes (`pk=:…:`, the first 12 hex digits of the
 * key's SHA-256, base64), kept per key: the library hashes it again on every response, two hashes a
 * request that profiles of the serving bench put beside the whole rate limit's own work. Keys are
 * client addresses and credential hashes, never a token; the map is emptied when it reaches `max`.
 */
class PartitionKeys {
  private readonly keys = new Map<string, string>();
  constructor(private readonly max = 10_000) {}
  of(key: string): string {
    let pk = this.keys.get(key);
    if (pk === undefined) {
      if (this.keys.size >= this.max) this.keys.clear();
      pk = Buffer.from(createHash('sha256').update(key).digest('hex').slice(0, 12)).toString('base64');
      this.keys.set(key, pk);
    }
    return pk;
  }
}

/**
 * express-rate-limit's own draft-8 fields (`standardHeaders: 'draft-8'`), written here with the
 * same values: `RateLimit: "<name>"; r=<remaining>; t=<seconds to reset>` and `RateLimit-Policy:
 * "<name>"; q=<limit>; w=<window s>; pk=:<partition key>:`. The two limiters' items share one field
 * line each, joined by ", " (a list field may be sent either way, RFC 9110 Sec. 5.3; draft-8 fields
 * are structured-field lists), so a response sets each field once instead of appending twice.
 */
function writeFields(res: Response, name: string, info: CountedInfo, windowSeconds: number, partitionKeys: PartitionKeys): number {
  const reset = info.resetTime ? Math.max(0, Math.ceil((info.resetTime.getTime() - Date.now()) / 1000)) : windowSeconds;
  const add = (field: string, item: string) => {
    const before = res.getHeader(field);
    res.setHeader(field, before === undefined ? item : `${String(before)}, ${item}`);
  };
  add('RateLimit', `"${name}"; r=${info.remaining}; t=${reset}`);
  add('RateLimit-Policy', `"${name}"; q=${info.limit}; w=${windowSeconds}; pk=:${partitionKeys.of(info.key)}:`);
  return reset;
}

/** @example app.use(...rateLimiters({ windowMs: 60_000, perAddress: 600, perCredential: 1200 })); */
export function rateLimiters(limits: Partial<RateLimits> = {}): RequestHandler[] {
  const l = rateLimitSchema.parse(limits);
  const windowSeconds = Math.ceil(l.windowMs / 1000);
  const partitionKeys = new PartitionKeys();
  const limiter = (name: 'address' | 'credential', limit: number, options: Pick<Parameters<typeof rateLimit>[0] & object, 'skip' | 'keyGenerator'>): RequestHandler => {
    const property = `rateLimit-${name}`;
    const counted = (req: Request): CountedInfo | undefined => (req as unknown as Record<string, CountedInfo | undefined>)[property];
    const count = rateLimit({
      windowMs: l.windowMs,
      limit,
      requestPropertyName: property,
      // The fields are written below (writeFields), not by the library.
      standardHeaders: false,
      legacyHeaders: false,
      ...options,
      handler: (req, res) => {
        const info = counted(req);
        if (info) res.setHeader('Retry-After', String(writeFields(res, name, info, windowSeconds, partitionKeys)));
        sendBody(res, 429, 'application/json; charset=utf-8', JSON.stringify(refused(name).toJSON()));
      },
    });
    return (req, res, next) =>
      count(req, res, (error?: unknown) => {
        const info = counted(req);
        if (error === undefined && info && !res.headersSent) writeFields(res, name, info, windowSeconds, partitionKeys);
        next(error);
      });
  };
  const limiters: RequestHandler[] = [];
  if (l.perAddress > 0) limiters.push(limiter('address', l.perAddress, {}));
  if (l.perCredential > 0) {
    limiters.push(
      limiter('credential', l.perCredential, {
        skip: (req) => req.headers.authorization === undefined,
        keyGenerator: (req) => createHash('sha256').update(req.headers.authorization ?? '').digest('base64url'),
      }),
    );
  }
  return limiters;
}
