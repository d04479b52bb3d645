/**
 * `GET /v1/whoami`: the caller's key id, holder name and role, and the operations that role may
 * call, read from the route table itself. The dashboard asks this to decide what to offer; it is
 * no security boundary, since every route still checks the key (`authorize`) on its own.
 */
import { z } from 'zod';
import { roles } from '../store/index.ts';
import { route, routeAccess, type Route } from './route.ts';

export const whoamiResponse = z.object({
  keyId: z.string(),
  name: z.string(),
  role: z.enum(roles),
  operations: z.array(z.string()).describe('operationIds of the routes this key’s role may call (public routes left out), as in /openapi.json.'),
});

/** `table` is read at call time: this route is itself part of the table it lists. */
export function whoamiRoute(table: () => readonly Route[]): Route {
  return route({
    operationId: 'getWhoami',
    method: 'get',
    path: '/v1/whoami',
    tag: 'governance',
    roles,
    summary: 'The calling key’s id, name and role, and which operations that role may call',
    response: whoamiResponse,
    errors: [],
    handle: ({ principal }, { metricsAccess }) => {
      const { keyId, name, role } = principal!;
      const operations = table()
        .filter((r) => {
          const access = routeAccess(r, metricsAccess);
          return !access.public && access.roles.includes(role);
        })
        .map((r) => r.operationId);
      return { keyId, name, role, operations };
    },
  });
}
