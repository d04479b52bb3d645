/**
 * Reading store-client credentials for `fedrec sim --url … --credentials FILE`: the lines
 * `fedrec clients register --json` prints (one JSON object per line), or a JSON array of them, from
 * a file or from stdin (`-`, so a token never has to appear on a command line).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { FedrecError } from '../server/errors/index.ts';
import type { ClientCredentials } from '../server/realtime/index.ts';

const credentialSchema = z.strictObject({ clientId: z.string().min(1).max(200), storeId: z.string().min(1).max(128), token: z.string().min(1).max(500) });
const credentialsSchema = z.array(credentialSchema).min(1, 'holds no credentials');

/**
 * @example const credentials = await readCredentials('-'); // from stdin
 * @throws FedrecError('invalid-input') naming every bad entry, on the `credentials` flag.
 */
export async function readCredentials(source: string): Promise<ClientCredentials[]> {
  const text = source === '-' ? await readStdin() : await readFile(source, 'utf8');
  let raw: unknown;
  try {
    const trimmed = text.trim();
    raw = trimmed.startsWith('[') ? JSON.parse(trimmed) : trimmed.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
  } catch (err) {
    throw new FedrecError('invalid-input', 'unreadable credentials', [{ path: ['credentials'], message: `not JSON lines or a JSON array (${err instanceof Error ? err.message : String(err)})` }]);
  }
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) throw new FedrecError('invalid-input', 'invalid credentials', parsed.error.issues.map((i) => ({ path: ['credentials'], message: `${i.path.length ? `entry ${i.path.join('.')}: ` : ''}${i.message}` })));
  return parsed.data;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
