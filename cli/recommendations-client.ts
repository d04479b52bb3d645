/**
 * The CLI's side of `POST /v1/recommendations`: ask a running fedrec server over HTTP (global
 * `fetch`) and print the answer as a ranked list with reasons. `fedrec recommend` and the demo's
 * closing example both use it.
 */
import type { RecommendationResponse } from '../server/serving/index.ts';
import type { AppliedChoices } from '../server/shoppers/index.ts';

export type Recommendations = Pick<RecommendationResponse, 'modelVersion' | 'servedBy' | 'personalized' | 'store' | 'ignoredHistory' | 'historyRead'> & {
  items: { rank: number; itemId: string; name: string; score: number; reason?: string }[];
  /** Which stored choices and signals the server applied. */
  choices?: AppliedChoices;
};

export type Answer = { recommendations: Recommendations } | { error: string };

export const issueLines = (issues: readonly { path: readonly PropertyKey[]; message: string }[]): string => issues.map((i) => `\n  ${i.path.map(String).join('.')}: ${i.message}`).join('');

/** `apiKey`: a key with the role app. @example const answer = await fetchRecommendations('http://127.0.0.1:3000', key, { history: [], context: { storeId: 'store-01' }, personalization: false, k: 5 }); */
export async function fetchRecommendations(url: string, apiKey: string, body: unknown): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(new URL('/v1/recommendations', url), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: JSON.stringify(body) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { error: `cannot reach ${url} (${cause?.code ?? cause?.message ?? String(err)}); start a server with \`fedrec demo\`, or read a database directly with --db ./fedrec.db` };
  }
  const payload = (await response.json().catch(() => undefined)) as (Recommendations & { error?: { code: string; message: string; issues?: { path: unknown[]; message: string }[] } }) | undefined;
  if (!response.ok || !payload || payload.error) {
    const error = payload?.error;
    return { error: `the server answered ${response.status}${error ? ` ${error.code}: ${error.message}` : ''}${issueLines((error?.issues ?? []).map((i) => ({ path: i.path.map(String), message: i.message })))}` };
  }
  return { recommendations: payload };
}

/** @example console.log(formatRecommendations(answer.recommendations)); */
export function formatRecommendations(r: Recommendations): string {
  const mode = r.personalized ? `personalised, ${r.historyRead} purchase(s) read` : 'not personalised';
  const servedBy = r.servedBy === 'store-ranking' ? 'no approved model (store ranking)' : `model version ${r.modelVersion}`;
  const lines = [`${servedBy} · store ${r.store.id}${r.store.known ? '' : ' (unknown to the model)'} · ${mode}`];
  if (r.ignoredHistory.length) lines.push(`ignored (unknown to the model): ${r.ignoredHistory.join(', ')}`);
  const width = String(r.items.length).length;
  for (const item of r.items) {
    lines.push(`${String(item.rank).padStart(width)}. ${item.name} [${item.itemId}]  score ${item.score.toFixed(3)}`);
    if (item.reason) lines.push(`${' '.repeat(width + 2)}${item.reason}`);
  }
  return lines.join('\n');
}
