/**
 * Guardrails that pause personalisation by themselves. An admin sets each threshold (audited, a
 * governance setting): a rate (opt-out or complaint) over a window, allowed to exceed its baseline
 * (the holdout's rate, or the previous model's) by at most `maxExcess`. A check, on a schedule
 * and on demand, computes every guardrail's figures (`guardrail-figures.ts`); when one is crossed
 * with enough data on both sides, the serving model is killed through the lifecycle (serving
 * falls back to the previous version, or to the store ranking), after an audit entry
 * `guardrail.fired` that names the guardrail and its figures; the kill's own entry carries the
 * same sentence as its reason.
 */
import { z } from 'zod';
import type { ModelLifecycle, Principal } from '../governance/index.ts';
import type { FedrecStore } from '../store/index.ts';
import { guardrailFigures, type Rate } from './guardrail-figures.ts';

export const guardrailSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  metric: z.enum(['opt-out-rate', 'complaint-rate']).describe('opt-out-rate: a share of shoppers with an impression; complaint-rate: per 1,000 impressions.'),
  windowDays: z.int().min(1).max(90).default(7),
  baseline: z.enum(['holdout', 'previous-model']).describe('holdout: the serving model’s treatment group against the holdout; previous-model: the serving version against the version that served before it.'),
  maxExcess: z.number().nonnegative().describe('How far the rate may exceed the baseline’s, in the metric’s unit.'),
  minBase: z.int().positive().default(100).describe('Fewest impressions (complaint-rate) or shoppers (opt-out-rate) on each side before the guardrail can fire.'),
});

export const guardrailSettingsSchema = z.strictObject({
  guardrails: z.array(guardrailSchema).max(20).default([]),
  checkEveryMinutes: z.int().min(1).max(1440).default(15).describe('How often the server checks on its own.'),
});

export type Guardrail = z.output<typeof guardrailSchema>;
export type GuardrailSettings = z.output<typeof guardrailSettingsSchema>;

export const guardrailSettingsName = 'guardrails';

/** The principal a guardrail kill is recorded under. */
export const guardrailPrincipal: Principal = { keyId: 'system', name: 'guardrails', role: 'approver' };

export async function readGuardrailSettings(store: Pick<FedrecStore, 'getSetting'>): Promise<GuardrailSettings> {
  return guardrailSettingsSchema.parse((await store.getSetting(guardrailSettingsName)) ?? {});
}

export async function writeGuardrailSettings(store: FedrecStore, settings: GuardrailSettings, actor: string): Promise<GuardrailSettings> {
  const valid = guardrailSettingsSchema.parse(settings);
  await store.putSetting(guardrailSettingsName, valid, { actor, action: 'guardrails.changed', target: guardrailSettingsName, details: valid });
  return valid;
}

export interface GuardrailResult {
  name: string;
  metric: Guardrail['metric'];
  baseline: Guardrail['baseline'];
  window: { from: string; to: string };
  servingVersion: number | null;
  baselineVersion: number | null;
  subject: Rate | null;
  compared: Rate | null;
  maxExcess: number;
  excess: number | null;
  crossed: boolean;
  /** Why it could not be judged (no serving model, too little data). */
  reason?: string;
}

export interface GuardrailCheck {
  at: string;
  results: GuardrailResult[];
  /** The version killed by this check, if one was. */
  killed: { version: number; guardrail: string; servingNow: number | null } | null;
}

/**
 * @example const { killed } = await checkGuardrails({ store, lifecycle, clock: () => new Date() });
 */
