import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../run-command.ts';

/** Runs a command line in this process (what cli/main.ts does), capturing what it writes to stderr. */
async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
  const original = console.error;
  let stderr = '';
  console.error = (...parts: unknown[]) => void (stderr += `${parts.join(' ')}\n`);
  try {
    return { code: await runCommand(argv), stderr };
  } finally {
    console.error = original;
  }
}

describe('bad flags of serve, clients and sim --url: every issue at once, exit 2', () => {
  it('fedrec serve', async () => {
    const { code, stderr } = await run(['serve', '--port', '70000', '--db', '--bogus']);
    expect(code).to.equal(2);
    expect(stderr).to.include('--port: must be at most 65535');
    expect(stderr).to.include('--db: needs a value');
    expect(stderr).to.include('unknown option --bogus');
  });

  it('fedrec clients register', async () => {
    const { code, stderr } = await run(['clients', 'add', '--db', '/no/such/file.db', '--store', 'a,,b', '--label', 'has space', '--shoppers', '1e15']);
    expect(code).to.equal(2);
    expect(stderr).to.include('the only subcommand is "register"');
    expect(stderr).to.include('--db: no such file');
    expect(stderr).to.include('--store: has an empty store id');
    expect(stderr).to.include('--label: letters, digits');
    expect(stderr).to.include('--shoppers: is not a whole number');
    expect((await run(['clients', 'register'])).stderr).to.match(/--db: [\s\S]*--store: [\s\S]*--shoppers: /);
    expect((await run(['clients', 'register', '--db', '/no/such/file.db', '--store', 'a,b,c', '--shoppers', '10,x'])).stderr).to.match(/--shoppers: is not a whole number/);
  });

  it('fedrec sim', async () => {
    const alone = await run(['sim', '--processes', '--db', '/no/such/file.db']);
    expect(alone.code).to.equal(2);
    expect(alone.stderr).to.include('--processes: only applies with --url');
    expect(alone.stderr).to.include('--db: no such file');
    const url = await run(['sim', '--url', 'http://127.0.0.1:1', '--json']);
    expect(url.code).to.equal(2);
    expect(url.stderr).to.include('--json: only applies to the world summary');
    expect(url.stderr).to.include('--db: with --url, give --db FILE');
    expect((await run(['sim', '--url', 'not a url', '--credentials', '-', '--db', '/no/such'])).stderr).to.match(/--url: must be a URL[\s\S]*--db: no such file/);
  });

  it('fedrec sim --credentials: names every bad entry of the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fedrec-credentials-'));
    try {
      const file = join(dir, 'credentials.jsonl');
      await writeFile(file, '{"clientId":"store-01-x","storeId":"store-01","token":"t"}\n{"clientId":"","storeId":"store-02"}\n');
      const { code, stderr } = await run(['sim', '--url', 'http://127.0.0.1:1', '--credentials', file, '--stores', '2', '--shoppers', '10', '--items', '6']);
      expect(code).to.equal(2);
      expect(stderr).to.include('--credentials: entry 1.clientId: Too small');
      expect(stderr).to.include('--credentials: entry 1.token: Invalid input');
      await writeFile(file, 'not json');
      expect((await run(['sim', '--url', 'http://127.0.0.1:1', '--credentials', file, '--stores', '2', '--shoppers', '10', '--items', '6'])).stderr).to.include('--credentials: not JSON lines or a JSON array');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
