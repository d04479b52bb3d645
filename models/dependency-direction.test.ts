import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Dependencies point down (issue 17, point 5): the model is the data model plus the recommender,
// so nothing under models/ (tests included) may reach the simulator, the server or a transport.
const modelsDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(modelsDir, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []);
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)].map((match) => match[1]);
}

describe('models/ dependency direction', () => {
  it('no file under models/ imports client-sim/, server/, cli/, express or socket.io', () => {
    const offending: string[] = [];
    for (const file of sourceFiles(modelsDir)) {
      for (const spec of importsOf(file)) {
        const target = spec.startsWith('.') ? relative(repoRoot, resolve(dirname(file), spec)) : spec;
        if (/^(client-sim|server|cli)\//.test(target) || /^(express|socket\.io)/.test(target)) {
          offending.push(`${relative(repoRoot, file)} → ${spec}`);
        }
      }
    }
    expect(offending).to.deep.equal([]);
  });

  it('the check sees a relative import into client-sim/ (it can fail)', () => {
    const spec = '../../client-sim/world/generate-world.ts';
    const target = relative(repoRoot, resolve(join(modelsDir, 'recommender'), spec));
    expect(target.startsWith('client-sim/')).to.equal(true);
  });
});
