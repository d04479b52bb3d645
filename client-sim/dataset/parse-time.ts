/**
 * Purchase times as retail exports write them, turned into days on one absolute scale. The
 * importer only keeps differences (days since the earliest row), so what matters is that every
 * format lands on the same scale, and that a time without a zone means the same on every machine:
 * it is read as UTC, never as the importing machine's local time (which `Date.parse` would do).
 */

import { parseDecimal } from './parse-decimal.ts';

const MS_PER_DAY = 86_400_000;
const SECONDS_PER_DAY = 86_400;

/**
 * A plain number at or above this is epoch seconds, below it days. A million days is ~2,700
 * years, so no day count reaches it, and a million seconds is 1970-01-12, so no real epoch-seconds
 * timestamp falls below it. Days since any origin work (Unix, Excel serial), as only differences
 * are kept; epoch milliseconds are not recognised and would read as seconds.
 */
const SECONDS_THRESHOLD = 1_000_000;

// 2010-12-01, 2010-12-01T08:26, 2010-12-01 08:26:00, 2010-12-01T08:26:00.123+01:00, …Z
const isoPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
// 12/1/2010 8:26 (UCI Online Retail: month first), optionally with seconds and AM/PM
const usPattern = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AP]M))?)?$/i;

/**
 * Parses one time cell into days since 1970-01-01 UTC (for plain day counts: days since their own
 * origin), or undefined when the cell is not a time in a supported format.
 *
 * @example
 * parseTime('12/1/2010 8:26');        // 14944.35139 (2010-12-01T08:26Z)
 * parseTime('2010-12-01 08:26:00');  // the same
 * parseTime('1291191960');            // the same, as epoch seconds
 * parseTime('yesterday');             // undefined
 */
export function parseTime(text: string): number | undefined {
  const cell = text.trim();
  let m = isoPattern.exec(cell);
  if (m) {
    const ms = utcMs(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), m[7] ? Number(m[7]) * 1000 : 0);
    return ms === undefined ? undefined : (ms - offsetMs(m[8])) / MS_PER_DAY;
  }
  m = usPattern.exec(cell);
  if (m) {
    let hour = +(m[4] ?? 0);
    const meridiem = m[7]?.toUpperCase();
    if (meridiem && (hour < 1 || hour > 12)) return undefined;
    if (meridiem) hour = (hour % 12) + (meridiem === 'PM' ? 12 : 0);
    const ms = utcMs(+m[3], +m[1], +m[2], hour, +(m[5] ?? 0), +(m[6] ?? 0), 0);
    return ms === undefined ? undefined : ms / MS_PER_DAY;
  }
  const value = parseDecimal(cell);
  if (value === undefined) return undefined;
  return Math.abs(value) >= SECONDS_THRESHOLD ? value / SECONDS_PER_DAY : value;
}

/** Date.UTC silently rolls 2010-02-31 over to March; a calendar field out of range is an error. */
function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number | undefined {
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  const valid = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return valid ? date.getTime() : undefined;
}

/** `Z`, `+01:00`, `+0100` or `+01` → milliseconds east of UTC; no zone → UTC. */
function offsetMs(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
}
