import { expect } from 'chai';
import { ndcgAt, recallAt } from './ranking-metrics.ts';

const close = (actual: number, expected: number): void => {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).to.be.below(1e-12);
};

describe('recallAt / ndcgAt', () => {
  it('scores one target by the rank it reaches', () => {
    // Target 3 at rank 2: recall 1; DCG = 1/log2(2+1) = 0.6309; ideal DCG = 1/log2(2) = 1.
    close(recallAt([5, 3, 9], [3], 3), 1);
    close(ndcgAt([5, 3, 9], [3], 3), 1 / Math.log2(3));
    // Rank 1 is perfect; beyond k (rank 3 with k = 2) scores nothing.
    close(ndcgAt([3, 5, 9], [3], 3), 1);
    close(recallAt([5, 9, 3], [3], 2), 0);
    close(ndcgAt([5, 9, 3], [3], 2), 0);
  });

  it('averages over several targets', () => {
    // Targets {3, 7, 8}, ranked [7, 1, 3, 2] with k = 4: hits at ranks 1 and 3.
    // recall = 2/3; DCG = 1/log2(2) + 1/log2(4) = 1 + 0.5 = 1.5;
    // ideal DCG (3 hits at ranks 1-3) = 1 + 1/log2(3) + 0.5 = 2.1309; NDCG = 1.5 / 2.1309 = 0.70392.
    close(recallAt([7, 1, 3, 2], [3, 7, 8], 4), 2 / 3);
    close(ndcgAt([7, 1, 3, 2], [3, 7, 8], 4), 1.5 / (1 + 1 / Math.log2(3) + 0.5));
    // With k = 2 the ideal DCG is capped at 2 hits: 1 + 0.6309; only rank 1 hits: NDCG = 1 / 1.6309 = 0.61315.
    close(ndcgAt([7, 1, 3, 2], [3, 7, 8], 2), 1 / (1 + 1 / Math.log2(3)));
  });

  it('counts a target bought twice once (relevance is binary over distinct items)', () => {
    // Targets [4, 4, 6] are the distinct items {4, 6}; ranked [4, 9] with k = 2 finds one of two.
    close(recallAt([4, 9], [4, 4, 6], 2), 0.5);
    // DCG = 1 (rank 1); ideal = 1 + 1/log2(3) for two distinct targets; NDCG = 0.61315.
    close(ndcgAt([4, 9], [4, 4, 6], 2), 1 / (1 + 1 / Math.log2(3)));
    close(recallAt([4, 6], [4, 4, 6], 2), 1);
    close(ndcgAt([4, 6], [4, 4, 6], 2), 1);
  });

  it('looks only at the first k of a longer ranking, and refuses an empty target list', () => {
    close(recallAt([1, 2, 3, 4], [4], 3), 0);
    expect(() => recallAt([1], [], 1)).to.throw(/no targets/);
    expect(() => ndcgAt([1], [], 1)).to.throw(/no targets/);
  });
});
