/**
 * Training (engineer): the jobs with their status, a form to start one, cancel, and for the
 * selected job live charts fed by the dashboard socket as rounds finish: loss, DP recall@10 and
 * NDCG@10 against the stores' popularity and repeat baselines' DP recall@10; ε spent against the job's budget and the deployment's lifetime budget; store clients
 * answered, abandoned, dropped and rejected (with the reasons) per round. Past rounds come from
 * `GET /v1/jobs/{id}`; the socket adds the rest.
 */
import { describeError } from '../api-client.ts';
import { h, formatNumber, replace, table } from '../element.ts';
import { seriesChart, type SeriesChart } from '../charts/series-chart.ts';
import { statusLine, type Panel, type PanelContext } from '../panel.ts';
import { subscribeToRounds, type DashboardRoundEvent, type RoundFeed } from '../socket-client.ts';

interface JobSummary {
  id: string;
  status: string;
  statusDetail: string;
  completedRounds: number;
  rounds: number;
  createdAt: string;
}

interface JobRound {
  round: number;
  clients: number;
  loss: number;
  'recall@10'?: number;
  'ndcg@10'?: number;
  baselines?: { popularity: { 'recall@10': number }; repeat: { 'recall@10': number } };
  epsilon: number;
}

interface Job {
  id: string;
  status: string;
  privacy: { budgetEpsilon: number | null; epsilonSpent: number | null; mode: string };
  rounds: JobRound[];
}

interface Ledger {
  budget: { epsilon: number } | null;
}

const live = new Set(['created', 'running', 'paused']);

export const trainingPanel: Panel = {
  id: 'training',
  title: 'Training',
  operations: ['listJobs'],
  render(container, context) {
    const status = statusLine('training-status');
    const jobsHolder = h('div', { id: 'jobs' });
    const selected = h('div', { id: 'selected-job' });
    container.append(...[startForm(context, status, (jobId) => void refresh().then(() => select(jobId)))].filter((f): f is HTMLElement => f !== null), status, jobsHolder, selected);
    let charts: JobCharts | undefined;
    let feed: RoundFeed | undefined;
    // Every event since the panel opened, per job: one that arrives while a job's stored rounds
    // are being read is replayed onto its charts once they exist (push replaces a round drawn twice).
    const received = new Map<string, DashboardRoundEvent[]>();
    const feedStatus = statusLine('feed-status');

    const refresh = async (): Promise<void> => {
      try {
        const { jobs } = await context.api.get<{ jobs: JobSummary[] }>('/v1/jobs');
        const shown = jobs.find((j) => j.id === selected.dataset.job);
        const heading = selected.querySelector('h3');
        if (shown && heading) heading.textContent = `Job ${shown.id} (${shown.status})`;
        // The table is redrawn on every round: keep the keyboard focus on the same button.
        const focused = document.activeElement instanceof HTMLElement && jobsHolder.contains(document.activeElement) ? `[data-action="${document.activeElement.dataset.action}"][data-job="${document.activeElement.dataset.job}"]` : undefined;
        replace(
          jobsHolder,
          table(
            'Training jobs',
            ['job', 'status', 'rounds', 'started', 'actions'],
            jobs.map((job) => [
              job.id,
              `${job.status}${job.statusDetail ? ` (${job.statusDetail})` : ''}`,
              `${job.completedRounds} / ${job.rounds}`,
              new Date(job.createdAt).toLocaleString(),
              [
                h('button', { type: 'button', class: 'secondary', 'data-action': 'select-job', 'data-job': job.id, onclick: () => void select(job.id) }, `Show charts of ${job.id}`),
                context.may('cancelJob') && live.has(job.status) ? h('button', { type: 'button', class: 'danger', 'data-action': 'cancel-job', 'data-job': job.id, onclick: () => void cancel(job.id) }, `Cancel ${job.id}`) : null,
              ],
            ]),
            { id: 'jobs-table' },
          ),
        );
        if (focused) jobsHolder.querySelector<HTMLElement>(focused)?.focus();
      } catch (error) {
        status.textContent = `Could not list the jobs: ${describeError(error)}`;
      }
    };

    const cancel = async (jobId: string): Promise<void> => {
      if (!window.confirm(`Cancel job ${jobId}? It stops at once and is never resumed.`)) return;
      try {
        await context.api.send('POST', `/v1/jobs/${encodeURIComponent(jobId)}/cancel`);
        status.textContent = `Job ${jobId} cancelled.`;
      } catch (error) {
        status.textContent = `Could not cancel ${jobId}: ${describeError(error)}`;
      }
      await refresh();
    };

    const select = async (jobId: string): Promise<void> => {
      charts?.destroy();
      charts = undefined;
      delete selected.dataset.job;
      try {
        const [job, ledger] = await Promise.all([context.api.get<Job>(`/v1/jobs/${encodeURIComponent(jobId)}`), context.may('getPrivacyLedger') ? context.api.get<Ledger>('/v1/privacy') : Promise.resolve(undefined)]);
        charts = jobCharts(job, ledger?.budget?.epsilon ?? null);
        for (const event of received.get(job.id) ?? []) charts.add(event);
        replace(selected, h('h3', {}, `Job ${job.id} (${job.status})`), feedStatus, charts.element);
        selected.dataset.job = job.id;
      } catch (error) {
        status.textContent = `Could not read job ${jobId}: ${describeError(error)}`;
      }
    };

    feed = subscribeToRounds(
      context.api.key,
      (event) => {
        received.set(event.jobId, [...(received.get(event.jobId) ?? []), event]);
        if (selected.dataset.job === event.jobId) charts?.add(event);
        void refresh();
      },
      (text) => (feedStatus.textContent = text),
    );
    void refresh();
    return () => {
      feed?.close();
      charts?.destroy();
    };
  },
};

