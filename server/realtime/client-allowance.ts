/**
 * What one store client may send: a message rate (a token bucket: `burst` messages at once,
 * refilled at `messagesPerSecond`) and byte allowances, one per round attempt it was invited to.
 * An honest client sends one update of the model's size per attempt, so an attempt allows two
 * models' worth plus 1 MiB of headroom; whatever names no attempt of this client (junk, an unknown
 * event, a forged nonce) shares 1 MiB, renewed with each new attempt.
 *
 * The allowance belongs to the client id, not to one connection: a store that lost its link and
 * reconnected answers the attempt it was invited to on its new socket (a fresh 1 MiB allowance per
 * socket disconnected such stores once the model passed 1 MiB). And each attempt has its own: a
 * late answer to an attempt that closed is counted against that attempt, never against the retry
 * that followed it (the coordinator refuses it as `round-closed`). Everything here is O(1) per packet.
 */
const headroomBytes = 1024 * 1024;
/**
 * Attempts remembered per client, newest last. One job invites a client to one attempt at a time;
 * a late answer comes for the attempt before it. Eight covers a few jobs running at once with
 * their previous attempts; an answer to a forgotten attempt falls to the shared 1 MiB.
 */
const rememberedAttempts = 8;

/** Bytes received against what is allowed, for one attempt or for the shared headroom. */
export interface ByteBudget {
  bytes: number;
  readonly allowed: number;
}

export class ClientAllowance {
  private tokens: number;
  private refilledAt = performance.now();
  /** Messages refused in a row for rate: a client that keeps on after `burst` of them is abusive. */
  private strikes = 0;
  /** Per attempt, by the nonce the coordinator issued for it (insertion order: oldest first). */
  private readonly attempts = new Map<string, ByteBudget>();
  private stray: ByteBudget = { bytes: 0, allowed: headroomBytes };

  constructor(private readonly limits: { messagesPerSecond: number; burst: number }) {
    this.tokens = limits.burst;
  }

  /** A round attempt's request of `weightBytes` was sent with `nonce`: the client may now answer it. */
  openAttempt(nonce: string, weightBytes: number): void {
    this.attempts.delete(nonce);
    this.attempts.set(nonce, { bytes: 0, allowed: 2 * weightBytes + headroomBytes });
    if (this.attempts.size > rememberedAttempts) this.attempts.delete(this.attempts.keys().next().value!);
    this.stray = { bytes: 0, allowed: headroomBytes };
  }

  /** The budget a message naming `nonce` counts against: its attempt's when this client was invited to it, else the shared one. */
  budgetFor(nonce: string | undefined): ByteBudget {
    return (nonce !== undefined && this.attempts.get(nonce)) || this.stray;
  }

  /** Takes one message from the bucket; false when the client is over its rate. */
  takeMessage(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.limits.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.limits.messagesPerSecond);
    this.refilledAt = now;
    if (this.tokens < 1) {
      this.strikes++;
      return false;
    }
    this.tokens -= 1;
    this.strikes = 0;
    return true;
  }

  abusive(): boolean {
    return this.strikes >= this.limits.burst;
  }
}

/** Counts `n` bytes against `budget`; false once it is exceeded. */
export function spend(budget: ByteBudget, n: number): boolean {
  budget.bytes += n;
  return budget.bytes <= budget.allowed;
}

export const describeBudget = (budget: ByteBudget): string => `${budget.bytes} bytes against ${budget.allowed} allowed`;
