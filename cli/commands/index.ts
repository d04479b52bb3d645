import type { Command } from './command.ts';

/** Every subcommand, by name. Each lives in its own `<name>-command.ts`. */
export const commands: Record<string, Command> = {};
commands.privacy = (await import('./privacy-command.ts')).privacyCommand;
