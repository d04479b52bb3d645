/**
 * Trust (admin, approver, merchant; engineers see the privacy ledger): the scorecard with its
 * consent trend, the fairness report, uplift with its intervals, guardrail status, the audit log
 * with its chain status and "verify now", the privacy ledger and complaint rates. Each section
 * appears only for a role that may read its route.
 */
import type { Panel } from '../panel.ts';
import { auditSection, complaintsSection, ledgerSection } from './trust/audit-sections.ts';
import { guardrailSection } from './trust/guardrail-section.ts';
import { fairnessSection, scorecardSection, upliftSection } from './trust/report-sections.ts';

export const trustPanel: Panel = {
  id: 'trust',
  title: 'Trust',
  operations: ['getScorecard', 'getFairnessReport', 'getUpliftReport', 'getGuardrails', 'listAudit', 'getComplaints', 'getPrivacyLedger'],
  render(container, context) {
    const destroy: (() => void)[] = [];
    if (context.may('getScorecard')) container.append(scorecardSection(context, destroy));
    if (context.may('getFairnessReport')) container.append(fairnessSection(context, destroy));
    if (context.may('getUpliftReport')) container.append(upliftSection(context));
    if (context.may('getGuardrails')) container.append(guardrailSection(context));
    if (context.may('listAudit')) container.append(auditSection(context));
    if (context.may('getPrivacyLedger')) container.append(ledgerSection(context));
    if (context.may('getComplaints')) container.append(complaintsSection(context));
    return () => destroy.forEach((d) => d());
  },
};
