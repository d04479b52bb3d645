/** The training routes' inputs and responses: jobs on the coordinator and the model versions they start from. */
import { z } from 'zod';
import { jobConfigSchema } from '../rounds/index.ts';
import { historyBands, type HistoryBand } from '../../protocol/index.ts';

const jobStatus = z.enum(['created', 'running', 'paused', 'completed', 'failed', 'budget-exhausted', 'cancelled']);

export const jobParams = z.strictObject({ jobId: z.string().min(1).max(100).describe('A training job id.') });

export const versionParams = z.strictObject({
  version: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a model version number')
    .transform(Number)
    .describe('A model version number.'),
});

export const startJobBody = z
  .strictObject({
    config: jobConfigSchema.describe('The job config, validated by the same schema the round engine uses.'),
    initialVersion: z.int().nonnegative().describe('The stored model version the job trains from (upload one with POST /v1/model-versions).'),
  })
  .describe('Starts a federated training job over the store clients connected now.');

const baselineMetrics = z.object({ 'recall@10': z.number(), 'ndcg@10': z.number() });
// Per-segment federated evaluation (issue 14 point 4).
const segmentEvaluation = z.object({
  'recall@10': z.number(),
  'ndcg@10': z.number(),
  evaluated: z.int().nonnegative().describe('The band’s cohort size, noised with DP (rounded, clamped at 0).'),
});

const jobRound = z.object({
  round: z.int(),
  clients: z.int(),
  version: z.int().describe('The model version the round released.'),
  loss: z.number(),
  'recall@10': z.number().optional().describe("Federated evaluation of the round's starting model on the clients' held-out data."),
  'ndcg@10': z.number().optional(),
  baselines: z
    .object({ popularity: baselineMetrics, repeat: baselineMetrics })
    .optional()
    .describe("The stores' per-store popularity and personal-repeat baselines on the same evaluation cohort, released with the same noise (job config `evaluationBaselines`)."),
  segments: z
    .object(Object.fromEntries(historyBands.map((band) => [band, segmentEvaluation.optional()])) as Record<HistoryBand, z.ZodOptional<typeof segmentEvaluation>>)
    .optional()
    .describe('The same federated evaluation by shopper segment (how many past purchases the model reads: new 0, occasional 1–5, regular 6+), DP-released as the bands’ sums (the overall figures are derived from them, at no extra ε).'),
  epsilon: z.number().describe('Cumulative ε after this round (0 without DP).'),
  clipNorm: z.number().optional(),
  privacyCost: z
    .object({
      releases: z.array(z.object({ release: z.enum(['training', 'evaluation']), covers: z.string(), q: z.number(), noiseMultiplier: z.number() })),
      epsilonIncrease: z.number().describe('What this round added to the cumulative ε.'),
    })
    .optional()
    .describe("The round's releases (each a sampled Gaussian the accountant composes) and their cost; DP only."),
  finishedAt: z.string(),
});

export const jobResponse = z.object({
  id: z.string(),
  status: jobStatus,
  statusDetail: z.string().describe('Why the job paused, failed or stopped, when it did.'),
  createdAt: z.string(),
  updatedAt: z.string(),
  config: jobConfigSchema,
  privacy: z.object({
    mode: z.enum(['dp', 'none']),
    samplingRate: z.number().describe('Poisson sampling rate q per shopper.'),
    expectedShoppers: z.number().describe('qN, the fixed denominator of DP-FedAvg.'),
    noiseMultiplier: z.number().nullable(),
    clipNorm: z.number().nullable(),
    delta: z.number().nullable(),
    budgetEpsilon: z.number().nullable().describe('The ε the job stops before exceeding; null when it was given σ.'),
    epsilonSpent: z.number().nullable().describe('ε spent so far, persisted before each model release.'),
    metricNoiseMultiplier: z.number().nullable().describe('m: the noise on each released metric sum per unit of its per-shopper bound.'),
    epsilonSplit: z
      .object({ training: z.number(), adaptiveClipping: z.number(), metrics: z.number() })
      .nullable()
      .describe('ε of the released rounds split by release: the updates alone, then what the clipping count and the metrics add.'),
  }),
  completedRounds: z.int(),
  rounds: z.array(jobRound).describe('Completed rounds. Per-round shopper counts stay on the coordinator: they are un-noised.'),
  latestVersion: z.int().nullable(),
});

export const jobListResponse = z.object({
  jobs: z.array(z.object({ id: z.string(), status: jobStatus, statusDetail: z.string(), completedRounds: z.int(), rounds: z.int(), createdAt: z.string(), updatedAt: z.string() })),
});

export const modelBytes = z.instanceof(Uint8Array, { message: 'expected the weights as an application/octet-stream body (models/weights/model-weights.ts layout)' });

export const modelVersionResponse = z.object({
  version: z.int(),
  jobId: z.string().nullable(),
  round: z.int(),
  parameters: z.int().describe('Number of float32 values.'),
  createdAt: z.string(),
});

export const connectedClientsResponse = z.object({
  clients: z.array(z.object({ id: z.string(), shoppers: z.int().nonnegative().describe('Shoppers the client may sample from: its registered population, not what it declared.') })),
});

export const clientParams = z.strictObject({ clientId: z.string().min(1).max(200).describe('A registered store client id.') });

export const clientPopulationBody = z
  .strictObject({ shoppers: z.int().nonnegative().max(Number.MAX_SAFE_INTEGER).describe('The shoppers the client may sample from.') })
  .describe("Sets a registered client's population: the bound on every count it reports, and its N for q and qN of jobs started after its next connection.");

export const clientPopulationResponse = z.object({ id: z.string(), storeId: z.string(), shoppers: z.int().nonnegative() });
