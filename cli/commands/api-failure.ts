/** How the commands that call the REST API report a refusal: the server's message (and issues), exit 1. */
import { FedrecError } from '../../server/errors/index.ts';

/**
 * Runs `body` (flags already parsed): a FedrecError (a refusal, an unreachable server, no key) is printed and gives exit 1.
 * @example return reportApiFailure('models', () => approve(…));
 */
export async function reportApiFailure(command: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (!(err instanceof FedrecError)) throw err;
    const issues = err.issues.map((i) => `\n  ${i.path.join('.')}: ${i.message}`).join('');
    console.error(`fedrec ${command}: ${err.message}${issues}`);
    return 1;
  }
}
