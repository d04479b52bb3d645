/**
 * The settings `fedrec serve` and `fedrec demo` give the server, from flags first and the
 * environment second, validated together so every problem is reported at once:
 *
 * | flag | variable | meaning |
 * |---|---|---|
 * | `--cors-origin A,B` | `FEDREC_CORS_ORIGINS` | origins allowed to call the API from a browser (default none) |
 * | `--rate-limit N` | `FEDREC_RATE_LIMIT` | requests per window from one client address (0: off) |
 * | `--rate-limit-credential N` | `FEDREC_RATE_LIMIT_CREDENTIAL` | requests per window with one Authorization credential (0: off) |
 * | `--rate-window S` | `FEDREC_RATE_WINDOW` | the window, seconds |
 * | `--metrics open\|roles` | `FEDREC_METRICS_ACCESS` | who may read /metrics (default roles: engineer or admin keys) |
 * | `--log-level L` | `FEDREC_LOG_LEVEL` | fatal, error, warn, info (default), debug, trace, silent |
 * | `--trust-proxy N` | `FEDREC_TRUST_PROXY` | how many proxy hops' X-Forwarded-For to believe for the client address (default 0) |
 */
import { z } from 'zod';
import { corsOriginSchema } from '../server/api/index.ts';
import { FedrecError } from '../server/errors/index.ts';
import type { ApiSettings } from '../server/host/start-fedrec-server.ts';
import { logLevelSchema, type LogLevel } from '../server/operations/logger.ts';

export const serverSettingFlags = {
  corsOrigin: z.string().min(1, 'needs a value').optional(),
  rateLimit: z.string().min(1, 'needs a value').optional(),
  rateLimitCredential: z.string().min(1, 'needs a value').optional(),
  rateWindow: z.string().min(1, 'needs a value').optional(),
  metrics: z.string().min(1, 'needs a value').optional(),
  logLevel: z.string().min(1, 'needs a value').optional(),
  trustProxy: z.string().min(1, 'needs a value').optional(),
};

export const serverSettingsHelp = `  --cors-origin A,B      origins allowed from a browser (FEDREC_CORS_ORIGINS; default none: CORS closed)
  --rate-limit N         requests per window from one address (FEDREC_RATE_LIMIT; default 6000, 0: off)
  --rate-limit-credential N  requests per window per Authorization credential (FEDREC_RATE_LIMIT_CREDENTIAL; default 12000)
  --rate-window S        the rate-limit window in seconds (FEDREC_RATE_WINDOW; default 60)
  --metrics open|roles  who may read /metrics (FEDREC_METRICS_ACCESS; default roles: an engineer or admin key)
  --log-level L          fatal|error|warn|info|debug|trace|silent (FEDREC_LOG_LEVEL; default info)
  --trust-proxy N        proxy hops whose X-Forwarded-For names the client (FEDREC_TRUST_PROXY; default 0)`;

const count = z.coerce.number<string>().pipe(z.int('must be a whole number').nonnegative('must be at least 0'));

const settingsSchema = z.object({
  corsOrigin: z.string().transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean)).pipe(z.array(corsOriginSchema)).optional(),
  rateLimit: count.optional(),
  rateLimitCredential: count.optional(),
  rateWindow: z.coerce.number<string>().pipe(z.int('must be a whole number').min(1, 'must be at least 1').max(86_400)).optional(),
  metrics: z.enum(['open', 'roles']).optional(),
  logLevel: z.string().transform((s) => s.toLowerCase()).pipe(logLevelSchema).optional(),
  trustProxy: count.optional(),
});

const variables: Record<keyof typeof serverSettingFlags, string> = {
  corsOrigin: 'FEDREC_CORS_ORIGINS',
  rateLimit: 'FEDREC_RATE_LIMIT',
  rateLimitCredential: 'FEDREC_RATE_LIMIT_CREDENTIAL',
  rateWindow: 'FEDREC_RATE_WINDOW',
  metrics: 'FEDREC_METRICS_ACCESS',
  logLevel: 'FEDREC_LOG_LEVEL',
  trustProxy: 'FEDREC_TRUST_PROXY',
};

/** @example const { api, logLevel } = serverSettings(flags); */
export function serverSettings(flags: Partial<Record<keyof typeof serverSettingFlags, string>>, env: NodeJS.ProcessEnv = process.env): { api: ApiSettings; logLevel: LogLevel } {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(variables) as (keyof typeof variables)[]) {
    const value = flags[key] ?? env[variables[key]];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message, code: i.code }));
    const lines = issues.map((i) => `  --${String(i.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} (or ${variables[i.path[0] as keyof typeof variables]}): ${i.message}`);
    throw new FedrecError('invalid-input', `invalid options:\n${lines.join('\n')}`, issues);
  }
  const s = parsed.data;
  return {
    logLevel: s.logLevel ?? 'info',
    api: {
      corsOrigins: s.corsOrigin ?? [],
      metricsAccess: s.metrics ?? 'roles',
      trustProxy: s.trustProxy ?? false,
      rateLimits: { ...(s.rateLimit !== undefined ? { perAddress: s.rateLimit } : {}), ...(s.rateLimitCredential !== undefined ? { perCredential: s.rateLimitCredential } : {}), ...(s.rateWindow !== undefined ? { windowMs: s.rateWindow * 1000 } : {}) },
    },
  };
}
