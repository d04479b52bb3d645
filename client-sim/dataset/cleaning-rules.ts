/**
 * The rules that decide which rows of a transaction export are purchases. Each rule that drops a
 * row has its own count in the import report (`ImportReport.dropped`), so a reader sees what the
 * cleaning did to their file, and the rules run in the fixed order of `droppedRowKinds`: the first
 * that applies names the row.
 */

/** Why a readable row is not a purchase, in the order the rules are checked. */
export const droppedRowKinds = ['noCustomer', 'cancellation', 'nonPositiveQuantity', 'serviceCode', 'nonPositivePrice'] as const;
export type DroppedRowKind = (typeof droppedRowKinds)[number];

/** What each rule means, for the import summary and the README. */
export const droppedRowMeaning: Record<DroppedRowKind, string> = {
  noCustomer: 'without a customer (guest orders: no shopper to attribute them to)',
  cancellation: 'on a cancelled invoice (the invoice number starts with C)',
  nonPositiveQuantity: 'with a quantity ≤ 0 (returns, corrections)',
  serviceCode: 'with a service code, not a product (postage, fees, discounts, adjustments, tests)',
  nonPositivePrice: 'with a price ≤ 0 (free samples, bad-debt adjustments, damaged stock)',
};

/**
 * Stock codes that are services or bookkeeping, not products a shopper chose, as listed for UCI
 * Online Retail II (dataset 502): postage (POST, DOT, C2), discount (D), manual (M), bank charges,
 * carriage (PADS), Amazon fees, charity (CRUK), bad debt (B), samples (S), adjustments, tests and
 * gift vouchers. Matched case-insensitively on the whole trimmed code; `gift_0001_…` by prefix.
 */
const serviceCodes = new Set(['POST', 'D', 'M', 'C2', 'DOT', 'BANK CHARGES', 'PADS', 'AMAZONFEE', 'CRUK', 'B', 'S', 'ADJUST', 'ADJUST2', 'TEST001', 'TEST002', 'SP1002']);
const serviceCodePrefixes = ['GIFT_0001_'];

/** @example isServiceCode('POST') // true; isServiceCode('85123A') // false */
export function isServiceCode(item: string): boolean {
  const code = item.trim().toUpperCase();
  return serviceCodes.has(code) || serviceCodePrefixes.some((prefix) => code.startsWith(prefix));
}

/** UCI marks a cancellation with a C before the invoice number (C536379); A is a bad-debt adjustment, caught by its code B. */
export function isCancelledInvoice(invoice: string): boolean {
  return /^c/i.test(invoice.trim());
}
