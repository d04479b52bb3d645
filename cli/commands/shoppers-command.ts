/**
 * `fedrec shoppers rotate-key`: a new pseudonym key joins the chain in the key file and every
 * stored shopper row is re-keyed to it, on the database file itself (stop the server first: it
 * holds the old chain in memory). With FEDREC_PSEUDONYM_KEY instead of a file, rotate on a copy of
 * the key in a file and set the variable to what the command prints.
 */
import { z } from 'zod';
import { systemActor } from '../../server/governance/index.ts';
import { rotatePseudonymKey } from '../../server/shoppers/index.ts';
import { openStore } from '../../server/store/index.ts';
import { switchFlag, textFlag, unknownFlags } from '../flag-schemas.ts';
import { parseFlags } from '../parse-flags.ts';
import type { Command } from './command.ts';

const shoppersSchema = z.strictObject(
  {
    _: z.tuple([z.enum(['rotate-key'], { error: 'expects rotate-key' })], { error: 'expects rotate-key' }),
    db: textFlag.default('./fedrec.db'),
    pseudonymKeyFile: textFlag.optional(),
    json: switchFlag('json'),
  },
  unknownFlags,
);

const help = `usage: fedrec shoppers rotate-key [--db ./fedrec.db] [--pseudonym-key-file ./fedrec.db.pseudonym-key] [--json]

Adds a new key to the pseudonym key chain and re-keys every stored shopper row (pseudonym p becomes
HMAC-SHA-256(new key, p)) in one transaction, with an audit entry. Stop the server first and start
it again after. The new chain is written to FILE.next first and renamed over FILE once the rows
are re-keyed: if the command is interrupted after the re-keying, FILE.next is the chain to keep.
`;

export const shoppersCommand: Command = {
  summary: 'rotate the shoppers’ pseudonym key, re-keying every stored row',
  help,
  async run(argv) {
    const flags = parseFlags(shoppersSchema, argv);
    const store = openStore(flags.db);
    try {
      const { shoppers, keys } = await rotatePseudonymKey(store, flags.pseudonymKeyFile ?? `${flags.db}.pseudonym-key`, systemActor);
      if (flags.json) console.log(JSON.stringify({ shoppers, keys }));
      else console.log(`pseudonym key rotated: ${shoppers} shoppers re-keyed, ${keys} keys in the chain (${flags.pseudonymKeyFile ?? `${flags.db}.pseudonym-key`})`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
