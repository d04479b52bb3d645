/**
 * Real-data import: a CSV of transactions in, a RetailWorld out (see models/data/retail-world.ts),
 * with a report that accounts for every row. The CSV reader, time parsing and row rules are
 * internal: callers hand over a file and a column map.
 */
export { importTransactions } from './import-transactions.ts';
export type { BadRowSample, ImportOptions, ImportReport } from './import-transactions.ts';
export { parseColumnMap } from './column-map.ts';
export type { ColumnMap, ColumnRole } from './column-map.ts';
export { droppedRowKinds, droppedRowMeaning } from './cleaning-rules.ts';
export type { DroppedRowKind } from './cleaning-rules.ts';