export async function checkGuardrails(deps: { store: FedrecStore; lifecycle: ModelLifecycle; clock: () => Date }): Promise<GuardrailCheck> {
  const { store, lifecycle } = deps;
  const now = deps.clock();
  const settings = await readGuardrailSettings(store);
  const models = await lifecycle.list();
  const serving = models.find((m) => m.state === 'serving') ?? null;
  const previous = serving ? models.filter((m) => m.version !== serving.version && m.servingSince !== null && m.servingSince < serving.servingSince!).sort((a, b) => b.servingSince!.localeCompare(a.servingSince!))[0] : undefined;
  const results: GuardrailResult[] = [];
  for (const g of settings.guardrails) {
    const window = { from: new Date(now.getTime() - g.windowDays * 86_400_000).toISOString(), to: now.toISOString() };
    const base = { name: g.name, metric: g.metric, baseline: g.baseline, window, servingVersion: serving?.version ?? null, baselineVersion: g.baseline === 'previous-model' ? (previous?.version ?? null) : null, maxExcess: g.maxExcess };
    if (!serving) {
      results.push({ ...base, subject: null, compared: null, excess: null, crossed: false, reason: 'no model version serves' });
      continue;
    }
    const figures = await guardrailFigures(store, window);
    const pick = (f: { complaints: Rate; optOuts: Rate } | undefined): Rate => (f ? (g.metric === 'complaint-rate' ? f.complaints : f.optOuts) : { count: 0, base: 0, rate: 0 });
    const subject = g.baseline === 'holdout' ? pick(figures.treatmentByVersion.get(serving.version)) : pick(figures.byVersion.get(serving.version));
    const compared = g.baseline === 'holdout' ? pick(figures.byGroup.holdout) : previous ? pick(figures.byVersion.get(previous.version)) : null;
    if (!compared) {
      results.push({ ...base, subject, compared, excess: null, crossed: false, reason: 'no previous model version served' });
      continue;
    }
    const excess = subject.rate - compared.rate;
    const enough = subject.base >= g.minBase && compared.base >= g.minBase;
    results.push({ ...base, subject, compared, excess, crossed: enough && excess > g.maxExcess, ...(enough ? {} : { reason: `fewer than ${g.minBase} ${g.metric === 'complaint-rate' ? 'impressions' : 'shoppers'} on a side` }) });
  }
  const fired = results.find((r) => r.crossed);
  if (!fired || !serving) return { at: now.toISOString(), results, killed: null };
  const sentence = describe(fired);
  await store.appendAudit({ actor: guardrailPrincipal.keyId, action: 'guardrail.fired', target: String(serving.version), details: { guardrail: fired.name, sentence, figures: JSON.parse(JSON.stringify(fired)) } });
  const kill = await lifecycle.kill(serving.version, guardrailPrincipal, sentence);
  return { at: now.toISOString(), results, killed: { version: serving.version, guardrail: fired.name, servingNow: kill.serving } };
}

function describe(r: GuardrailResult): string {
  const unit = r.metric === 'complaint-rate' ? ' per 1,000 impressions' : ' of shoppers';
  const show = (x: Rate) => (r.metric === 'complaint-rate' ? `${x.rate.toFixed(2)}${unit} (${x.count} of ${x.base})` : `${(100 * x.rate).toFixed(2)}%${unit} (${x.count} of ${x.base})`);
  const against = r.baseline === 'holdout' ? 'the holdout' : `model version ${r.baselineVersion}`;
  return `guardrail "${r.name}": ${r.metric} of model version ${r.servingVersion} ${show(r.subject!)} against ${against} ${show(r.compared!)} exceeds it by ${r.metric === 'complaint-rate' ? r.excess!.toFixed(2) : (100 * r.excess!).toFixed(2) + ' points'}, more than the allowed ${r.maxExcess}`;
}

/**
 * Runs `check` every `checkEveryMinutes` (re-read each time) until stopped; a failure is reported, never thrown.
 * @example const stop = scheduleGuardrails(() => checkGuardrails(deps), store, (e) => logger.error(e)); … stop();
 */
export function scheduleGuardrails(check: () => Promise<unknown>, store: Pick<FedrecStore, 'getSetting'>, onError: (error: unknown) => void, fixedMs?: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const next = async () => {
    if (stopped) return;
    const ms = fixedMs ?? (await readGuardrailSettings(store).then((s) => s.checkEveryMinutes * 60_000, () => 15 * 60_000));
    if (stopped) return;
    timer = setTimeout(() => void check().catch(onError).finally(next), ms).unref();
  };
  void next();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
