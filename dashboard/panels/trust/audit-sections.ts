/**
 * The trust panel's oversight sections: the audit log with its chain status and "verify now"
 * (`GET /v1/audit`, `GET /v1/audit/verify`), the privacy ledger (`GET /v1/privacy`) and complaint
 * rates (`GET /v1/merchant/complaints`).
 */
import { describeError } from '../../api-client.ts';
import { h, formatNumber, replace, table } from '../../element.ts';
import { statusLine, type PanelContext } from '../../panel.ts';

interface AuditEntry {
  seq: number;
  time: string;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
}

interface Verification {
  ok: boolean;
  entries: number;
  head: string;
  firstBadEntry: number | null;
}

interface Ledger {
  budget: { epsilon: number; delta: number } | null;
  spent: { epsilon: number | null; delta: number };
  remaining: number | null;
  jobs: { jobId: string; epsilon: number | null; releases: number }[];
}

interface RateRow {
  withheld: boolean;
  reason?: string;
  recommended?: number;
  complaints?: number;
  perThousand?: number;
}

export function auditSection(context: PanelContext): HTMLElement {
  const chain = h('p', { id: 'chain-status', role: 'status' }, 'Chain not verified yet.');
  const entries = h('div', { id: 'audit-entries' });
  const status = statusLine('audit-status');
  const verify = async (): Promise<void> => {
    chain.textContent = 'Verifying the chain…';
    try {
      const result = await context.api.get<Verification>('/v1/audit/verify');
      chain.className = result.ok ? 'ok' : 'error';
      chain.dataset.ok = String(result.ok);
      chain.textContent = result.ok ? `Chain intact: ${result.entries} entries, head ${result.head.slice(0, 16)}… (verified ${new Date().toLocaleTimeString()}).` : `Chain BROKEN at entry ${result.firstBadEntry}: an entry was altered.`;
    } catch (error) {
      chain.textContent = `Could not verify: ${describeError(error)}`;
    }
  };
  const load = async (): Promise<void> => {
    try {
      // Newest entries: page to the end (the log is in seq order), keeping the last 50.
      let after: number | undefined;
      let last: AuditEntry[] = [];
      for (let page = 0; page < 20; page++) {
        const { entries: got, next } = await context.api.get<{ entries: AuditEntry[]; next: number | null }>('/v1/audit', { limit: '1000', after: after === undefined ? undefined : String(after) });
        last = [...last, ...got].slice(-50);
        if (next === null) break;
        after = next;
      }
      replace(entries, table('Audit log (newest 50)', ['seq', 'time', 'actor', 'action', 'target', 'details'], [...last].reverse().map((e) => [String(e.seq), e.time, e.actor, h('span', { 'data-action': e.action }, e.action), e.target, JSON.stringify(e.details)]), { id: 'audit-table' }));
    } catch (error) {
      status.textContent = `Could not read the audit log: ${describeError(error)}`;
    }
  };
  void verify();
  void load();
  return h('section', { 'aria-labelledby': 'audit-title' }, h('h3', { id: 'audit-title' }, 'Audit log'), chain, h('div', { class: 'row' }, h('button', { type: 'button', id: 'verify-now', onclick: () => void verify() }, 'Verify now'), h('button', { type: 'button', class: 'secondary', onclick: () => void load() }, 'Reload entries')), status, entries);
}

export function ledgerSection(context: PanelContext): HTMLElement {
  const holder = h('div', { id: 'privacy-ledger' }, 'Reading the ledger…');
  context.api.get<Ledger>('/v1/privacy').then(
    (ledger) =>
      replace(
        holder,
        h('p', {}, `Lifetime ε spent ${formatNumber(ledger.spent.epsilon, 3)} at δ ${ledger.spent.delta}${ledger.budget ? ` of a budget of ${ledger.budget.epsilon} (${formatNumber(ledger.remaining, 3)} remaining)` : ', no lifetime budget set'}.`),
        table('Privacy spend per job', ['job', 'ε', 'releases'], ledger.jobs.map((j) => [j.jobId, formatNumber(j.epsilon, 3), String(j.releases)])),
      ),
    (error: unknown) => replace(holder, `Could not read the ledger: ${describeError(error)}`),
  );
  return h('section', { 'aria-labelledby': 'ledger-title' }, h('h3', { id: 'ledger-title' }, 'Privacy ledger'), holder);
}

export function complaintsSection(context: PanelContext): HTMLElement {
  const holder = h('div', { id: 'complaints' }, 'Reading complaint rates…');
  const rate = (r: RateRow): string => (r.withheld ? `withheld (${r.reason ?? 'small cohort'})` : `${formatNumber(r.perThousand ?? 0, 3)} per 1,000 (${r.complaints ?? 0} of ${r.recommended ?? 0})`);
  context.api.get<{ modelVersions: (RateRow & { modelVersion: number })[]; categories: (RateRow & { category: string })[] }>('/v1/merchant/complaints').then(
    (report) => replace(holder, table('Complaints per model version', ['version', 'rate'], report.modelVersions.map((v) => [`v${v.modelVersion}`, rate(v)])), table('Complaints per category', ['category', 'rate'], report.categories.map((c) => [c.category, rate(c)]))),
    (error: unknown) => replace(holder, `Could not read complaint rates: ${describeError(error)}`),
  );
  return h('section', { 'aria-labelledby': 'complaints-title' }, h('h3', { id: 'complaints-title' }, 'Complaint rates'), holder);
}
