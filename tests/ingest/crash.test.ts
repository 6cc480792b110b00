import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { generateHandbook } from '../../bench/ingest-corpus.ts';
import { countTextRows } from '../../services/core/db/chunk-index.ts';
import { type Db, openDatabase } from '../../services/core/db/index.ts';
import { startIngestWorker } from '../../services/core/ingest/worker.ts';
import { createApp } from '../../services/gateway/app.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { client } from '../helpers/http.ts';
import { type ServiceProcess, startService } from '../helpers/process.ts';
import { fileForm, waitForDocument } from './helpers.ts';
import { hasRedisServer, type PrivateRedis, startPrivateRedis } from './redis-server.ts';

const HANDBOOK = generateHandbook(1536 * 1024, 42);

const handles = new Map<string, Db>();
afterAll(() => {
  for (const db of handles.values()) db.close();
});

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cos-crash-'));
  cleanups.push(() => {
    handles.get(dir)?.close();
    handles.delete(dir);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

async function start(entry: string, env: Record<string, string>): Promise<ServiceProcess> {
  const svc = await startService(entry, env, { timeoutMs: 30_000 });
  cleanups.push(async () => {
    await svc.stop({ signal: 'SIGKILL' });
  });
  return svc;
}

/** Reads the document row straight from the SQLite file, as another process would. */
function row(dataDir: string, id: string) {
  let db = handles.get(dataDir);
  if (!db) {
    db = openDatabase(join(dataDir, 'context-os.db'));
    handles.set(dataDir, db);
  }
  return db.sqlite
    .prepare('SELECT status, stage, progress, parent_count AS p, child_count AS c FROM documents WHERE id = ?')
    .get(id) as { status: string; stage: string | null; progress: number; p: number; c: number };
}

async function waitForStage(dataDir: string, id: string, stages: string[], timeoutMs = 40_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = row(dataDir, id);
    if (r.status === 'processing' && r.stage && stages.includes(r.stage)) return r;
    if (r.status === 'completed' || r.status === 'failed')
      throw new Error(`document finished (${r.status}) before the kill`);
    if (Date.now() > deadline) throw new Error(`document never reached ${stages.join('/')}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

/** Chunk rows, FTS rows and vectors all match the counts on the completed row: nothing doubled. */
async function expectCleanIndex(dataDir: string, id: string) {
  const deps: TestDeps = await createTestDeps({ DATA_DIR: dataDir });
  try {
    const doc = row(dataDir, id);
    expect(doc.status).toBe('completed');
    const expected = 1 + doc.p + doc.c;
    const q = (sql: string) => deps.db.sqlite.prepare(sql).get(id) as { n: number; d: number };
    expect(q('SELECT count(*) AS n, count(DISTINCT id) AS d FROM chunks WHERE document_id = ?')).toEqual({
      n: expected,
      d: expected,
    });
    expect(countTextRows(deps.db, { documentId: id })).toEqual({
      n: expected,
      d: expected,
    });
    expect(await deps.vectors.count({ documentIds: [id] })).toBe(expected);
    expect(doc.c).toBeGreaterThan(500);
  } finally {
    await deps.cleanup();
  }
}

async function http(svc: ServiceProcess, method: string, path: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body && !(body instanceof FormData)) headers['content-type'] = 'application/json';
  const res = await fetch(`${svc.url}${path}`, {
    method,
    headers,
    body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json()) as Record<string, { id: string }> & { token: string } };
}

describe('crash safety', () => {
  it('finishes a document after SIGKILL of the all-in-one process mid-ingest, without duplicates', async () => {
    const dataDir = tempDataDir();
    const env = { DATA_DIR: dataDir };
    let svc = await start('services/main.ts', env);
    const { token } = (
      await http(svc, 'POST', '/api/auth/register', undefined, {
        email: 'k@example.com',
        password: 'crash test password',
      })
    ).json;
    const kb = (await http(svc, 'POST', '/api/kbs', token, { title: 'Crash' })).json.kb;
    const up = await http(svc, 'POST', `/api/kbs/${kb?.id}/documents`, token, fileForm('handbook.md', HANDBOOK));
    expect(up.status).toBe(202);
    const id = up.json.document?.id ?? '';

    await waitForStage(dataDir, id, ['indexing']);
    await svc.stop({ signal: 'SIGKILL' });
    expect(row(dataDir, id).status).toBe('processing');

    svc = await start('services/main.ts', env);
    const deadline = Date.now() + 60_000;
    while (row(dataDir, id).status !== 'completed' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect((await svc.stop({ signal: 'SIGTERM' })).code).toBe(0);
    await expectCleanIndex(dataDir, id);
  }, 120_000);

  it.skipIf(!hasRedisServer)(
    'finishes a document after the BullMQ worker is killed and Redis restarts empty',
    async () => {
      const redis: PrivateRedis = await startPrivateRedis();
      cleanups.push(() => redis.stop());
      const dataDir = tempDataDir();
      const deps = await createTestDeps({ DATA_DIR: dataDir, REDIS_URL: redis.url });
      cleanups.push(() => deps.cleanup());
      expect(deps.queue.kind).toBe('bullmq');
      const api = client(createApp(deps));
      const user = await api.register('bull@example.com');
      const kbId = (await api.call('POST', '/api/kbs', { token: user.token, body: { title: 'Bull' } })).json.kb.id;
      const env = { DATA_DIR: dataDir, REDIS_URL: redis.url };
      let worker = await start('services/ingest-worker/main.ts', env);
      const up = await api.call('POST', `/api/kbs/${kbId}/documents`, {
        token: user.token,
        body: fileForm('handbook.md', HANDBOOK),
      });
      const id: string = up.json.document.id;

      await waitForStage(dataDir, id, ['embedding', 'indexing']);
      await worker.stop({ signal: 'SIGKILL' });
      await redis.restart();
      worker = await start('services/ingest-worker/main.ts', env);
      const doc = await waitForDocument(api, user.token, id, 60_000);
      expect(doc.status).toBe('completed');
      expect((await worker.stop({ signal: 'SIGTERM' })).code).toBe(0);
      await expectCleanIndex(dataDir, id);
    },
    120_000,
  );

  it.skipIf(!hasRedisServer)('re-enqueues queued documents after FLUSHALL when the worker starts', async () => {
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const deps = await createTestDeps({ REDIS_URL: redis.url });
    cleanups.push(() => deps.cleanup());
    const api = client(createApp(deps));
    const user = await api.register('flush@example.com');
    const kbId = (await api.call('POST', '/api/kbs', { token: user.token, body: { title: 'Flush' } })).json.kb.id;
    const up = await api.call('POST', `/api/kbs/${kbId}/documents`, {
      token: user.token,
      body: fileForm('a.md', '# A\nQueued before the flush.'),
    });
    expect((await deps.queue.counts()).waiting).toBe(1);
    const admin = new Redis(redis.url);
    await admin.flushall();
    admin.disconnect();
    expect((await deps.queue.counts()).waiting).toBe(0);
    const worker = await startIngestWorker(deps);
    cleanups.push(() => worker.stop());
    const doc = await waitForDocument(api, user.token, up.json.document.id);
    expect(doc.status).toBe('completed');
  });
});
