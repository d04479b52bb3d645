/**
 * `fedrec report scorecard|uplift|fairness`: the measurement reports of a running server, for a
 * period. The scorecard prints as one page of markdown (the server renders it, so the CLI and
 * `GET /v1/reports/scorecard?format=md` cannot differ) or as JSON; uplift and fairness print a
 * short summary or, with --format json, the report itself.
 */
import { z } from 'zod';
import type { FairnessReport, Scorecard, UpliftReport } from '../../server/measurement/index.ts';
import { callJson } from '../api-client.ts';
import { clientApiKey } from '../api-key.ts';
import { textFlag, unknownFlags } from '../flag-schemas.ts';
import { parseFlags } from '../parse-flags.ts';
import { reportApiFailure } from './api-failure.ts';
import type { Command } from './command.ts';

const day = textFlag.pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD'));

const reportSchema = z.strictObject(
  {
    _: z.tuple([z.enum(['scorecard', 'uplift', 'fairness'], { error: 'expects scorecard, uplift or fairness' })], { error: 'expects scorecard, uplift or fairness' }),
    url: textFlag.pipe(z.url('a URL such as http://127.0.0.1:3000')).default('http://127.0.0.1:3000'),
    from: day.optional(),
    to: day.optional(),
    format: textFlag.pipe(z.enum(['md', 'json'], { error: 'md or json' })).default('md'),
  },
  unknownFlags,
);

const help = `usage: fedrec report scorecard|uplift|fairness [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format md|json] [--url URL]

scorecard: the ethics scorecard (consent rates and trend, complaint rate, suppression list, ε,
uplift with its interval, largest fairness gap, the serving model's approval, the audit chain).
uplift: personalised against holdout, with 95% intervals and the CUPED-adjusted estimate.
fairness: position-weighted exposure share by item group against catalogue and purchase share.
The period is whole UTC days, inclusive (default: the 28 days ending yesterday).
FEDREC_API_KEY holds a merchant, approver or admin key.
`;

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
const signed = (x: number, digits = 2) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;

export const reportCommand: Command = {
  summary: 'the ethics scorecard, uplift or fairness report of a running server',
  help,
  async run(argv) {
    const flags = parseFlags(reportSchema, argv);
    return reportApiFailure('report', async () => {
      const query = new URLSearchParams({ ...(flags.from ? { from: flags.from } : {}), ...(flags.to ? { to: flags.to } : {}) });
      const kind = flags._[0];
      const key = clientApiKey('merchant');
      if (kind === 'scorecard') {
        if (flags.format === 'md') query.set('format', 'md');
        const card = await callJson<Scorecard & { markdown?: string }>(flags.url, key, 'GET', `/v1/reports/scorecard?${query}`);
        console.log(flags.format === 'md' ? card.markdown : JSON.stringify(card, null, 2));
        return 0;
      }
      if (kind === 'uplift') {
        const report = await callJson<UpliftReport>(flags.url, key, 'GET', `/v1/reports/uplift?${query}`);
        if (flags.format === 'json') console.log(JSON.stringify(report, null, 2));
        else console.log(upliftSummary(report));
        return 0;
      }
      const report = await callJson<FairnessReport>(flags.url, key, 'GET', `/v1/reports/fairness?${query}`);
      if (flags.format === 'json') console.log(JSON.stringify(report, null, 2));
      else {
        const g = report.largestGap;
        console.log(`fairness of exposure ${report.period.fromDay} to ${report.period.toDay} (sealed, noised counters): ${Math.round(report.recommendations)} recommendations, ${Math.round(report.purchases)} purchases`);
        console.log(g ? `largest gap: ${g.dimension} "${g.group}" has ${percent(g.exposureShare)} of exposure against ${percent(g.comparedShare)} of ${g.against === 'merit' ? 'purchases' : 'the catalogue'}` : 'no exposure counted in the period');
      }
      return 0;
    });
  },
};

function upliftSummary(r: UpliftReport): string {
  const { treatment: t, holdout: h } = r.groups;
  const lines = [
    `uplift ${r.period.fromDay} to ${r.period.toDay} (treatment − holdout, 95% intervals; not noised, groups of at least ${r.minCohort})`,
    `shoppers: treatment ${t.shoppers}, holdout ${h.shoppers}`,
    `revenue per shopper: ${t.revenuePerShopper.toFixed(2)} vs ${h.revenuePerShopper.toFixed(2)} ${r.currency}`,
    `conversion: ${percent(t.conversionRate)} vs ${percent(h.conversionRate)}`,
  ];
  if (r.withheld) return [...lines, `differences withheld: ${r.reason}`].join('\n');
  const ci = (d: { difference: number; low: number | null; high: number | null }, digits = 2) => `${signed(d.difference, digits)} (${d.low === null ? 'n/a' : signed(d.low, digits)} to ${d.high === null ? 'n/a' : signed(d.high, digits)})`;
  return [
    ...lines,
    `difference, revenue per shopper: ${ci(r.difference.revenuePerShopper)} ${r.currency} (Welch)`,
    `difference, CUPED-adjusted: ${ci(r.cuped.revenuePerShopper)} ${r.currency}, variance −${percent(r.cuped.varianceReduction)}`,
    `difference, conversion: ${ci(r.difference.conversionRate, 4)} (Newcombe)`,
    `difference, click-through: ${ci(r.difference.clickThrough, 4)}`,
  ].join('\n');
}
