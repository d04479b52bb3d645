/**
 * The federated job flags of `fedrec train` (and the defaults `fedrec demo` shares), turned into a
 * job config that is validated by the round engine's own `jobConfigSchema`: the CLI and the engine
 * share one schema, and its issues come back named by the flags the user typed.
 */
import { z } from 'zod';
import { jobConfigSchema, type JobConfigInput } from '../server/rounds/index.ts';
import { sharedParameterNames } from '../models/index.ts';
import { numberFlag, switchFlag, textFlag } from './flag-schemas.ts';

// Ranges are the job schema's to check, so each flag here only has to be a number.
const anyNumber = numberFlag(z.number());

/** The job flags, to spread into a command's flag schema. */
export const jobFlagShape = {
  rounds: anyNumber.optional(),
  samplingRate: anyNumber.optional(),
  shoppersPerRound: anyNumber.optional(),
  minClients: anyNumber.optional(),
  deadline: anyNumber.optional(),
  roundRetries: anyNumber.optional(),
  localEpochs: anyNumber.optional(),
  batchSize: anyNumber.optional(),
  clientLearningRate: anyNumber.optional(),
  serverLearningRate: anyNumber.optional(),
  serverOptimizer: textFlag.optional(),
  serverMomentum: anyNumber.optional(),
  sharedRateScale: anyNumber.optional(),
  clipNorm: anyNumber.optional(),
  noiseMultiplier: anyNumber.optional(),
  epsilon: anyNumber.optional(),
  delta: anyNumber.optional(),
  noDp: switchFlag('noDp'),
  evaluateEvery: anyNumber.optional(),
  /** Bare: adaptive clipping to the median update norm; with a value: to that quantile. */
  adaptiveClipping: z.union([z.literal(true), anyNumber]).optional(),
};

const jobFlagsObject = z.object(jobFlagShape);
export type JobFlags = z.infer<typeof jobFlagsObject>;

/** The defaults of a federated run, shared by `fedrec train` and `fedrec demo`. */
export const federatedDefaults = {
  rounds: 30,
  /** A tenth of the shoppers per round (q = 0.1). */
  shoppersShare: 0.1,
  deadlineSeconds: 120,
  evaluateEvery: 5,
  /** With two local epochs at rate 1 nearly every shopper's update reaches C = 1: see job-config.ts. */
  clipNorm: 1,
  epsilon: 8,
  delta: 1e-6,
  /**
   * FedAdam on the server (Reddi et al. 2021, Alg. 2: β1 0.9, β2 0.99, τ 1e-3, the job schema's
   * `adam` defaults) at server lr 0.02, chosen on the demo world's validation split (ε = 8, 30
   * rounds, q = 0.1, C = 1; README, "The demo job on the synthetic world"): validation recall@10
   * mean 0.5239 over 6 runs at lr 0.02, 0.5206 over 5 at 0.01, 0.5211 over 2 at 0.015 (0.5144 at
   * 0.005, 0.5142 at 0.025, 0.5039 at 0.03, 0.3703 at 0.1), against FedAvg's 0.5106 / 0.5091 at
   * server lr 1 and 0.5122–0.5139 at lr 2–3; FedAvgM (β 0.9) did worse (0.4698 at lr 1).
   * The engine's own schema default stays FedAvg at lr 1 (a REST job names its optimizer).
   */
  serverOptimizer: 'fedadam',
  /** Each optimizer's server step when `--server-learning-rate` is not given: FedAdam's is per coordinate, FedAvg's a multiple of Δ. */
  serverLearningRate: { fedavg: 1, fedavgm: 1, fedadam: 0.02 },
  /**
   * The server step of the shared parameters (`sharedParameterNames`) as a multiple of the server
   * rate, chosen on the demo world's validation split (ε = 8, 30 rounds, FedAdam lr 0.02; README,
   * "The demo job on the synthetic world"): validation recall@10 mean 0.5348 over 3 runs at 0.1,
   * 0.5331 over 4 at 0.25, 0.5335 at 0.15, 0.5279 at 0.5, 0.5282 at 0 (frozen at the priors),
   * 0.4653 / 0.4172 / 0.4052 at 3 / 5 / 10, against 0.5239 (6 runs) unscaled.
   */
  sharedRateScale: 0.1,
} as const;

/** The population facts the defaults depend on. */
export interface JobWorld {
  shoppers: number;
  stores: number;
}

/**
 * The job config for these flags over a world: unset flags take `federatedDefaults`, q defaults
 * to a tenth of the shoppers, the minimum clients to half the stores. Not yet validated.
 * @example jobConfig({ rounds: 6, epsilon: 4 }, { shoppers: 4000, stores: 8 })
 */
