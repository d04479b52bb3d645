/**
 * `fedrec sim`: loads the world the store clients would hold and shows how it splits across
 * stores, so a non-IID world is visible before any training. Running store clients against a
 * coordinator comes later, as a step after `loadWorld`: the world is loaded the same way here as
 * in `fedrec train`, and `summarizeWorld` stays the printout.
 */
import { z } from 'zod';
import { summarizeWorld, type WorldSummary } from '../../client-sim/world/index.ts';
import { FedrecError } from '../../server/errors/index.ts';
import { flagErrorMessage, switchFlag, unknownFlags } from '../flag-schemas.ts';
import { parseFlags } from '../parse-flags.ts';
import { checkWorldFlags, describeImport, loadWorld, worldFlagShape, worldFlagsHelp, type LoadedWorld } from '../world-options.ts';
import type { Command } from './command.ts';

const simSchema = z.strictObject({ ...worldFlagShape, json: switchFlag('json') }, unknownFlags).superRefine(checkWorldFlags);

const help = `usage: fedrec sim [options]

Loads a world and summarises it: per store, its shoppers, purchases, biggest categories and how far
its category mix is from the all-store mix (the non-IID-ness federated training has to live with).

  --json            print one JSON object on stdout instead of the table

${worldFlagsHelp}
`;

export const simCommand: Command = {
  summary: 'load a world (synthetic or CSV) and summarise its stores',
  help,
  async run(argv) {
    let flags: z.infer<typeof simSchema>;
    try {
      flags = parseFlags(simSchema, argv);
    } catch (err) {
      if (err instanceof FedrecError && err.code === 'invalid-input') {
        console.error(flagErrorMessage('sim', err));
        return 2;
      }
      throw err;
    }
    const loaded = await loadWorld(flags);
    const summary = summarizeWorld(loaded.world);
    console.log(flags.json ? JSON.stringify({ world: loaded.description, source: loaded.world.source, ...summary, import: loaded.importReport }) : formatSummary(loaded, summary));
    return 0;
  },
};

function formatSummary(loaded: LoadedWorld, summary: WorldSummary): string {
  const percent = (share: number): string => `${(100 * share).toFixed(0)}%`;
  const header = ['store', 'name', 'region', 'shoppers', 'purchases', 'differs', 'top categories'];
  const cells = summary.stores.map((s) => [s.id, s.name, s.region, String(s.shoppers), String(s.purchases), percent(s.categoryDivergence), s.topCategories.map((c) => `${c.category} ${percent(c.share)}`).join(', ')]);
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const numeric = new Set([3, 4, 5]);
  const line = (row: string[]): string => row.map((cell, c) => (numeric.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  const { importReport, world } = loaded;
  return [
    loaded.description,
    ...(importReport && world.source.kind === 'csv' ? [describeImport(world.source.file, importReport)] : []),
    `catalogue: ${summary.items} items in ${summary.categories} categories; ${summary.purchases} purchases by ${summary.shoppers} shoppers, ${summary.heldOutShoppers} with a held-out last purchase`,
    '',
    line(header),
    ...cells.map(line),
    '',
    "differs: share of the store's purchases that would have to change category to match the all-store mix (0% = identical stores)",
  ].join('\n');
}
