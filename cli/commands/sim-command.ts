/**
 * `fedrec sim`: the store clients' side of the world. Without --url it loads the world the store
 * clients would hold and shows how it splits across stores, so a non-IID world is visible before
 * any training. With --url it runs one store client per store against a running coordinator
 * (`fedrec serve`), in this process or one process each, until SIGINT or SIGTERM.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { summarizeWorld, type WorldSummary } from '../../client-sim/world/index.ts';
import { registerClients, type ClientCredentials } from '../../server/realtime/index.ts';
import { openStore } from '../../server/store/index.ts';
import { switchFlag, textFlag, unknownFlags } from '../flag-schemas.ts';
import { parseFlags } from '../parse-flags.ts';
import { runClientsAsProcesses, runClientsHere } from '../run-store-clients.ts';
import { readCredentials } from '../store-credentials.ts';
import { storePopulations } from '../store-populations.ts';
import { checkWorldFlags, describeImport, loadWorld, worldFlagShape, worldFlagsHelp, type LoadedWorld, type WorldFlags } from '../world-options.ts';
import type { Command } from './command.ts';

const simSchema = z
  .strictObject(
    {
      ...worldFlagShape,
      json: switchFlag('json'),
      url: textFlag.pipe(z.url('must be a URL like http://127.0.0.1:3000')).optional(),
      db: textFlag.refine((file) => existsSync(file), 'no such file (the coordinator creates it: `fedrec serve --db FILE`)').optional(),
      credentials: textFlag.refine((file) => file === '-' || existsSync(file), 'no such file').optional(),
      processes: switchFlag('processes'),
    },
    unknownFlags,
  )
  .superRefine((flags, ctx) => {
    checkWorldFlags(flags as WorldFlags, ctx);
    const issue = (flag: string, message: string): void => ctx.addIssue({ code: 'custom', path: [flag], message });
    if (flags.url === undefined) {
      for (const flag of ['db', 'credentials', 'processes'] as const) if (flags[flag] !== undefined) issue(flag, 'only applies with --url');
      return;
    }
    if (flags.json) issue('json', 'only applies to the world summary (without --url)');
    if ((flags.db === undefined) === (flags.credentials === undefined)) issue('db', 'with --url, give --db FILE (register new clients there) or --credentials FILE (use registered ones), one of them');
  });

type SimFlags = z.infer<typeof simSchema>;

const help = `usage: fedrec sim [--json] [world options]
       fedrec sim --url URL (--db FILE | --credentials FILE) [--processes] [world options]

Without --url: loads a world and summarises it: per store, its shoppers, purchases, biggest
categories and how far its category mix is from the all-store mix (the non-IID-ness federated
training has to live with).

With --url: runs the world's store clients against the coordinator at URL until SIGINT/SIGTERM.
Each holds only its own store's shoppers, answers the coordinator's rounds with clipped update
sums and reports federated evaluation. Start jobs with \`fedrec train --url URL\` and the same
world options.

  --json                print the summary as one JSON object on stdout
  --url URL             the coordinator (\`fedrec serve\`)
  --db FILE             register one new client per store in the coordinator's SQLite file
  --credentials FILE    use registered clients instead: the lines \`fedrec clients register --json\`
                        printed (or a JSON array of them); - reads them from stdin
  --processes           one child process per store client (they train in parallel)

${worldFlagsHelp}
`;

export const simCommand: Command = {
  summary: 'summarise a world, or run its store clients against a coordinator (--url)',
  help,
  async run(argv) {
    const flags: SimFlags = parseFlags(simSchema, argv);
    const log = (line: string): void => console.error(`fedrec sim: ${line}`);
    const loaded = await loadWorld(flags);
    if (flags.url !== undefined) {
      // A bad credentials file is bad input like a bad flag: main reports it and exits 2.
      const credentials: ClientCredentials[] = flags.db !== undefined ? await registerInto(flags.db, loaded) : await readCredentials(flags.credentials!);
      return flags.processes ? runClientsAsProcesses(flags.url, credentials, worldArgs(flags), log) : runClientsHere(flags.url, credentials, loaded, log);
    }
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

/** One new client per store of the world, registered in the coordinator's database. */
async function registerInto(db: string, loaded: LoadedWorld): Promise<ClientCredentials[]> {
  const store = openStore(db);
  try {
    return await registerClients(store, storePopulations(loaded.world), 'sim');
  } finally {
    await store.close();
  }
}

/** The world flags as given, for child processes that must load the same world. */
function worldArgs(flags: SimFlags): string[] {
  return (Object.keys(worldFlagShape) as (keyof typeof worldFlagShape)[]).flatMap((key) => (flags[key] === undefined ? [] : [`--${key}`, String(flags[key])]));
}
