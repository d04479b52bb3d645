import { expect } from 'chai';
import fc from 'fast-check';
import { ClientAllowance, spend } from './client-allowance.ts';
import { PacketAttribution } from './packet-attribution.ts';

const nonce = (n: number): string => n.toString(16).padStart(32, '0');
/** The text packet socket.io writes for an emit with one binary attachment and an ack (protocol v5). */
const answerHeader = (withNonce: string): string => `51-7["round:update",{"jobId":"j","round":1,"modelVersion":0,"nonce":"${withNonce}","sum":{"_placeholder":true,"num":0}}]`;

describe('packet attribution: which byte budget a packet counts against', () => {
  const limits = { messagesPerSecond: 5, burst: 20 };

  it("counts an answer's header and its attachment against the attempt its nonce names; anything else against the shared headroom", () => {
    const allowance = new ClientAllowance(limits);
    allowance.openAttempt(nonce(1), 1000);
    allowance.openAttempt(nonce(2), 1000);
    const attribution = new PacketAttribution(allowance);
    const header = answerHeader(nonce(1));
    expect(attribution.of({ type: 'message', data: header }).budget).to.equal(allowance.budgetFor(nonce(1)));
    // A heartbeat between the header and its attachment is engine.io's, not the message's.
    expect(attribution.of({ type: 'pong' }).budget).to.equal(allowance.budgetFor(undefined));
    expect(attribution.of({ type: 'message', data: new Uint8Array(4000) })).to.deep.include({ budget: allowance.budgetFor(nonce(1)), bytes: 4000 });
    // The message is complete: a stray binary packet, a forged nonce and an unknown event share the headroom.
    expect(attribution.of({ type: 'message', data: new Uint8Array(10) }).budget).to.equal(allowance.budgetFor(undefined));
    expect(attribution.of({ type: 'message', data: answerHeader(nonce(99)) }).budget).to.equal(allowance.budgetFor(undefined));
    expect(attribution.of({ type: 'message', data: new Uint8Array(10) }).budget, 'the forged answer’s attachment').to.equal(allowance.budgetFor(undefined));
    expect(attribution.of({ type: 'message', data: '2["chat","hello"]' }).budget).to.equal(allowance.budgetFor(undefined));
    expect(allowance.budgetFor(nonce(2)).allowed).to.equal(2 * 1000 + 1024 * 1024);
    expect(allowance.budgetFor(nonce(1))).to.not.equal(allowance.budgetFor(nonce(2)));
  });

  it('a header announcing many attachments charges every one to its budget, which runs out', () => {
    const allowance = new ClientAllowance(limits);
    allowance.openAttempt(nonce(1), 1000);
    const attribution = new PacketAttribution(allowance);
    const header = answerHeader(nonce(1)).replace(/^51-/, '5999999-');
    const first = attribution.of({ type: 'message', data: header });
    expect(spend(first.budget, first.bytes)).to.equal(true);
    let accepted = 0;
    for (;;) {
      const { budget, bytes } = attribution.of({ type: 'message', data: new Uint8Array(64 * 1024) });
      expect(budget).to.equal(allowance.budgetFor(nonce(1)));
      if (!spend(budget, bytes)) break;
      accepted++;
    }
    // 2 × 1000 + 1 MiB allowed: 16 packets of 64 KiB and the header fit, the 17th does not.
    expect(accepted).to.equal(16);
  });

  it('every packet is counted once, against exactly one budget, whatever the client sends (fast-check)', () => {
    const packet = fc.oneof(
      fc.constantFrom(answerHeader(nonce(1)), answerHeader(nonce(2)), answerHeader(nonce(3)), '53-["round:update",{}]', '2["x",1]', '6-1[]', '5abc-[]'),
      fc.integer({ min: 0, max: 5000 }).map((n) => new Uint8Array(n)),
    );
    fc.assert(
      fc.property(fc.array(packet, { maxLength: 60 }), (packets) => {
        const allowance = new ClientAllowance(limits);
        allowance.openAttempt(nonce(1), 1e9);
        allowance.openAttempt(nonce(2), 1e9);
        const attribution = new PacketAttribution(allowance);
        let sent = 0;
        for (const data of packets) {
          const { budget, bytes } = attribution.of({ type: 'message', data });
          sent += typeof data === 'string' ? data.length : data.byteLength;
          spend(budget, bytes);
        }
        const counted = [nonce(1), nonce(2), undefined].reduce((n, id) => n + allowance.budgetFor(id).bytes, 0);
        expect(counted).to.equal(sent);
      }),
      { seed: 42 },
    );
  });

  it('remembers the last eight attempts per client; a new attempt renews the shared headroom', () => {
    const allowance = new ClientAllowance(limits);
    for (let i = 1; i <= 9; i++) allowance.openAttempt(nonce(i), 1000);
    expect(allowance.budgetFor(nonce(1)), 'the oldest is forgotten').to.equal(allowance.budgetFor(undefined));
    expect(allowance.budgetFor(nonce(2))).to.not.equal(allowance.budgetFor(undefined));
    spend(allowance.budgetFor(undefined), 500);
    allowance.openAttempt(nonce(10), 1000);
    expect(allowance.budgetFor(undefined).bytes).to.equal(0);
  });
});
