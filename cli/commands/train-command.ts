/**
 * `fedrec train`: trains the recommender on a world and scores it against the baselines on the
 * held-out last purchases. Federated by default: rounds on an in-process coordinator with one
 * simulated client per store, or (`--url`) a job on a running coordinator whose clients
 * `fedrec sim --url` runs. `--centralized` pools every purchase in this process instead (the
 * non-private reference). Every mode returns a TrainedModel, so one evaluation scores them all.
 */
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { defaultCentralizedOptions, defaultModelPriors, defaultShapeHyperparameters, serializeWeights } from '../../models/index.ts';
import { numberFlag, switchFlag, textFlag, unknownFlags, wholeNumberFlag } from '../flag-schemas.ts';
import { checkJobFlags, evenAfterFlagIssues, jobConfig, jobFlagShape, jobFlagsHelp, type JobFlags } from '../job-flags.ts';
import { parseFlags } from '../parse-flags.ts';
import { runCentralized } from '../run-centralized.ts';
import { runFederated, runFederatedOn } from '../run-federated.ts';
import { federatedReport, formatTrainingReport, modelMetrics, trainingReport } from '../training-report.ts';
import { checkWorldFlags, loadWorld, worldFlagShape, worldFlagsHelp, type WorldFlags } from '../world-options.ts';
import type { Command } from './command.ts';

const centralizedOnly = ['epochs', 'learningRate'] as const;
const federatedOnly = ['url', 'wait', 'skipCentralized', 'repeatPrior', 'descriptionPrior', 'historyLength', 'embeddingDim', ...(Object.keys(jobFlagShape) as (keyof JobFlags)[]).filter((k) => k !== 'batchSize')] as const;

const trainSchema = z
  .strictObject(
    {
      ...worldFlagShape,
      ...jobFlagShape,
      centralized: switchFlag('centralized'),
      epochs: wholeNumberFlag(1, 10_000).optional(),
      learningRate: numberFlag(z.number().positive('must be > 0').max(10, 'must be at most 10')).optional(),
      batchSize: wholeNumberFlag(1, 1_000_000).optional(),
      url: textFlag.pipe(z.url('must be a URL like http://127.0.0.1:3000')).optional(),
      wait: numberFlag(z.number().nonnegative('must be ≥ 0')).optional(),
      skipCentralized: switchFlag('skipCentralized'),
      repeatPrior: numberFlag(z.number().min(0, 'must be ≥ 0').max(100, 'must be at most 100')).optional(),
      descriptionPrior: numberFlag(z.number().min(0, 'must be ≥ 0').max(100, 'must be at most 100')).optional(),
      historyLength: wholeNumberFlag(1, 1000).optional(),
      embeddingDim: wholeNumberFlag(1, 1024).optional(),
      save: textFlag.optional(),
      json: switchFlag('json'),
    },
    unknownFlags,
  )
  .superRefine((flags, ctx) => {
    checkWorldFlags(flags as WorldFlags, ctx);
    const issue = (flag: string, message: string): void => ctx.addIssue({ code: 'custom', path: [flag], message });
    if (flags.centralized) {
      for (const flag of federatedOnly) if (flags[flag] !== undefined) issue(flag, 'applies to federated training (without --centralized)');
      return;
    }
    for (const flag of centralizedOnly) if (flags[flag] !== undefined) issue(flag, 'applies with --centralized (federated rounds use --local-epochs and --client-learning-rate)');
    if (flags.wait !== undefined && flags.url === undefined) issue('wait', 'only applies with --url');
    // A job on a running coordinator starts from the weights this process uploads, built plainly.
    for (const flag of ['repeatPrior', 'descriptionPrior', 'historyLength', 'embeddingDim'] as const) if (flags[flag] !== undefined && flags.url !== undefined) issue(flag, 'applies to the in-process federation (without --url)');
    checkJobFlags(flags as Partial<JobFlags>, ctx);
  }, evenAfterFlagIssues);

type TrainFlags = z.infer<typeof trainSchema>;

