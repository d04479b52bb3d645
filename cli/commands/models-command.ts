/**
 * `fedrec models list|approve|kill|prune`: the model lifecycle from the command line, over the REST
 * API with the key in FEDREC_API_KEY (engineer or approver to list, approver to approve and kill);
 * `prune` works on the database file directly (server/store/model-retention.ts says what it keeps).
 */
import { z } from 'zod';
import type { ModelView } from '../../server/governance/index.ts';
import { callJson } from '../api-client.ts';
import { clientApiKey } from '../api-key.ts';
import { switchFlag, textFlag, unknownFlags, wholeNumberFlag } from '../flag-schemas.ts';
import { parseFlags } from '../parse-flags.ts';
import { reportApiFailure } from './api-failure.ts';
import type { Command } from './command.ts';

const version = z.string().regex(/^\d+$/, 'a model version number');

const modelsSchema = z
  .strictObject(
    {
      _: z.union([z.tuple([z.literal('list')]), z.tuple([z.enum(['approve', 'kill']), version]), z.tuple([z.literal('prune')])], { error: 'expects list, approve VERSION, kill VERSION or prune' }),
      db: textFlag.optional(),
      keep: wholeNumberFlag(1).optional(),
      url: textFlag.pipe(z.url('a URL such as http://127.0.0.1:3000')).default('http://127.0.0.1:3000'),
      reason: textFlag.pipe(z.string().max(2000)).optional(),
      json: switchFlag('json'),
    },
    unknownFlags,
  )
  .superRefine((flags, ctx) => {
    if (flags._[0] === 'prune') {
      if (flags.db === undefined) ctx.addIssue({ code: 'custom', path: ['db'], message: 'prune needs --db FILE' });
      if (flags.keep === undefined) ctx.addIssue({ code: 'custom', path: ['keep'], message: 'prune needs --keep N (the newest versions kept)' });
    } else if (flags._[0] !== 'list' && flags.reason === undefined) ctx.addIssue({ code: 'custom', path: ['reason'], message: `${flags._[0]} needs --reason "why"` });
  });

const help = `usage: fedrec models list [--url URL] [--json]
       fedrec models approve VERSION --reason "why" [--url URL] [--json]
       fedrec models kill VERSION --reason "why" [--url URL] [--json]
       fedrec models prune --db FILE --keep N [--json]

The lifecycle of model versions: candidate (trained) → serving (approved) → retired (replaced),
and killed (taken out of serving for good). Approval checks the promotion gates; a failing gate
is refused with each gate's value and threshold. A kill puts the previous approved version back,
or the store ranking when there is none. FEDREC_API_KEY holds the key (approver for approve and
kill; engineer or approver for list).

  --url URL       the server (default http://127.0.0.1:3000)
  --reason TEXT   why: kept with the approval or the kill, and in the audit log
  --db FILE       prune: the SQLite file (run it beside a server or with it stopped)
  --keep N        prune: drop the weights of every version but the N newest, the serving one,
                  every approved one and each job's latest (their rows stay; they read as absent)
`;

export const modelsCommand: Command = {
  summary: 'list model versions with their lifecycle state; approve or kill one',
  help,
  async run(argv) {
    const flags = parseFlags(modelsSchema, argv);
    if (flags._[0] === 'prune') {
      // Loaded only here: the other subcommands talk HTTP and need no SQLite.
      const { openStore } = await import('../../server/store/index.ts');
      const store = openStore(flags.db!);
      try {
        const pruned = await store.pruneModelVersions(flags.keep!);
        if (flags.json) console.log(JSON.stringify({ pruned }));
        else console.log(pruned.length === 0 ? 'nothing to prune' : `pruned the weights of ${pruned.length} versions: ${pruned.join(', ')}`);
        return 0;
      } finally {
        await store.close();
      }
    }
    return reportApiFailure('models', async () => {
      const [sub, v] = flags._;
      if (sub === 'list') {
        const { models } = await callJson<{ models: ModelView[] }>(flags.url, clientApiKey('engineer'), 'GET', '/v1/models');
        if (flags.json) console.log(JSON.stringify(models, null, 2));
        else for (const m of models) console.log(formatModel(m));
        return 0;
      }
      const answer = await callJson<Record<string, unknown>>(flags.url, clientApiKey('approver'), 'POST', `/v1/models/${v}/${sub}`, { reason: flags.reason });
      if (flags.json) console.log(JSON.stringify(answer, null, 2));
      else if (sub === 'approve') console.log(`version ${v} serves now${answer.retired !== null ? `; version ${String(answer.retired)} retired` : ''}`);
      else console.log(`version ${v} killed; ${answer.serving === null ? 'no approved version is left: the store ranking serves' : `version ${String(answer.serving)} serves again`}`);
      return 0;
    });
  },
};

function formatModel(m: ModelView): string {
  const recall = m.metrics['recall@10'];
  const parts = [`v${m.version}`.padEnd(6), m.state.padEnd(9), m.jobId ? `job ${m.jobId.slice(0, 8)} round ${m.round}` : 'uploaded', recall !== undefined ? `recall@10 ${recall.toFixed(3)}` : '', m.epsilon !== null ? `ε ${m.epsilon.toFixed(2)}` : ''];
  if (m.approval) parts.push(`approved by ${m.approval.by}: "${m.approval.reason}"`);
  if (m.kill) parts.push(`killed by ${m.kill.by}: "${m.kill.reason}"`);
  return parts.filter(Boolean).join('  ');
}
