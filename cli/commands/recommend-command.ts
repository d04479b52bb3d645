/**
 * `fedrec recommend`: a shopper's recommendations, printed with their reasons. By default a thin
 * client of a running server's REST API (global `fetch`); with `--db` it reads the catalogue and
 * the newest model version from a fedrec database and answers in this process, through the same
 * request schema and the same `recommend` core as the route. Either way the history travels in
 * the request and nothing about the shopper is stored.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { recommendationRequest } from '../../server/api/recommendation-schemas.ts';
import { loadServedModel, recommend } from '../../server/serving/index.ts';
import { openStore } from '../../server/store/index.ts';
import { clientApiKey } from '../api-key.ts';
import { parseFlags } from '../parse-flags.ts';
import { fetchRecommendations, formatRecommendations, issueLines, type Answer } from '../recommendations-client.ts';
import { servingChoices } from '../../server/shoppers/index.ts';
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
    url: text('--url').pipe(z.url('must be a URL like http://127.0.0.1:3000')).optional(),
    db: text('--db').optional(),
    noPersonalization: z.literal(true, { error: 'takes no value' }).optional(),
    json: z.literal(true, { error: 'takes no value' }).optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown option ${(issue.keys ?? []).map((k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}` : undefined) },
).refine((flags) => !(flags.url && flags.db), { path: ['db'], message: 'give --url or --db, not both' });

const defaultUrl = 'http://127.0.0.1:3000';

const help = `usage: fedrec recommend --store S [--history ID,ID,...] [--k 10]
                        [--url http://127.0.0.1:3000 | --db ./fedrec.db] [--no-personalization] [--json]

Prints the top-k items for a shopper at store S whose past purchases are the given item ids
(oldest first), each with its score and the reason it is shown. Item ids the model does not know
are ignored and listed.

  --store S              the shopper's store id
  --history IDS          comma-separated catalogue item ids, oldest first
  --k N                  how many items, 1..100 (default 10)
  --url URL              ask this fedrec server (default ${defaultUrl}, as \`fedrec demo\` serves)
                         with the API key in FEDREC_API_KEY (role app)
  --db FILE              no server: read the catalogue and newest model version from this database
  --no-personalization   the shopper has not consented: the history is not sent
  --json                 print the JSON response
`;

export const recommendCommand: Command = {
  summary: 'explained recommendations for a shopper, from a running server or a database',
  help,
  async run(argv) {
    const flags = parseFlags(flagsSchema, argv);
    const personalization = !flags.noPersonalization;
    const body = { history: personalization ? flags.history.map((itemId) => ({ itemId })) : [], context: { storeId: flags.store }, personalization, k: flags.k };
    const answer = flags.db ? await fromDatabase(flags.db, body) : await fetchRecommendations(flags.url ?? defaultUrl, clientApiKey('app'), body);
    if ('error' in answer) {
      console.error(`fedrec recommend: ${answer.error}`);
      return 1;
    }
    console.log(flags.json ? JSON.stringify(answer.recommendations, null, 2) : formatRecommendations(answer.recommendations));
    return 0;
  },
};

/** The route's work, in this process: the same request schema, the model version a server would serve from this file. */
async function fromDatabase(file: string, body: unknown): Promise<Answer> {
  // openStore would create an empty database where there is none.
  if (!existsSync(file)) return { error: `no database at ${file}` };
  const request = recommendationRequest.safeParse(body);
  if (!request.success) return { error: `invalid request:${issueLines(request.error.issues)}` };
  const store = openStore(file);
  try {
    const snapshot = (await loadServedModel(store)).current();
    if (!snapshot) return { error: `${file} has no approved model version serving; train one and approve it (\`fedrec models approve VERSION --reason …\`), or run \`fedrec demo --exit\`` };
    // As the route serves a request that names no shopper and sends no GPC signal (the file holds no pseudonym key).
    const choices = servingChoices({ personalization: request.data.personalization, exclude: request.data.exclude, excludeCategories: request.data.excludeCategories, globalPrivacyControl: false, now: new Date() });
    const served = recommend(snapshot, { ...request.data, personalization: choices.personalization, nonPersonalizedBecause: choices.because, exclude: choices.excludeItems, excludeCategories: choices.excludeCategories });
    return { recommendations: { ...served, choices: choices.applied } };
  } finally {
    await store.close();
  }
}
