/**
 * `fedrec` command line: one file per subcommand in `commands/`, each parses its own flags with zod
 * (`parse-flags.ts`) and returns an exit code. This file only dispatches.
 */
import { commands } from './commands/index.ts';

const usage = (): string =>
  [
    'usage: fedrec <command> [options]',
    '',
    'commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`),
    '',
    'Run `fedrec <command> --help` for the options of one command.',
  ].join('\n');

async function main(argv: string[]): Promise<number> {
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
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`fedrec: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
