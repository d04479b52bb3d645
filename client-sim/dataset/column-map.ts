/**
 * Which CSV column holds which part of a transaction, as given on the command line:
 * `--map customer=CustomerID,item=StockCode,store=Country,time=InvoiceDate,price=UnitPrice`.
 * The option string and the file header are both trust boundaries, so each check reports every
 * problem at once instead of making the user fix them one run at a time.
 */
import { z } from 'zod';
import { FedrecError, type ErrorIssue } from '../../server/errors/index.ts';

const column = z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a column name') }).min(1, 'needs a column name');

const columnMapSchema = z.strictObject({
  customer: column,
  item: column,
  store: column,
  time: column,
  /** The invoice number, for the cancellation rule (a C before the number, as UCI writes it). */
  invoice: column.optional(),
  name: column.optional(),
  category: column.optional(),
  price: column.optional(),
  quantity: column.optional(),
});

/** Role → header name of the column that holds it. */
export type ColumnMap = z.infer<typeof columnMapSchema>;
export type ColumnRole = keyof ColumnMap;

/** Role → index of that column in each record; the optional roles only when mapped. */
export type ColumnIndex = { [R in ColumnRole]: undefined extends ColumnMap[R] ? number | undefined : number };

const roles = Object.keys(columnMapSchema.shape) as ColumnRole[];

/**
 * Parses and validates a `--map` option string.
 *
 * @example
 * parseColumnMap('customer=CustomerID,item=StockCode,store=Country,time=InvoiceDate');
 * // { customer: 'CustomerID', item: 'StockCode', store: 'Country', time: 'InvoiceDate' }
 * @throws FedrecError('invalid-input') listing every malformed, duplicate, unknown or missing key.
 */
export function parseColumnMap(option: string): ColumnMap {
  const issues: ErrorIssue[] = [];
  const raw: Record<string, string> = {};
  for (const pair of option.split(',')) {
    if (pair.trim() === '') continue; // tolerate `a=b,,c=d` and a trailing comma
    const eq = pair.indexOf('=');
    if (eq === -1) {
      issues.push({ path: [pair.trim()], message: `"${pair.trim()}" is not KEY=COLUMN`, code: 'malformed' });
      continue;
    }
    const key = pair.slice(0, eq).trim();
    if (Object.hasOwn(raw, key)) issues.push({ path: [key], message: 'is given more than once', code: 'duplicate' });
    else raw[key] = pair.slice(eq + 1).trim();
  }
  const parsed = columnMapSchema.safeParse(raw);
  if (!parsed.success) issues.push(...parsed.error.issues.flatMap(toErrorIssues));
  if (issues.length > 0 || !parsed.success) {
    const lines = issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new FedrecError('invalid-input', `invalid --map "${option}":\n${lines.join('\n')}`, issues);
  }
  return parsed.data;
}

/**
 * Finds each mapped column in the file's header.
 *
 * @example
 * resolveColumns(map, ['InvoiceNo', 'StockCode', 'CustomerID', 'Country', 'InvoiceDate']).item; // 1
 * @throws FedrecError('invalid-input') naming every missing or ambiguous column and showing the header.
 */
export function resolveColumns(map: ColumnMap, header: string[], file = 'the file'): ColumnIndex {
  const names = header.map((name) => name.trim());
  const issues: ErrorIssue[] = [];
  const index: Partial<Record<ColumnRole, number>> = {};
  for (const role of roles) {
    const name = map[role];
    if (name === undefined) continue;
    const at = names.indexOf(name);
    if (at === -1) issues.push({ path: [role], message: `column "${name}" is not in the header`, code: 'missing-column' });
    else if (names.indexOf(name, at + 1) !== -1) issues.push({ path: [role], message: `column "${name}" appears more than once in the header`, code: 'ambiguous-column' });
    else index[role] = at;
  }
  if (issues.length > 0) {
    const lines = issues.map((issue) => `  ${issue.path[0]}: ${issue.message}`);
    const shown = names.map((name) => JSON.stringify(name)).join(', ');
    throw new FedrecError('invalid-input', `--map does not match ${file}:\n${lines.join('\n')}\nthe header is: ${shown}`, issues);
  }
  return index as ColumnIndex;
}

/** zod reports all unknown keys as one issue; one issue per key reads better and points at each. */
function toErrorIssues(issue: z.core.$ZodIssue): ErrorIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [key], message: `unknown key (expected one of ${roles.join(', ')})`, code: issue.code }));
  }
  return [{ path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: issue.message, code: issue.code }];
}
