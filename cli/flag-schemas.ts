/**
 * zod building blocks for command flags. `parse-flags.ts` hands every value over as a string, or
 * `true` for a bare flag, so each schema here rejects a bare `--epochs` ("needs a value") instead
 * of coercing `true` to 1, and names unknown flags the way the user typed them.
 */
import { z } from 'zod';
import type { FedrecError } from '../server/errors/index.ts';

const needsValue = z.string({ error: 'needs a value' }).min(1, 'needs a value');

/**
 * A numeric flag: the text coerced to a number, then checked.
 * @example numberFlag(z.number().positive('must be > 0')).optional()
 */
export const numberFlag = (check: z.ZodNumber) => needsValue.pipe(z.coerce.number<string>().pipe(check));

/**
 * A whole-number flag within [min, max].
 * @example wholeNumberFlag(1).optional() // --epochs
 */
export const wholeNumberFlag = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  numberFlag(z.number().int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/**
 * `--privacy-budget EPS[,DELTA]`: the deployment's lifetime (ε, δ), δ defaulting to 1e-6.
 * @example privacyBudgetFlag.optional() // "10" → { epsilon: 10, delta: 1e-6 }
 */
export const privacyBudgetFlag = needsValue.pipe(
  z
    .string()
    .regex(/^[^,]+(,[^,]+)?$/, 'expected EPSILON or EPSILON,DELTA')
    .transform((text) => {
      const [epsilon, delta = '1e-6'] = text.split(',');
      return { epsilon: Number(epsilon), delta: Number(delta) };
    })
    .pipe(z.object({ epsilon: z.number({ error: 'ε must be a number' }).positive('ε must be > 0').max(1e6, 'ε must be at most 1e6'), delta: z.number({ error: 'δ must be a number' }).gt(0, 'δ must be in (0, 1)').lt(1, 'δ must be in (0, 1)') })),
);

/** A flag that carries text (a file name, a column map). */
export const textFlag = needsValue;

/**
 * An on/off flag such as `--json`: present or absent, never given a value.
 * @example switchFlag('json')
 */
export const switchFlag = (name: string) => z.literal(true, { error: `--${kebab(name)} takes no value` }).optional();

/** Pass as a strictObject's second argument so an unknown flag reads "unknown option --foo". */
export const unknownFlags = {
  error: (issue: { code?: string; keys?: string[] }) => (issue.code === 'unrecognized_keys' ? `unknown option ${(issue.keys ?? []).map((k) => `--${kebab(k)}`).join(', ')}` : undefined),
};

/**
 * The message for a flag error: one line per issue, flags named as typed, then where help is.
 * @example console.error(flagErrorMessage('train', err)); return 2;
 */
export function flagErrorMessage(command: string, err: FedrecError): string {
  const lines = err.issues.length === 0 ? [err.message] : ['invalid options:', ...err.issues.map((issue) => `  ${flagName(issue.path)}: ${issue.message}`)];
  return `fedrec ${command}: ${lines.join('\n')}\n\nRun \`fedrec ${command} --help\` for usage.`;
}

function flagName(path: (string | number)[]): string {
  const key = String(path[0] ?? '');
  return key === '' ? 'options' : key === '_' ? 'arguments' : `--${kebab(key)}`;
}

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
