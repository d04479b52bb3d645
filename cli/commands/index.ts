import type { Command } from './command.ts';
import { auditCommand } from './audit-command.ts';
import { clientsCommand } from './clients-command.ts';
import { demoCommand } from './demo-command.ts';
import { jobsCommand } from './jobs-command.ts';
import { keysCommand } from './keys-command.ts';
import { modelsCommand } from './models-command.ts';
import { privacyCommand } from './privacy-command.ts';
import { recommendCommand } from './recommend-command.ts';
import { reportCommand } from './report-command.ts';
import { serveCommand } from './serve-command.ts';
import { shoppersCommand } from './shoppers-command.ts';
import { simCommand } from './sim-command.ts';
import { trainCommand } from './train-command.ts';

/** Every subcommand, by name. Each lives in its own `<name>-command.ts`. */
export const commands: Record<string, Command> = {
  audit: auditCommand,
  clients: clientsCommand,
  demo: demoCommand,
  jobs: jobsCommand,
  keys: keysCommand,
  models: modelsCommand,
  privacy: privacyCommand,
  recommend: recommendCommand,
  report: reportCommand,
  serve: serveCommand,
  shoppers: shoppersCommand,
  sim: simCommand,
  train: trainCommand,
};
