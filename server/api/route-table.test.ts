import { expect } from 'chai';
import { errorCodes } from '../errors/index.ts';
import { openApiDocument, openApiPath } from './openapi-document.ts';
import { routes } from './route-table.ts';

describe('route table', () => {
  it('names every route once, by operation and by method + path', () => {
    expect(new Set(routes.map((r) => r.operationId)).size).to.equal(routes.length);
    expect(new Set(routes.map((r) => `${r.method} ${r.path}`)).size).to.equal(routes.length);
  });

  it('documents every route of the table with each error it can answer', () => {
    const document = openApiDocument(routes) as { paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> };
    for (const r of routes) {
      const operation = document.paths[openApiPath(r.path)]?.[r.method];
      expect(operation?.operationId, `${r.method} ${r.path}`).to.equal(r.operationId);
      for (const code of [...r.errors, 'internal' as const]) expect(operation.responses).to.have.property(String(errorCodes[code].status));
      if (r.body || r.query || r.params) expect(operation.responses).to.have.property('400');
      if (r.body) expect(operation.responses, `${r.method} ${r.path}`).to.have.property('413');
      if (r.auth) expect(operation, `${r.method} ${r.path}`).to.deep.include({ security: [{ operatorToken: [] }] }).and.to.have.nested.property('responses.401');
    }
  });

  it('keeps the handlers transport-free: no route module imports node:http', async () => {
    const { readFile } = await import('node:fs/promises');
    for (const file of ['route-table.ts', 'route.ts', 'training-routes.ts', 'openapi-document.ts']) {
      expect(await readFile(new URL(`./${file}`, import.meta.url), 'utf8'), file).to.not.match(/from 'node:http'/);
    }
  });
});
