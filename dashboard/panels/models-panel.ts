/**
 * Models (approver; engineers read): every version with its state, metrics, ε, approval and kill
 * records. An approver approves with a required reason, seeing the gates (thresholds from
 * `GET /v1/governance/settings`, the version's values) before signing, and kills after a
 * confirmation. The buttons appear only for a role that may call the routes; the routes refuse
 * anyone else anyway.
 */
import { describeError, ApiError } from '../api-client.ts';
import { h, formatNumber, replace, table } from '../element.ts';
import { statusLine, type Panel, type PanelContext } from '../panel.ts';

interface Gate {
  gate: string;
  value: number | null;
  threshold: number;
  passed: boolean;
}

interface ModelVersion {
  version: number;
  jobId: string | null;
  round: number;
  state: string;
  metrics: Record<string, number>;
  epsilon: number | null;
  approval: { by: string; at: string; reason: string; gates: Gate[] } | null;
  kill: { by: string; at: string; reason: string } | null;
}

interface Settings {
  recallAt10Floor: number | null;
  epsilonCeiling: number | null;
  fairnessGapCeiling: number | null;
  separationOfDuties: boolean;
}

const approvable = new Set(['candidate', 'retired']);
const killable = new Set(['candidate', 'retired', 'serving']);

export const modelsPanel: Panel = {
  id: 'models',
  title: 'Models',
  operations: ['listModels'],
  render(container, context) {
    const status = statusLine('models-status');
    const list = h('div', { id: 'models' });
    const dialogHolder = h('div');
    container.append(status, list, dialogHolder);
    const refresh = async (): Promise<void> => {
      try {
        const [{ models }, settings] = await Promise.all([context.api.get<{ models: ModelVersion[] }>('/v1/models'), context.may('getGovernanceSettings') ? context.api.get<Settings>('/v1/governance/settings') : Promise.resolve(undefined)]);
        const actions = (m: ModelVersion) => [
          context.may('approveModel') && approvable.has(m.state) ? h('button', { type: 'button', 'data-action': 'approve', 'data-version': m.version, onclick: () => openApprove(m, settings) }, `Approve v${m.version}`) : null,
          context.may('killModel') && killable.has(m.state) ? h('button', { type: 'button', class: 'danger', 'data-action': 'kill', 'data-version': m.version, onclick: () => openKill(m) }, `Kill v${m.version}`) : null,
        ];
        replace(
          list,
          table(
            'Model versions',
            ['version', 'state', 'job / round', 'metrics', 'ε', 'approval', 'kill', ...(context.may('approveModel') ? ['actions'] : [])],
            [...models].reverse().map((m) => [
              `v${m.version}`,
              h('span', { 'data-state': m.state, 'data-version': m.version }, m.state),
              m.jobId ? `${m.jobId} / ${m.round}` : 'uploaded',
              Object.entries(m.metrics).map(([k, v]) => `${k} ${formatNumber(v)}`).join(', ') || '—',
              formatNumber(m.epsilon, 3),
              m.approval ? `${m.approval.by} at ${m.approval.at}: “${m.approval.reason}”; gates: ${m.approval.gates.map((g) => `${g.gate} ${formatNumber(g.value)} vs ${g.threshold} ${g.passed ? 'passed' : 'failed'}`).join('; ') || 'none set'}` : '—',
              m.kill ? `${m.kill.by} at ${m.kill.at}: “${m.kill.reason}”` : '—',
              ...(context.may('approveModel') ? [actions(m)] : []),
            ]),
            { id: 'models-table' },
          ),
        );
      } catch (error) {
        status.textContent = `Could not list the versions: ${describeError(error)}`;
      }
    };

    /**
     * The approve and kill dialogs: both ask for a reason (kept in the audit log), refuse an empty
     * one, call the route, and close with `done` in the panel's status line.
     */
    const openReasonDialog = (action: 'approve' | 'kill', m: ModelVersion, title: string, body: Node[], confirm: HTMLElement, cancelLabel: string, done: string): void => {
      const reason = h('textarea', { id: `${action}-reason`, name: 'reason', required: true, rows: 3, cols: 40 });
      const message = h('p', { class: 'status', role: 'status', id: `${action}-message` });
      const dialog = h(
        'dialog',
        { id: `${action}-dialog`, 'aria-labelledby': `${action}-title` },
        h('form', { method: 'dialog' }, h('h3', { id: `${action}-title` }, title), ...body, h('label', { for: `${action}-reason` }, 'Reason (required, kept in the audit log)'), reason, message, h('div', { class: 'row' }, confirm, h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, cancelLabel))),
      );
      dialog.querySelector('form')!.addEventListener('submit', (event) => {
        event.preventDefault();
        if (!reason.value.trim()) {
          message.textContent = 'Give a reason.';
          reason.focus();
          return;
        }
        act(context, action, m.version, reason.value, message).then((ok) => {
          if (!ok) return;
          dialog.close();
          status.textContent = done;
          void refresh();
        });
      });
      replace(dialogHolder, dialog);
      dialog.showModal();
      reason.focus();
    };

    const openApprove = (m: ModelVersion, settings: Settings | undefined): void =>
      openReasonDialog(
        'approve',
        m,
        `Approve version ${m.version} for serving`,
        [table('Promotion gates (the server checks them again)', ['gate', 'this version', 'threshold'], gateRows(m, settings))],
        h('button', { type: 'submit', value: 'approve', 'data-action': 'confirm-approve' }, 'Approve'),
        'Cancel',
        `Version ${m.version} approved: it serves now.`,
      );

    const openKill = (m: ModelVersion): void =>
      openReasonDialog(
        'kill',
        m,
        `Kill version ${m.version}?`,
        [h('p', {}, m.state === 'serving' ? 'It serves now: the most recently serving retired version takes over, or, with none, the non-personalised store ranking. A killed version never serves again.' : 'A killed version never serves again.')],
        h('button', { type: 'submit', class: 'danger', 'data-action': 'confirm-kill' }, `Yes, kill version ${m.version}`),
        'Keep it',
        `Version ${m.version} killed.`,
      );
    void refresh();
  },
};

