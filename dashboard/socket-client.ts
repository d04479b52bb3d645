/**
 * The dashboard namespace of the coordinator (server/realtime/dashboard-socket-server.ts): round
 * events for engineer and admin keys, the key in socket.io's handshake `auth` (a browser cannot set
 * headers on a WebSocket), to this page's own origin.
 */
import { io } from 'socket.io-client';
import type { DashboardRoundEvent } from './round-event.ts';

export type { DashboardRoundEvent };

export interface RoundFeed {
  close(): void;
}

/** Calls `onRound` for every finished round, `onStatus` with the connection's state in words. */
export function subscribeToRounds(key: string, onRound: (event: DashboardRoundEvent) => void, onStatus: (status: string) => void): RoundFeed {
  const socket = io('/dashboard', { path: '/dashboard-socket', transports: ['websocket'], auth: { key } });
  socket.on('connect', () => onStatus('live: new rounds appear as they finish'));
  socket.on('connect_error', (error: Error) => onStatus(`not live: ${error.message}`));
  socket.on('disconnect', () => onStatus('not live: disconnected'));
  socket.on('round:finished', onRound);
  return { close: () => socket.close() };
}
