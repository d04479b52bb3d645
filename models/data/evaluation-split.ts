/**
 * The splits every quality figure is measured on, each with a validation part beside the test part,
 * so that a setting is chosen on validation and only reported on test (the protocol of Rendle 2019,
 * "Evaluation metrics for item recommendation under sampling", and of Li et al. 2023 for baskets):
 *
 * - `last` (leave-last-out): each shopper's last purchase is the test target and the one before it
 *   the validation target; the model trains on everything before the validation purchase.
 * - `time`: a global cut-off by date, as a retailer would deploy. Training is every purchase before
 *   the validation window; a shopper's validation targets are the distinct items they bought in the
 *   window, their test targets the distinct items bought after the test cut-off.
 *
 * Training never sees a validation or a test purchase, and no purchase is a target twice.
 */
import type { HeldOutShopper, LeaveLastOutSplit } from './leave-last-out.ts';
import type { Shopper } from './retail-world.ts';

export type SplitKind = 'last' | 'time';

export interface EvaluationSplit extends LeaveLastOutSplit {
  kind: SplitKind;
  /** Held-out purchases for choosing settings; their history is the training data alone. */
  validation: HeldOutShopper[];
}

/**
 * Leave-last-out with the second-to-last purchase held out for validation. A shopper with two
 * purchases has a test target and no validation one; a shopper with one trains only.
 * @example const { train, validation, test } = leaveLastOutWithValidation(world.shoppers);
 */
export function leaveLastOutWithValidation(shoppers: readonly Shopper[]): EvaluationSplit {
  const train: Shopper[] = [];
  const validation: HeldOutShopper[] = [];
  const test: HeldOutShopper[] = [];
  shoppers.forEach((shopper, index) => {
    const n = shopper.items.length;
    if (n < 2) {
      train.push(shopper);
      return;
    }
    const trainCut = n >= 3 ? n - 2 : n - 1;
    train.push({ ...shopper, items: shopper.items.slice(0, trainCut), times: shopper.times.slice(0, trainCut) });
    if (n >= 3) validation.push({ shopper: index, store: shopper.store, history: shopper.items.slice(0, n - 2), targets: [shopper.items[n - 2]] });
    test.push({ shopper: index, store: shopper.store, history: shopper.items.slice(0, n - 1), targets: [shopper.items[n - 1]] });
  });
  return { kind: 'last', train, validation, test };
}

export interface TimeSplitOptions {
  /** Length of the test window at the end of the data, in days. */
  testDays: number;
  /** Length of the validation window just before it, in days. */
  validationDays: number;
}

/**
 * Hold-out by date. Times are days since the world's start; the test window is the last
 * `testDays` before the latest purchase, the validation window the `validationDays` before that.
 * A shopper is held out in a window only with at least one purchase before it (no cold start:
 * the model and the baselines all need a history).
 * @example timeSplit(world.shoppers, { testDays: 30, validationDays: 30 })
 */
export function timeSplit(shoppers: readonly Shopper[], options: TimeSplitOptions): EvaluationSplit {
  const { testDays, validationDays } = options;
  if (!(testDays > 0) || !(validationDays > 0)) throw new Error(`timeSplit: windows must be > 0 days, got test ${testDays}, validation ${validationDays}`);
  let end = -Infinity;
  for (const s of shoppers) for (const t of s.times) end = Math.max(end, t);
  const testCut = end - testDays;
  const validationCut = testCut - validationDays;
  const train: Shopper[] = [];
  const validation: HeldOutShopper[] = [];
  const test: HeldOutShopper[] = [];
  shoppers.forEach((shopper, index) => {
    // Times are non-decreasing, so each window is a contiguous run of the history.
    const before = (cut: number): number => {
      let k = 0;
      while (k < shopper.times.length && shopper.times[k] < cut) k++;
      return k;
    };
    const v = before(validationCut);
    const t = before(testCut);
    if (v > 0) train.push({ ...shopper, items: shopper.items.slice(0, v), times: shopper.times.slice(0, v) });
    if (v > 0 && t > v) validation.push({ shopper: index, store: shopper.store, history: shopper.items.slice(0, v), targets: distinct(shopper.items.slice(v, t)) });
    if (t > 0 && shopper.items.length > t) test.push({ shopper: index, store: shopper.store, history: shopper.items.slice(0, t), targets: distinct(shopper.items.slice(t)) });
  });
  return { kind: 'time', train, validation, test };
}

const distinct = (items: number[]): number[] => [...new Set(items)];
