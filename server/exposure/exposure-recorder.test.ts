import { expect } from 'chai';
import type { ExposureIncrement } from '../store/index.ts';
import { ExposureRecorder } from './exposure-recorder.ts';
import { shopperSegment } from './shopper-segment.ts';

function fakeStore(fail = false) {
  const batches: ExposureIncrement[][] = [];
  return {
    batches,
    addExposure: async (increments: ExposureIncrement[]) => {
      if (fail) throw new Error('disk full');
      batches.push(increments);
    },
  };
}

describe('ExposureRecorder', () => {
  it('sums increments in memory and writes them in one batch', async () => {
    const store = fakeStore();
    const recorder = new ExposureRecorder(store, { flushMs: 60_000 });
    for (let n = 0; n < 100; n++) recorder.add('i1', 's1', 'new', '2024-05-06', 'shown', 1);
    recorder.add('i1', 's1', 'new', '2024-05-06', 'attribution:promotion', 0.25);
    expect(store.batches).to.have.length(0);
    await recorder.flush();
    expect(store.batches).to.deep.equal([
      [
        { itemId: 'i1', storeId: 's1', segment: 'new', day: '2024-05-06', key: 'shown', amount: 100 },
        { itemId: 'i1', storeId: 's1', segment: 'new', day: '2024-05-06', key: 'attribution:promotion', amount: 0.25 },
      ],
    ]);
  });

  it('flushes when maxPending counters wait, after flushMs, and on close; ignores counts after close', async () => {
    const store = fakeStore();
    const recorder = new ExposureRecorder(store, { flushMs: 20, maxPending: 3 });
    for (const item of ['a', 'b', 'c']) recorder.add(item, 's', 'new', '2024-05-06', 'shown', 1);
    await recorder.flush();
    expect(store.batches).to.have.length(1);
    recorder.add('d', 's', 'new', '2024-05-06', 'shown', 1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(store.batches).to.have.length(2);
    recorder.add('e', 's', 'new', '2024-05-06', 'shown', 1);
    await recorder.close();
    recorder.add('f', 's', 'new', '2024-05-06', 'shown', 1);
    await recorder.flush();
    expect(store.batches.flat().map((i) => i.itemId)).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
  });

  it('writes a large flush in chunks (the event loop is free between them)', async () => {
    const store = fakeStore();
    const recorder = new ExposureRecorder(store, { flushMs: 60_000, maxPending: 1e9 });
    for (let n = 0; n < 2500; n++) recorder.add(`i${n}`, 's', 'new', '2024-05-06', 'shown', 1);
    await recorder.flush();
    expect(store.batches.map((b) => b.length)).to.deep.equal([...new Array(10).fill(250)]);
  });

  it('reports a failed write instead of throwing into requests', async () => {
    const errors: unknown[] = [];
    const recorder = new ExposureRecorder(fakeStore(true), { onError: (e) => errors.push(e) });
    recorder.add('a', 's', 'new', '2024-05-06', 'shown', 1);
    await recorder.close();
    expect(errors).to.have.length(1);
  });
});

describe('shopperSegment', () => {
  it('bands by consent and history read', () => {
    expect([shopperSegment(false, 9), shopperSegment(true, 0), shopperSegment(true, 5), shopperSegment(true, 6)]).to.deep.equal([
      'non-personalized',
      'new',
      'occasional',
      'regular',
    ]);
  });
});
