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
      if (r.public) expect(operation, `${r.method} ${r.path}`).to.deep.include({ security: [], 'x-roles': [] });
      else {
        expect(operation, `${r.method} ${r.path}`).to.deep.include({ security: [{ apiKey: [] }], 'x-roles': [...r.roles] });
        expect(operation.responses).to.have.property('401').and.to.not.equal(undefined);
        expect(operation.responses).to.have.property('403');
        for (const role of r.roles) expect((operation as unknown as { description: string }).description).to.include(`\`${role}\``);
      }
    }
  });

  it('declares on every route either the roles it allows or that it is public, never both or neither', () => {
    for (const r of routes) {
      expect(Boolean(r.public) !== (r.roles !== undefined), `${r.method} ${r.path}`).to.equal(true);
      if (r.roles) expect(r.roles, `${r.method} ${r.path}`).to.not.be.empty;
    }
    expect(routes.filter((r) => r.public).map((r) => r.path).sort()).to.deep.equal(['/healthz', '/openapi.json', '/readyz']);
  });

  it('keeps the handlers transport-free: no route module imports node:http', async () => {
    const { readFile } = await import('node:fs/promises');
    for (const file of ['route-table.ts', 'route.ts', 'training-routes.ts', 'openapi-document.ts']) {
      expect(await readFile(new URL(`./${file}`, import.meta.url), 'utf8'), file).to.not.match(/from 'node:http'/);
    }
  });
});
