/**
 * `fedrec sim --url`: the world's store clients against a running coordinator, until SIGINT or
 * SIGTERM. In this process (they then train one after another on one event loop), or one child
 * process per client (`--processes`: stores train in parallel, as real stores would), each child
 * being `fedrec sim --url URL --credentials -` with its one credential written to its stdin.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { connectSimulatedStores } from '../client-sim/store-client/connect-simulated-stores.ts';
import { modelForWorld, selectBackend } from '../models/index.ts';
import type { ClientCredentials } from '../protocol/index.ts';
import { FedrecError } from '../server/errors/index.ts';
import { untilSignal } from './until-signal.ts';
import type { LoadedWorld } from './world-options.ts';

/** The line each run prints once its clients are connected (tests and scripts wait for it). */
export const clientsReadyLine = (clients: number, url: string): string => `${clients} store client(s) connected to ${url}`;

/**
 * @example await runClientsHere(url, credentials, loaded, log); // returns after SIGINT/SIGTERM
 */
export async function runClientsHere(url: string, credentials: ClientCredentials[], loaded: LoadedWorld, log: (line: string) => void): Promise<number> {
  const known = new Set(loaded.world.stores.map((s) => s.id));
  const unknown = credentials.filter((c) => !known.has(c.storeId));
  if (unknown.length > 0) {
    throw new FedrecError('invalid-input', `credentials name stores this world does not have: ${unknown.map((c) => c.storeId).join(', ')} (it has ${[...known].join(', ')})`);
  }
  await selectBackend(() => {});
  const { split } = loaded;
  // The features are the world's, as the coordinator's model was built from it (same world flags).
  const { features } = modelForWorld(loaded.world, loaded.seed);
  // A client the coordinator refuses for good has stopped (it logged why): once all have, so does this run.
  let refused = 0;
  let allRefused: () => void = () => {};
  const everyClientRefused = new Promise<void>((resolve) => (allRefused = resolve));
  const onRefused = (): void => {
    if (++refused === credentials.length) allRefused();
  };
  const clients = await connectSimulatedStores({ url, credentials, world: loaded.world, split, features, log, clientOptions: { onRefused } });
  log(clientsReadyLine(clients.length, url));
  const stopped = await Promise.race([untilSignal().then(() => true), everyClientRefused.then(() => false)]);
  clients.forEach((c) => c.close());
  return stopped ? 0 : 1;
}

/**
 * Starts one child per credential and waits for a signal (passed on to the children) or for every
 * child to exit. Resolves with 0 if every child exited cleanly.
 * @example await runClientsAsProcesses(url, credentials, ['--stores', '3'], log);
 */
export async function runClientsAsProcesses(url: string, credentials: ClientCredentials[], worldArgs: string[], log: (line: string) => void): Promise<number> {
  const children = credentials.map((credential) => startChild(url, credential, worldArgs, log));
  let ready = 0;
  const allReady = new Promise<void>((resolve) =>
    children.forEach((c) =>
      c.ready.then(() => {
        if (++ready === children.length) resolve();
      }),
    ),
  );
  void allReady.then(() => log(clientsReadyLine(ready, url) + ` (${children.length} processes)`));
  const exits = Promise.all(children.map((c) => c.exit));
  const stopped = await Promise.race([untilSignal().then(() => true), exits.then(() => false)]);
  if (stopped) for (const c of children) c.process.kill('SIGTERM');
  const codes = await exits;
  const failed = codes.filter((code) => code !== 0).length;
  if (failed > 0) log(`${failed} of ${children.length} client processes exited with an error`);
  return failed > 0 ? 1 : 0;
}

interface Child {
  process: ChildProcess;
  ready: Promise<void>;
  exit: Promise<number>;
}

function startChild(url: string, credential: ClientCredentials, worldArgs: string[], log: (line: string) => void): Child {
  // This same CLI under this same node and loader (tsx), so a child runs exactly this code.
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1], 'sim', '--url', url, '--credentials', '-', ...worldArgs], { stdio: ['pipe', 'inherit', 'pipe'] });
  child.stdin!.end(JSON.stringify(credential));
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (line.includes(' store client(s) connected to ')) markReady();
    else log(`[${credential.clientId}] ${line.replace(/^fedrec sim: /, '')}`);
  });
  const exit = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGTERM' ? 0 : 1))));
  return { process: child, ready, exit };
}
