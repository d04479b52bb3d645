/**
 * The API key a command sends (`Authorization: Bearer …`): it travels in the environment
 * (FEDREC_API_KEY), never in a flag, so it does not show in process lists or shell history. Keys
 * come from `fedrec keys create`, or the first admin key a server prints on its first start.
 */
import { FedrecError } from '../server/errors/index.ts';

export const apiKeyVariable = 'FEDREC_API_KEY';

/** @example new CoordinatorClient(url, clientApiKey('engineer')) */
export function clientApiKey(role: string): string {
  const given = process.env[apiKeyVariable];
  if (given) return given;
  throw new FedrecError('invalid-input', `set ${apiKeyVariable} to an API key with the role ${role} (\`fedrec keys create --role ${role} --name NAME\`)`);
}
