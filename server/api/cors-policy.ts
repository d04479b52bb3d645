/**
 * Cross-origin access (cors): closed unless origins are configured (`--cors-origin`,
 * `FEDREC_CORS_ORIGINS`, comma-separated), then open to exactly those origins, compared as whole
 * strings (`https://shop.example`, no wildcards: an origin list is a trust list). A preflight
 * from an allowed origin is answered 204 with the methods and headers the API takes; from any
 * other origin no CORS header is sent, so the browser refuses the response. Credentials
 * (cookies) are not allowed: the API's only credential is a bearer token the caller sends itself.
 */
import cors from 'cors';
import type { RequestHandler } from 'express';
import { z } from 'zod';

/** An origin as browsers send it: scheme, host, optional port, nothing else. */
export const corsOriginSchema = z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'an origin is scheme://host[:port], without a path or a trailing slash');

export function corsPolicy(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'HEAD', 'PUT', 'POST'],
    allowedHeaders: ['content-type', 'content-encoding', 'authorization', 'x-request-id'],
    exposedHeaders: ['RateLimit', 'RateLimit-Policy', 'Retry-After', 'X-Request-Id'],
    maxAge: 600,
  });
}
