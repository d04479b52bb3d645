import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../cli/run-command.ts';
import { openStore } from '../../server/store/index.ts';
import { expectScoreIsBaselinePlusContributions } from './attribution-checks.ts';
import { activeWeights, startServing, strangerItem, type Serving } from './serving-harness.ts';

/** Runs `fedrec recommend …` in this process, as cli/main.ts does, with console output captured. */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...parts: unknown[]) => void out.push(parts.join(' '));
  console.error = (...parts: unknown[]) => void err.push(parts.join(' '));
  try {
    const code = await runCommand(['recommend', ...argv]);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    Object.assign(console, { log, error });
  }
}

describe('fedrec recommend', () => {
  let serving: Serving;
  before(async () => {
    serving = await startServing();
    // `--url` sends the key in FEDREC_API_KEY, as a shop's script would.
    process.env.FEDREC_API_KEY = serving.keys.app;
  });
  after(() => {
    delete process.env.FEDREC_API_KEY;
    return serving.close();
  });

  it('prints the ranked list with reasons', async () => {
    const { world } = serving;
    const history = world.shoppers[0].items.slice(-3).map((i) => world.catalog[i].id);
    const { code, out } = await run(['--store', world.stores[0].id, '--history', `${history.join(',')},nope`, '--k', '5', '--url', serving.url]);
    expect(code).to.equal(0);
    const lines = out.split('\n');
    expect(lines[0]).to.equal(`model version 1 · store ${world.stores[0].id} · personalised, 3 purchase(s) read`);
    expect(lines[1]).to.equal('ignored (unknown to the model): nope');
    expect(lines.filter((l) => /^[1-5]\. .+ \[.+\] {2}score -?\d+\.\d{3}$/.test(l))).to.have.length(5);
    expect(lines.filter((l) => /^ {3}(Because|A popular)/.test(l))).to.have.length(5);
  });

  it('--json prints the response; --no-personalization sends no history', async () => {
    const { code, out } = await run(['--store', 'store-01', '--history', serving.world.catalog[0].id, '--no-personalization', '--json', '--url', serving.url]);
    expect(code).to.equal(0);
    const body = JSON.parse(out);
    expect(body).to.include({ personalized: false, historyRead: 0 });
    expect(body.items).to.have.length(10);
    for (const item of body.items) expectScoreIsBaselinePlusContributions(item);
  });

  it('--db answers in-process exactly what the server answers for the same model version', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fedrec-recommend-'));
    try {
      const file = join(dir, 'fedrec.db');
      const store = openStore(file);
      await store.putCatalog([...serving.world.catalog, strangerItem]);
      await store.saveModelVersion({ version: 1, jobId: null, round: 1, metrics: {}, epsilon: null }, activeWeights(serving.world, 11));
      const approval = { by: 'key_0000000a', at: new Date().toISOString(), reason: 'test', gates: [] };
      await store.changeModelStates([{ version: 1, from: null, to: { state: 'serving', approval, kill: null, servingSince: approval.at } }], { actor: 'system', action: 'model.approved', target: '1', details: {} });
      await store.close();
      const { world } = serving;
      const args = ['--store', world.stores[1].id, '--history', `${world.shoppers[4].items.map((i) => world.catalog[i].id).join(',')},nope`, '--k', '7', '--json'];
      const local = await run([...args, '--db', file]);
      const remote = await run([...args, '--url', serving.url]);
      expect(local.code, local.err).to.equal(0);
      // A server's answer also carries what only a server issues: its recommendation id and the experiment group (issue 14).
      const { recommendationId, experiment, ...served } = JSON.parse(remote.out);
      expect(recommendationId).to.match(/^rec_/);
      expect(experiment).to.deep.equal({ group: null });
      expect(JSON.parse(local.out)).to.deep.equal(served);
      expect(JSON.parse(local.out).ignoredHistory).to.deep.equal(['nope']);
      const text = await run(['--store', world.stores[1].id, '--history', world.catalog[2].id, '--db', file]);
      expect(text.out.split('\n')[0]).to.equal(`model version 1 · store ${world.stores[1].id} · personalised, 1 purchase(s) read`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--db: a missing database or one without a model version exits 1 and says so; --db with --url exits 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fedrec-recommend-'));
    try {
      expect((await run(['--store', 's', '--db', join(dir, 'none.db')])).err).to.include(`no database at ${join(dir, 'none.db')}`);
      const empty = join(dir, 'empty.db');
      await openStore(empty).close();
      const untrained = await run(['--store', 's', '--db', empty]);
      expect(untrained.code).to.equal(1);
      expect(untrained.err).to.match(/has no approved model version serving/);
      const both = await run(['--store', 's', '--db', empty, '--url', serving.url]);
      expect(both.code).to.equal(2);
      expect(both.err).to.include('--db: give --url or --db, not both');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('bad flags exit 2 naming every problem; an unreachable server exits 1', async () => {
    const bad = await run(['--k', '0', '--colour', 'red']);
    expect(bad.code).to.equal(2);
    expect(bad.err).to.include('--store').and.include('--k').and.include('unknown option --colour');
    const down = await run(['--store', 's', '--url', 'http://127.0.0.1:1']);
    expect(down.code).to.equal(1);
    expect(down.err).to.match(/cannot reach http:\/\/127\.0\.0\.1:1 .*--db/);
  });
});
