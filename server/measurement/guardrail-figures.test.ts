import { expect } from 'chai';
import type { ModelLifecycle } from '../governance/index.ts';
import { MemoryStore, type OutcomeEvent } from '../store/index.ts';
import { guardrailFigures } from './guardrail-figures.ts';
import { checkGuardrails, writeGuardrailSettings } from './guardrails.ts';

const p = (c: string) => c.repeat(64);
const impression = (pseudonym: string, modelVersion: number, group: 'treatment' | 'holdout', at: string, itemId = 'i1'): OutcomeEvent => ({
  eventId: `${pseudonym.slice(0, 1)}-${at}-${itemId}`, pseudonym, kind: 'impression', recommendationId: 'r', itemId, position: 1, value: null, currency: null, modelVersion, group, at,
});
const consent = (choice: 'opted-in' | 'opted-out', time: string) => ({ consent: { purpose: 'personalisation' as const, choice, time, noticeVersion: 'v1', source: 't' }, doNotTarget: false, excludedCategories: [], excludedBrands: [] });

describe('guardrail figures and the previous-model baseline', () => {
  /** a, b saw version 1; c, d saw version 2 (c also version 1 first); c opted out after its version-2 impression, a after version 1. */
  async function scripted() {
    const store = new MemoryStore();
    for (const [who, group] of [['a', 'treatment'], ['b', 'holdout'], ['c', 'treatment'], ['d', 'treatment']] as const) await store.assignHoldout({ pseudonym: p(who), group, share: 0.5, assignedAt: '2026-12-01T00:00:00.000Z' });
    await store.addOutcomeEvents([
      impression(p('a'), 1, 'treatment', '2026-12-01T10:00:00.000Z'), impression(p('a'), 1, 'treatment', '2026-12-01T10:00:00.000Z', 'i2'),
      impression(p('b'), 1, 'holdout', '2026-12-01T10:00:00.000Z'),
      impression(p('c'), 1, 'treatment', '2026-12-01T09:00:00.000Z'), impression(p('c'), 2, 'treatment', '2026-12-02T10:00:00.000Z'),
      impression(p('d'), 2, 'treatment', '2026-12-02T10:00:00.000Z'),
    ]);
    await store.putShopperPreferences(p('a'), consent('opted-out', '2026-12-01T11:00:00.000Z'));
    await store.putShopperPreferences(p('c'), consent('opted-out', '2026-12-02T11:00:00.000Z'));
    const feedback = { itemId: 'i1', recommendationId: null, rating: null };
    await store.addShopperFeedback(p('c'), { ...feedback, modelVersion: 2, kind: 'never-show' });
    await store.addShopperFeedback(p('d'), { ...feedback, modelVersion: 2, kind: 'not-relevant' });
    await store.addShopperFeedback(p('b'), { ...feedback, modelVersion: 1, kind: 'rating', rating: 1 });
    return store;
  }

  it('counts complaints per 1,000 impressions and opt-outs per shopper, by group, by version, and by the treatment under a version', async () => {
    const f = await guardrailFigures(await scripted(), { from: '2026-11-30T00:00:00.000Z', to: '2026-12-03T00:00:00.000Z' });
    expect(f.byGroup.treatment.complaints).to.deep.equal({ count: 2, base: 5, rate: 400 });
    expect(f.byGroup.holdout.complaints).to.deep.equal({ count: 0, base: 1, rate: 0 });
    expect(f.byGroup.treatment.optOuts).to.deep.equal({ count: 2, base: 3, rate: 2 / 3 });
    // An opt-out counts under the version of the shopper's latest impression before it.
    expect(f.byVersion.get(1)!.optOuts).to.deep.equal({ count: 1, base: 3, rate: 1 / 3 });
    expect(f.byVersion.get(2)!.optOuts).to.deep.equal({ count: 1, base: 2, rate: 1 / 2 });
    expect(f.byVersion.get(2)!.complaints).to.deep.equal({ count: 2, base: 2, rate: 1000 });
    expect(f.treatmentByVersion.get(1)!.complaints).to.deep.equal({ count: 0, base: 3, rate: 0 });
  });

  it('kills the serving version when its opt-out rate exceeds the previous version’s by more than allowed', async () => {
    const store = await scripted();
    await writeGuardrailSettings(store, { guardrails: [{ name: 'opt-outs', metric: 'opt-out-rate', windowDays: 30, baseline: 'previous-model', maxExcess: 0.1, minBase: 2 }], checkEveryMinutes: 15 }, 'admin');
    const killed: unknown[] = [];
    const lifecycle = {
      list: async () => [
        { version: 1, state: 'retired', servingSince: '2026-11-30T00:00:00.000Z' },
        { version: 2, state: 'serving', servingSince: '2026-12-02T00:00:00.000Z' },
      ],
      kill: async (version: number, principal: unknown, reason: string) => (killed.push({ version, reason }), { version, state: 'killed', serving: 1 }),
    } as unknown as ModelLifecycle;
    const check = await checkGuardrails({ store, lifecycle, clock: () => new Date('2026-12-03T00:00:00.000Z') });
    expect(check.results[0]).to.deep.include({ servingVersion: 2, baselineVersion: 1, crossed: true });
    expect(check.results[0].excess).to.be.closeTo(1 / 2 - 1 / 3, 1e-12);
    expect(check.killed).to.deep.equal({ version: 2, guardrail: 'opt-outs', servingNow: 1 });
    expect((killed[0] as { reason: string }).reason).to.equal('guardrail "opt-outs": opt-out-rate of model version 2 50.00% of shoppers (1 of 2) against model version 1 33.33% of shoppers (1 of 3) exceeds it by 16.67 points, more than the allowed 0.1');
    expect((await store.listAudit({ action: 'guardrail.fired' }))[0].details).to.deep.include({ guardrail: 'opt-outs' });
  });
});
