/**
 * Which byte budget each packet a store client sends counts against, decided as engine.io hands
 * the packet over, before socket.io decodes or buffers anything of it. A socket.io message is one
 * text packet, `<type>[<attachments>-][<namespace>,][<ack id>]<JSON>`, followed by its binary
 * attachments as separate packets (socket.io protocol v5,
 * https://github.com/socketio/socket.io-protocol#packet-encoding). The text packet names the round
 * attempt by its nonce (`"nonce":"<32 hex>"`, as the store client writes every answer); it and its
 * attachments count against that attempt, and a message naming none of the client's attempts
 * against its shared headroom. A client can only ever charge its own budgets this way.
 */
import { type ByteBudget, type ClientAllowance } from './client-allowance.ts';

/** Nonces are 16 random bytes in hex (server/rounds/training-job.ts). */
const noncePattern = /"nonce":"([0-9a-f]{32})"/;
/** The nonce comes within the first ~150 characters of an honest answer; a header is searched this far at most, so the search stays O(1). */
const searchedChars = 64 * 1024;

export class PacketAttribution {
  private message: ByteBudget | undefined;
  private attachmentsLeft = 0;

  constructor(private readonly allowance: ClientAllowance) {}

  /**
   * The budget an engine.io packet's bytes count against, and how many bytes it holds.
   * @example const { budget, bytes } = attribution.of(packet); if (!spend(budget, bytes)) socket.disconnect(true);
   */
  of(packet: { type?: string; data?: unknown }): { budget: ByteBudget; bytes: number } {
    const data = packet.data;
    // ping, pong, upgrade, close: engine.io's own packets, never part of a socket.io message.
    if (packet.type !== 'message') return { budget: this.allowance.budgetFor(undefined), bytes: typeof data === 'string' ? data.length : 0 };
    if (typeof data === 'string') {
      // A text packet while attachments are awaited is a protocol error (socket.io's decoder drops the
      // connection); either way it starts over here.
      this.attachmentsLeft = 0;
      this.message = undefined;
      const budget = this.allowance.budgetFor(noncePattern.exec(data.slice(0, searchedChars))?.[1]);
      const attachments = binaryAttachments(data);
      if (attachments > 0) {
        this.message = budget;
        this.attachmentsLeft = attachments;
      }
      return { budget, bytes: data.length };
    }
    const bytes = data instanceof Uint8Array || data instanceof ArrayBuffer ? data.byteLength : 0;
    if (this.attachmentsLeft > 0 && this.message) {
      const budget = this.message;
      if (--this.attachmentsLeft === 0) this.message = undefined;
      return { budget, bytes };
    }
    return { budget: this.allowance.budgetFor(undefined), bytes };
  }
}

/** Attachments a socket.io text packet announces: `5<n>-…` (binary event) or `6<n>-…` (binary ack), else 0. */
function binaryAttachments(packet: string): number {
  if (packet[0] !== '5' && packet[0] !== '6') return 0;
  const dash = packet.indexOf('-');
  // socket.io's own decoder refuses a count that is not digits; 20 digits is past any real count.
  if (dash < 2 || dash > 20) return 0;
  const count = Number(packet.slice(1, dash));
  return Number.isSafeInteger(count) && count > 0 ? count : 0;
}