/** The gates an admin set, with this version's value where the list shows it. */
function gateRows(m: ModelVersion, settings: Settings | undefined): string[][] {
  if (!settings) return [['(this role cannot read the gate settings)', '', '']];
  const rows: string[][] = [];
  if (settings.recallAt10Floor !== null) rows.push(['recall@10 floor', formatNumber(m.metrics['recall@10']), `≥ ${settings.recallAt10Floor}`]);
  if (settings.epsilonCeiling !== null) rows.push(['ε ceiling', formatNumber(m.epsilon, 3), `≤ ${settings.epsilonCeiling}`]);
  if (settings.fairnessGapCeiling !== null) rows.push(['fairness gap ceiling', formatNumber(m.metrics.fairnessGap), `≤ ${settings.fairnessGapCeiling}`]);
  if (rows.length === 0) rows.push(['no gate is set', '', '']);
  if (settings.separationOfDuties) rows.push(['separation of duties', 'on', 'the job’s starter may not approve']);
  return rows;
}

async function act(context: PanelContext, what: 'approve' | 'kill', version: number, reason: string, message: HTMLElement): Promise<boolean> {
  try {
    await context.api.send('POST', `/v1/models/${version}/${what}`, { reason });
    return true;
  } catch (error) {
    // A failing gate answers 409 with one issue per gate: value and threshold.
    const gates = error instanceof ApiError ? error.issues.filter((i) => i.params?.gate !== undefined).map((i) => `${String(i.params!.gate)}: ${String(i.params!.value)} against ${String(i.params!.threshold)}`) : [];
    message.textContent = `Refused: ${describeError(error)}${gates.length ? ` (failing gates: ${gates.join('; ')})` : ''}`;
    return false;
  }
}