export function jobConfig(flags: Partial<JobFlags>, world: JobWorld): JobConfigInput {
  const d = federatedDefaults;
  const quantile = flags.adaptiveClipping === true ? 0.5 : flags.adaptiveClipping;
  const privacy: JobConfigInput['privacy'] = flags.noDp
    ? { mode: 'none' }
    : {
        mode: 'dp',
        clipNorm: flags.clipNorm ?? d.clipNorm,
        delta: flags.delta ?? d.delta,
        ...(flags.noiseMultiplier !== undefined ? { noiseMultiplier: flags.noiseMultiplier } : { targetEpsilon: flags.epsilon ?? d.epsilon }),
        ...(quantile !== undefined ? { adaptiveClipping: { targetQuantile: quantile } } : {}),
      };
  return {
    rounds: flags.rounds ?? d.rounds,
    ...(flags.samplingRate !== undefined ? { samplingRate: flags.samplingRate } : { expectedShoppersPerRound: flags.shoppersPerRound ?? Math.max(1, Math.round(world.shoppers * d.shoppersShare)) }),
    minClients: flags.minClients ?? Math.max(1, Math.ceil(world.stores / 2)),
    roundDeadlineMs: Math.round((flags.deadline ?? d.deadlineSeconds) * 1000),
    ...(flags.roundRetries !== undefined ? { roundRetries: flags.roundRetries } : {}),
    ...(flags.localEpochs !== undefined ? { localEpochs: flags.localEpochs } : {}),
    ...(flags.batchSize !== undefined ? { batchSize: flags.batchSize } : {}),
    ...(flags.clientLearningRate !== undefined ? { clientLearningRate: flags.clientLearningRate } : {}),
    ...serverStep(flags),
    ...(flags.serverMomentum !== undefined ? { serverMomentum: flags.serverMomentum } : {}),
    ...sharedRateScales(flags.sharedRateScale ?? d.sharedRateScale),
    evaluateEvery: flags.evaluateEvery ?? d.evaluateEvery,
    privacy,
  };
}

/** The optimizer and its server step: the flags', else the federated defaults for that optimizer (an unknown name is left for the schema to refuse). */
function serverStep(flags: Partial<JobFlags>): Pick<JobConfigInput, 'serverOptimizer' | 'serverLearningRate'> {
  const optimizer = (flags.serverOptimizer ?? federatedDefaults.serverOptimizer) as NonNullable<JobConfigInput['serverOptimizer']>;
  const learningRate = flags.serverLearningRate ?? federatedDefaults.serverLearningRate[optimizer];
  return { serverOptimizer: optimizer, ...(learningRate !== undefined ? { serverLearningRate: learningRate } : {}) };
}

/** The shared parameters' server-rate multiplier as the job's per-parameter scales; none at 1. */
function sharedRateScales(scale: number): Pick<JobConfigInput, 'serverLearningRateScales'> {
  return scale === 1 ? {} : { serverLearningRateScales: Object.fromEntries(sharedParameterNames.map((name) => [name, scale])) };
}

/** Job config path → the flag that sets it. */
const flagFor: Record<string, keyof JobFlags> = {
  rounds: 'rounds',
  samplingRate: 'samplingRate',
  expectedShoppersPerRound: 'shoppersPerRound',
  minClients: 'minClients',
  roundDeadlineMs: 'deadline',
  roundRetries: 'roundRetries',
  localEpochs: 'localEpochs',
  batchSize: 'batchSize',
  clientLearningRate: 'clientLearningRate',
  serverLearningRate: 'serverLearningRate',
  serverOptimizer: 'serverOptimizer',
  serverMomentum: 'serverMomentum',
  evaluateEvery: 'evaluateEvery',
  'privacy.clipNorm': 'clipNorm',
  'privacy.noiseMultiplier': 'noiseMultiplier',
  'privacy.targetEpsilon': 'epsilon',
  'privacy.delta': 'delta',
  'privacy.adaptiveClipping.targetQuantile': 'adaptiveClipping',
};

const dpOnly = ['clipNorm', 'noiseMultiplier', 'epsilon', 'delta', 'adaptiveClipping'] as const;

/**
 * Pass as `superRefine`'s second argument: run the check even when a flag already failed its own
 * schema (zod skips refinements after such issues by default), so every issue shows at once.
 */
export const evenAfterFlagIssues = { when: () => true };

/**
 * Validates the job flags through `jobConfigSchema`, as a zod check so its issues are reported
 * with every other flag issue, each on the flag that caused it.
 * @example z.strictObject({ ...jobFlagShape }).superRefine(checkJobFlags, evenAfterFlagIssues)
 */
