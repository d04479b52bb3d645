import type { Command } from './command.ts';
import { demoCommand } from './demo-command.ts';
import { privacyCommand } from './privacy-command.ts';

/** Every subcommand, by name. Each lives in its own `<name>-command.ts`. */
export const commands: Record<string, Command> = {
  demo: demoCommand,
  privacy: privacyCommand,
};
