/**
 * `fedrec report` in this process against a real server on a SQLite file: the scorecard's markdown
 * is the server's, JSON on request, the uplift summary reads the route's figures, and bad flags
 * are every issue at once with exit 2.
 */
import { expect } from 'chai';
import { startMeasured, type Measured } from '../../test/measurement/measurement-harness.ts';
import { runCommand } from '../run-command.ts';

async function run(argv: string[], key: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const [log, error, saved] = [console.log, console.error, process.env.FEDREC_API_KEY];
  let [stdout, stderr] = ['', ''];
  console.log = (...parts: unknown[]) => void (stdout += `${parts.join(' ')}\n`);
  console.error = (...parts: unknown[]) => void (stderr += `${parts.join(' ')}\n`);
  process.env.FEDREC_API_KEY = key;
  try {
    return { code: await runCommand(argv), stdout, stderr };
  } finally {
    [console.log, console.error] = [log, error];
    if (saved === undefined) delete process.env.FEDREC_API_KEY;
    else process.env.FEDREC_API_KEY = saved;
  }
}

describe('fedrec report (in process, real HTTP)', () => {
  let m: Measured;
  before(async () => {
    m = await startMeasured();
  });
  after(() => m.close());

  it('prints the scorecard as the server renders it, or JSON, and the uplift summary', async () => {
    const key = m.serving.keys.merchant;
    const md = await run(['report', 'scorecard', '--url', m.serving.url, '--from', '2026-12-10', '--to', '2026-12-10'], key);
    expect(md.code, md.stderr).to.equal(0);
    const server = (await m.serving.call('GET', '/v1/reports/scorecard?from=2026-12-10&to=2026-12-10&format=md')).body.markdown;
    expect(md.stdout.replace(/Generated [^.]+\./, '')).to.equal(`${server}\n`.replace(/Generated [^.]+\./, ''));
    expect(md.stdout).to.match(/^# fedrec ethics scorecard, 2026-12-10 to 2026-12-10/);
    const json = await run(['report', 'scorecard', '--url', m.serving.url, '--format', 'json', '--from', '2026-12-10', '--to', '2026-12-10'], key);
    expect(JSON.parse(json.stdout)).to.include.keys('consent', 'complaints', 'uplift', 'auditChain');
    const uplift = await run(['report', 'uplift', '--url', m.serving.url, '--from', '2026-12-10', '--to', '2026-12-10'], key);
    expect(uplift.stdout).to.include('shoppers: treatment 0, holdout 0').and.include('differences withheld');
    expect((await run(['report', 'fairness', '--url', m.serving.url], key)).stdout).to.include('no exposure counted in the period');
  });

  it('refuses bad flags with every issue, exit 2, and a key without the role with exit 1', async () => {
    const bad = await run(['report', 'scores', '--from', 'yesterday', '--format', 'pdf'], 'k');
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('expects scorecard, uplift or fairness').and.include('a day as YYYY-MM-DD').and.include('md or json');
    const forbidden = await run(['report', 'scorecard', '--url', m.serving.url], m.serving.keys.app);
    expect(forbidden.code).to.equal(1);
    expect(forbidden.stderr).to.include('403');
  });
});
