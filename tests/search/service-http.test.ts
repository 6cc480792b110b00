import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_EMBEDDING_MODEL } from '../../services/core/embedder/local.ts';
import { remoteSearch } from '../../services/core/search/remote.ts';
import { createApp as createGateway } from '../../services/gateway/app.ts';
import { type RunningServer, startServer } from '../../services/http/serve.ts';
import { createApp as createSearchService } from '../../services/search/app.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { client } from '../helpers/http.ts';
import { draftFromMarkdown, writeDocument } from './load.ts';

const TOKEN = 'internal-token-for-tests-0123456789';
const DOC = '# Tea\n\n## Green tea\n\nBrew green tea at eighty degrees.\n\nUse a glass cup.';

describe('gateway to search service over HTTP', () => {
  let searchDeps: TestDeps;
  let gatewayDeps: TestDeps;
  let service: RunningServer | undefined;
  let api: ReturnType<typeof client>;
  let base: string;

  beforeEach(async () => {
    searchDeps = await createTestDeps({ INTERNAL_TOKEN: TOKEN });
    service = await startServer(createSearchService(searchDeps), { port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${service.port}`;
    gatewayDeps = await createTestDeps({ DATA_DIR: searchDeps.dataDir, SEARCH_URL: base, INTERNAL_TOKEN: TOKEN });
    api = client(createGateway(gatewayDeps));
  });
  afterEach(async () => {
    await service?.stop(100);
    await gatewayDeps.cleanup();
    await searchDeps.cleanup();
  });

  async function ownerWithDocument() {
    const owner = await api.register(`owner-${Math.random()}@example.com`);
    const kbId = (await api.call('POST', '/api/kbs', { body: { title: 'tea' }, token: owner.token })).json.kb.id;
    await writeDocument(searchDeps, owner.userId, kbId, draftFromMarkdown('tea.md', DOC));
    return { ...owner, kbId };
  }

  it('answers /api/search through the search service', async () => {
    const { token, kbId } = await ownerWithDocument();
    const res = await api.call('POST', '/api/search', { body: { kbId, query: 'green tea degrees', topK: 1 }, token });
    expect(res.status).toBe(200);
    expect(res.json.hits[0].children[0].content).toBe('Brew green tea at eighty degrees.');
    const logged = searchDeps.logLines.map((l) => JSON.parse(l) as { path?: string; status?: number });
    expect(logged).toContainEqual(expect.objectContaining({ path: '/internal/search', status: 200 }));
  });

  it("passes the search service's 404 for another user's KB through", async () => {
    const { kbId } = await ownerWithDocument();
    const other = await api.register('other@example.com');
    const res = await api.call('POST', '/api/search', { body: { kbId, query: 'tea' }, token: other.token });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('not_found');
  });

  it('refuses the internal endpoint without the right token', async () => {
    const { userId, kbId } = await ownerWithDocument();
    const body = JSON.stringify({ userId, kbId, query: 'tea' });
    const post = (authorization?: string) =>
      fetch(`${base}/internal/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
        body,
      });
    expect((await post()).status).toBe(401);
    expect((await post('Bearer wrong-token')).status).toBe(401);
    expect((await post(`Bearer ${TOKEN}x`)).status).toBe(401);
    const ok = await post(`Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect((await ok.json()).hits).toHaveLength(1);
  });

  it('answers /healthz and /readyz with its dependencies', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    const { checks } = (await ready.json()) as { checks: Array<{ name: string; detail?: string }> };
    expect(checks.map((c) => c.name)).toEqual(expect.arrayContaining(['sqlite', 'vectors', 'embedding-index']));
    const { userId, kbId } = await ownerWithDocument();
    await fetch(`${base}/internal/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ userId, kbId, query: 'tea' }),
    });
    const after = (await (await fetch(`${base}/readyz`)).json()) as {
      checks: Array<{ name: string; detail?: string }>;
    };
    expect(after.checks.find((c) => c.name === 'embedding-index')?.detail).toBe(`active ${LOCAL_EMBEDDING_MODEL}`);
  });

  it('answers 503 search_unavailable when the search service is down', async () => {
    const { token, kbId } = await ownerWithDocument();
    await service?.stop(100);
    service = undefined;
    const res = await api.call('POST', '/api/search', { body: { kbId, query: 'tea' }, token });
    expect(res.status).toBe(503);
    expect(res.json.error).toMatchObject({ code: 'search_unavailable', requestId: expect.any(String) });
  });
});

describe('remote search timeout', () => {
  let hanging: Server;
  afterEach(() => new Promise<void>((done) => hanging.close(() => done())));

  it('gives up after the timeout with a 503', async () => {
    hanging = createServer(() => {});
    await new Promise<void>((done) => hanging.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const started = Date.now();
    const err = await remoteSearch(
      { SEARCH_URL: url, INTERNAL_TOKEN: TOKEN },
      'u',
      { kbId: 'k', query: 'q' },
      200,
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'search_unavailable' });
    expect(Date.now() - started).toBeLessThan(2000);
    hanging.closeAllConnections();
  });
});
