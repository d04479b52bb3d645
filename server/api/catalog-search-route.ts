/**
 * `GET /v1/catalog?q=&limit=`: finds catalogue items by a case-insensitive substring of their id,
 * name, category or brand, in catalogue order, and names the stores the served model knows (what a
 * recommendation's `context.storeId` may be). The dashboard's item pickers ("why this item", "try
 * it") search with it; the catalogue is the retailer's public product list, no shopper data.
 */
import { z } from 'zod';
import { catalogItemSchema } from './catalog-schemas.ts';
import { route, type Route } from './route.ts';

export const catalogSearchQuery = z.strictObject({
  q: z.string().max(100).default('').describe('Substring of the id, name, category or brand; empty matches every item.'),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')
    .transform(Number)
    .pipe(z.int().min(1).max(100))
    .optional()
    .describe('At most this many items (default 20).'),
});

export const catalogSearchResponse = z.object({
  items: z.array(catalogItemSchema),
  total: z.int().nonnegative().describe('How many items match, beyond the limit too.'),
  stores: z.array(z.string()).describe('Store ids the served model knows; empty while no version serves.'),
});

export const catalogSearchRoute: Route = route({
  operationId: 'searchCatalog',
  method: 'get',
  path: '/v1/catalog',
  tag: 'catalogue',
  roles: ['app', 'merchant', 'engineer'],
  summary: 'Search the catalogue by id, name, category or brand, and list the stores the served model knows',
  query: catalogSearchQuery,
  response: catalogSearchResponse,
  errors: [],
  handle: async ({ query }, { store, servedModel }) => {
    const served = servedModel.catalogItems();
    const catalogue = served.length > 0 ? served : await store.listCatalog();
    const needle = query.q.toLowerCase();
    const matches = catalogue.filter((item) => [item.id, item.name, item.category, item.brand].some((text) => text.toLowerCase().includes(needle)));
    return { items: matches.slice(0, query.limit ?? 20), total: matches.length, stores: [...(servedModel.current()?.meta.storeIds ?? [])] };
  },
});
