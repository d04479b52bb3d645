/**
 * `fedrec train`: trains the recommender on a world and scores it against the baselines on the
 * held-out last purchases. `--centralized` pools every purchase in this process (the reference
 * run); federated training plugs in beside it as `runFederated`, returning the same TrainedModel,
 * so the evaluation, the table and the JSON below serve both.
 */
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { leaveLastOut } from '../../client-sim/world/index.ts';
import { defaultCentralizedOptions, serializeWeights } from '../../models/index.ts';
import { FedrecError } from '../../server/errors/index.ts';
import { flagErrorMessage, numberFlag, switchFlag, textFlag, unknownFlags, wholeNumberFlag } from '../flag-schemas.ts';
import { parseFlags } from '../parse-flags.ts';
import { runCentralized, type TrainedModel } from '../run-centralized.ts';
import { formatTrainingReport, trainingReport } from '../training-report.ts';
import { checkWorldFlags, loadWorld, worldFlagShape, worldFlagsHelp } from '../world-options.ts';
import type { Command } from './command.ts';

const trainSchema = z
  .strictObject(
    {
      ...worldFlagShape,
      centralized: switchFlag('centralized'),
      epochs: wholeNumberFlag(1, 10_000).optional(),
      learningRate: numberFlag(z.number().positive('must be > 0').max(10, 'must be at most 10')).optional(),
      batchSize: wholeNumberFlag(1, 1_000_000).optional(),
      save: textFlag.optional(),
      json: switchFlag('json'),
    },
    unknownFlags,
  )
  .superRefine(checkWorldFlags);

type TrainFlags = z.infer<typeof trainSchema>;

const help = `usage: fedrec train --centralized [options]

Trains the recommender, then ranks every held-out shopper's last purchase over the whole catalogue
with the model and with three baselines (global popularity, popularity at the shopper's store,
item co-occurrence), and prints recall@10 and NDCG@10 for each.

  --centralized         train on all purchases pooled in this process (the non-private reference)
  --epochs N            passes over the training purchases (default ${defaultCentralizedOptions.epochs})
  --learning-rate R     Adam step size (default ${defaultCentralizedOptions.learningRate})
  --batch-size N        examples per step (default ${defaultCentralizedOptions.batchSize})
  --save FILE           write the trained weights (binary, see models/weights/model-weights.ts)
  --json                print one JSON object on stdout instead of the table; progress stays on stderr

${worldFlagsHelp}

FEDREC_BACKEND=node|wasm|cpu forces a tensor backend (default: the fastest that loads).
`;

export const trainCommand: Command = {
  summary: 'train the recommender and compare it with the baselines',
  help,
  async run(argv) {
    let flags: TrainFlags;
    try {
      flags = parseFlags(trainSchema, argv);
    } catch (err) {
      if (err instanceof FedrecError && err.code === 'invalid-input') {
        console.error(flagErrorMessage('train', err));
        return 2;
      }
      throw err;
    }
    if (!flags.centralized) {
      console.error('fedrec train: federated training arrives with the rounds engine; for now run `fedrec train --centralized`.');
      return 2;
    }
    const loaded = await loadWorld(flags);
    console.error(`fedrec train: ${loaded.description}`);
    const split = leaveLastOut(loaded.world.shoppers);
    const trained: TrainedModel = await runCentralized(loaded, split, flags);
    if (flags.save !== undefined) {
      await writeFile(flags.save, serializeWeights(trained.weights));
      console.error(`fedrec train: weights written to ${flags.save}`);
    }
    const report = trainingReport(trained, loaded, split);
    console.log(flags.json ? JSON.stringify(report) : formatTrainingReport(report));
    return 0;
  },
};
