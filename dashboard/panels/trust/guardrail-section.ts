/**
 * Guardrail status on the trust panel: the guardrails in force (`GET /v1/guardrails`) and, for a
 * role that may, "check now" (`POST /v1/guardrails/check`), which kills the serving version if
 * one is crossed; the result table says so.
 */
import { describeError } from '../../api-client.ts';
import { h, formatNumber, replace, table } from '../../element.ts';
import type { PanelContext } from '../../panel.ts';

interface Guardrails {
  guardrails: { name: string; metric: string; windowDays: number; baseline: string; maxExcess: number; minBase: number }[];
  checkEveryMinutes: number;
}

interface Check {
  at: string;
  results: { name: string; subject: { rate: number } | null; compared: { rate: number } | null; maxExcess: number; excess: number | null; crossed: boolean; reason?: string }[];
  killed: { version: number; guardrail: string; servingNow: number | null } | null;
}

export function guardrailSection(context: PanelContext): HTMLElement {
  const settings = h('div', { id: 'guardrail-settings' }, 'Reading the guardrails…');
  const result = h('div', { id: 'guardrail-result', role: 'status' });
  context.api.get<Guardrails>('/v1/guardrails').then(
    (g) => replace(settings, h('p', {}, `Checked every ${g.checkEveryMinutes} minutes.`), table('Guardrails in force', ['name', 'metric', 'window (days)', 'against', 'largest excess', 'minimum base'], g.guardrails.map((r) => [r.name, r.metric, String(r.windowDays), r.baseline, String(r.maxExcess), String(r.minBase)]))),
    (error: unknown) => replace(settings, `Could not read the guardrails: ${describeError(error)}`),
  );
  const check = async (): Promise<void> => {
    if (!window.confirm('Check every guardrail now? A crossed one kills the serving version at once.')) return;
    try {
      const c = await context.api.send<Check>('POST', '/v1/guardrails/check');
      replace(
        result,
        h('p', { id: 'guardrail-verdict' }, c.killed ? `Guardrail ${c.killed.guardrail} crossed: version ${c.killed.version} was killed; serving now ${c.killed.servingNow ?? 'the store ranking'}.` : `No guardrail crossed (checked ${c.at}).`),
        table('Last check', ['guardrail', 'serving rate', 'compared rate', 'excess', 'allowed', 'crossed'], c.results.map((r) => [r.name, formatNumber(r.subject?.rate), formatNumber(r.compared?.rate), formatNumber(r.excess), String(r.maxExcess), r.crossed ? 'yes' : r.reason ?? 'no'])),
      );
    } catch (error) {
      replace(result, `Could not check: ${describeError(error)}`);
    }
  };
  return h('section', { 'aria-labelledby': 'guardrails-title' }, h('h3', { id: 'guardrails-title' }, 'Guardrails'), settings, context.may('checkGuardrails') ? h('button', { type: 'button', id: 'check-guardrails', onclick: () => void check() }, 'Check guardrails now') : null, result);
}
