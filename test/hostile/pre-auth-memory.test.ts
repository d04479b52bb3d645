/**
 * Issue 9, point 5: memory before authentication. Sixteen anonymous sockets each send a 60 MB
 * websocket frame, and one a 60 MB long-polling POST, at a coordinator in its own process; its
 * peak RSS must stay within 100 MB of idle (it went from 183 MB to 1.2 GB before the fix).
 */
import { expect } from 'chai';
import { fork, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

const frameBytes = 60 * 1000 * 1000;
const chunk = Buffer.alloc(1024 * 1024, 0x41);

/** Resolves when `socket` drains or closes, whichever comes first, leaving no listener behind. */
function drainedOrClosed(socket: import('node:net').Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

/** An anonymous websocket upgrade followed by one 60 MB binary frame, written as fast as TCP takes it. */
function sendFrame(port: number, path: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let written = 0;
    socket.on('data', (data: Buffer) => (answer += data.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.on('connect', async () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
      // FIN + binary opcode, masked, 64-bit length (RFC 6455, 5.2), then a zero mask key.
      const header = Buffer.alloc(14);
      header[0] = 0x82;
      header[1] = 0x80 | 127;
      header.writeBigUInt64BE(BigInt(frameBytes), 2);
      socket.write(header);
      while (written < frameBytes && !socket.destroyed) {
        written += chunk.length;
        if (!socket.write(chunk)) await drainedOrClosed(socket);
      }
      socket.end();
    });
  });
}

/** An anonymous 60 MB long-polling POST. */
function sendPollingBody(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (data: Buffer) => (answer += data.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.on('connect', async () => {
      socket.write(`POST /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: ${frameBytes}\r\n\r\n`);
      for (let written = 0; written < frameBytes && !socket.destroyed; written += chunk.length) {
        if (!socket.write(chunk)) await drainedOrClosed(socket);
      }
      socket.end();
    });
  });
}

describe('memory before authentication (coordinator in its own process)', function () {
  this.timeout(120_000);
  let child: ChildProcess | undefined;
  after(() => {
    child?.send('exit');
  });

  const ask = <T>(message: string): Promise<T> =>
    new Promise((resolve) => {
      child!.once('message', (answer) => resolve(answer as T));
      child!.send(message);
    });

  it('16 anonymous 60 MB websocket frames and a 60 MB polling POST keep peak RSS within 100 MB of idle', async () => {
    child = fork(fileURLToPath(new URL('./coordinator-process.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const { url } = await new Promise<{ url: string }>((resolve) => child!.once('message', (m) => resolve(m as { url: string })));
    const port = Number(new URL(url).port);
    await new Promise((r) => setTimeout(r, 500));
    const { idle } = await ask<{ idle: number }>('idle');
    const answers = await Promise.all([...Array.from({ length: 16 }, () => sendFrame(port, '/socket.io/?EIO=4&transport=websocket')), sendPollingBody(port)]);
    await new Promise((r) => setTimeout(r, 200));
    const { peak, rejections } = await ask<{ peak: number; rejections: Record<string, number> }>('report');
    const mb = (bytes: number) => (bytes / 1e6).toFixed(0);
    console.log(`      (coordinator RSS idle ${mb(idle)} MB, peak under the attack ${mb(peak)} MB: +${mb(peak - idle)} MB)`);
    // Each is refused (a reset may beat the 400 to a sender still writing); none is upgraded.
    expect(answers.every((line) => line === 'HTTP/1.1 400 Bad Request' || line === ''), answers.join(' | ')).to.equal(true);
    expect(rejections['handshake-invalid']).to.equal(16);
    expect(peak - idle).to.be.below(100e6);
  });
});
