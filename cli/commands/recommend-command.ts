/**
 * `fedrec recommend`: asks a running server for a shopper's recommendations and prints them with
 * their reasons. A thin client of the REST API (global `fetch`); the history travels in the request
 * and nothing is stored.
 */
import { z } from 'zod';
import { FedrecError } from '../../server/errors/index.ts';
import { parseFlags } from '../parse-flags.ts';
import type { Command } from './command.ts';

const text = (name: string) => z.string({ error: (issue) => (issue.input === undefined ? `${name} is required` : 'needs a value') }).min(1, 'needs a value');

const flagsSchema = z.strictObject(
  {
    store: text('--store'),
    history: text('--history')
      .optional()
      .transform((list) => (list ?? '').split(',').map((id) => id.trim()).filter(Boolean)),
    k: text('--k')
      .default('10')
      .transform(Number)
      .pipe(z.int('must be a whole number').min(1, 'must be in 1..100').max(100, 'must be in 1..100')),
    url: text('--url').default('http://127.0.0.1:3000').pipe(z.url('must be a URL like http://127.0.0.1:3000')),
    noPersonalization: z.literal(true, { error: 'takes no value' }).optional(),
    json: z.literal(true, { error: 'takes no value' }).optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown option ${(issue.keys ?? []).map((k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}` : undefined) },
);

const help = `usage: fedrec recommend --store S [--history ID,ID,...] [--k 10] [--url http://127.0.0.1:3000]
                        [--no-personalization] [--json]

Prints the top-k items for a shopper at store S whose past purchases are the given item ids
(oldest first), each with its score and the reason it is shown.

  --store S              the shopper's store id
  --history IDS          comma-separated catalogue item ids, oldest first
  --k N                  how many items, 1..100 (default 10)
  --url URL              the fedrec server (default http://127.0.0.1:3000)
  --no-personalization   the shopper has not consented: the history is not sent
  --json                 print the server's JSON response
`;

interface Recommendations {
  modelVersion: number;
  personalized: boolean;
  store: { id: string; known: boolean };
  items: { rank: number; itemId: string; name: string; score: number; reason?: string }[];
  ignoredHistory: string[];
  historyRead: number;
}

export const recommendCommand: Command = {
  summary: 'explained recommendations for a shopper, from a running server',
  help,
  async run(argv) {
    let flags: z.infer<typeof flagsSchema>;
    try {
      flags = parseFlags(flagsSchema, argv);
    } catch (err) {
      if (!(err instanceof FedrecError)) throw err;
      console.error(`fedrec recommend: ${err.message}\n\nRun \`fedrec recommend --help\` for usage.`);
      return 2;
    }
    const personalization = !flags.noPersonalization;
    const body = { history: personalization ? flags.history.map((itemId) => ({ itemId })) : [], context: { storeId: flags.store }, personalization, k: flags.k };
    const endpoint = new URL('/v1/recommendations', flags.url);
    let response: Response;
    try {
      response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      console.error(`fedrec recommend: cannot reach ${flags.url} (${cause?.code ?? cause?.message ?? String(err)})`);
      return 1;
    }
    const payload = (await response.json().catch(() => undefined)) as (Recommendations & { error?: { code: string; message: string; issues?: { path: unknown[]; message: string }[] } }) | undefined;
    if (!response.ok || !payload || payload.error) {
      const error = payload?.error;
      const issues = (error?.issues ?? []).map((i) => `\n  ${i.path.join('.')}: ${i.message}`).join('');
      console.error(`fedrec recommend: the server answered ${response.status}${error ? ` ${error.code}: ${error.message}` : ''}${issues}`);
      return 1;
    }
    console.log(flags.json ? JSON.stringify(payload, null, 2) : render(payload));
    return 0;
  },
};

function render(r: Recommendations): string {
  const mode = r.personalized ? `personalised, ${r.historyRead} purchase(s) read` : 'not personalised';
  const lines = [`model version ${r.modelVersion} · store ${r.store.id}${r.store.known ? '' : ' (unknown to the model)'} · ${mode}`];
  if (r.ignoredHistory.length) lines.push(`ignored (unknown to the model): ${r.ignoredHistory.join(', ')}`);
  const width = String(r.items.length).length;
  for (const item of r.items) {
    lines.push(`${String(item.rank).padStart(width)}. ${item.name} [${item.itemId}]  score ${item.score.toFixed(3)}`);
    if (item.reason) lines.push(`${' '.repeat(width + 2)}${item.reason}`);
  }
  return lines.join('\n');
}
