/**
 * Data minimisation after the demo (issue 13): the demo's closing example names its shopper
 * (`demo-shopper-N`) and records their opt-in over HTTP; afterwards the raw id is nowhere in the
 * database file's bytes (WAL included) or the demo's output, while the shopper's row is there under
 * its pseudonym. A tiny world and two rounds keep it to a few seconds.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../../test/helpers/run-cli.ts';

describe('fedrec demo keeps no raw shopper id', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedrec-demo-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('opts its example shopper in under a pseudonym, and the id is in neither the database bytes nor the output', async () => {
    const db = join(dir, 'demo.db');
    const { code, stdout, stderr } = await runCli(['demo', '--exit', '--rounds', '2', '--stores', '2', '--shoppers', '200', '--items', '80', '--port', '0', '--db', db, '--pseudonym-key-file', join(dir, 'key')]);
    expect(code, stderr).to.equal(0);
    expect(stdout).to.include('(opted in)');
    const reader = new Database(db, { readonly: true });
    const rows = reader.prepare<[], { pseudonym: string; consent: string }>('SELECT pseudonym, consent FROM shopper_preferences').all();
    reader.close();
    // The example shopper, and the simulated shoppers whose outcomes the demo reports (issue 14).
    expect(rows.length).to.be.above(1);
    for (const row of rows) expect(JSON.parse(row.consent)).to.include({ choice: 'opted-in', source: 'fedrec demo' });
    const bytes = Buffer.concat([readFileSync(db), ...(existsSync(`${db}-wal`) ? [readFileSync(`${db}-wal`)] : [])]);
    for (const where of [bytes, Buffer.from(stdout + stderr)]) for (const id of ['demo-shopper-', 'demo-outcome-shopper-']) expect(where.includes(Buffer.from(id)), id).to.equal(false);
  });
});
