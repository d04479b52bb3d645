import { expect } from 'chai';
import { z } from 'zod';
import { FedrecError } from '../server/errors/index.ts';
import { sharedParameterNames } from '../models/index.ts';
import { jobConfigSchema } from '../server/rounds/index.ts';
import { unknownFlags } from './flag-schemas.ts';
import { checkJobFlags, evenAfterFlagIssues, federatedDefaults, jobConfig, jobFlagShape, jobFlagsHelp } from './job-flags.ts';
import { parseFlags } from './parse-flags.ts';

const schema = z.strictObject(jobFlagShape, unknownFlags).superRefine(checkJobFlags, evenAfterFlagIssues);

function issues(argv: string[]): string[] {
  try {
    parseFlags(schema, argv);
  } catch (err) {
    if (err instanceof FedrecError) return err.issues.map((i) => `--${String(i.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`);
    throw err;
  }
  return [];
}

describe('job flags', () => {
  it('build a DP job that spends ε = 8 over 30 rounds with q = 0.1 unless told otherwise', () => {
    const config = jobConfigSchema.parse(jobConfig(parseFlags(schema, []), { shoppers: 4000, stores: 8 }));
    expect(config).to.deep.include({ rounds: 30, expectedShoppersPerRound: 400, minClients: 4, roundDeadlineMs: 120_000, evaluateEvery: 5, serverOptimizer: 'fedadam', serverLearningRate: 0.02 });
    expect(config.privacy).to.deep.include({ mode: 'dp', clipNorm: 1, targetEpsilon: 8, delta: 1e-6 });
  });

  it("take each optimizer's own default server step unless --server-learning-rate is given", () => {
    const step = (argv: string[]) => jobConfigSchema.parse(jobConfig(parseFlags(schema, argv), { shoppers: 100, stores: 1 }));
    expect(step(['--server-optimizer', 'fedavg'])).to.include({ serverOptimizer: 'fedavg', serverLearningRate: 1 });
    expect(step(['--server-optimizer', 'fedavgm'])).to.include({ serverOptimizer: 'fedavgm', serverLearningRate: 1, serverMomentum: 0.9 });
    expect(step(['--server-optimizer', 'fedadam'])).to.include({ serverOptimizer: 'fedadam', serverLearningRate: 0.02 });
    expect(step(['--server-learning-rate', '0.05'])).to.include({ serverOptimizer: 'fedadam', serverLearningRate: 0.05 });
  });

  it('step the shared parameters at --shared-rate-scale × the server rate, and none of them at 1', () => {
    const config = (argv: string[]) => jobConfigSchema.parse(jobConfig(parseFlags(schema, argv), { shoppers: 100, stores: 1 }));
    expect(config([]).serverLearningRateScales).to.deep.equal(Object.fromEntries(sharedParameterNames.map((name) => [name, federatedDefaults.sharedRateScale])));
    expect(config(['--shared-rate-scale', '0.5']).serverLearningRateScales).to.deep.equal(Object.fromEntries(sharedParameterNames.map((name) => [name, 0.5])));
    expect(config(['--shared-rate-scale', '1'])).not.to.have.property('serverLearningRateScales');
    expect(issues(['--shared-rate-scale', '0'])).to.deep.equal(['--shared-rate-scale: Too small: expected number to be >0']);
  });

  it('map every flag onto the job config the engine validates', () => {
    const flags = parseFlags(schema, [
      '--rounds', '4', '--sampling-rate', '0.2', '--min-clients', '2', '--deadline', '1.5', '--round-retries', '0', '--local-epochs', '2', '--batch-size', '16',
      '--client-learning-rate', '0.1', '--server-learning-rate', '0.01', '--server-optimizer', 'fedavgm', '--server-momentum', '0.5', '--clip-norm', '2', '--noise-multiplier', '1.1',
      '--delta', '1e-5', '--evaluate-every', '2', '--adaptive-clipping', '0.7',
    ]);
    const config = jobConfigSchema.parse(jobConfig(flags, { shoppers: 100, stores: 3 }));
    expect(config).to.deep.include({ rounds: 4, samplingRate: 0.2, minClients: 2, roundDeadlineMs: 1500, roundRetries: 0, localEpochs: 2, batchSize: 16, clientLearningRate: 0.1, serverLearningRate: 0.01, serverOptimizer: 'fedavgm', serverMomentum: 0.5, evaluateEvery: 2 });
    expect(config.privacy).to.deep.include({ mode: 'dp', clipNorm: 2, noiseMultiplier: 1.1, delta: 1e-5 });
    expect(config.privacy.mode === 'dp' && config.privacy.adaptiveClipping?.targetQuantile).to.equal(0.7);
    expect(jobConfig(parseFlags(schema, ['--adaptive-clipping']), { shoppers: 10, stores: 1 }).privacy).to.deep.include({ adaptiveClipping: { targetQuantile: 0.5 } });
    expect(jobConfig(parseFlags(schema, ['--no-dp', '--shoppers-per-round', '30']), { shoppers: 100, stores: 1 })).to.deep.include({ expectedShoppersPerRound: 30, privacy: { mode: 'none' } });
  });

  it("report the job schema's issues on the flags that caused them, all at once", () => {
    expect(issues(['--rounds', '0', '--sampling-rate', '1.5', '--server-optimizer', 'sgd', '--server-momentum', '1', '--delta', '2', '--deadline', '0', '--clip-norm', 'wide', '--bogus'])).to.have.members([
      '--rounds: Too small: expected number to be >0',
      '--sampling-rate: Too big: expected number to be <=1',
      '--server-optimizer: Invalid option: expected one of "fedavg"|"fedavgm"|"fedadam"',
      '--server-momentum: Too big: expected number to be <1',
      '--delta: Too big: expected number to be <1',
      '--deadline: Too small: expected number of milliseconds to be >0',
      '--clip-norm: Invalid input: expected number, received NaN',
      '--: unknown option --bogus',
    ]);
  });

  it('refuse contradictory privacy and sampling flags in flag words', () => {
    expect(issues(['--no-dp', '--epsilon', '4', '--clip-norm', '1'])).to.have.members(['--epsilon: cannot be combined with --no-dp', '--clip-norm: cannot be combined with --no-dp']);
    expect(issues(['--epsilon', '4', '--noise-multiplier', '1', '--sampling-rate', '0.1', '--shoppers-per-round', '5'])).to.have.members([
      '--noise-multiplier: give --noise-multiplier or --epsilon, not both',
      '--sampling-rate: give --sampling-rate or --shoppers-per-round, not both',
    ]);
  });

  it("help states the job schema's defaults, whatever they are", () => {
    const defaults = jobConfigSchema.parse({ rounds: 1, samplingRate: 0.5 });
    const line = (flag: string): string => jobFlagsHelp.split('\n').find((l) => l.trimStart().startsWith(flag)) ?? '';
    const cases: [string, unknown][] = [
      ['--local-epochs', defaults.localEpochs],
      ['--batch-size', defaults.batchSize],
      ['--client-learning-rate', defaults.clientLearningRate],
      ['--server-learning-rate', Object.entries(federatedDefaults.serverLearningRate).map(([name, rate]) => `${rate} with ${name}`).join(', ')],
      ['--server-optimizer', federatedDefaults.serverOptimizer],
      ['--server-momentum', defaults.serverMomentum],
      ['--round-retries', defaults.roundRetries],
      ['--shared-rate-scale', federatedDefaults.sharedRateScale],
    ];
    for (const [flag, value] of cases) expect(line(flag), flag).to.match(new RegExp(`\\(default ${String(value).replace('.', '\\.')}\\)$`));
  });
});
