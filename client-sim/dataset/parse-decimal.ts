/**
 * A plain decimal number in a CSV cell. Stricter than `Number()`, which reads '' and ' ' as 0 and
 * '0x1A' as 26: a wrong number in a price or quantity column must be reported, not guessed.
 */

const decimalPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * Parses a trimmed decimal, optionally signed and in exponent notation; undefined otherwise.
 *
 * @example
 * parseDecimal('2.55');  // 2.55
 * parseDecimal('-6');    // -6
 * parseDecimal('');      // undefined
 * parseDecimal('£2.55'); // undefined
 */
export function parseDecimal(text: string): number | undefined {
  if (!decimalPattern.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
