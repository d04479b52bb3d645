/**
 * Classifies one CSV row of a transaction export. Every row ends in exactly one bucket, so the
 * import report can prove nothing was dropped silently: rowsRead = used + each dropped kind
 * (`cleaning-rules.ts`) + bad rows.
 */
import { isCancelledInvoice, isServiceCode, type DroppedRowKind } from './cleaning-rules.ts';
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
  /** Unit price, when a price column is mapped; > 0 (rows with a price ≤ 0 are dropped). */
  price: number | undefined;
  name: string | undefined;
  category: string | undefined;
}

export type RowOutcome =
  | { kind: 'purchase'; purchase: Purchase }
  | { kind: 'dropped'; rule: DroppedRowKind }
  | { kind: 'bad'; reason: string };

/**
 * Reads one row. The checks run in a fixed order and the first that applies decides the bucket:
 * missing customer, cancelled invoice, quantity (unparseable → bad, ≤ 0 → dropped), service code,
 * then the remaining required cells, and the price (unparseable → bad, ≤ 0 → dropped).
 *
 * @example
 * readTransaction(['17850', '85123A', 'UK', '12/1/2010 8:26', '6'], { customer: 0, item: 1, store: 2, time: 3, quantity: 4 });
 * // { kind: 'purchase', purchase: { customer: '17850', item: '85123A', store: 'UK', day: 14944.35…, … } }
 */
export function readTransaction(fields: string[], columns: ColumnIndex): RowOutcome {
  const cell = (at: number | undefined): string | undefined => (at === undefined ? undefined : fields[at].trim());
  const customer = cell(columns.customer)!;
  if (customer === '') return dropped('noCustomer');
  const invoice = cell(columns.invoice);
  if (invoice !== undefined && isCancelledInvoice(invoice)) return dropped('cancellation');

  const quantityText = cell(columns.quantity);
  if (quantityText !== undefined) {
    const quantity = parseDecimal(quantityText);
    if (quantity === undefined) return bad(`quantity ${show(quantityText)} is not a number`);
    // Returns outside a C invoice and zero-quantity corrections: known kinds of row, not purchases.
    if (quantity <= 0) return dropped('nonPositiveQuantity');
  }

  const item = cell(columns.item)!;
  if (item === '') return bad('item is empty');
  if (isServiceCode(item)) return dropped('serviceCode');
  const store = cell(columns.store)!;
  if (store === '') return bad('store is empty');
  const timeText = cell(columns.time)!;
  const day = parseTime(timeText);
  if (day === undefined) return bad(`time ${show(timeText)} is not a supported date or number`);

  const priceText = cell(columns.price);
  const price = priceText === undefined ? undefined : parseDecimal(priceText);
  if (priceText !== undefined && price === undefined) return bad(`price ${show(priceText)} is not a number`);
  if (price !== undefined && price <= 0) return dropped('nonPositivePrice');

  const name = cell(columns.name) || undefined;
  const category = cell(columns.category) || undefined;
  return { kind: 'purchase', purchase: { customer, item, store, day, price, name, category } };
}

/** Quotes a cell for a reason, cut short: a sample should point at the problem, not copy the row. */
function show(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

const bad = (reason: string): RowOutcome => ({ kind: 'bad', reason });
const dropped = (rule: DroppedRowKind): RowOutcome => ({ kind: 'dropped', rule });
