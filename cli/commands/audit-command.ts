/**
 * `fedrec audit head|verify`: the audit chain from the command line. Keep the head somewhere the
 * database's writers cannot reach (a ticket, another system); `verify --expect-head H` then also
 * catches a tail removed since, which leaves a valid but shorter chain.
 */
import { z } from 'zod';
import type { AuditVerification } from '../../server/governance/index.ts';
import { callJson } from '../api-client.ts';
import { clientApiKey } from '../api-key.ts';
import { switchFlag, textFlag, unknownFlags } from '../flag-schemas.ts';
import { parseFlags } from '../parse-flags.ts';
import { reportApiFailure } from './api-failure.ts';
import type { Command } from './command.ts';

const auditSchema = z.strictObject(
  {
    _: z.tuple([z.enum(['head', 'verify'], { error: 'expects head or verify' })], { error: 'expects head or verify' }),
    url: textFlag.pipe(z.url('a URL such as http://127.0.0.1:3000')).default('http://127.0.0.1:3000'),
    expectHead: textFlag.pipe(z.string().regex(/^[0-9a-f]{64}$/, 'a 64-character hex SHA-256 from `fedrec audit head`')).optional(),
    json: switchFlag('json'),
  },
  unknownFlags,
);

const help = `usage: fedrec audit head [--url URL]
       fedrec audit verify [--expect-head HASH] [--url URL] [--json]

head: prints the hash of the newest audit entry, to keep elsewhere.
verify: recomputes every entry's hash, SHA-256(previous hash ‖ canonical JSON of the entry), and
exits 1 unless the chain is intact and, with --expect-head, still contains that hash.
FEDREC_API_KEY holds an admin or approver key.
`;

export const auditCommand: Command = {
  summary: 'print the audit log head hash, or verify the chain',
  help,
  async run(argv) {
    const flags = parseFlags(auditSchema, argv);
    return reportApiFailure('audit', async () => {
      const query = flags.expectHead ? `?expectHead=${flags.expectHead}` : '';
      const result = await callJson<AuditVerification>(flags.url, clientApiKey('admin'), 'GET', `/v1/audit/verify${query}`);
      if (flags._[0] === 'head') {
        console.log(result.head);
        return 0;
      }
      if (flags.json) console.log(JSON.stringify(result));
      else if (result.ok) console.log(`audit log intact: ${result.entries} entries, head ${result.head}`);
      else if (result.firstBadEntry !== null) console.log(`audit log TAMPERED: entry ${result.firstBadEntry} does not follow from the chain before it (${result.entries} entries)`);
      else console.log(`audit log TRUNCATED or replaced: the expected head ${flags.expectHead} is not in the chain (${result.entries} entries, head ${result.head})`);
      return result.ok ? 0 : 1;
    });
  },
};
