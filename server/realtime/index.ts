export { RoundSocketServer } from './round-socket-server.ts';
export type { RoundSocketOptions } from './round-socket-server.ts';
export { hashToken, issueClientToken, tokenMatches } from './client-token.ts';
export { registerClients } from './register-clients.ts';
export type { ClientCredentials } from './register-clients.ts';
export { DashboardSocketServer, dashboardNamespace, dashboardSocketPath } from './dashboard-socket-server.ts';
export { dashboardEvents, dashboardRoundEvent, roundEventOf, type DashboardRoundEvent } from './dashboard-round-event.ts';
