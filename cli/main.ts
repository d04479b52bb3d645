/**
 * `fedrec` command line: one file per subcommand in `commands/`, each parses its own flags with zod
 * (`parse-flags.ts`) and returns an exit code; `run-command.ts` dispatches. This file only runs it.
 */
import { runCommand } from './run-command.ts';

runCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`fedrec: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