export function checkJobFlags(flags: Partial<JobFlags>, ctx: z.RefinementCtx): void {
  const issue = (flag: keyof JobFlags, message: string): void => ctx.addIssue({ code: 'custom', path: [flag], message });
  // A flag that is not even a number has its issue already; leave it out rather than report it twice.
  const usable = Object.fromEntries(Object.keys(jobFlagShape).filter((key) => parsedAsFlag(key as keyof JobFlags, flags[key as keyof JobFlags])).map((key) => [key, flags[key as keyof JobFlags]])) as Partial<JobFlags>;
  if (flags.noDp) for (const flag of dpOnly) if (flags[flag] !== undefined) issue(flag, 'cannot be combined with --no-dp');
  if (flags.noiseMultiplier !== undefined && flags.epsilon !== undefined) issue('noiseMultiplier', 'give --noise-multiplier or --epsilon, not both');
  if (flags.samplingRate !== undefined && flags.shoppersPerRound !== undefined) issue('samplingRate', 'give --sampling-rate or --shoppers-per-round, not both');
  // Any valid population will do here: the defaults that depend on it are valid for every world.
  const parsed = jobConfigSchema.safeParse(jobConfig(usable, { shoppers: 1000, stores: 1 }));
  if (parsed.success) return;
  // One flag sets every shared parameter's scale, so its issue would come once per parameter.
  const reported = new Set<string>();
  for (const i of parsed.error.issues) {
    const flag = i.path[0] === 'serverLearningRateScales' ? 'sharedRateScale' : flagFor[i.path.join('.')];
    if (flag === 'noiseMultiplier' && flags.epsilon !== undefined) continue; // reported above, in flag words
    if (flag === 'samplingRate' && flags.shoppersPerRound !== undefined) continue;
    const message = flag === 'deadline' ? i.message.replace(/number/, 'number of milliseconds') : i.message;
    if (reported.has(`${flag}: ${message}`)) continue;
    reported.add(`${flag}: ${message}`);
    ctx.addIssue({ code: 'custom', path: [flag ?? 'options'], message });
  }
}

/** Whether a flag's value got past its own schema (a refinement sees failed values too). */
function parsedAsFlag(key: keyof JobFlags, value: unknown): boolean {
  if (key === 'serverOptimizer') return typeof value === 'string';
  if (key === 'noDp') return value === true;
  if (key === 'adaptiveClipping') return value === true || typeof value === 'number';
  return typeof value === 'number' && !Number.isNaN(value);
}

/**
 * The job schema's own defaults, read by parsing a config that sets nothing optional, so the help
 * text cannot drift from what a job actually runs with.
 */
export const jobSchemaDefaults = jobConfigSchema.parse({ rounds: 1, samplingRate: 0.5 });


/** The help lines for the job flags. */
export const jobFlagsHelp = `federated job (validated by the round engine's job schema):
  --rounds N                 training rounds (default ${federatedDefaults.rounds})
  --sampling-rate Q          Poisson rate at which each shopper is sampled per round, or
  --shoppers-per-round N     expected shoppers per round, q = N / population (default a tenth of the shoppers)
  --min-clients N            stores that must answer for a round to count (default half the stores)
  --deadline SECONDS         a round closes then with the answers it has (default ${federatedDefaults.deadlineSeconds})
  --round-retries N          rounds retried with too few answers before the job pauses (default ${jobSchemaDefaults.roundRetries})
  --local-epochs N           passes over a sampled shopper's purchases (default ${jobSchemaDefaults.localEpochs})
  --batch-size N             examples per local step (default ${jobSchemaDefaults.batchSize})
  --client-learning-rate R   local SGD step (default ${jobSchemaDefaults.clientLearningRate})
  --server-learning-rate R   server optimizer step (default ${Object.entries(federatedDefaults.serverLearningRate).map(([name, rate]) => `${rate} with ${name}`).join(', ')})
  --server-optimizer NAME    fedavg, fedavgm (server momentum) or fedadam (default ${federatedDefaults.serverOptimizer})
  --server-momentum B        fedavgm's β (default ${jobSchemaDefaults.serverMomentum})
  --shared-rate-scale S      server step of the shared parameters, × the server rate (default ${federatedDefaults.sharedRateScale})
  --clip-norm C              L2 bound on each shopper's update (default ${federatedDefaults.clipNorm})
  --epsilon E                privacy budget ε: σ is calibrated to spend it over the rounds (default ${federatedDefaults.epsilon}), or
  --noise-multiplier S       σ given directly (the job then runs every round; ε is reported)
  --delta D                  δ (default ${federatedDefaults.delta})
  --adaptive-clipping [Q]    C follows quantile Q of the update norms (Andrew et al. 2021; bare: 0.5)
  --no-dp                    no clipping or noise: FedAvg weighted by examples
  --evaluate-every N         federated evaluation every N rounds (default ${federatedDefaults.evaluateEvery})`;
