/**
 * `fedrec privacy epsilon|noise|ledger`: the privacy accountant from the command line, so an ML
 * engineer can price a job before starting it, and the deployment's ledger of a coordinator's
 * database. A thin adapter: flags are parsed with zod, the numbers come from server/privacy.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { FedrecError } from '../../server/errors/index.ts';
import { calibrateNoise, computeEpsilon, type EpsilonResult, type LedgerSummary } from '../../server/privacy/index.ts';
import { loadLedger } from '../../server/rounds/load-ledger.ts';
import { openStore } from '../../server/store/index.ts';
import { parseFlags } from '../parse-flags.ts';
import type { Command } from './command.ts';

/** A numeric flag: must carry a value (a bare `--delta` is a mistake, not 1; `--delta=` is not 0). */
const numeric = (check: z.ZodNumber) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'needs a value') })
    .min(1, 'needs a value')
    .transform((text) => Number(text))
    .pipe(check);

/** The base of every numeric flag's check, with a message for text that is not a number. */
const number = (): z.ZodNumber => z.number({ error: 'must be a number' });

const kebab = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
/** Names unknown flags as the user typed them. */
const strict = {
  error: (issue: { code?: string; keys?: string[] }) =>
    issue.code === 'unrecognized_keys' ? `unknown option ${(issue.keys ?? []).map(kebab).join(', ')}` : undefined,
};

const samplingRate = numeric(number().min(0, 'must be in [0, 1]').max(1, 'must be in [0, 1]'));
const rounds = numeric(number().int('must be a whole number').positive('must be a positive whole number'));
const delta = numeric(number().gt(0, 'must be in (0, 1)').lt(1, 'must be in (0, 1)'));
const json = z.literal(true, { error: 'takes no value' }).optional();

const subcommandSchema = z.looseObject({
  _: z.tuple([z.enum(['epsilon', 'noise', 'ledger'], { error: 'expected epsilon, noise or ledger' })], {
    error: 'expected one subcommand: epsilon, noise or ledger',
  }),
});
const epsilonSchema = z.strictObject({
  _: z.tuple([z.literal('epsilon')]),
  samplingRate,
  noiseMultiplier: numeric(number().positive('must be > 0')),
  rounds,
  delta,
  json,
}, strict);
const noiseSchema = z.strictObject({
  _: z.tuple([z.literal('noise')]),
  targetEpsilon: numeric(number().positive('must be > 0')),
  samplingRate: numeric(number().gt(0, 'must be in (0, 1]').max(1, 'must be in (0, 1]')),
  rounds,
  delta,
  json,
}, strict);

const ledgerSchema = z.strictObject({
  _: z.tuple([z.literal('ledger')]),
  db: z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'needs a value') }).min(1, 'needs a value'),
  json,
}, strict);

const help = `usage:
  fedrec privacy epsilon --sampling-rate Q --noise-multiplier S --rounds T --delta D [--json]
  fedrec privacy noise --target-epsilon E --sampling-rate Q --rounds T --delta D [--json]
  fedrec privacy ledger --db FILE [--json]

epsilon  the (ε, δ) spent by T rounds of the sampled Gaussian mechanism (RDP accountant,
         Mironov et al. 2019; conversion of Balle et al. 2020, as Opacus and TF Privacy).
         --json prints {"epsilon": E, "order": A}.
noise    the smallest noise multiplier σ whose ε after T rounds is within E.
         --json prints {"noiseMultiplier": S}.
ledger   the deployment's privacy ledger in a coordinator's SQLite file: every job's releases
         composed in RDP and converted once at the lifetime δ, each job's share, the lifetime
         budget and what remains (what GET /v1/privacy answers). --json prints that document.

  --sampling-rate Q     probability that a shopper is in a round, in [0, 1]
  --noise-multiplier S  noise std / clip norm, > 0
  --target-epsilon E    the budget, > 0
  --rounds T            number of rounds, a positive whole number
  --delta D             in (0, 1), typically below 1 / number of shoppers
`;

