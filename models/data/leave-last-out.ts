/**
 * Leave-last-out split: each shopper's last `holdout` purchases are the test targets, everything
 * before them is training data and the history the model sees at test time. Shoppers with too few
 * purchases to keep at least one for training are training-only.
 */
import type { Shopper } from './retail-world.ts';

export interface HeldOutShopper {
  /** Index of the shopper in the shoppers array that was split. */
  shopper: number;
  store: number;
  /** Every purchase before the held-out ones, oldest first: what the model is given. */
  history: number[];
  /** The held-out purchases the model should rank highly. */
  targets: number[];
}

export interface LeaveLastOutSplit {
  /** Shoppers truncated to their training purchases. */
  train: Shopper[];
  test: HeldOutShopper[];
}

/**
 * @example const { train, test } = leaveLastOut(world.shoppers, 1);
 */
export function leaveLastOut(shoppers: readonly Shopper[], holdout = 1): LeaveLastOutSplit {
  if (!Number.isInteger(holdout) || holdout < 1) throw new Error(`leaveLastOut: holdout must be a positive integer, got ${holdout}`);
  const train: Shopper[] = [];
  const test: HeldOutShopper[] = [];
  shoppers.forEach((shopper, index) => {
    const cut = shopper.items.length - holdout;
    if (cut < 1) {
      train.push(shopper);
      return;
    }
    train.push({ ...shopper, items: shopper.items.slice(0, cut), times: shopper.times.slice(0, cut) });
    test.push({ shopper: index, store: shopper.store, history: shopper.items.slice(0, cut), targets: shopper.items.slice(cut) });
  });
  return { train, test };
}
