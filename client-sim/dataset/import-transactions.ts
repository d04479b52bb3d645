/**
 * Turns a real transaction export (UCI Online Retail, a retailer's own CSV …) into a RetailWorld,
 * streaming the file so its size is bounded by the number of purchases, not the bytes. Nothing is
 * dropped silently: every data row lands in exactly one count of the report.
 */
import { FedrecError } from '../../server/errors/index.ts';
import type { RetailWorld } from '../../models/data/retail-world.ts';
import { droppedRowKinds, type DroppedRowKind } from './cleaning-rules.ts';
import { parseColumnMap, resolveColumns, type ColumnMap } from './column-map.ts';
import { csvRecordBatches, type CsvReadOptions, type CsvRecord } from './csv-records.ts';
import { readTransaction } from './read-transaction.ts';
import { RetailWorldBuilder } from './retail-world-builder.ts';

export interface BadRowSample {
  /** 1-based line in the file where the row starts. */
  line: number;
  reason: string;
}

/** rowsRead = rowsUsed + Σ dropped + badRows; the header is not a row. */
export interface ImportReport {
  rowsRead: number;
  rowsUsed: number;
  /** Readable rows each cleaning rule dropped (see cleaning-rules.ts for the rules and their order). */
  dropped: Record<DroppedRowKind, number>;
  /** Rows that could not be read: wrong field count, unparseable time, price or quantity, … */
  badRows: number;
  /** The first few bad rows, so a wrong --map or date format is quick to spot. */
  badRowSamples: BadRowSample[];
  shoppers: number;
  items: number;
  stores: number;
  /** Customers seen at several stores and moved whole to their home store (see home-store.ts). */
  reassignedShoppers: number;
  /** Stores with fewer than `minStoreShoppers` shoppers, merged into the one store "other". */
  mergedStores: string[];
}

export interface ImportOptions extends CsvReadOptions {
  /** How many bad rows to keep in `badRowSamples`; default 5. */
  badRowSamples?: number;
  /** Stores with fewer shoppers than this merge into one "other" store; default 1 (none merge). */
  minStoreShoppers?: number;
}

/**
 * Imports a CSV of transactions, one purchase line per row, with a header row.
 * A quantity above 1 is one purchase of the item: the models learn what a shopper buys, not how
 * many, and a wholesale order of 48 would otherwise outweigh a shopper's whole history.
 *
 * @example
 * const { world, report } = await importTransactions('online-retail.csv',
 *   'customer=CustomerID,item=StockCode,store=Country,time=InvoiceDate,name=Description,price=UnitPrice,quantity=Quantity');
 * console.log(`${report.rowsUsed}/${report.rowsRead} rows, ${report.shoppers} shoppers in ${report.stores} stores`);
 * @throws FedrecError('invalid-input') for an invalid map, an empty file or a header the map does not match.
 */
export async function importTransactions(
  file: string,
  map: ColumnMap | string,
  options: ImportOptions = {},
): Promise<{ world: RetailWorld; report: ImportReport }> {
  const columnMap = typeof map === 'string' ? parseColumnMap(map) : map;
  const sampleSize = options.badRowSamples ?? 5;
  const batches = csvRecordBatches(file, options);
  try {
    const first = await batches.next();
    if (first.done || first.value.length === 0) throw new FedrecError('invalid-input', `${file} is empty: expected a header row`);
    const [header, ...firstRows] = first.value;
    if (!header.ok) throw new FedrecError('invalid-input', `${file}: cannot read the header on line ${header.line}: ${header.reason}`);
    const columns = resolveColumns(columnMap, header.fields, file);

    const builder = new RetailWorldBuilder();
    const dropped = Object.fromEntries(droppedRowKinds.map((kind) => [kind, 0])) as Record<DroppedRowKind, number>;
    const report: ImportReport = { rowsRead: 0, rowsUsed: 0, dropped, badRows: 0, badRowSamples: [], shoppers: 0, items: 0, stores: 0, reassignedShoppers: 0, mergedStores: [] };
    const badRow = (line: number, reason: string): void => {
      report.badRows++;
      if (report.badRowSamples.length < sampleSize) report.badRowSamples.push({ line, reason });
    };
    const readRecord = (record: CsvRecord): void => {
      report.rowsRead++;
      if (!record.ok) return badRow(record.line, record.reason);
      const outcome = readTransaction(record.fields, columns);
      if (outcome.kind === 'purchase') {
        report.rowsUsed++;
        builder.add(outcome.purchase);
      } else if (outcome.kind === 'dropped') dropped[outcome.rule]++;
      else badRow(record.line, outcome.reason);
    };
    firstRows.forEach(readRecord);
    for await (const batch of batches) batch.forEach(readRecord);

    const { world, reassignedShoppers, mergedStores } = builder.build(file, options.minStoreShoppers ?? 1);
    Object.assign(report, { shoppers: world.shoppers.length, items: world.catalog.length, stores: world.stores.length, reassignedShoppers, mergedStores });
    return { world, report };
  } catch (error) {
    // zlib's errors carry a Z_ code; shown as what the user can act on, without zlib's internals.
    if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('Z_')) {
      throw new FedrecError('invalid-input', `${file} starts like a gzip file but cannot be unpacked (${error.code}): is it truncated?`);
    }
    throw error;
  } finally {
    await batches.return(undefined); // closes the file when the header check throws
  }
}
