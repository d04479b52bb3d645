/**
 * `fedrec keys create|list|revoke`: API keys with roles, over the REST API (`--url`, with an admin
 * key in FEDREC_API_KEY) or directly on the database file (`--db`, for whoever holds the file: the
 * first admin key, or a lost one). A key is printed once; only its hash is stored.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { createApiKey, keyView, revokeApiKey, systemActor, type ApiKeyView } from '../../server/governance/index.ts';
import { openStore, roles, type Role } from '../../server/store/index.ts';
import { callJson } from '../api-client.ts';
import { clientApiKey } from '../api-key.ts';
import { switchFlag, textFlag, unknownFlags } from '../flag-schemas.ts';
import { parseFlags } from '../parse-flags.ts';
import { reportApiFailure } from './api-failure.ts';
import type { Command } from './command.ts';

const keysSchema = z
  .strictObject(
    {
      _: z.union([z.tuple([z.literal('create')]), z.tuple([z.literal('list')]), z.tuple([z.literal('revoke'), z.string().regex(/^key_[0-9a-f]{8,32}$/, 'a key id such as key_0a1b2c3d4e5f')])], {
        error: 'expects create, list, or revoke KEY_ID',
      }),
      role: z.enum(roles, { error: `one of ${roles.join(', ')}` }).optional(),
      name: textFlag.pipe(z.string().max(200)).optional(),
      url: textFlag.pipe(z.url('a URL such as http://127.0.0.1:3000')).optional(),
      db: textFlag.refine((file) => existsSync(file), 'no such file').optional(),
      json: switchFlag('json'),
    },
    unknownFlags,
  )
  .superRefine((flags, ctx) => {
    if ((flags.url === undefined) === (flags.db === undefined)) ctx.addIssue({ code: 'custom', path: ['url'], message: 'give --url URL (with an admin key in FEDREC_API_KEY) or --db FILE' });
    if (flags._[0] === 'create' && flags.role === undefined) ctx.addIssue({ code: 'custom', path: ['role'], message: 'create needs --role' });
    if (flags._[0] === 'create' && flags.name === undefined) ctx.addIssue({ code: 'custom', path: ['name'], message: 'create needs --name' });
  });

const help = `usage: fedrec keys create --role ROLE --name NAME (--url URL | --db FILE) [--json]
       fedrec keys list (--url URL | --db FILE) [--json]
       fedrec keys revoke KEY_ID (--url URL | --db FILE)

API keys with one role each: ${roles.join(', ')}. The key is printed once; only its
SHA-256 is stored. A revoked key fails on its next request. Every change is in the audit log.

  --url URL     a running server; FEDREC_API_KEY must hold an admin key
  --db FILE     the server's SQLite file directly (the audit log names the actor "system")
  --role ROLE   the new key's role
  --name NAME   who or what holds it ("checkout web shop", "Dana, ethics committee")
  --json        print JSON
`;

interface KeyBackend {
  create(role: Role, name: string): Promise<{ key: string; record: ApiKeyView }>;
  list(): Promise<ApiKeyView[]>;
  revoke(id: string): Promise<ApiKeyView>;
  close(): Promise<void>;
}

export const keysCommand: Command = {
  summary: 'create, list and revoke API keys with roles',
  help,
  async run(argv) {
    const flags = parseFlags(keysSchema, argv);
    return reportApiFailure('keys', async () => {
      const backend = flags.db ? onFile(flags.db) : overRest(flags.url!, clientApiKey('admin'));
      try {
        const [sub] = flags._;
        if (sub === 'create') {
          const created = await backend.create(flags.role!, flags.name!);
          if (flags.json) console.log(JSON.stringify(created));
          else {
            console.log(`key ${created.record.id} (${created.record.role}, ${created.record.name})\n  ${created.key}`);
            console.error('fedrec keys: store the key now; only its hash is kept.');
          }
        } else if (sub === 'list') {
          const keys = await backend.list();
          if (flags.json) console.log(JSON.stringify(keys));
          else for (const k of keys) console.log(`${k.id}  ${k.role.padEnd(8)}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  ${k.name}`);
        } else {
          const revoked = await backend.revoke(flags._[1]!);
          console.log(flags.json ? JSON.stringify(revoked) : `revoked ${revoked.id} (${revoked.role}, ${revoked.name})`);
        }
        return 0;
      } finally {
        await backend.close();
      }
    });
  },
};

function onFile(file: string): KeyBackend {
  const store = openStore(file);
  return {
    create: (role, name) => createApiKey(store, { role, name }, systemActor),
    list: async () => (await store.listApiKeys()).map(keyView),
    revoke: (id) => revokeApiKey(store, id, systemActor),
    close: () => store.close(),
  };
}

function overRest(url: string, key: string): KeyBackend {
  return {
    create: (role, name) => callJson(url, key, 'POST', '/v1/keys', { role, name }),
    list: async () => (await callJson<{ keys: ApiKeyView[] }>(url, key, 'GET', '/v1/keys')).keys,
    revoke: (id) => callJson(url, key, 'POST', `/v1/keys/${id}/revoke`),
    close: async () => {},
  };
}
