/**
 * Attacks by a client holding one valid credential, through what it puts in its updates (issue 9,
 * points 1, 3, 4 and 6). Each: the coordinator stays up, refuses with a reason naming the attack,
 * the honest rounds go on, and the model after the job is finite and bit for bit the model of the
 * same job without the attacker.
 */
import { expect } from 'chai';
import type { StoreClient } from '../../client-sim/store-client/store-client.ts';
import type { Federation } from '../helpers/federation-harness.ts';
import { addAttacker, baseline, dpJob, plainJob, runJob, waitFor } from './hostile-harness.ts';

describe('hostile store clients: what they put in an update', function () {
  this.timeout(120_000);
  let federation: Federation | undefined;
  afterEach(async () => {
    await federation?.close();
    federation = undefined;
  });

  /** Runs `config` with one attacker joining after the start; checks the outcome against the baseline. */
  async function attackWith(config: Record<string, unknown>, tamper: (u: Record<string, unknown>) => Record<string, unknown>, population?: number): Promise<StoreClient> {
    let attacker: StoreClient | undefined;
    const run = await runJob(config, async (f) => {
      attacker = await addAttacker(f, { tamper, population });
    });
    federation = run.federation;
    const clean = await baseline(config);
    expect(run.status, run.statusDetail).to.equal('completed');
    expect(run.values.every(Number.isFinite)).to.equal(true);
    expect(run.weights.equals(clean.weights), 'the released model is bit for bit the one without the attacker').to.equal(true);
    expect(run.metrics).to.deep.equal(clean.metrics);
    await waitFor(() => attacker!.acks.length >= 1, 10_000);
    return attacker!;
  }

  it('1. a sampled count of 2^53 − 1 is refused as above the registered population; nothing overflows', async () => {
    const attacker = await attackWith(dpJob, (u) => ({ ...u, shoppers: Number.MAX_SAFE_INTEGER, unclipped: 0 }));
    expect(attacker.acks.every((a) => !a.ok)).to.equal(true);
    expect(attacker.acks[0].error!.message).to.match(/^count-above-population: sampled shoppers 9007199254740991 exceed the client's registered population \d+/);
    expect(federation!.coordinator.rejections()['count-above-population']).to.be.at.least(1);
  });

  it('3. an inflated count cannot buy a larger norm bound: 2^40 shoppers with a huge sum, or a count the population allows but q does not', async () => {
    const inflated = await attackWith(dpJob, (u) => {
      const sum = new Float32Array((u.sum as Uint8Array).byteLength / 4).fill(2_500);
      return { ...u, sum: new Uint8Array(sum.buffer), shoppers: 2 ** 40 };
    });
    expect(inflated.acks[0].error!.message).to.match(/^count-above-population/);
    await federation!.close();
    federation = undefined;
    // Population 1,000 at q = 0.5: 500 expected, at most 675 but with probability 1e-12 (Bernstein); 1,000 is refused.
    const implausible = await attackWith(
      dpJob,
      (u) => {
        const sum = new Float32Array((u.sum as Uint8Array).byteLength / 4).fill(0.1);
        return { ...u, sum: new Uint8Array(sum.buffer), shoppers: 1000, unclipped: 0 };
      },
      1000,
    );
    expect(implausible.acks[0].error!.message).to.match(/^count-implausible: sampled shoppers 1000 exceed 675, the most a population of 1000 gives at q = 0.5/);
  });

  it('4. values of 3.4e38 in a job without DP are refused before they are summed, so nothing non-finite is released', async () => {
    const attacker = await attackWith(plainJob, (u) => {
      const sum = new Float32Array((u.sum as Uint8Array).byteLength / 4).fill(3.4e38);
      return { ...u, sum: new Uint8Array(sum.buffer) };
    });
    expect(attacker.acks[0].error!.message).to.match(/^norm-bound: update norm .* exceeds \d+ examples × the weight bound 1000000/);
  });

  it('a DP sum whose norm passes its sampled shoppers × C is refused as a norm anomaly before it is summed', async () => {
    // Each shopper's update is clipped to C = 0.5, so no honest sum of s shoppers has a norm past 0.5·s:
    // this one is twice that, spread over every coordinate, with its counts left as the honest client sent them.
    const attacker = await attackWith(dpJob, (u) => {
      const values = new Float32Array((u.sum as Uint8Array).byteLength / 4).fill((2 * 0.5 * Math.max(1, u.shoppers as number)) / Math.sqrt((u.sum as Uint8Array).byteLength / 4));
      return { ...u, sum: new Uint8Array(values.buffer) };
    });
    expect(attacker.acks[0].error!.message).to.match(/^norm-anomaly: update norm .* exceeds \d+ shoppers × clip norm 0.5/);
    expect(federation!.coordinator.rejections()['norm-anomaly']).to.be.at.least(1);
  });

  it('6. evaluation sums beyond the shoppers evaluated, or more shoppers evaluated than the population, are refused', async () => {
    const attacker = await attackWith(dpJob, (u) => ({ ...u, evaluation: { recall: 1047.6, ndcg: 0, shoppers: 1 } }));
    expect(attacker.acks.map((a) => a.error?.message)).to.include('evaluation-invalid: evaluation sums (recall 1047.6, ndcg 0) exceed the 1 shoppers evaluated');
    await federation!.close();
    federation = undefined;
    const many = await attackWith(dpJob, (u) => ({ ...u, evaluation: { recall: 0, ndcg: 0, shoppers: 10 ** 9 } }));
    expect(many.acks[0].error!.message).to.match(/^evaluation-invalid: evaluated shoppers 1000000000 exceed the client's registered population/);
  });

  it('6. a baseline sum beyond the shoppers evaluated is refused, and no baseline figure moves', async () => {
    // The job evaluates its baselines by default (round 3 here): every answer of the attacker claims a
    // popularity recall sum of 501 over one shopper; rounds that did not ask for baselines refuse it too.
    const baselines = { popularity: { recall: 501, ndcg: 0 }, repeat: { recall: 0, ndcg: 0 } };
    const attacker = await attackWith(dpJob, (u) => ({ ...u, evaluation: { recall: 0, ndcg: 0, shoppers: 1, baselines } }));
    const messages = attacker.acks.map((a) => a.error?.message);
    expect(messages).to.include('evaluation-invalid: popularity baseline sums (recall 501, ndcg 0) exceed the 1 shoppers evaluated');
    expect(messages).to.include('evaluation-invalid: the round did not ask for baseline sums');
  });

  it('per-segment evaluation sums that inflate one band, or do not add up to the evaluation, are refused (issue 14 point 4)', async () => {
    // The bands are released in place of the overall sums, so an honest overall with a forged band must not pass.
    const inflated = await attackWith(dpJob, (u) => {
      // A round that does not evaluate gets the forged split alone, refused as a split without the evaluation.
      const evaluated = (u.evaluation as { shoppers: number } | undefined)?.shoppers ?? 1;
      return { ...u, evaluationSegments: { new: { recall: 500, ndcg: 0, shoppers: 1 }, regular: { recall: 0, ndcg: 0, shoppers: Math.max(0, evaluated - 1) } } };
    });
    expect(inflated.acks.map((a) => a.error?.message)).to.include('evaluation-invalid: evaluation sums of segment new (recall 500, ndcg 0) exceed its 1 shoppers');
    await federation!.close();
    federation = undefined;
    const uneven = await attackWith(dpJob, (u) => ({ ...u, evaluationSegments: { regular: { recall: 0, ndcg: 0, shoppers: ((u.evaluation as { shoppers: number } | undefined)?.shoppers ?? 0) + 5 } } }));
    expect(uneven.acks.map((a) => a.error?.message).some((m) => /^evaluation-invalid: evaluation segments count \d+ shoppers, the evaluation \d+$/.test(m ?? ''))).to.equal(true);
    // Unknown band names, negative or non-finite sums: refused by the schema (server/rounds/validate-update.test.ts).
  });

  it('4. a round whose weights would pass the documented bound is not released; the job pauses after its retries, no ε spent', async () => {
    // Within every per-update bound, but the server's step (learning rate 10) takes one weight past 1e6.
    const config = { ...plainJob, rounds: 2, roundRetries: 1, serverLearningRate: 10 };
    const run = await runJob(config, async (f) => {
      await addAttacker(f, {
        tamper: (u) => {
          const sum = new Float32Array(new Uint8Array(u.sum as Uint8Array).slice().buffer);
          sum[0] = (u.examples as number) * 5e5;
          return { ...u, sum: new Uint8Array(sum.buffer) };
        },
      });
    });
    federation = run.federation;
    // Round 1 (the honest client alone) is released; round 2 and its retry hold the attacker's update.
    expect(run.status).to.equal('paused');
    expect(run.statusDetail).to.match(/^round 2: not released: its weights would hold .* beyond ±1000000, 1 retries used$/);
    expect(run.values.every((v) => Number.isFinite(v) && Math.abs(v) <= 1e6)).to.equal(true);
    expect(run.metrics).to.have.length(1);
  });
});
