/**
 * A store's answer to a round, trained off the socket's critical path: the steps of
 * `roundUpdateSteps` run in slices of about `sliceMs`, and between slices the event loop is given
 * back (setImmediate), so socket.io's heartbeats and other clients' messages keep flowing while a
 * store trains for minutes. Before each slice the round's deadline is checked: a client that cannot
 * answer in time stops training and abandons the round (the caller says so to the coordinator).
 *
 * Why slices and not worker_threads: the local step is plain typed-array code (no tfjs), so slicing
 * costs only the yields (measured: README, "Clients that keep time"), and it works the same for one
 * store per process and for 1,000 device clients multiplexed in one process, where 1,000 workers
 * would not fit. A worker would also need its own copy of the store's data and the model.
 */
import type { LocalTrainer } from '../../models/training/local-update.ts';
import type { ModelWeights } from '../../models/weights/model-weights.ts';
import type { AbandonReason, RandomSource, RoundRequest } from '../../protocol/index.ts';
import { roundUpdateSteps, type RoundUpdate, type StoreData } from './compute-round-update.ts';

export interface Pacing {
  /** Work per event-loop turn, ms. */
  sliceMs: number;
  /** Stop this long before the deadline, to leave time for the answer to travel. */
  sendMarginMs: number;
  /** For fault-injection tests: wait this long after every step (a slow device). */
  stepDelayMs?: number;
  /** The clock the deadline is read against (the coordinator's; clocks are assumed NTP-synced). */
  now?: () => number;
  /** False once a newer round arrived: this one is dropped without a word (the coordinator closed it). */
  current?: () => boolean;
}

/** 10 ms slices; the margin is a tenth of the time left at the start, at most 2 s. */
export function defaultPacing(request: RoundRequest, now = Date.now()): Pacing {
  return { sliceMs: 10, sendMarginMs: Math.min(2000, Math.max(0, (request.deadline - now) / 10)) };
}

export type PacedOutcome = { update: RoundUpdate } | { abandoned: AbandonReason; steps: number } | { superseded: true };

/**
 * @example const outcome = await pacedRoundUpdate(request, weights, data, trainer, random, defaultPacing(request));
 */
export async function pacedRoundUpdate(request: RoundRequest, global: ModelWeights, data: StoreData, trainer: LocalTrainer, random: RandomSource, pacing: Pacing): Promise<PacedOutcome> {
  const now = pacing.now ?? Date.now;
  const stopAt = request.deadline - pacing.sendMarginMs;
  const steps = roundUpdateSteps(request, global, data, trainer, random);
  let done = 0;
  let sliceStarted = performance.now();
  for (;;) {
    if (pacing.current && !pacing.current()) return { superseded: true };
    if (now() >= stopAt) return { abandoned: 'deadline', steps: done };
    const step = steps.next();
    if (step.done) return { update: step.value };
    done++;
    if (pacing.stepDelayMs) {
      await new Promise((resolve) => setTimeout(resolve, pacing.stepDelayMs));
      sliceStarted = performance.now();
    } else if (performance.now() - sliceStarted >= pacing.sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStarted = performance.now();
    }
  }
}
