/**
 * Pseudonyms: everything fedrec keeps about a shopper is keyed by HMAC-SHA-256(key, shopperId)
 * (RFC 2104), never by the retailer's id, and the key never enters the database. Whoever holds only
 * the database cannot link a row to a shopper: without the key, testing a guessed id costs a
 * brute-force search of a 256-bit key (GDPR Art. 4(5): "additional information … kept separately").
 *
 * Rotation cannot recompute HMAC(new key, id): the ids are not kept. So a rotation appends a key to
 * a chain and re-keys every row p → HMAC(k_new, p); a shopper's pseudonym is
 * HMAC(k_n, … HMAC(k_1, id)). Whoever holds an old key and the rotated database still cannot link
 * a row; the key file holds the whole chain (it is the one secret to protect).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { FedrecError } from '../errors/index.ts';

/** The chain of keys, oldest first (one after the first start, one more per rotation). */
export interface PseudonymKey {
  readonly keys: readonly Buffer[];
}

export const pseudonymKeyVariable = 'FEDREC_PSEUDONYM_KEY';

const keyBytes = 32;
const hexKey = z.string().regex(/^[0-9a-f]{64}$/, 'each key is 64 lower-case hex digits (32 bytes)');
const keyFileSchema = z.strictObject({ format: z.literal('fedrec-pseudonym-key-1'), keys: z.array(hexKey).min(1) });

/** @example pseudonymize(key, 'shopper-42') // 64 hex digits */
export function pseudonymize(key: PseudonymKey, shopperId: string): string {
  let value = shopperId;
  for (const k of key.keys) value = hmac(k, value);
  return value;
}

/** The next link of the chain, applied to a stored pseudonym by a rotation. */
export function rekeyPseudonym(newKey: Buffer, pseudonym: string): string {
  return hmac(newKey, pseudonym);
}

/**
 * How the audit log names a shopper: a second HMAC of the pseudonym, so the append-only log (which
 * an erasure cannot edit without breaking its hash chain) holds no row with the pseudonym itself.
 */
export function auditReference(key: PseudonymKey, pseudonym: string): string {
  return `shopper:${hmac(key.keys[key.keys.length - 1], `audit\u0000${pseudonym}`).slice(0, 32)}`;
}

/** A fresh one-key chain (tests, and a server started without a key file keeps it in memory only). */
export function generatePseudonymKey(): PseudonymKey {
  return { keys: [randomBytes(keyBytes)] };
}

/**
 * From `FEDREC_PSEUDONYM_KEY` (comma-separated hex keys, oldest first) when set, else from the key
 * file, created with mode 0600 on first start. A key file others can read is refused, as ssh
 * refuses such a private key.
 * @example const key = loadPseudonymKey({ file: './fedrec.db.pseudonym-key', env: process.env });
 */
export function loadPseudonymKey(options: { file: string; env?: Record<string, string | undefined> }): PseudonymKey {
  const fromEnv = options.env?.[pseudonymKeyVariable];
  if (fromEnv !== undefined && fromEnv !== '') {
    const parsed = z.array(hexKey).min(1).safeParse(fromEnv.split(','));
    if (!parsed.success) throw new FedrecError('invalid-input', `${pseudonymKeyVariable}: ${parsed.error.issues[0].message}`);
    return { keys: parsed.data.map((k) => Buffer.from(k, 'hex')) };
  }
  if (!existsSync(options.file)) {
    const key = generatePseudonymKey();
    writeKeyFile(options.file, key, 'wx');
    return key;
  }
  const mode = statSync(options.file).mode & 0o777;
  if (mode & 0o077) throw new FedrecError('invalid-input', `pseudonym key file ${options.file} is readable by others (mode ${mode.toString(8)}); chmod 600 it`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(options.file, 'utf8'));
  } catch {
    throw new FedrecError('invalid-input', `pseudonym key file ${options.file} is not JSON`);
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) throw new FedrecError('invalid-input', `pseudonym key file ${options.file}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return { keys: parsed.data.keys.map((k) => Buffer.from(k, 'hex')) };
}

/** Writes the chain with mode 0600 (`wx`: only if absent; `w`: replace). */
export function writeKeyFile(file: string, key: PseudonymKey, flag: 'wx' | 'w'): void {
  const text = `${JSON.stringify({ format: 'fedrec-pseudonym-key-1', keys: key.keys.map((k) => k.toString('hex')) })}\n`;
  writeFileSync(file, text, { mode: 0o600, flag });
  // The mode of writeFileSync is masked by the umask and ignored for an existing file.
  chmodSync(file, 0o600);
}

/** Replaces `file` with `next` by rename (atomic on one filesystem). */
export function replaceKeyFile(next: string, file: string): void {
  renameSync(next, file);
}

function hmac(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex');
}
