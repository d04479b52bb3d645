/**
 * Request rate limits, two fixed windows side by side: one per client address and one per
 * credential (the `Authorization` header's SHA-256, so a token shared from many addresses is held to
 * its own quota and a token is never kept in memory as is). Answers past the quota are 429 with the
 * FedrecError body; every counted answer carries the IETF `RateLimit` and `RateLimit-Policy` fields
 * (draft-ietf-httpapi-ratelimit-headers-08, the values express-rate-limit writes as `draft-8`), and a
 * 429 carries `Retry-After`. The address window is counted first; a request it refuses does not
 * count against the credential's.
 *
 * The counting is express-rate-limit's (its `MemoryStore`, one per window, and `ipKeyGenerator`
 * for the address); the middleware around it is this file's. express-rate-limit's own middleware
 * cost ~13 µs a request per window (two windows: 26.7 µs a request, calling them directly on express
 * requests), most of it per-request machinery fedrec does not use: six awaits of values that are not
 * promises, option functions, debug and validation calls, an info object per request, and a SHA-256
 * of the key for the partition key on every response. This middleware awaits the store once per
 * window and keeps the partition keys (README, Measured).
 *
 * Counters live in the process: one process is one quota. The client address is the socket's unless
 * `trustProxy` says which proxies' `X-Forwarded-For` to believe (express's `req.ip`).
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, MemoryStore, type ClientRateLimitInfo, type Options } from 'express-rate-limit';
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

interface RateWindow {
  name: 'address' | 'credential';
  limit: number;
  store: MemoryStore;
  /** The key a request is counted under, or undefined when this window does not count it. */
  key(req: Request): string | undefined;
}

/** @example app.use(...rateLimiters({ windowMs: 60_000, perAddress: 600, perCredential: 1200 })); */
export function rateLimiters(limits: Partial<RateLimits> = {}): RequestHandler[] {
  const l = rateLimitSchema.parse(limits);
  const windows: RateWindow[] = [];
  if (l.perAddress > 0) windows.push({ name: 'address', limit: l.perAddress, store: new MemoryStore(), key: addressKey });
  if (l.perCredential > 0) windows.push({ name: 'credential', limit: l.perCredential, store: new MemoryStore(), key: credentialKey });
  if (windows.length === 0) return [];
  // The store reads only windowMs from the options it is given (it clears expired keys every window).
  for (const w of windows) w.store.init({ windowMs: l.windowMs } as Options);
  const limiter = new Limiter(windows, Math.ceil(l.windowMs / 1000));
  return [(req, res, next) => limiter.count(req, res, next, 0)];
}

const addressKey = (req: Request): string => ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? '');
const credentialKey = (req: Request): string | undefined => (req.headers.authorization === undefined ? undefined : createHash('sha256').update(req.headers.authorization).digest('base64url'));

class Limiter {
  /** express-rate-limit's draft-8 partition key per key (first 12 hex digits of its SHA-256, base64); keys are addresses and hashes, never a token. */
  private readonly partitionKeys = new Map<string, string>();

  constructor(
    private readonly windows: readonly RateWindow[],
    private readonly windowSeconds: number,
  ) {}

  /** Counts the request in window `from` and the ones after it, then passes it on or answers 429. */
  count(req: Request, res: Response, next: NextFunction, from: number): void {
    for (let n = from; n < this.windows.length; n++) {
      const w = this.windows[n];
      let key: string | undefined;
      try {
        key = w.key(req);
      } catch (error) {
        next(error);
        return;
      }
      if (key === undefined) continue;
      w.store.increment(key).then((hit) => this.counted(req, res, next, n, key, hit), next);
      return;
    }
    // express catches what the rest of the chain throws synchronously (its layers' try/catch).
    next();
  }

  /** Answers 429 past the window's limit, else counts the next window; a failure here goes to the error handler, not to an unobserved promise. */
  private counted(req: Request, res: Response, next: NextFunction, n: number, key: string, hit: ClientRateLimitInfo): void {
    const w = this.windows[n];
    let refused: boolean;
    try {
      const reset = hit.resetTime ? Math.max(0, Math.ceil((hit.resetTime.getTime() - Date.now()) / 1000)) : this.windowSeconds;
      if (!res.headersSent) this.writeFields(res, w, key, Math.max(w.limit - hit.totalHits, 0), reset);
      refused = hit.totalHits > w.limit;
      if (refused) {
        res.setHeader('Retry-After', String(reset));
        sendBody(res, 429, 'application/json; charset=utf-8', JSON.stringify(new FedrecError('rate-limited', `too many requests from this ${w.name}; see Retry-After`).toJSON()));
      }
    } catch (error) {
      next(error);
      return;
    }
    // Outside the try: what the rest of the chain throws is express's to handle, not a rate-limit failure.
    if (!refused) this.count(req, res, next, n + 1);
  }

  /** `RateLimit: "<name>"; r=<remaining>; t=<s>` and `RateLimit-Policy: "<name>"; q=<limit>; w=<s>; pk=:<key>:`, the windows' items on one line each (a list field, RFC 9110 Sec. 5.3). */
  private writeFields(res: Response, w: RateWindow, key: string, remaining: number, reset: number): void {
    appendItem(res, 'RateLimit', `"${w.name}"; r=${remaining}; t=${reset}`);
    appendItem(res, 'RateLimit-Policy', `"${w.name}"; q=${w.limit}; w=${this.windowSeconds}; pk=:${this.partitionKey(key)}:`);
  }

  private partitionKey(key: string): string {
    let pk = this.partitionKeys.get(key);
    if (pk === undefined) {
      // Bounded like the store's own keys: emptied when it holds many (an address scan), refilled as keys return.
      if (this.partitionKeys.size >= 100_000) this.partitionKeys.clear();
      pk = Buffer.from(createHash('sha256').update(key).digest('hex').slice(0, 12)).toString('base64');
      this.partitionKeys.set(key, pk);
    }
    return pk;
  }
}

/** A module function, not a closure per response: tsx gives each named closure an Object.defineProperty when it is created (express-adapter.ts, parsePart). */
function appendItem(res: Response, field: string, item: string): void {
  const before = res.getHeader(field);
  res.setHeader(field, before === undefined ? item : `${String(before)}, ${item}`);
}