const help = `usage: fedrec train [--url URL] [job options] [--skip-centralized] [--json] [world options]
       fedrec train --centralized [--epochs N --learning-rate R --batch-size N] [--json] [world options]

Trains the recommender, then ranks every held-out shopper's last purchase over the whole catalogue
with the model and with the baselines (global popularity, popularity at the shopper's store, item
co-occurrence and, for a federated run, the same model trained centrally), and prints recall@10 and
NDCG@10 for each.

Federated (the default): a DP job of training rounds. Without --url, on a coordinator in this
process with one simulated store client per store of the world.
  --url URL             run the job on a running coordinator (\`fedrec serve\`) instead; its store
                        clients must hold the same world (\`fedrec sim --url URL\` with the same world
                        options). The final model is downloaded and evaluated here. Needs an
                        API key with the role engineer in FEDREC_API_KEY.
  --wait SECONDS        with --url: how long to wait for one client per store of the world before
                        starting with those connected (at least --min-clients; default 60)
  --skip-centralized    do not train the centralised reference ("baselines.centralized": null)
  --repeat-prior W      start the model's repeat weight at W (data-free, no privacy cost; see
                        withRepeatPrior; default ${defaultModelPriors.repeat}); without --url
  --description-prior W start the weight of the description term (similarity of an item's words to
                        the latest purchase's) at W (data-free; default ${defaultModelPriors.description}); without --url
  --history-length N    purchases the model reads (default ${defaultShapeHyperparameters.historyLength}); without --url
  --embedding-dim N     size of the item embeddings (default ${defaultShapeHyperparameters.embeddingDim}; fewer noisy
                        coordinates under DP); without --url

${jobFlagsHelp}

Centralised:
  --centralized         train on all purchases pooled in this process (the non-private reference)
  --epochs N            passes over the training purchases (default ${defaultCentralizedOptions.epochs})
  --learning-rate R     Adam step size (default ${defaultCentralizedOptions.learningRate})
  --batch-size N        examples per step (default ${defaultCentralizedOptions.batchSize}; federated: per local step)

Output:
  --save FILE           write the trained weights (binary, see models/weights/model-weights.ts)
  --json                print one JSON object on stdout instead of the table; progress stays on stderr

${worldFlagsHelp}

FEDREC_BACKEND=node|wasm|cpu forces a tensor backend (default: the fastest that loads).
`;

export const trainCommand: Command = {
  summary: 'train the recommender (federated, or --centralized) and compare it with the baselines',
  help,
  async run(argv) {
    const flags: TrainFlags = parseFlags(trainSchema, argv);
    const loaded = await loadWorld(flags);
    console.error(`fedrec train: ${loaded.description}`);
    const { split } = loaded;
    const log = (line: string): void => console.error(`fedrec train: ${line}`);
    if (flags.centralized) {
      const trained = await runCentralized(loaded, split, flags);
      await save(flags.save, trained.weights);
      const report = trainingReport(trained, loaded, split, log);
      console.log(flags.json ? JSON.stringify(report) : formatTrainingReport(report));
      return 0;
    }
    const { world } = loaded;
    const config = jobConfig(flags, { shoppers: world.shoppers.length, stores: world.stores.length });
    const run = flags.url ? await runFederatedOn(flags.url, loaded, config, { waitSeconds: flags.wait ?? 60, log }) : await runFederated(loaded, split, config, { log, repeatPrior: flags.repeatPrior, descriptionPrior: flags.descriptionPrior, shape: modelShapeFlags(flags) });
    await save(flags.save, run.weights);
    let centralized = null;
    if (!flags.skipCentralized) {
      console.error('fedrec train: training the centralised reference on the same world (--skip-centralized skips it)');
      const reference = await runCentralized(loaded, split);
      centralized = { test: modelMetrics(reference, split), validation: modelMetrics(reference, split, 'validation') };
      log(`centralised reference: recall@10 validation ${centralized.validation['recall@10'].toFixed(4)}, test ${centralized.test['recall@10'].toFixed(4)}, trained in ${reference.seconds.toFixed(1)} s`);
    }
    const report = federatedReport(trainingReport(run, loaded, split, log), run, centralized);
    console.log(flags.json ? JSON.stringify(report) : formatTrainingReport(report));
    if (run.status === 'completed' || run.status === 'budget-exhausted') return 0;
    console.error(`fedrec train: job ${run.jobId} ended ${run.status} after ${run.rounds} of ${config.rounds} rounds`);
    return 1;
  },
};

async function save(file: string | undefined, weights: Parameters<typeof serializeWeights>[0]): Promise<void> {
  if (file === undefined) return;
  await writeFile(file, serializeWeights(weights));
  console.error(`fedrec train: weights written to ${file}`);
}

/** The model-shape flags given (the rest stay at their defaults). */
function modelShapeFlags(flags: TrainFlags): { historyLength?: number; embeddingDim?: number } {
  return { ...(flags.historyLength !== undefined ? { historyLength: flags.historyLength } : {}), ...(flags.embeddingDim !== undefined ? { embeddingDim: flags.embeddingDim } : {}) };
}
