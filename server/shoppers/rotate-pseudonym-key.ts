/**
 * `fedrec shoppers rotate-key`: a new key joins the chain and every stored pseudonym p becomes
 * HMAC(k_new, p), in one store transaction with its audit entry. Order, so that no crash loses the
 * link between rows and key: the new chain is written to `<file>.next` (mode 0600) first, the rows
 * are re-keyed, then `.next` replaces the file. Interrupted between the last two, `.next` holds the
 * chain that matches the database (the command says so); before the re-keying, nothing changed.
 */
import { randomBytes } from 'node:crypto';
import type { FedrecStore } from '../store/index.ts';
import { loadPseudonymKey, rekeyPseudonym, replaceKeyFile, writeKeyFile, type PseudonymKey } from './pseudonym-key.ts';

/** @example const { shoppers } = await rotatePseudonymKey(store, './fedrec.db.pseudonym-key', 'system'); */
export async function rotatePseudonymKey(store: FedrecStore, file: string, actor: string): Promise<{ shoppers: number; keys: number; key: PseudonymKey }> {
  const current = loadPseudonymKey({ file });
  const added = randomBytes(32);
  const next: PseudonymKey = { keys: [...current.keys, added] };
  const pending = `${file}.next`;
  writeKeyFile(pending, next, 'w');
  const shoppers = await store.rekeyShoppers((p) => rekeyPseudonym(added, p), (n) => ({ actor, action: 'shopper.key-rotated', target: 'pseudonym-key', details: { shoppers: n, keys: next.keys.length } }));
  replaceKeyFile(pending, file);
  return { shoppers, keys: next.keys.length, key: next };
}
