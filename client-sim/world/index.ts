/**
 * The retail world: its shape (`retail-world.ts`), the seeded synthetic generator, the
 * leave-last-out split and a summary. The CSV importer (`../dataset/`) produces the same shape.
 */
export type { CatalogItem, RetailWorld, Shopper, Store } from './retail-world.ts';
export { generateWorld } from './generate-world.ts';
export type { WorldOptions } from './generate-world.ts';
export { leaveLastOut } from './leave-last-out.ts';
export type { HeldOutShopper, LeaveLastOutSplit } from './leave-last-out.ts';
export { SeededRandom } from './seeded-random.ts';
export { summarizeWorld } from './world-summary.ts';
export type { StoreSummary, WorldSummary } from './world-summary.ts';
