/** What every `fedrec` subcommand provides to the dispatcher. */
export interface Command {
  /** One line for `fedrec --help`. */
  summary: string;
  /** The full `fedrec <command> --help` text. */
  help: string;
  /** Runs with the arguments after the command name; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}
