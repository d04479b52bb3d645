import { MemoryStore } from './memory-store.ts';
import { describeStoreContract } from './store-contract.ts';

describeStoreContract('MemoryStore', async () => {
  const store = new MemoryStore();
  return { store, cleanup: () => store.close() };
});
