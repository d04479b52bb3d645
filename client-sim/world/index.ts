/**
 * The synthetic retail world: the seeded generator and a summary. The world's shape, the
 * leave-last-out split and the seeded random source are the data model and live in
 * `models/data/`; they are re-exported here so the simulator's users need one import.
 */
export type { CatalogItem, RetailWorld, Shopper, Store } from '../../models/data/retail-world.ts';
export { generateWorld } from './generate-world.ts';
export type { WorldOptions } from './generate-world.ts';
export { leaveLastOut } from '../../models/data/leave-last-out.ts';
export type { HeldOutShopper, LeaveLastOutSplit } from '../../models/data/leave-last-out.ts';
export { SeededRandom } from '../../models/data/seeded-random.ts';
export { summarizeWorld } from './world-summary.ts';
export type { StoreSummary, WorldSummary } from './world-summary.ts';
