/**
 * Classifies one CSV row of a transaction export. Every row ends in exactly one bucket, so the
 * import report can prove nothing was dropped silently: rowsRead = used + no customer +
 * cancellations + bad rows.
 */
import type { ColumnIndex } from './column-map.ts';
import { parseDecimal } from './parse-decimal.ts';
import { parseTime } from './parse-time.ts';

/** One purchase line of a usable row; every cell trimmed. */
export interface Purchase {
  customer: string;
  item: string;
  store: string;
  /** Days on parseTime's absolute scale. */
  day: number;
  /** Unit price, when a price column is mapped; may be 0 or negative (adjustments, free gifts). */
  price: number | undefined;
  name: string | undefined;
  category: string | undefined;
}

export type RowOutcome =
  | { kind: 'purchase'; purchase: Purchase }
  | { kind: 'no-customer' }
  | { kind: 'cancellation' }
  | { kind: 'bad'; reason: string };

/**
 * Reads one row. The checks run in a fixed order and the first that applies decides the bucket:
 * missing customer, then quantity (unparseable or 0 → bad, negative → cancellation), then the
 * remaining required cells and the price.
 *
 * @example
 * readTransaction(['17850', '85123A', 'UK', '12/1/2010 8:26', '6'], { customer: 0, item: 1, store: 2, time: 3, quantity: 4 });
 * // { kind: 'purchase', purchase: { customer: '17850', item: '85123A', store: 'UK', day: 14944.35…, … } }
 */
export function readTransaction(fields: string[], columns: ColumnIndex): RowOutcome {
  const cell = (at: number | undefined): string | undefined => (at === undefined ? undefined : fields[at].trim());
  const customer = cell(columns.customer)!;
  if (customer === '') return { kind: 'no-customer' };

  const quantityText = cell(columns.quantity);
  if (quantityText !== undefined) {
    const quantity = parseDecimal(quantityText);
    if (quantity === undefined) return bad(`quantity ${show(quantityText)} is not a number`);
    // Negative quantities are returns and cancellations (UCI Online Retail marks them with a
    // C-prefixed invoice): not a purchase, but a known kind of row, so counted on their own.
    if (quantity < 0) return { kind: 'cancellation' };
    if (quantity === 0) return bad('quantity is 0');
  }

  const item = cell(columns.item)!;
  if (item === '') return bad('item is empty');
  const store = cell(columns.store)!;
  if (store === '') return bad('store is empty');
  const timeText = cell(columns.time)!;
  const day = parseTime(timeText);
  if (day === undefined) return bad(`time ${show(timeText)} is not a supported date or number`);

  const priceText = cell(columns.price);
  const price = priceText === undefined ? undefined : parseDecimal(priceText);
  if (priceText !== undefined && price === undefined) return bad(`price ${show(priceText)} is not a number`);

  const name = cell(columns.name) || undefined;
  const category = cell(columns.category) || undefined;
  return { kind: 'purchase', purchase: { customer, item, store, day, price, name, category } };
}

/** Quotes a cell for a reason, cut short: a sample should point at the problem, not copy the row. */
function show(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

const bad = (reason: string): RowOutcome => ({ kind: 'bad', reason });
