/**
 * Runs `fedrec` as a child process, the way a user or a script would, and collects its output.
 * Uses this node with tsx's loader (what `npx tsx cli/main.ts` does, without npx's start-up and its
 * npm warnings on stderr).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * @example const { code, stdout } = await runCli(['sim', '--json', '--shoppers', '50']);
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], { cwd: repoRoot, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}
