/**
 * The world every command runs on, chosen by the same flags everywhere: a seeded synthetic world
 * (`--stores --shoppers --items --seed`, defaulting to the demo world) or a transaction CSV
 * (`--dataset FILE.csv --map customer=COL,…`). Commands spread `worldFlagShape` into their own
 * schema, add `checkWorldFlags`, and hand the parsed flags to `loadWorld`.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { droppedRowKinds, droppedRowMeaning, importTransactions, type ImportReport } from '../client-sim/dataset/index.ts';
import { generateWorld, type RetailWorld, type WorldOptions } from '../client-sim/world/index.ts';
import { leaveLastOutWithValidation, timeSplit, type EvaluationSplit } from '../models/index.ts';
import { textFlag, wholeNumberFlag } from './flag-schemas.ts';

/** The demo world: big enough to show store differences, small enough to train in about a minute. */
export const defaultWorldOptions: Required<Pick<WorldOptions, 'seed' | 'stores' | 'shoppers' | 'items'>> = { seed: 1, stores: 8, shoppers: 4000, items: 800 };

/** The world flags, to spread into a command's own flag schema. */
export const worldFlagShape = {
  stores: wholeNumberFlag(1, 1000).optional(),
  shoppers: wholeNumberFlag(1, 10_000_000).optional(),
  // At least 2: the generator needs two categories and gives each at least one item.
  items: wholeNumberFlag(2, 1_000_000).optional(),
  seed: wholeNumberFlag(0, 2 ** 32 - 1).optional(),
  dataset: textFlag.refine((file) => existsSync(file), 'no such file').optional(),
  map: textFlag.optional(),
  minStoreShoppers: wholeNumberFlag(1, 1_000_000).optional(),
  split: textFlag.pipe(z.enum(['last', 'time'], { error: 'must be last or time' })).optional(),
  worldRule: textFlag.pipe(z.enum(['concepts', 'baskets'], { error: 'must be concepts or baskets' })).optional(),
};

/**
 * `--split time` windows: the last 30 days are the test window, the 30 before it validation. On
 * Online Retail II 2009–10 that tests on 2010-11-09 to 12-09, the pre-Christmas peak a retailer
 * would deploy for; a month of validation keeps ~1,000 shoppers in each window.
 */
export const timeSplitDays = { testDays: 30, validationDays: 30 } as const;

/**
 * With --dataset, stores with fewer home shoppers merge into one "other" client. 10 keeps the 13
 * countries of Online Retail II 2009–10 that have 10 or more customers and merges the other 24
 * (75 customers, 1.7%) into one store: at a sampling rate of 0.1 a 5-customer client trains
 * nobody in 59% of rounds, and its own popularity is a handful of baskets.
 */
export const defaultMinStoreShoppers = 10;

const worldFlagsObject = z.object(worldFlagShape);
export type WorldFlags = z.infer<typeof worldFlagsObject>;

/**
 * The rules across world flags, as a zod check so they are reported with every other flag issue.
 * @example z.strictObject({ ...worldFlagShape, json: switchFlag('json') }).superRefine(checkWorldFlags)
 */
export function checkWorldFlags(flags: WorldFlags, ctx: z.RefinementCtx): void {
  if (flags.dataset !== undefined) {
    if (flags.map === undefined) ctx.addIssue({ code: 'custom', path: ['map'], message: 'is required with --dataset (e.g. customer=CustomerID,item=StockCode,store=Country,time=InvoiceDate)' });
    for (const key of ['stores', 'shoppers', 'items', 'worldRule'] as const) {
      if (flags[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'shapes a synthetic world; it cannot be combined with --dataset' });
    }
  } else {
    if (flags.map !== undefined) ctx.addIssue({ code: 'custom', path: ['map'], message: 'only applies with --dataset' });
    if (flags.minStoreShoppers !== undefined) ctx.addIssue({ code: 'custom', path: ['minStoreShoppers'], message: 'only applies with --dataset' });
  }
}

