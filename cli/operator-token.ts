/**
 * The operator token: the shared secret the REST API's operator routes (catalogue upload, model
 * versions, jobs) require as `Authorization: Bearer …`. It travels in the environment
 * (FEDREC_OPERATOR_TOKEN), never in a flag, so it does not show in process lists or shell history.
 */
import { randomBytes } from 'node:crypto';
import { FedrecError } from '../server/errors/index.ts';

export const operatorTokenVariable = 'FEDREC_OPERATOR_TOKEN';

/**
 * A server's token: the environment's, or a new random one it prints once (as Jupyter prints its
 * token), for `fedrec train --url` to be given.
 */
export function serverOperatorToken(log: (line: string) => void): string {
  const given = process.env[operatorTokenVariable];
  if (given) return given;
  const token = randomBytes(32).toString('base64url');
  log(`operator token for this run (set ${operatorTokenVariable} to choose one): ${token}`);
  return token;
}

/** A client's token, from the environment; without one a command cannot use the operator routes. */
export function clientOperatorToken(): string {
  const given = process.env[operatorTokenVariable];
  if (given) return given;
  throw new FedrecError('invalid-input', `set ${operatorTokenVariable} to the coordinator's operator token (the one it was started with, or printed at start)`);
}
