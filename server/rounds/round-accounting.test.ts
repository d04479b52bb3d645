import { expect } from 'chai';
import { expectClose } from '../privacy/expect-close.ts';
import { PrivacyAccountant, PrivacyLedger, combinedNoiseMultiplier, computeEpsilon, roundReleases } from '../privacy/index.ts';
import { jobConfigSchema } from './job-config.ts';
import { evaluationRounds, resolvePrivacy } from './resolve-privacy.ts';

/**
 * The ε a job reports covers every release: its training rounds (update and loss sum as one
 * query), and its evaluations on the rounds that evaluate. Checked against the heterogeneous
 * Opacus / TF Privacy reference of rdp-to-epsilon.test.ts: history [(1.1, 0.01, 500),
 * (0.8, 0.02, 200), (2.0, 0.05, 100)] at δ = 1e-5 gives ε = 4.226846984097932.
 */
describe('what a job accounts', () => {
  // With and without the baselines (seven evaluation parts or three), m = 2√parts makes each
  // evaluation's σ exactly 2.0, and σ_z is chosen so the training release (update with σ_z, loss
  // sum with m) has σ_eff = 1.1: both give the reference ε.
  for (const baselines of [false, true]) describe(baselines ? 'with the baselines (σ_eval = m / √7)' : 'without the baselines (σ_eval = m / √3)', () => accountsLike(baselines));

  it('calibrates σ for a target ε with the evaluations in the budget', () => calibrates());
});

function accountsLike(baselines: boolean): void {
  const m = 2 * Math.sqrt(baselines ? 7 : 3);
  const sigmaZ = (1.1 ** -2 - m ** -2) ** -0.5;
  const config = jobConfigSchema.parse({
    rounds: 500,
    samplingRate: 0.01,
    evaluateEvery: 5,
    evaluationBaselines: baselines,
    privacy: { mode: 'dp', noiseMultiplier: sigmaZ, metricNoiseMultiplier: m, evaluationSamplingRate: 0.05, delta: 1e-5 },
  });
  const privacy = resolvePrivacy(config, 100_000);

  it(`resolves the training release with the loss sum in it, and the evaluation as m / √${baselines ? 7 : 3}`, () => {
    if (privacy.mode !== 'dp') throw new Error('expected dp');
    expectClose(privacy.accountedNoiseMultiplier, 1.1, { relative: 1e-12, label: 'σ_eff of update + loss' });
    expectClose(privacy.evaluationNoiseMultiplier, 2.0, { relative: 1e-12, label: 'σ of the evaluation' });
    expect(privacy.accountedNoiseMultiplier).to.be.below(sigmaZ);
    expect(evaluationRounds(config)).to.equal(100);
  });

  it(`accounts the per-segment evaluation as the same release: 3 bands × (recall, NDCG, count)${baselines ? ' + 4 baseline sums' : ''} with std m, one band per shopper`, () => {
    if (privacy.mode !== 'dp') throw new Error('expected dp');
    // server/privacy/segment-release.ts releases only the bands' model sums (the overall ones are
    // their sum), beside the overall baseline sums. A shopper moves their own band's 3 parts and
    // each baseline part by at most 1: ${baselines ? 7 : 3} parts of sensitivity 1 with std m,
    // σ = m / √${baselines ? 7 : 3} = 2.0, what roundReleases records for an evaluating round.
    const bandParts = [1, 1, 1, 0, 0, 0, 0, 0, 0, ...(baselines ? [1, 1, 1, 1] : [])].map((sensitivity) => ({ sensitivity, std: m }));
    expectClose(combinedNoiseMultiplier(bandParts), privacy.evaluationNoiseMultiplier, { relative: 1e-12, label: 'σ of the per-segment release' });
    expectClose(privacy.evaluationNoiseMultiplier, 2.0, { relative: 1e-12, label: 'the σ the reference ε below is computed with' });
    expect(roundReleases(privacy, true)[1]).to.deep.equal({ q: 0.05, sigma: privacy.evaluationNoiseMultiplier, steps: 1 });
  });

  it('composes rounds with and without evaluation to the reference ε (with a second job in the ledger)', () => {
    if (privacy.mode !== 'dp') throw new Error('expected dp');
    const accountant = new PrivacyAccountant();
    for (let round = 1; round <= 500; round++) accountant.recordAll(roundReleases(privacy, round % 5 === 0));
    const alone = computeEpsilon([{ q: 0.01, sigma: 1.1, steps: 500 }, { q: 0.05, sigma: 2.0, steps: 100 }], 1e-5).epsilon;
    expectClose(accountant.spent(1e-5).epsilon, alone, { relative: 1e-9, label: 'job ε = composition of its releases' });
    expect(accountant.spent(1e-5).epsilon).to.be.above(computeEpsilon([{ q: 0.01, sigma: 1.1, steps: 500 }], 1e-5).epsilon);

    // A second job of the deployment, 200 rounds at (0.02, 0.8), restored as a coordinator would from its persisted accountant.
    const other = PrivacyAccountant.fromJSON({ rounds: [{ q: 0.02, sigma: 0.8, steps: 200 }] });
    const ledger = new PrivacyLedger({ epsilon: 10, delta: 1e-5 });
    ledger.track('job-a', accountant);
    ledger.track('job-b', other);
    expectClose(ledger.epsilon(1e-5), 4.226846984097932, { relative: 0.005, label: 'ledger ε vs Opacus / TF Privacy' });
    expectClose(ledger.epsilon(1e-5), computeEpsilon([{ q: 0.01, sigma: 1.1, steps: 500 }, { q: 0.02, sigma: 0.8, steps: 200 }, { q: 0.05, sigma: 2.0, steps: 100 }], 1e-5).epsilon, { relative: 1e-9, label: 'ledger ε vs composition' });
  });
}

function calibrates(): void {
  const target = jobConfigSchema.parse({ rounds: 30, samplingRate: 0.1, privacy: { mode: 'dp', targetEpsilon: 8, delta: 1e-6 } });
  const resolved = resolvePrivacy(target, 4000);
  if (resolved.mode !== 'dp') throw new Error('expected dp');
  // Baselines are on by default: the evaluation's seven parts at the default m = 10.
  expectClose(resolved.evaluationNoiseMultiplier, 10 / Math.sqrt(7), { relative: 1e-12, label: 'σ of the evaluation with the baselines' });
  const releases = [
    { q: 0.1, sigma: resolved.accountedNoiseMultiplier, steps: 30 },
    { q: resolved.evaluationSamplingRate, sigma: resolved.evaluationNoiseMultiplier, steps: evaluationRounds(target) },
  ];
  const epsilon = computeEpsilon(releases, 1e-6).epsilon;
  expect(epsilon).to.be.at.most(8);
  expect(epsilon).to.be.above(8 * (1 - 1e-4));
}
