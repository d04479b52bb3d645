/**
 * The model lifecycle: a version released by training is a `candidate`; an approver's approval,
 * past the gates, makes it `serving` and the previous serving version `retired`, atomically; a
 * kill makes a version `killed` and serving falls back to the most recently serving retired
 * version, or to none (the store ranking). Transitions run one at a time, and each is committed
 * with its audit entry before serving switches, so the store and what is served cannot disagree
 * for longer than one synchronous swap.
 */
import { FedrecError, type ErrorIssue } from '../errors/index.ts';
import type { ApprovalRecord, FedrecStore, GateResult, KillRecord, ModelStateChange, ModelStateRecord, ModelVersionRecord } from '../store/index.ts';
import type { Principal } from './authorize.ts';
import { evaluateGates, readGovernanceSettings, type FairnessGapMeasure } from './promotion-gates.ts';

/** `initial`: a version no round released (an upload, a job's starting point); it can never serve. */
export type ModelLifecycleState = ModelStateRecord['state'] | 'initial';

export interface ModelView extends ModelVersionRecord {
  state: ModelLifecycleState;
  approval: ApprovalRecord | null;
  kill: KillRecord | null;
  servingSince: string | null;
}

/**
 * Prepares serving `version` (null: no model) and returns the synchronous swap that installs it.
 * Preparing may fail (say, weights the catalogue cannot serve); then nothing changes.
 */
export type PrepareServing = (version: number | null) => Promise<() => void>;

