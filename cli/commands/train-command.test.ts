import { expect } from 'chai';
import { runCli } from '../../test/helpers/run-cli.ts';

describe('fedrec train (child process)', () => {
  it('--centralized --json prints exactly one JSON object with the model, the baselines and the world', async function () {
    this.timeout(180_000);
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
    expect(report.baselines).to.have.all.keys('popularity', 'popularityPerStore', 'cooccurrence', 'personalRepeat', 'itemKnn', 'als');
    Object.values(report.baselines).forEach(metrics);
    // The same rankers on the validation part (the purchase before the last), where settings are chosen.
    expect(report.split).to.equal('last');
    metrics(report.validation.metrics);
    expect(report.validation.baselines).to.have.all.keys('popularity', 'popularityPerStore', 'cooccurrence', 'personalRepeat', 'itemKnn', 'als');
    Object.values(report.validation.baselines).forEach(metrics);
    expect(report.validation.shoppers).to.be.within(1, 300);
    expect(report.examplesPerSecond).to.be.greaterThan(0);
    expect(stderr, 'each baseline in the progress output').to.match(/implicit ALS +recall@10 validation [\d.]+, test [\d.]+/);
    expect(report.backend).to.be.oneOf(['tensorflow', 'wasm', 'cpu']);
    expect(report.seconds).to.be.a('number').and.greaterThan(0);
    expect(report.world).to.include({ stores: 3, shoppers: 300, items: 120, heldOutShoppers: 300 });
    expect(report.options.epochs).to.equal(1);
    expect(stderr, 'progress goes to stderr').to.match(/epoch 1\/1 \[#{20}\]/);
  });

  it('federated (the default) --json: the foundation summary plus rounds, ε, δ and the centralised baseline, scored alike', async function () {
    this.timeout(180_000); // two trainings and six baselines in a child process
    const { code, stdout, stderr } = await runCli(['train', '--json', '--shoppers', '300', '--items', '120', '--stores', '3', '--rounds', '3', '--epsilon', '4']);
    expect(code, stderr).to.equal(0);
    expect(stdout.trim().split('\n'), 'one line, nothing else on stdout').to.have.length(1);
    const report = JSON.parse(stdout);
    expect(report).to.include.all.keys('mode', 'metrics', 'baselines', 'backend', 'seconds', 'rounds', 'epsilon', 'delta');
    expect(report).to.include({ mode: 'federated', rounds: 3, delta: 1e-6, status: 'completed' });
    expect(report.epsilon).to.be.greaterThan(0).and.at.most(4);
    const metrics = (m: unknown): void => {
      expect(m).to.have.all.keys('recall@10', 'ndcg@10');
      for (const value of Object.values(m as Record<string, number>)) expect(value).to.be.within(0, 1);
    };
    metrics(report.metrics);
    expect(report.baselines).to.have.all.keys('popularity', 'popularityPerStore', 'cooccurrence', 'personalRepeat', 'itemKnn', 'als', 'centralized');
    expect(report.validation.baselines).to.include.all.keys('centralized', 'als');
    Object.values(report.baselines).forEach(metrics);
    expect(report.world).to.include({ stores: 3, shoppers: 300, items: 120, heldOutShoppers: 300 });
    expect(report.losses).to.have.length(3);
    expect(report.options).to.include({ rounds: 3, samplingRate: 0.1, clipNorm: 1 });
    expect(report.seconds).to.be.greaterThan(0);
    expect(stderr, 'a round progress bar on stderr').to.match(/round 3\/3 \[#{20}\] loss [\d.]+ {2}recall@10 [\d.]+ {2}ε [\d.]+ of 4/);
    expect(stderr, 'the centralised reference was trained').to.match(/epoch 4\/4 \[#{20}\]/);
  });

  it('refuses --repeat-prior, --description-prior, --history-length and --embedding-dim with --url or --centralized', async () => {
    const remote = await runCli(['train', '--url', 'http://127.0.0.1:1', '--repeat-prior', '2', '--description-prior', '2', '--history-length', '50', '--embedding-dim', '8'], { FEDREC_OPERATOR_TOKEN: 'x' });
    expect(remote.code).to.equal(2);
    for (const flag of ['repeat-prior', 'description-prior', 'history-length', 'embedding-dim']) expect(remote.stderr).to.include(`--${flag}: applies to the in-process federation (without --url)`);
    const central = await runCli(['train', '--centralized', '--repeat-prior', '2']);
    expect(central.code).to.equal(2);
    expect(central.stderr).to.include('--repeat-prior: applies to federated training');
  });

  it('reports every bad flag at once and exits 2', async () => {
    const { code, stderr } = await runCli(['train', '--centralized', '--epochs', '0', '--learning-rate', 'fast', '--batch-size', '--bogus', '1']);
    expect(code).to.equal(2);
    expect(stderr).to.include('--epochs: must be at least 1');
    expect(stderr).to.match(/--learning-rate: /);
    expect(stderr).to.include('--batch-size: needs a value');
    expect(stderr).to.include('unknown option --bogus');
  });

  it('--url without an API key in FEDREC_API_KEY: exit 2, saying where the key goes', async () => {
    const { code, stderr } = await runCli(['train', '--url', 'http://127.0.0.1:1', '--rounds', '1', '--skip-centralized'], { FEDREC_API_KEY: '' });
    expect(code).to.equal(2);
    expect(stderr).to.include('set FEDREC_API_KEY to an API key with the role engineer');
  });

  it('reports federated flag errors, through the job schema, all at once', async () => {
    const { code, stdout, stderr } = await runCli(['train', '--epochs', '2', '--rounds', '0', '--no-dp', '--epsilon', '3', '--wait', '5', '--server-optimizer', 'sgd', '--url', 'nowhere']);
    expect(code).to.equal(2);
    expect(stdout).to.equal('');
    expect(stderr).to.include('--epochs: applies with --centralized');
    expect(stderr).to.include('--rounds: Too small: expected number to be >0');
    expect(stderr).to.include('--epsilon: cannot be combined with --no-dp');
    expect(stderr).to.include('--server-optimizer: Invalid option');
    expect(stderr).to.include('--url: must be a URL');
    const centralised = await runCli(['train', '--centralized', '--rounds', '3', '--skip-centralized']);
    expect(centralised.code).to.equal(2);
    expect(centralised.stderr).to.include('--rounds: applies to federated training');
    expect(centralised.stderr).to.include('--skip-centralized: applies to federated training');
  });
});
