import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeRound, makeVersion, makeWeights } from '../../server/store/contract/store-fixtures.ts';
import { openStore } from '../../server/store/index.ts';
import { runCli } from '../../test/helpers/run-cli.ts';

describe('fedrec models prune', function () {
  this.timeout(120_000); // two CLI child processes under tsx; 60 s timed out on a loaded machine
  const dir = mkdtempSync(join(tmpdir(), 'fedrec-prune-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('drops the weights the retention rule does not keep, and refuses missing flags', async () => {
    const db = join(dir, 'fedrec.db');
    const store = openStore(db);
    await store.createJob({ id: 'a', config: {} });
    await store.saveModelVersion(makeVersion(0, { jobId: 'a' }), makeWeights(0));
    for (let v = 1; v <= 4; v++) await store.completeRound(makeRound('a', v, { baseVersion: v - 1, releasedVersion: v }), makeWeights(v));
    await store.close();
    const pruned = await runCli(['models', 'prune', '--db', db, '--keep', '2', '--json']);
    expect(pruned.code, pruned.stderr).to.equal(0);
    expect(JSON.parse(pruned.stdout)).to.deep.equal({ pruned: [0, 1, 2] });
    const reopened = openStore(db);
    expect(await reopened.getModelVersion(2)).to.equal(undefined);
    expect(await reopened.getModelVersion(3)).to.not.equal(undefined);
    await reopened.close();
    const bad = await runCli(['models', 'prune', '--keep', '0']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/--db/).and.to.match(/--keep/);
  });
});
