import { expect } from 'chai';
import { parameterShapes, sharedParameterNames, type ModelShape } from './model-shape.ts';

describe('model shape', () => {
  it('names as shared exactly the parameters that are not a row per item, so a new parameter must be classed', () => {
    // Sizes that differ from one another, so no other dimension is mistaken for the item count.
    const shape: ModelShape = { items: 37, stores: 5, categories: 7, embeddingDim: 11, storeDim: 3, historyLength: 13 };
    const shared = new Set<string>(sharedParameterNames);
    for (const p of parameterShapes(shape)) expect(shared.has(p.name), `${p.name} [${p.shape.join(', ')}]`).to.equal(p.shape[0] !== shape.items);
    expect(sharedParameterNames.every((name) => parameterShapes(shape).some((p) => p.name === name)), 'every shared name is a parameter').to.equal(true);
  });
});
