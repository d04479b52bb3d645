/** A report's period: whole UTC days, inclusive, as ISO times; and the period of equal length just before it. */
export interface ReportPeriod {
  fromDay: string;
  toDay: string;
  /** Inclusive ISO bounds. */
  from: string;
  to: string;
}

import { FedrecError } from '../errors/index.ts';

const msPerDay = 86_400_000;

/**
 * The longest period a report covers. Reports read day by day (sealed counters, weekly trends), so
 * an unbounded span (`from=0001-01-01`) would be a request that costs the server years of work.
 */
export const maxReportDays = 366;

/**
 * `from`/`to` as YYYY-MM-DD (defaults: the 28 days ending yesterday, by `now`). The route's query
 * schema already refuses days off the calendar and `from` after `to`; the span is checked here
 * because a lone `from` is measured against a `to` that depends on the clock. Over
 * `maxReportDays` is invalid input: the caller sent it, so it is a 400, never a 500.
 */
export function reportPeriod(now: Date, fromDay?: string, toDay?: string): ReportPeriod {
  const yesterday = new Date(Math.floor(now.getTime() / msPerDay) * msPerDay - msPerDay);
  const to = toDay ?? yesterday.toISOString().slice(0, 10);
  const from = fromDay ?? new Date(Date.parse(`${to}T00:00:00.000Z`) - 27 * msPerDay).toISOString().slice(0, 10);
  const days = (Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / msPerDay + 1;
  if (!(days >= 1 && days <= maxReportDays)) {
    throw new FedrecError('invalid-input', 'invalid period', [{ path: ['query', 'from'], message: `the period ${from} to ${to} spans ${days} days; it must span 1 to ${maxReportDays}` }]);
  }
  return { fromDay: from, toDay: to, from: `${from}T00:00:00.000Z`, to: `${to}T23:59:59.999Z` };
}

/** The period of the same number of days ending the day before `period` starts (CUPED's pre-period). */
export function prePeriod(period: ReportPeriod): ReportPeriod {
  const days = (Date.parse(period.to) + 1 - Date.parse(period.from)) / msPerDay;
  const toDay = new Date(Date.parse(period.from) - msPerDay).toISOString().slice(0, 10);
  const fromDay = new Date(Date.parse(period.from) - days * msPerDay).toISOString().slice(0, 10);
  return reportPeriod(new Date(0), fromDay, toDay);
}
