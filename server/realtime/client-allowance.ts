/**
 * What one connected store client may send: a message rate (a token bucket: `burst` messages at
 * once, refilled at `messagesPerSecond`) and a byte allowance per round. An honest client sends
 * one update of the model's size per round, so the allowance is two models' worth plus 1 MiB of
 * headroom; before its first round a client may send 1 MiB. Everything here is O(1) per message.
 */
const headroomBytes = 1024 * 1024;

export class ClientAllowance {
  private tokens: number;
  private refilledAt = performance.now();
  /** Messages refused in a row for rate: a client that keeps on after `burst` of them is abusive. */
  private strikes = 0;
  private bytes = 0;
  private allowedBytes = headroomBytes;

  constructor(private readonly limits: { messagesPerSecond: number; burst: number }) {
    this.tokens = limits.burst;
  }

  /** A round request of `weightBytes` was sent: the client may now answer it. */
  newRound(weightBytes: number): void {
    this.bytes = 0;
    this.allowedBytes = 2 * weightBytes + headroomBytes;
  }

  /** Counts `n` received bytes; false once the round's allowance is exceeded. */
  receiveBytes(n: number): boolean {
    this.bytes += n;
    return this.bytes <= this.allowedBytes;
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

  describe(): string {
    return `${this.bytes} bytes this round, ${this.allowedBytes} allowed`;
  }
}