export const privacyCommand: Command = {
  summary: 'privacy accounting: ε for a job, or the noise for a budget',
  help,
  async run(argv) {
    try {
      const { _: [subcommand] } = parseFlags(subcommandSchema, argv);
      console.log(subcommand === 'epsilon' ? epsilonReport(argv) : subcommand === 'noise' ? noiseReport(argv) : await ledgerReport(argv));
      return 0;
    } catch (err) {
      if (!(err instanceof FedrecError) || err.code !== 'invalid-input') throw err;
      console.error(`fedrec privacy: ${describe(err)}\n\nRun \`fedrec privacy --help\` for usage.`);
      return 2;
    }
  },
};

function epsilonReport(argv: string[]): string {
  const { samplingRate: q, noiseMultiplier: sigma, rounds, delta, json } = parseFlags(epsilonSchema, argv);
  const result = computeEpsilon([{ q, sigma, steps: rounds }], delta);
  warnIfOrderAtEdge(result);
  if (json) return JSON.stringify({ epsilon: result.epsilon, order: result.order });
  const job = `${rounds} rounds with q = ${q}, σ = ${sigma}`;
  return `ε = ${result.epsilon.toPrecision(6)} at δ = ${delta} (best RDP order ${result.order}) after ${job}`;
}

function noiseReport(argv: string[]): string {
  const { targetEpsilon, samplingRate: q, rounds, delta, json } = parseFlags(noiseSchema, argv);
  const sigma = calibrateNoise({ targetEpsilon, delta, q, rounds });
  const result = computeEpsilon([{ q, sigma, steps: rounds }], delta);
  warnIfOrderAtEdge(result);
  if (json) return JSON.stringify({ noiseMultiplier: sigma });
  const spent = `ε = ${result.epsilon.toPrecision(6)} ≤ ${targetEpsilon} at δ = ${delta}`;
  return `σ = ${sigma.toPrecision(6)} gives ${spent} after ${rounds} rounds with q = ${q}`;
}

async function ledgerReport(argv: string[]): Promise<string> {
  const { db, json } = parseFlags(ledgerSchema, argv);
  // Reading must not create an empty database where none was.
  if (!existsSync(db)) throw new FedrecError('invalid-input', `no database at ${db}`, [{ path: ['db'], message: `no such file: ${db}` }]);
  const store = openStore(db);
  let summary: LedgerSummary;
  try {
    summary = (await loadLedger(store)).summary();
  } finally {
    await store.close();
  }
  if (json) return JSON.stringify(summary);
  const figure = (epsilon: number | null): string => (epsilon === null ? 'unbounded (a job without DP released a model)' : epsilon.toFixed(4));
  const lines = [
    `lifetime budget: ${summary.budget ? `ε = ${summary.budget.epsilon} at δ = ${summary.budget.delta}` : 'none set'}`,
    `spent: ε = ${figure(summary.spent.epsilon)} at δ = ${summary.spent.delta} (every job's releases composed in RDP)`,
    `remaining: ${summary.remaining === null ? '-' : summary.remaining.toFixed(4)}`,
    ...summary.jobs.map((j) => `  job ${j.jobId}: ε = ${figure(j.epsilon)} alone, ${j.releases} releases`),
  ];
  return lines.join('\n');
}

/** Every issue on its own line, naming flags as typed (`--sampling-rate`) and `_` as the subcommand. */
function describe(err: FedrecError): string {
  if (err.issues.length === 0) return err.message;
  const lines = err.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const name = key === '_' ? 'subcommand' : key === '' ? 'options' : kebab(key);
    return `  ${name}: ${issue.message}`;
  });
  return `invalid options:\n${lines.join('\n')}`;
}

/** The accountant's advice, on stderr so --json output stays parseable. */
function warnIfOrderAtEdge(result: EpsilonResult): void {
  if (result.orderAtEdge) {
    const advice = 'a wider order list could give a lower ε';
    console.error(`warning: the best RDP order (${result.order}) is the ${result.orderAtEdge} one tried; ${advice}`);
  }
}
