/**
 * The fairness-gap promotion gate over HTTP on a SQLite file: a candidate without a `fairnessGap`
 * metric is measured by the fairness probe at approval, so a ceiling above its gap passes (the
 * value and its source kept with the approval) and one below it refuses the approval (409 naming
 * the gate), where before this every version failed the gate as "not measured".
 */
import { expect } from 'chai';
import { startGoverned, type Governed } from '../governance/governance-harness.ts';

describe('fairness-gap promotion gate', () => {
  let g: Governed;
  before(async () => {
    g = await startGoverned();
  });
  after(() => g.close());

  const gates = (body: Record<string, unknown>) => g.call('PUT', '/v1/governance/settings', g.keys.admin, { recallAt10Floor: null, epsilonCeiling: null, separationOfDuties: false, ...body });

  it('measures a candidate’s gap with the probe, refusing it above the ceiling and approving it below', async () => {
    expect((await gates({ fairnessGapCeiling: 0 })).status).to.equal(200);
    const refused = await g.call('POST', '/v1/models/2/approve', g.keys.approver, { reason: 'fit' });
    expect(refused.status).to.equal(409);
    const issue = refused.body.error.issues[0];
    expect(issue.params).to.include({ gate: 'fairness-gap', threshold: 0 });
    const gap = issue.params.value as number;
    expect(gap).to.be.greaterThan(0).and.at.most(1);
    expect(issue.message).to.match(/fairness probe: top 10 for an empty history at each of 4 stores against the catalogue share/);

    expect((await gates({ fairnessGapCeiling: gap })).status).to.equal(200);
    const approved = await g.call('POST', '/v1/models/2/approve', g.keys.approver, { reason: 'fit' });
    expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
    const [gate] = approved.body.approval.gates;
    expect(gate).to.include({ gate: 'fairness-gap', value: gap, threshold: gap, passed: true });
    expect(gate.source).to.match(/^fairness probe/);
  });
});
