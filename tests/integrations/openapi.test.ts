import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../services/gateway/app.ts';
import { routeKeys } from '../../services/gateway/openapi/document.ts';
import { operations } from '../../services/gateway/openapi/operations.ts';
import { adminRoutes, collectionRoutes, ownedRoutes } from '../contract/routes.ts';
import type { Owned } from '../contract/world.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';

let deps: TestDeps;
let app: ReturnType<typeof createApp>;
// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is read as plain JSON
let doc: any;

beforeAll(async () => {
  deps = await createTestDeps();
  app = createApp(deps);
  const res = await app.request('/api/openapi.json');
  expect(res.status).toBe(200);
  doc = await res.json();
});
afterAll(() => deps.cleanup());

const documented = () =>
  Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    Object.keys(item).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
  );

describe('OpenAPI document', () => {
  it('validates as OpenAPI 3.1 with the OpenAPI schema validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(doc.openapi).toBe('3.1.0');
  });

  it('lists every route of the gateway, and nothing the gateway does not answer', () => {
    const routes = routeKeys(app).sort();
    expect(routes.length).toBeGreaterThan(60);
    expect(documented().sort()).toEqual(routes);
    expect(Object.keys(operations).sort()).toEqual(routes);
  });

  it('covers every call of the contract route table', () => {
    const ids: Owned = {
      token: '',
      userId: ':id',
      email: '',
      kbId: ':kbId',
      kbTitle: '',
      documentId: ':docId',
      sessionId: ':id',
      noteId: ':id',
      apiKeyId: ':id',
      apiKey: '',
      memberUserId: ':userId',
      outsiderEmail: '',
      secrets: [],
    };
    const known = new Set(documented());
    const calls = [...ownedRoutes(ids), ...collectionRoutes, ...adminRoutes(ids)];
    for (const call of calls) {
      const path = call.path
        .split('?')[0]
        .replace(/\/invitations\/[0-9a-f-]{36}$/, '/invitations/:id')
        .replace(/\/admin\/users\/:id/, '/admin/users/:id');
      expect(known.has(`${call.method} ${path}`), `${call.method} ${path}`).toBe(true);
    }
  });

  it('carries the request schemas that validate requests', () => {
    const body = (path: string, method: string, media = 'application/json') =>
      doc.paths[path][method].requestBody?.content?.[media]?.schema;
    const search = body('/api/search', 'post');
    expect(search.required).toEqual(expect.arrayContaining(['kbId', 'query']));
    expect(Object.keys(search.properties)).toEqual(
      expect.arrayContaining(['kbId', 'query', 'mode', 'topK', 'hybrid', 'filter']),
    );
    const operators = search.properties.filter.properties.metadata.properties.conditions.items.properties;
    expect(operators.comparison_operator.enum).toEqual(expect.arrayContaining(['contains', '≥', 'before', 'not in']));
    expect(body('/api/documents/{docId}', 'patch').required).toEqual(['metadata']);
    expect(Object.keys(body('/api/kbs/{kbId}/documents', 'post', 'multipart/form-data').properties)).toEqual([
      'file',
      'metadata',
    ]);
    const withoutBody = Object.entries(doc.paths as Record<string, Record<string, { requestBody?: unknown }>>)
      .flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([method, op]) => (method === 'post' || method === 'patch') && !op.requestBody)
          .map(([method]) => `${method.toUpperCase()} ${path}`),
      )
      .sort();
    // Only the calls that send nothing: every other one documents the body it is checked against.
    expect(withoutBody).toEqual([
      'POST /api/admin/users/{id}/reset-link',
      'POST /api/auth/logout',
      'POST /api/documents/{docId}/reprocess',
      'POST /api/notes/{id}/share',
    ]);
    const mcp = body('/mcp', 'post');
    expect(JSON.stringify(mcp)).toContain('"method"');
    const dify = body('/api/dify/retrieval', 'post');
    expect(dify.required).toEqual(expect.arrayContaining(['knowledge_id', 'query', 'retrieval_setting']));
    const audit = doc.paths['/api/admin/audit'].get.parameters.map(
      (p: { name: string; in: string }) => `${p.in}:${p.name}`,
    );
    expect(audit).toEqual(expect.arrayContaining(['query:limit', 'query:before']));
  });

  it('gives every operation its answer and path parameters', () => {
    type Op = {
      operationId?: string;
      summary?: string;
      parameters: Array<{ in: string; name: string }>;
      responses: Record<string, { content?: Record<string, unknown> }>;
    };
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Op>>)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item)) {
        const label = `${method} ${path}`;
        expect(op.operationId, label).toBeTruthy();
        expect(op.summary, label).toBeTruthy();
        const pathParams = op.parameters
          .filter((p: { in: string }) => p.in === 'path')
          .map((p: { name: string }) => p.name);
        expect(pathParams.sort(), label).toEqual([...names].sort());
        const [status, response] = Object.entries(op.responses)[0];
        expect(Number(status), label).toBeGreaterThanOrEqual(200);
        if (status !== '204' && status !== '405') expect(Object.keys(response.content ?? {}).length, label).toBe(1);
      }
    }
    const searchAnswer = doc.paths['/api/search'].post.responses['200'].content['application/json'].schema;
    expect(searchAnswer.$ref ?? searchAnswer.properties).toBeTruthy();
    expect(doc.components.schemas.Document.properties.metadata).toBeDefined();
  });

  it('serves a reference page with its own files and no other host', async () => {
    const page = await app.request('/api/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const src of sources) {
      expect(src).not.toMatch(/^(https?:)?\/\//);
      if (src === 'openapi.json') continue;
      const asset = await app.request(new URL(src, 'http://localhost/api/docs').pathname);
      expect(asset.status, src).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, src).toBeGreaterThan(100);
    }
    expect((await app.request('/api/docs/assets/..%2F..%2Fpackage.json')).status).toBe(404);
    expect((await app.request('/api/docs/assets/constructor')).status).toBe(404);
  });
});
