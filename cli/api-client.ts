/**
 * One authenticated call to a running fedrec server's REST API: any error answer becomes a
 * FedrecError carrying the server's code, message and issues; an unreachable server is
 * `unavailable`. Every CLI client of the API goes through it.
 */
import { errorCodes, FedrecError, type ErrorCode, type ErrorIssue } from '../server/errors/index.ts';

/** @example const answer = await callApi(url, key, 'GET', '/v1/models'); const { models } = await answer.json(); */
export async function callApi(url: string, key: string, method: string, path: string, payload?: { body: BodyInit; type: string }): Promise<Response> {
  let answer: Response;
  try {
    const headers: Record<string, string> = { authorization: `Bearer ${key}`, ...(payload ? { 'content-type': payload.type } : {}) };
    answer = await fetch(new URL(path, url), { method, headers, ...(payload ? { body: payload.body } : {}) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new FedrecError('unavailable', `cannot reach the server at ${url} (${cause?.code ?? cause?.message ?? String(err)})`);
  }
  if (answer.ok) return answer;
  const body = (await answer.json().catch(() => undefined)) as { error?: { code?: string; message?: string; issues?: ErrorIssue[] } } | undefined;
  const code = body?.error?.code;
  const known = code !== undefined && code in errorCodes;
  throw new FedrecError(known ? (code as ErrorCode) : 'internal', `${method} ${path}: ${answer.status} ${body?.error?.message ?? answer.statusText}`, body?.error?.issues ?? []);
}

/** `callApi` with a JSON body (or none), answering the parsed JSON. */
export async function callJson<T>(url: string, key: string, method: string, path: string, body?: unknown): Promise<T> {
  const answer = await callApi(url, key, method, path, body === undefined ? undefined : { body: JSON.stringify(body), type: 'application/json' });
  return (await answer.json()) as T;
}
