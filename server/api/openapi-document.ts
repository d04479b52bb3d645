/**
 * The OpenAPI 3.1 document, generated from the route table's zod schemas with `z.toJSONSchema`
 * (OpenAPI 3.1 schemas are JSON Schema 2020-12, zod's default target), so the document and the
 * validation are the same code. Request schemas are converted as inputs (defaults are optional).
 */
import { z } from 'zod';
import { errorCodes } from '../errors/index.ts';
import { errorBodySchema } from './common-schemas.ts';
import { routeAccess, type MetricsAccess, type Route } from './route.ts';

type JsonSchema = Record<string, unknown>;

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

/** `/v1/catalog/:itemId` → `/v1/catalog/{itemId}`. */
export const openApiPath = (routePath: string): string => routePath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query' | 'header'): JsonSchema[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: where, required: where === 'path' || (object.required ?? []).includes(name), schema: rest, ...(description ? { description } : {}) };
  });
}

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const text = () => ({ 'text/plain': { schema: { type: 'string', description: 'Prometheus text exposition format 0.0.4' } } });

/** The IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers-08) and Retry-After, on every answer the limiter counts. */
const rateLimitHeaders = {
  RateLimit: { description: 'The remaining quota and the seconds until it resets (`"default";r=…;t=…`).', schema: { type: 'string' } },
  'RateLimit-Policy': { description: 'The quota and its window (`"default";q=…;w=…`).', schema: { type: 'string' } },
};
const binary = () => ({ 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } });

/** @example openApiDocument(routes).paths['/v1/recommendations'].post */
export function openApiDocument(routes: readonly Route[], options: { metricsAccess?: MetricsAccess } = {}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const access = routeAccess(r, options.metricsAccess ?? 'roles');
    // What the adapter answers for any route: invalid input where there is input, 413 where there is a body.
    const errors = new Set([
      ...(r.params || r.query || r.body ? (['invalid-input'] as const) : []),
      ...(r.body ? (['payload-too-large'] as const) : []),
      ...(access.public ? [] : (['unauthenticated', 'forbidden'] as const)),
      ...r.errors,
      'internal' as const,
    ]);
    const content = r.responseType === 'binary' ? binary() : r.responseType === 'text' ? text() : json(jsonSchema(r.response, 'output'));
    const responses: Record<string, unknown> = { 200: { description: r.summary, headers: rateLimitHeaders, content } };
    for (const code of errors) responses[errorCodes[code].status] = { description: errorCodes[code].doc, content: json({ $ref: '#/components/schemas/Error' }) };
    responses[429] = {
      description: errorCodes['rate-limited'].doc,
      headers: { ...rateLimitHeaders, 'Retry-After': { description: 'Seconds until a request may succeed.', schema: { type: 'integer' } } },
      content: json({ $ref: '#/components/schemas/Error' }),
    };
    const path = (paths[openApiPath(r.path)] ??= {});
    path[r.method] = {
      operationId: r.operationId,
      tags: [r.tag],
      summary: r.summary,
      description: access.public ? 'Open: no API key needed.' : `Needs an API key with the role ${access.roles.map((role) => `\`${role}\``).join(' or ')} (\`Authorization: Bearer <key>\`).`,
      'x-roles': access.public ? [] : [...access.roles],
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query'), ...parameters(r.headers, 'header')],
      security: access.public ? [] : [{ apiKey: [] }],
      ...(r.body ? { requestBody: { required: true, content: r.bodyType === 'binary' ? binary() : json(jsonSchema(r.body, 'input')) } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'fedrec', version: '1', description: 'Explained recommendations from a federated model, and the merchant view of why items are shown.' },
    paths,
    components: {
      schemas: { Error: jsonSchema(errorBodySchema, 'output') },
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (`fedrec keys create --role R --name N`). Each key has one role: admin, approver, engineer, merchant or app; each operation lists the roles it allows in `x-roles` and its description.' } },
    },
  };
}
