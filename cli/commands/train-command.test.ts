import { expect } from 'chai';
import { runCli } from '../../test/helpers/run-cli.ts';

describe('fedrec train (child process)', () => {
  it('--centralized --json prints exactly one JSON object with the model, the baselines and the world', async () => {
    const { code, stdout, stderr } = await runCli(['train', '--centralized', '--json', '--shoppers', '300', '--items', '120', '--stores', '3', '--epochs', '1']);
    expect(code, stderr).to.equal(0);
    const report = JSON.parse(stdout);
    expect(stdout.trim().split('\n'), 'one line, nothing else on stdout').to.have.length(1);
    expect(report.mode).to.equal('centralized');
    const metrics = (m: unknown): void => {
      expect(m).to.have.all.keys('recall@10', 'ndcg@10');
      for (const value of Object.values(m as Record<string, number>)) expect(value).to.be.within(0, 1);
    };
    metrics(report.metrics);
    expect(report.baselines).to.have.all.keys('popularity', 'popularityPerStore', 'cooccurrence');
    Object.values(report.baselines).forEach(metrics);
    expect(report.backend).to.be.oneOf(['tensorflow', 'wasm', 'cpu']);
    expect(report.seconds).to.be.a('number').and.greaterThan(0);
    expect(report.world).to.include({ stores: 3, shoppers: 300, items: 120, heldOutShoppers: 300 });
    expect(report.options.epochs).to.equal(1);
    expect(stderr, 'progress goes to stderr').to.match(/epoch 1\/1 \[#{20}\]/);
  });

  it('without --centralized says federated mode is not there yet and exits 2', async () => {
    const { code, stdout, stderr } = await runCli(['train', '--shoppers', '20', '--items', '30']);
    expect(code).to.equal(2);
    expect(stdout).to.equal('');
    expect(stderr).to.match(/--centralized/);
  });

  it('reports every bad flag at once and exits 2', async () => {
    const { code, stderr } = await runCli(['train', '--centralized', '--epochs', '0', '--learning-rate', 'fast', '--batch-size', '--bogus', '1']);
    expect(code).to.equal(2);
    expect(stderr).to.include('--epochs: must be at least 1');
    expect(stderr).to.match(/--learning-rate: /);
    expect(stderr).to.include('--batch-size: needs a value');
    expect(stderr).to.include('unknown option --bogus');
  });
});
