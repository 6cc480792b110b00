import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResponse, requestInit } from '../helpers/http.ts';
import { type ServiceProcess, startService } from '../helpers/process.ts';
import { hasRedisServer, type PrivateRedis, startPrivateRedis } from './redis-server.ts';

describe.skipIf(!hasRedisServer)('gateway and ingest worker as separate processes on Redis', () => {
  const stops: Array<() => unknown> = [];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  it('the gateway only enqueues; the worker process completes the document', async () => {
    const redis: PrivateRedis = await startPrivateRedis();
    stops.push(() => redis.stop());
    const dataDir = mkdtempSync(join(tmpdir(), 'cos-split-'));
    stops.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = { DATA_DIR: dataDir, REDIS_URL: redis.url };
    const gateway: ServiceProcess = await startService('services/gateway/main.ts', env, { timeoutMs: 30_000 });
    stops.push(() => gateway.stop({ signal: 'SIGKILL' }));

    const call = async (method: string, path: string, token?: string, body?: unknown) =>
      readResponse(await fetch(`${gateway.url}${path}`, requestInit(method, { token, body })));
    const { token } = (
      await call('POST', '/api/auth/register', undefined, { email: 's@example.com', password: 'split services pw' })
    ).json;
    const kbId = (await call('POST', '/api/kbs', token, { title: 'Split' })).json.kb.id;
    const form = new FormData();
    form.append('file', new File(['# Split\nThe worker process indexes this.'], 'split.md'));
    const up = await call('POST', `/api/kbs/${kbId}/documents`, token, form);
    expect(up.status).toBe(202);
    const id = up.json.document.id;

    await new Promise((r) => setTimeout(r, 1000));
    expect((await call('GET', `/api/documents/${id}`, token)).json.document.status).toBe('queued');
    const ready = await call('GET', '/readyz');
    expect(ready.json.checks.find((c: { name: string }) => c.name === 'redis')).toMatchObject({
      ok: true,
      required: true,
    });

    const worker = await startService('services/ingest-worker/main.ts', env, { timeoutMs: 30_000 });
    stops.push(() => worker.stop({ signal: 'SIGKILL' }));
    const deadline = Date.now() + 20_000;
    let doc = (await call('GET', `/api/documents/${id}`, token)).json.document;
    while (doc.status !== 'completed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      doc = (await call('GET', `/api/documents/${id}`, token)).json.document;
    }
    expect(doc).toMatchObject({ status: 'completed', parentCount: 1, childCount: 1 });
    expect((await fetch(`${worker.url}/readyz`)).status).toBe(200);
    expect((await worker.stop({ signal: 'SIGTERM' })).code).toBe(0);
  }, 90_000);
});