export class ModelLifecycle {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: { store: FedrecStore; prepareServing: PrepareServing; clock?: () => Date; measureFairnessGap?: FairnessGapMeasure }) {}

  /** Every stored version with its state, metrics, ε and approval record, in version order. */
  async list(): Promise<ModelView[]> {
    const states = new Map((await this.deps.store.listModelStates()).map((s) => [s.version, s]));
    return (await this.deps.store.listModelVersions()).map((record) => {
      const state = states.get(record.version);
      return { ...record, state: state?.state ?? (record.round >= 1 ? 'candidate' : 'initial'), approval: state?.approval ?? null, kill: state?.kill ?? null, servingSince: state?.servingSince ?? null };
    });
  }

  /**
   * Serves `version` from now on if every gate passes; the gates' values are kept with the approval.
   * @throws FedrecError conflict (wrong state, or a failing gate: each gate is an issue with its value and threshold), forbidden (separation of duties), not-found.
   */
  approve(version: number, principal: Principal, reason: string): Promise<{ version: number; state: 'serving'; retired: number | null; approval: ApprovalRecord }> {
    return this.serially(async () => {
      const { store } = this.deps;
      const models = await this.list();
      const model = models.find((m) => m.version === version);
      if (!model) throw new FedrecError('not-found', `no model version ${version}`);
      if (model.state !== 'candidate' && model.state !== 'retired') throw new FedrecError('conflict', `model version ${version} is ${model.state}: only a candidate or a retired version can be approved`);
      const settings = await readGovernanceSettings(store);
      if (settings.separationOfDuties && model.jobId !== null) await this.checkSeparation(model.jobId, version, principal);
      const gates = await evaluateGates(store, model, settings, this.deps.measureFairnessGap);
      const failing = gates.filter((g) => !g.passed);
      if (failing.length > 0) {
        await store.appendAudit({ actor: principal.keyId, action: 'model.approval-refused', target: String(version), details: { reason, gates } });
        throw new FedrecError('conflict', `model version ${version} fails ${failing.length} promotion gate(s): ${failing.map(gateText).join('; ')}`, failing.map(gateIssue));
      }
      const at = this.now();
      const approval: ApprovalRecord = { by: principal.keyId, at, reason, gates };
      const previous = models.find((m) => m.state === 'serving');
      const install = await this.deps.prepareServing(version);
      const changes: ModelStateChange[] = [{ version, from: stateRowOf(model), to: { state: 'serving', approval, kill: null, servingSince: at } }];
      if (previous) changes.push({ version: previous.version, from: 'serving', to: { state: 'retired', approval: previous.approval, kill: null, servingSince: previous.servingSince } });
      await store.changeModelStates(changes, { actor: principal.keyId, action: 'model.approved', target: String(version), details: { reason, gates, retired: previous?.version ?? null } });
      install();
      return { version, state: 'serving' as const, retired: previous?.version ?? null, approval };
    });
  }

  /**
   * Takes `version` out of serving for good. If it was serving, the retired version that served
   * most recently serves again, or none does.
   */
  kill(version: number, principal: Principal, reason: string): Promise<{ version: number; state: 'killed'; serving: number | null }> {
    return this.serially(async () => {
      const models = await this.list();
      const model = models.find((m) => m.version === version);
      if (!model) throw new FedrecError('not-found', `no model version ${version}`);
      if (model.state === 'killed' || model.state === 'initial') throw new FedrecError('conflict', `model version ${version} is ${model.state}: there is nothing to kill`);
      const kill: KillRecord = { by: principal.keyId, at: this.now(), reason };
      const changes: ModelStateChange[] = [{ version, from: stateRowOf(model), to: { state: 'killed', approval: model.approval, kill, servingSince: model.servingSince } }];
      let serving = models.find((m) => m.state === 'serving')?.version ?? null;
      if (model.state === 'serving') {
        const fallback = models.filter((m) => m.state === 'retired').sort((a, b) => (b.servingSince ?? '').localeCompare(a.servingSince ?? ''))[0];
        serving = fallback?.version ?? null;
        if (fallback) changes.push({ version: fallback.version, from: 'retired', to: { state: 'serving', approval: fallback.approval, kill: null, servingSince: kill.at } });
      }
      const install = model.state === 'serving' ? await this.deps.prepareServing(serving) : () => {};
      await this.deps.store.changeModelStates(changes, { actor: principal.keyId, action: 'model.killed', target: String(version), details: { reason, servingNow: serving } });
      install();
      return { version, state: 'killed' as const, serving };
    });
  }

  /**
   * A key has one role, so the key that started a job (an engineer's) can never be an approver's:
   * the check that bites is on the holder. Keys are named after who holds them, and an approver
   * key under the same name as the key that started the job is the same person approving their
   * own work.
   */
  private async checkSeparation(jobId: string, version: number, principal: Principal): Promise<void> {
    const [started] = await this.deps.store.listAudit({ action: 'job.started', target: jobId, limit: 1 });
    if (!started) return;
    const starter = await this.deps.store.getApiKey(started.actor);
    const sameHolder = starter !== undefined && normalName(starter.name) === normalName(principal.name);
    if (started.actor === principal.keyId || sameHolder) {
      throw new FedrecError('forbidden', `separation of duties: job ${jobId}, which trained version ${version}, was started by key ${started.actor}${sameHolder ? ` held by "${starter.name}"` : ''}, so this key may not approve it`);
    }
  }

  private serially<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private now(): string {
    return (this.deps.clock?.() ?? new Date()).toISOString();
  }
}

const normalName = (name: string): string => name.trim().toLowerCase();

/** A candidate has no state row (none is ever written as `candidate`): its first transition creates one. */
const stateRowOf = (model: ModelView): ModelStateChange['from'] => (model.state === 'candidate' || model.state === 'initial' ? null : model.state);

const gateText = (g: GateResult): string => `${g.gate} ${g.value ?? 'not measured'} against ${g.gate === 'recall@10' ? 'the floor' : 'the ceiling'} ${g.threshold}`;

const gateIssue = (g: GateResult): ErrorIssue => ({ path: ['gates', g.gate], message: `${gateText(g)} (${g.source})`, code: 'gate-failed', params: { gate: g.gate, value: g.value, threshold: g.threshold } });
