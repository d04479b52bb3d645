/**
 * The one store client a shopper belongs to. The privacy unit is one shopper: their whole
 * contribution to a round is clipped to norm C once, which only holds if their history lives in
 * exactly one client. A customer split across two stores would be two clipped contributions, twice
 * the sensitivity the accountant assumes, so the importer moves every customer seen at several
 * stores to their home store, with all their purchases.
 */

/** How often one customer bought at one store (an index into the importer's store list). */
export interface StoreVisits {
  store: number;
  rows: number;
  /** The customer's earliest purchase time at this store. */
  firstDay: number;
}

/**
 * Picks the store with the most rows; on a tie, the one where the customer shopped first; on a
 * tie of that too, the first in `visits` (the importer passes them in file order), so the choice
 * never depends on anything but the data.
 *
 * @example
 * pickHomeStore([{ store: 0, rows: 2, firstDay: 5 }, { store: 1, rows: 2, firstDay: 3 }]); // 1
 */
export function pickHomeStore(visits: Iterable<StoreVisits>): number {
  let best: StoreVisits | undefined;
  for (const visit of visits) {
    const better = !best || visit.rows > best.rows || (visit.rows === best.rows && visit.firstDay < best.firstDay);
    if (better) best = visit;
  }
  if (!best) throw new Error('pickHomeStore: a customer with no visits has no home store');
  return best.store;
}
