/**
 * A child process for the process-guard test: installs the guards, serves `/ok` over node:http,
 * then lets a promise reject unhandled and a timer throw. Its log goes to stdout as JSON lines;
 * `ready <url>` goes to stderr.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { installProcessGuards } from '../../server/operations/process-guards.ts';

const logger = pino({ level: 'info' }, pino.destination({ fd: 1, sync: true }));
installProcessGuards(logger);
const server = createServer((_req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => {
  void Promise.reject(new Error('a promise nobody observed'));
  setTimeout(() => {
    throw new Error('a throw from a timer');
  }, 10);
  process.stderr.write(`ready http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