/** The help lines for the world flags, shared by every command's --help. */
export const worldFlagsHelp = `world (synthetic by default):
  --stores N        stores in the synthetic world (default ${defaultWorldOptions.stores})
  --shoppers N      shoppers (default ${defaultWorldOptions.shoppers})
  --items N         catalogue size (default ${defaultWorldOptions.items})
  --seed N          seeds the world, the model's initial weights and training (default ${defaultWorldOptions.seed})
  --world-rule R    how synthetic shoppers choose: concepts (default; the model's own terms) or
                    baskets (topic tastes, one topic per basket, seasonal items, staples)
  --dataset FILE    import a transaction CSV instead of generating a world
  --map ROLE=COL,…  which column is which, with --dataset: customer, item, store, time required;
                    invoice, name, category, price, quantity optional (a .gz file is unpacked as read)
  --split last|time leave-last-out (default: the last purchase is the test target, the one
                    before it validation) or by date (the last ${timeSplitDays.testDays} days test, the ${timeSplitDays.validationDays} before validation)
  --min-store-shoppers N  with --dataset: stores with fewer shoppers merge into one "other"
                    store (default ${defaultMinStoreShoppers})`;

export interface LoadedWorld {
  world: RetailWorld;
  /** One line naming the world, for logs and summaries. */
  description: string;
  /** What the importer did with each row; only for a CSV world. */
  importReport?: ImportReport;
  /** The seed for everything random downstream (model initialisation, shuffles, negatives). */
  seed: number;
  /** Training, validation and test parts, as --split says: every command holding the same world flags holds the same split. */
  split: EvaluationSplit;
}

/**
 * Builds or imports the world the flags describe. A CSV import's row counts go to `log`
 * (stderr by default), so a wrong --map shows before any training starts.
 * @example const { world, description } = await loadWorld({ shoppers: 300, items: 120 });
 * @throws FedrecError('invalid-input') when the CSV or its --map is unusable.
 */
export async function loadWorld(flags: Partial<WorldFlags>, log: (line: string) => void = (line) => console.error(line)): Promise<LoadedWorld> {
  const seed = flags.seed ?? defaultWorldOptions.seed;
  if (flags.dataset !== undefined) {
    const { world, report } = await importTransactions(flags.dataset, flags.map ?? '', { minStoreShoppers: flags.minStoreShoppers ?? defaultMinStoreShoppers });
    log(describeImport(flags.dataset, report));
    return { world, description: `${flags.dataset}: ${sizes(world)}`, importReport: report, seed, split: splitWorld(world, flags) };
  }
  const world = generateWorld({
    seed,
    stores: flags.stores ?? defaultWorldOptions.stores,
    shoppers: flags.shoppers ?? defaultWorldOptions.shoppers,
    items: flags.items ?? defaultWorldOptions.items,
    rule: flags.worldRule ?? 'concepts',
  });
  const rule = flags.worldRule === 'baskets' ? ', basket rule' : '';
  return { world, description: `synthetic world (seed ${seed}${rule}): ${sizes(world)}`, seed, split: splitWorld(world, flags) };
}

function splitWorld(world: RetailWorld, flags: Partial<WorldFlags>): EvaluationSplit {
  return flags.split === 'time' ? timeSplit(world.shoppers, timeSplitDays) : leaveLastOutWithValidation(world.shoppers);
}

/**
 * The import report as a few lines: every row accounted for, and the first bad rows.
 * @example describeImport('sales.csv', report) // "sales.csv: 1000 rows read, 950 used, …"
 */
export function describeImport(file: string, report: ImportReport): string {
  const lines = [
    `${file}: ${report.rowsRead} rows read, ${report.rowsUsed} used, ${report.badRows} bad rows`,
    ...droppedRowKinds.filter((kind) => report.dropped[kind] > 0).map((kind) => `  ${report.dropped[kind]} dropped ${droppedRowMeaning[kind]}`),
    ...report.badRowSamples.map((sample) => `  bad row at line ${sample.line}: ${sample.reason}`),
  ];
  if (report.mergedStores.length > 0) lines.push(`  ${report.mergedStores.length} stores with fewer than the minimum of shoppers merged into "other": ${report.mergedStores.join(', ')}`);
  if (report.reassignedShoppers > 0) lines.push(`  ${report.reassignedShoppers} shoppers seen at several stores were moved whole to their home store`);
  return lines.join('\n');
}

const sizes = (world: RetailWorld): string => `${world.stores.length} stores, ${world.shoppers.length} shoppers, ${world.catalog.length} items`;
