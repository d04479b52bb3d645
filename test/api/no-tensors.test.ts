import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every package a module loads at run time, following relative imports through the source tree. */
function importedPackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    // `import type` is erased when compiled, so it loads nothing at run time.
    for (const match of source.matchAll(/(?:import|export)(\s+type)?\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      if (match[1]) continue;
      const specifier = match[2] ?? match[3];
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return packages;
}

/** Runs serve-without-tensors.ts in a fresh node process and returns what it printed. */
function serveInChild(args: string[]): Promise<{ statuses: number[]; checkedItems: number; tfjsLoaded: boolean }> {
  return new Promise((done, fail) => {
    execFile(process.execPath, ['--import', 'tsx', 'test/api/serve-without-tensors.ts', ...args], { cwd: root }, (error, stdout, stderr) => {
      if (error) fail(new Error(`serve-without-tensors failed: ${stderr}`));
      else done(JSON.parse(stdout.trim().split('\n').at(-1)!));
    });
  });
}

describe('serving hot path without tensors', () => {
  it('nothing the API imports reaches tfjs', () => {
    const packages = importedPackages(resolve(root, 'server/api/index.ts'));
    expect(packages).to.include('zod');
    expect([...packages].filter((p) => p.startsWith('@tensorflow'))).to.deep.equal([]);
  });

  // A tensor count cannot change in a process that never loads tfjs, so the check that can fail is
  // whether tfjs is loaded at all while 200 requests are served (in a process of their own).
  it('a process serving 200 recommendation requests never loads tfjs', async () => {
    const served = await serveInChild([]);
    expect(served.statuses).to.deep.equal([200]);
    expect(served.checkedItems).to.be.greaterThan(0);
    expect(served.tfjsLoaded).to.equal(false);
  });

  it('the same check sees tfjs when the process loads it', async () => {
    expect((await serveInChild(['--load-tfjs'])).tfjsLoaded).to.equal(true);
  });
});
