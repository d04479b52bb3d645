import { expect } from 'chai';
import { expectClose } from '../privacy/expect-close.ts';
import { SeededRandomSource } from '../privacy/index.ts';
import { RoundAggregate } from './round-aggregate.ts';
import type { ValidUpdate } from './validate-update.ts';

const update = (values: number[], counts: Partial<ValidUpdate> = {}): ValidUpdate => ({
  jobId: 'job',
  round: 1,
  modelVersion: 0,
  nonce: 'n',
  sum: Float32Array.from(values),
  shoppers: 2,
  examples: 5,
  unclipped: 1,
  lossSum: 0.5,
  ...counts,
});

describe('RoundAggregate', () => {
  it('sums the updates and their counts as they are added', () => {
    const aggregate = new RoundAggregate(3);
    aggregate.add(update([1, 2, 3], { evaluation: { recall: 1, ndcg: 0.5, shoppers: 4 } }));
    aggregate.add(update([0.5, -2, 1], { shoppers: 3, examples: 7, unclipped: 3, lossSum: 1.5 }));
    const baselines = { popularity: { recall: 0.5, ndcg: 0.25 }, repeat: { recall: 2, ndcg: 1 } };
    aggregate.add(update([0, 0, 0], { shoppers: 0, examples: 0, unclipped: 0, lossSum: 0, evaluation: { recall: 1, ndcg: 1, shoppers: 2, baselines } }));
    aggregate.add(update([0, 0, 0], { shoppers: 0, examples: 0, unclipped: 0, lossSum: 0, evaluation: { recall: 0, ndcg: 0, shoppers: 1, baselines } }));
    expect(Array.from(aggregate.sum)).to.deep.equal([1.5, 0, 4]);
    expect({ clients: aggregate.clients, shoppers: aggregate.shoppers, examples: aggregate.examples, unclipped: aggregate.unclipped, lossSum: aggregate.lossSum }).to.deep.equal({
      clients: 4,
      shoppers: 5,
      examples: 12,
      unclipped: 4,
      lossSum: 2,
    });
    expect(aggregate.evaluation).to.deep.equal({ recall: 2, ndcg: 1.5, shoppers: 7, baselines: { popularity: { recall: 1, ndcg: 0.5 }, repeat: { recall: 4, ndcg: 2 } } });
  });

  it('refuses an update of another length, naming both', () => {
    expect(() => new RoundAggregate(3).add(update([1, 2]))).to.throw(/PlainSum.add: update has 2 values, the sum has 3/);
  });

  it('adds N(0, std²) once to every coordinate, across its chunks', async () => {
    const size = 200_003; // not a multiple of the chunk, so the last chunk is partial
    const aggregate = new RoundAggregate(size);
    await aggregate.addNoise(0.7, new SeededRandomSource('round-aggregate'));
    let sum = 0;
    let squares = 0;
    for (const v of aggregate.sum) {
      sum += v;
      squares += v * v;
    }
    const mean = sum / size;
    // Sample std of n draws has standard error ≈ std / √(2n) = 0.0011 here; allow ~5 of those.
    expectClose(Math.sqrt(squares / size - mean * mean), 0.7, { absolute: 0.006, label: 'noise std' });
    expectClose(mean, 0, { absolute: 0.01, label: 'noise mean' });
    expect(aggregate.sum.every((v) => v !== 0)).to.equal(true);
  });

  it('gives the same sum whether the noise goes in before or after the updates', async () => {
    const early = new RoundAggregate(4);
    await early.addNoise(1, new SeededRandomSource(5));
    early.add(update([1, 2, 3, 4]));
    const late = new RoundAggregate(4);
    late.add(update([1, 2, 3, 4]));
    await late.addNoise(1, new SeededRandomSource(5));
    late.sum.forEach((v, i) => expectClose(v, early.sum[i], { relative: 1e-6, label: `coordinate ${i}` }));
  });

  it('keeps the noisy sum in float64: noise far below float32 resolution at 1 is not rounded away', async () => {
    // float32 has a spacing of 1.2e-7 at 1, so 1 + 1e-9 noise would round back to exactly 1 there.
    const aggregate = new RoundAggregate(1000);
    aggregate.add(update(new Array(1000).fill(1)));
    await aggregate.addNoise(1e-9, new SeededRandomSource('float64'));
    expect(aggregate.sum).to.be.instanceOf(Float64Array);
    expect(aggregate.sum.filter((v) => v !== 1).length).to.equal(1000);
    expect(Math.fround(aggregate.sum[0])).to.equal(1);
  });
});
