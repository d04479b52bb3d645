/**
 * Runs one `fedrec` command line in this process and returns its exit code: dispatch, `--help`,
 * and the one place bad input becomes a message and exit 2 (every command parses its flags with
 * zod through `parse-flags.ts`, which throws FedrecError 'invalid-input'). Tests call it as
 * cli/main.ts would.
 * @example process.exitCode = await runCommand(['train', '--centralized', '--json']);
 */
import { FedrecError } from '../server/errors/index.ts';
import { commands } from './commands/index.ts';
import { flagErrorMessage } from './flag-schemas.ts';

const usage = (): string =>
  [
    'usage: fedrec <command> [options]',
    '',
    'commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`),
    '',
    'Run `fedrec <command> --help` for the options of one command.',
  ].join('\n');

export async function runCommand(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    console.error(`fedrec: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    // Every command parses its flags with zod (parse-flags.ts); bad input is one message and exit 2.
    if (!(err instanceof FedrecError) || err.code !== 'invalid-input') throw err;
    console.error(flagErrorMessage(name, err));
    return 2;
  }
}

