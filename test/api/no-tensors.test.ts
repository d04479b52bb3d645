import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyOf, startServing, type Serving } from './serving-harness.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every package a module loads at run time, following relative imports through the source tree. */
function importedPackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    // `import type` is erased when compiled, so it loads nothing at run time.
    for (const match of source.matchAll(/(?:import|export)(\s+type)?\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      if (match[1]) continue;
      const specifier = match[2] ?? match[3];
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return packages;
}

describe('serving hot path without tensors', () => {
  let serving: Serving;
  before(async () => {
    serving = await startServing();
  });
  after(() => serving.close());

  it('nothing the API imports reaches tfjs', () => {
    const packages = importedPackages(resolve(root, 'server/api/index.ts'));
    expect(packages).to.include('zod');
    expect([...packages].filter((p) => p.startsWith('@tensorflow'))).to.deep.equal([]);
  });

  it('tf.memory().numTensors does not grow over many requests', async () => {
    const before = tf.memory().numTensors;
    for (let n = 0; n < 200; n++) {
      const { status } = await serving.call('POST', '/v1/recommendations', { history: historyOf(serving.world, n, 6), context: { storeId: serving.world.stores[n % 4].id }, personalization: n % 3 > 0, k: 10 });
      expect(status).to.equal(200);
    }
    expect(tf.memory().numTensors).to.equal(before);
  });
});
