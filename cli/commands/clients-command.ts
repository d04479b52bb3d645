/**
 * `fedrec clients register`: gives store clients their credentials for a coordinator's database.
 * Each token is printed once and only its SHA-256 is stored, so a lost token means registering a
 * new client, never recovering the old one.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { registerClients } from '../../server/realtime/index.ts';
import { openStore } from '../../server/store/index.ts';
import { switchFlag, textFlag, unknownFlags } from '../flag-schemas.ts';
import { parseFlags } from '../parse-flags.ts';
import type { Command } from './command.ts';

const storeIds = textFlag.transform((list) => list.split(',').map((id) => id.trim())).pipe(z.array(z.string().min(1, 'has an empty store id').max(128, 'a store id is at most 128 characters')));

/** `--shoppers 500` for every store, or `--shoppers 500,320` one per store id. */
const shopperCounts = textFlag
  .transform((list) => list.split(',').map((n) => n.trim()))
  .pipe(z.array(z.string().regex(/^\d{1,15}$/, 'is not a whole number of shoppers').transform(Number)));

const clientsSchema = z
  .strictObject(
    {
      _: z.tuple([z.literal('register', { error: 'the only subcommand is "register"' })], { error: 'expects one subcommand: register' }),
      db: textFlag.refine((file) => existsSync(file), 'no such file (start `fedrec serve --db FILE` once to create it)'),
      store: storeIds,
      label: textFlag.regex(/^[A-Za-z0-9_.-]{1,40}$/, 'letters, digits, . _ - only (at most 40)').default('client'),
      shoppers: shopperCounts,
      json: switchFlag('json'),
    },
    unknownFlags,
  )
  .refine((f) => f.shoppers.length === 1 || f.shoppers.length === f.store.length, { message: 'give one count for every store, or one per store id', path: ['shoppers'] });

const help = `usage: fedrec clients register --db FILE --store STORE_ID[,STORE_ID…] --shoppers N[,N…] [--label client] [--json]

Registers one store client per store id in the coordinator's database and prints each client id
with its token. The token is shown this once: only its hash is stored. Hand it to the store app
(or to \`fedrec sim --url URL --credentials FILE\`), which presents it when it connects.

  --db FILE        the coordinator's SQLite file (\`fedrec serve --db FILE\`)
  --store IDS      the store each client trains for, comma-separated for several clients
  --shoppers N     the shoppers each client may sample from (one N for all, or one per store):
                   the coordinator refuses any count above it and derives q and qN from it
  --label NAME     middle part of the client ids, <store>-<label>-<random> (default client)
  --json           one JSON object per client per line: {"clientId","storeId","token"}
`;

export const clientsCommand: Command = {
  summary: 'register store clients (prints each token once)',
  help,
  async run(argv) {
    const flags = parseFlags(clientsSchema, argv);
    const store = openStore(flags.db);
    try {
      const stores = flags.store.map((storeId, i) => ({ storeId, population: flags.shoppers[flags.shoppers.length === 1 ? 0 : i] }));
      const credentials = await registerClients(store, stores, flags.label);
      if (flags.json) console.log(credentials.map((c) => JSON.stringify(c)).join('\n'));
      else {
        for (const c of credentials) console.log(`client ${c.clientId} (store ${c.storeId})\n  token ${c.token}`);
        console.error('fedrec clients: store each token now; only its hash is kept.');
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};
