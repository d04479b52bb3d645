import { expect } from 'chai';
import fc from 'fast-check';
import { generateWorld } from '../../client-sim/world/generate-world.ts';
import { arbitraryFor } from '../../test/api/json-schema-arbitrary.ts';
import { activeWeights } from '../../test/api/serving-harness.ts';
import { recommend, ServedModel } from '../serving/index.ts';
import { recommendationResponse } from './recommendation-schemas.ts';
import { responseSerializer } from './response-serializer.ts';
import { routes } from './route-table.ts';

/** What a client reads: the compiled serializer must give it exactly what JSON.stringify would. */
const read = (text: string): unknown => JSON.parse(text);

describe('response serializer compiled from the response schema', () => {
  it('writes served recommendations exactly as JSON.stringify does (explained and not, personalised and not)', () => {
    const world = generateWorld({ seed: 3, stores: 4, shoppers: 300, items: 240 });
    const served = new ServedModel({ catalog: world.catalog });
    served.release(1, activeWeights(world, 11));
    const send = responseSerializer(recommendationResponse);
    expect(send, 'compiled, not the JSON.stringify fallback').to.not.equal(JSON.stringify);
    let items = 0;
    for (let shopper = 0; shopper < 120; shopper++) {
      const history = world.shoppers[shopper].items.slice(-12).map((i) => ({ itemId: world.catalog[i].id }));
      const choices = { shopper: shopper % 2 === 0, consent: shopper % 2 === 0 ? ('opted-in' as const) : null, doNotTarget: false, globalPrivacyControl: shopper % 4 === 1, excludedCategories: [], excludedBrands: ['B'], suppressedItems: shopper % 3 };
      const served1 = recommend(served.require(), {
        history: [...history, { itemId: 'unknown-item' }],
        context: { storeId: shopper % 7 === 0 ? 'no-such-store' : world.stores[shopper % world.stores.length].id },
        personalization: shopper % 5 !== 0,
        k: 1 + (shopper % 20),
        explain: shopper % 3 !== 0,
      });
      const response = { ...served1, choices };
      items += response.items.length;
      expect(read(send(response)), `shopper ${shopper}`).to.deep.equal(read(JSON.stringify(response)));
    }
    expect(items).to.be.greaterThan(1000);
  });

  it('writes any value of every JSON route’s response schema exactly as JSON.stringify does', () => {
    for (const route of routes) {
      if (route.responseType === 'binary' || route.responseType === 'text') continue;
      const send = responseSerializer(route.response);
      fc.assert(
        fc.property(arbitraryFor(route.response), (value) => {
          // Values as the schema outputs them (defaults filled in), the shape handlers return.
          const parsed = route.response.safeParse(value);
          if (!parsed.success) return;
          expect(read(send(parsed.data)), route.operationId).to.deep.equal(read(JSON.stringify(parsed.data)));
        }),
        { seed: 7, numRuns: 200 },
      );
    }
  });
});
