/** What the operator registers for each simulated store: its id and the shoppers it holds. */
import type { RetailWorld } from '../models/data/retail-world.ts';

/**
 * One entry per store of the world, with its number of shoppers as the population a client of
 * that store is registered with (the bound the coordinator holds its counts to).
 * @example storePopulations(world) // [{ storeId: 'store-00', population: 512 }, …]
 */
export function storePopulations(world: RetailWorld): { storeId: string; population: number }[] {
  const counts = new Array<number>(world.stores.length).fill(0);
  for (const shopper of world.shoppers) counts[shopper.store]++;
  return world.stores.map((s, i) => ({ storeId: s.id, population: counts[i] }));
}
