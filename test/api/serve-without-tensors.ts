/**
 * Child-process script for no-tensors.test.ts: serves 200 recommendation requests through the REST
 * API and prints whether tfjs was ever loaded in this process (tfjs-core puts its engine on
 * `globalThis._tfengine` when its module is evaluated). With `--load-tfjs` it imports tfjs first,
 * which shows the check can see it. A mocha process cannot make this check itself: other test files
 * load tfjs into it.
 */
import { historyOf, startServing } from './serving-harness.ts';

if (process.argv.includes('--load-tfjs')) await import('@tensorflow/tfjs');
const serving = await startServing();
const statuses = new Set<number>();
try {
  for (let n = 0; n < 200; n++) {
    const { status } = await serving.call('POST', '/v1/recommendations', { history: historyOf(serving.world, n, 6), context: { storeId: serving.world.stores[n % 4].id }, personalization: n % 3 > 0, k: 10 });
    statuses.add(status);
  }
} finally {
  await serving.close();
}
console.log(JSON.stringify({ statuses: [...statuses], checkedItems: serving.checkedItems(), tfjsLoaded: '_tfengine' in globalThis }));