function startForm(context: PanelContext, status: HTMLElement, started: (jobId: string) => void): HTMLElement | null {
  if (!context.may('postJob')) return null;
  const field = (id: string, label: string, value: string, attributes: Record<string, string> = {}) => {
    const input = h('input', { id, name: id, value, ...attributes });
    return { input, element: h('div', { class: 'field' }, h('label', { for: id }, label), input) };
  };
  const version = field('job-initial-version', 'Initial model version', '', { type: 'number', min: '0', required: 'true' });
  const rounds = field('job-rounds', 'Rounds', '10', { type: 'number', min: '1', max: '100000' });
  const minClients = field('job-min-clients', 'Minimum clients', '1', { type: 'number', min: '1' });
  const samplingRate = field('job-sampling-rate', 'Sampling rate q', '0.1', { type: 'number', step: 'any', min: '0', max: '1' });
  const epsilon = field('job-epsilon', 'Target ε (DP)', '8', { type: 'number', step: 'any', min: '0' });
  const evaluateEvery = field('job-evaluate-every', 'Evaluate every n rounds', '1', { type: 'number', min: '1' });
  const form = h('form', { id: 'start-job', 'aria-labelledby': 'start-job-title' }, h('h3', { id: 'start-job-title' }, 'Start a job'), h('div', { class: 'row' }, version.element, rounds.element, minClients.element, samplingRate.element, epsilon.element, evaluateEvery.element, h('button', { type: 'submit' }, 'Start job')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const config = {
      rounds: Number(rounds.input.value),
      samplingRate: Number(samplingRate.input.value),
      minClients: Number(minClients.input.value),
      evaluateEvery: Number(evaluateEvery.input.value),
      privacy: { mode: 'dp', targetEpsilon: Number(epsilon.input.value), delta: 1e-6 },
    };
    context.api.send<{ id: string }>('POST', '/v1/jobs', { config, initialVersion: Number(version.input.value) }).then(
      (job) => {
        status.textContent = `Started job ${job.id}.`;
        started(job.id);
      },
      (error: unknown) => (status.textContent = `Not started: ${describeError(error)}`),
    );
  });
  return form;
}

interface JobCharts {
  element: HTMLElement;
  add(event: DashboardRoundEvent): void;
  destroy(): void;
}

/** The four charts of one job, filled from its stored rounds. */
function jobCharts(job: Job, lifetimeBudget: number | null): JobCharts {
  // The baselines' NDCG@10 are released too (REST, socket) but left off: seven lines on one chart do not read.
  const quality = seriesChart(
    'chart-quality',
    'Loss and DP recall@10, NDCG@10 per round, against the baselines',
    [{ label: 'loss', rightAxis: true }, { label: 'recall@10 (DP)' }, { label: 'NDCG@10 (DP)' }, { label: 'popularity recall@10 (DP)', dashed: true }, { label: 'repeat recall@10 (DP)', dashed: true }],
    { yTitle: 'recall@10, NDCG@10', rightTitle: 'loss' },
  );
  const privacy = seriesChart('chart-epsilon', 'ε spent against the budgets', [{ label: 'ε spent' }, { label: 'job budget', constant: job.privacy.budgetEpsilon }, { label: 'lifetime budget', constant: lifetimeBudget }], { yTitle: 'ε' });
  const clients = seriesChart('chart-clients', 'Store clients per round', [{ label: 'answered' }, { label: 'abandoned' }, { label: 'dropped' }, { label: 'rejected' }], { kind: 'stacked-bar', yTitle: 'clients' });
  const reasons = h('div', { id: 'rejection-reasons' }, h('p', {}, 'Rejected updates by reason appear here as rounds finish (the stored rounds before this page opened do not keep them).'));
  const rejectionRows: [string, string][] = [];
  const ordered = [...job.rounds].sort((a, b) => a.round - b.round);
  quality.set(ordered.map((r) => r.round), ordered.map((r) => [r.loss, r['recall@10'] ?? null, r['ndcg@10'] ?? null, r.baselines?.popularity['recall@10'] ?? null, r.baselines?.repeat['recall@10'] ?? null]));
  privacy.set(ordered.map((r) => r.round), ordered.map((r) => [r.epsilon, null, null]));
  clients.set(ordered.map((r) => r.round), ordered.map((r) => [r.clients, null, null, null]));
  const note = h('p', {}, 'Baselines (dashed): each store scores its own per-store popularity and personal-repeat rankers on the same held-out cohort as the model; their sums are noised and accounted with the evaluation.');
  return {
    element: h('div', {}, h('div', { class: 'charts' }, quality.element, privacy.element, clients.element), reasons, note),
    add(event) {
      quality.push(event.round, [event.loss, event.recallAt10, event.ndcgAt10, event.baselines?.popularity.recallAt10 ?? null, event.baselines?.repeat.recallAt10 ?? null]);
      privacy.push(event.round, [event.epsilon, null, null]);
      const rejected = Object.values(event.rejections).reduce((a, b) => a + b, 0);
      clients.push(event.round, [event.clients.answered, event.clients.abandoned, event.clients.dropped, rejected]);
      const text = Object.entries(event.rejections).map(([reason, n]) => `${reason}: ${n}`).join(', ') || 'none';
      rejectionRows.push([String(event.round), text]);
      replace(reasons, table('Rejected updates by reason, per round', ['round', 'reasons'], rejectionRows.map((r) => [...r]), { id: 'rejections-table' }));
    },
    destroy() {
      quality.destroy();
      privacy.destroy();
      clients.destroy();
    },
  };
}

