/**
 * The REST API: one route table served on express 5, validated by zod, documented by an
 * OpenAPI 3.1 document generated from the same schemas.
 */
export { createApp } from './create-app.ts';
export type { AppOptions } from './create-app.ts';
export type { ApiApp } from './create-app.ts';
export { startApi } from './start-api.ts';
export type { RunningApi } from './start-api.ts';
export { routes } from './route-table.ts';
export type { ApiServices, Route } from './route.ts';
export { openApiDocument, openApiPath } from './openapi-document.ts';
export { recommendationRequest, recommendationResponse } from './recommendation-schemas.ts';
export { catalogItemSchema } from './catalog-schemas.ts';
export { itemExplanationResponse } from './item-explanation-schemas.ts';
export { rateLimitSchema } from './rate-limits.ts';
export type { RateLimits } from './rate-limits.ts';
export { corsOriginSchema } from './cors-policy.ts';
