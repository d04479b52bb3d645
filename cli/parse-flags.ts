/**
 * Turns `--name value`, `--name=value` and bare `--flag` arguments into an object and validates it
 * with a zod schema, reporting every issue at once (a CLI flag is a trust boundary like any other).
 */
import type { z } from 'zod';
import { FedrecError } from '../server/errors/index.ts';

export function parseFlags<S extends z.ZodType>(schema: S, argv: string[]): z.infer<S> {
  const raw: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = toCamel(arg.slice(2, eq === -1 ? undefined : eq));
    if (eq !== -1) raw[key] = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) raw[key] = argv[++i];
    else raw[key] = true;
  }
  if (positional.length) (raw as Record<string, unknown>)._ = positional;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message, code: i.code }));
    const lines = issues.map((i) => `  --${toKebab(String(i.path[0] ?? ''))}: ${i.message}`);
    throw new FedrecError('invalid-input', `invalid options:\n${lines.join('\n')}`, issues);
  }
  return parsed.data;
}

const toCamel = (s: string): string => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const toKebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
