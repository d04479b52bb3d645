/**
 * Device clients for the load bench, many in one process: each is its own socket.io connection
 * (its own websocket and credentials) holding one shopper, answering every round with one tiny
 * clipped step (`tiny-step-client.ts`). Forked by `device-load-bench.ts`: `{ url, credentials }`
 * connects them (in batches, as a fleet would come online) → `{ ready }`; `{ stop: true }` ends it.
 */
import { TinyStepClient } from './tiny-step-client.ts';

if (process.send) {
  let clients: TinyStepClient[] = [];
  process.on('message', (message: { url?: string; credentials?: { clientId: string; token: string }[]; stop?: true }) => {
    if (message.stop) {
      clients.forEach((c) => c.close());
      process.disconnect();
      return;
    }
    void (async () => {
      const batch = message.credentials!.map((c) => new TinyStepClient({ url: message.url!, clientId: c.clientId, token: c.token, shoppers: 1, log: (line) => console.error(line) }));
      for (let start = 0; start < batch.length; start += 50) await Promise.all(batch.slice(start, start + 50).map((c) => c.connect()));
      clients = clients.concat(batch);
      process.send!({ ready: clients.length });
    })().catch((thrown: unknown) => {
      console.error(`device clients: ${thrown instanceof Error ? thrown.stack : String(thrown)}`);
      process.exit(1);
    });
  });
}
