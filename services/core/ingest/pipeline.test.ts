import { afterEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../../tests/helpers/deps.ts';
import { type RunningMock, startMockOneApi } from '../../../tests/helpers/mock-oneapi.ts';
import { registerUser } from '../auth/users.ts';
import { textSegments } from '../db/chunk-index.ts';
import { chunkLayers } from '../db/schema.ts';
import { MERGE_SEGMENTS } from '../db/text-maintenance.ts';
import { createDocument } from '../documents/create.ts';
import { getDocument } from '../documents/index.ts';
import { reprocessDocument } from '../documents/reprocess.ts';
import { createKb } from '../kbs/index.ts';
import { chunkId } from './ids.ts';
import { MAX_STARTS } from './pipeline.ts';
import { startIngestWorker } from './worker.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(env: Record<string, string> = {}) {
  const deps: TestDeps = await createTestDeps(env);
  cleanups.push(() => deps.cleanup());
  const user = await registerUser(deps.db, { email: 'p@example.com', password: 'pipeline password' }, 'open');
  const kb = createKb(deps.db, { userId: user.id }, { title: 'KB' });
  const upload = (fileName: string, text: string) =>
    createDocument(deps, { userId: user.id }, kb.id, { fileName, bytes: Buffer.from(text) });
  const settled = async (id: string, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const doc = getDocument(deps.db, { userId: user.id }, id);
      if (doc.status === 'completed' || doc.status === 'failed') return doc;
      if (Date.now() > deadline) throw new Error(`still ${doc.status}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { deps, user, kb, upload, settled };
}

describe('ingest pipeline', () => {
  it('derives the same chunk id for the same place, different ones elsewhere', () => {
    const a = chunkId('doc-1', 'child', 3);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(chunkId('doc-1', 'child', 3)).toBe(a);
    expect(
      new Set([a, chunkId('doc-1', 'parent', 3), chunkId('doc-1', 'child', 4), chunkId('doc-2', 'child', 3)]).size,
    ).toBe(4);
  });

  it('walks through every stage with rising progress', async () => {
    const { deps, upload, settled } = await setup();
    deps.db.sqlite.exec(`CREATE TABLE stage_log (stage TEXT, progress INTEGER);
      CREATE TRIGGER log_stage AFTER UPDATE OF stage, progress ON documents
      BEGIN INSERT INTO stage_log VALUES (new.stage, new.progress); END;`);
    const worker = await startIngestWorker(deps);
    cleanups.push(() => worker.stop());
    const doc = await settled(
      (await upload('stages.md', `# Stages\n\n${'Progress is written as it goes. '.repeat(400)}`)).id,
    );
    expect(doc.status).toBe('completed');
    const log = deps.db.sqlite.prepare('SELECT stage, progress FROM stage_log').all() as Array<{
      stage: string | null;
      progress: number;
    }>;
    const stages = [...new Set(log.map((l) => l.stage).filter((s) => s !== null))];
    expect(stages).toEqual(['parsing', 'summarizing', 'chunking', 'embedding', 'indexing']);
    const progress = log.map((l) => l.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(100);
  });

  it('ends the parsing process once no document is left waiting', async () => {
    const { deps, upload, settled } = await setup({ PARSE_IDLE_MS: '600000' });
    const worker = await startIngestWorker(deps);
    cleanups.push(() => worker.stop());
    const docs = await Promise.all(['a', 'b'].map((n) => upload(`${n}.md`, `# ${n}\n\nSome text about ${n}.`)));
    for (const doc of docs) expect((await settled(doc.id, 40_000)).status).toBe('completed');
    await expect.poll(() => deps.parser.running, { timeout: 5_000 }).toBe(false);
  }, 60_000);

  it('fails at once when the stored file has vanished, and a queue retry runs it again', async () => {
    const { deps, user, upload, settled } = await setup();
    const doc = await upload('lost.md', '# Lost\nThis file will vanish.');
    const key = (
      deps.db.sqlite.prepare('SELECT storage_key AS k FROM documents WHERE id = ?').get(doc.id) as { k: string }
    ).k;
    await deps.storage.delete(key);
    const worker = await startIngestWorker(deps);
    cleanups.push(() => worker.stop());
    const failed = await settled(doc.id);
    expect(failed).toMatchObject({ status: 'failed', error: 'The uploaded file is missing from storage', attempts: 1 });
    expect((await deps.queue.failedJobs()).map((j) => j.documentId)).toEqual([doc.id]);

    await deps.storage.put(key, Buffer.from('# Found\nThe file is back.'));
    await deps.queue.retry(doc.id);
    // The parse runs in a child process: allow for a loaded machine.
    await expect
      .poll(() => getDocument(deps.db, { userId: user.id }, doc.id).status, { timeout: 40_000, interval: 50 })
      .toBe('completed');
    expect(getDocument(deps.db, { userId: user.id }, doc.id)).toMatchObject({ error: null, attempts: 2 });
  }, 60_000);

  it('gives up on a document whose earlier runs kept dying mid-way, and reprocess tries once more', async () => {
    const { deps, user, upload, settled } = await setup();
    const doc = await upload('cursed.md', '# Cursed\nEvery run of this one was killed.');
    deps.db.sqlite
      .prepare("UPDATE documents SET status = 'processing', stage = 'parsing', attempts = ? WHERE id = ?")
      .run(MAX_STARTS, doc.id);
    const worker = await startIngestWorker(deps);
    cleanups.push(() => worker.stop());
    const failed = await settled(doc.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/interrupted 6 times/);
    await reprocessDocument(deps, { userId: user.id }, doc.id);
    expect(await settled(doc.id)).toMatchObject({ status: 'completed', attempts: MAX_STARTS + 1 });
  });

  it('picks up a document left queued without a job on its next reconcile', async () => {
    const { deps, user, upload, settled } = await setup();
    const worker = await startIngestWorker(deps, { reconcileIntervalMs: 100 });
    cleanups.push(() => worker.stop());
    const doc = await upload('orphan.md', '# Orphan\nIts job was lost.');
    expect((await settled(doc.id)).attempts).toBe(1);
    deps.db.sqlite.prepare("UPDATE documents SET status = 'queued' WHERE id = ?").run(doc.id);
    const deadline = Date.now() + 5000;
    while (getDocument(deps.db, { userId: user.id }, doc.id).attempts < 2) {
      if (Date.now() > deadline) throw new Error('reconciler did not re-enqueue');
      await new Promise((r) => setTimeout(r, 25));
    }
    expect((await settled(doc.id)).status).toBe('completed');
  });

  it('merges the full-text index once the queue has been quiet, and not after stop', async () => {
    const { deps, upload, settled } = await setup();
    const segments = () => chunkLayers.map((layer) => textSegments(deps.db, layer));
    const first = await startIngestWorker(deps, { mergeQuietMs: 300 });
    const docs = await Promise.all(
      ['tea', 'coffee', 'cocoa', 'mate', 'chai', 'kvass'].map((n) =>
        upload(`${n}.md`, `# ${n}\n\nHow to make ${n} at home, step by step.`),
      ),
    );
    for (const doc of docs) expect((await settled(doc.id, 40_000)).status).toBe('completed');
    first.stop();
    const before = segments();
    expect(Math.min(...before)).toBeGreaterThan(MERGE_SEGMENTS);
    await new Promise((r) => setTimeout(r, 600));
    expect(segments()).toEqual(before);

    const second = await startIngestWorker(deps, { mergeQuietMs: 100 });
    cleanups.push(() => second.stop());
    expect((await settled((await upload('water.md', '# Water\n\nBoil it.')).id, 40_000)).status).toBe('completed');
    await expect.poll(segments, { timeout: 5_000 }).toEqual([1, 1, 1]);
  }, 60_000);

  describe('with ONEAPI', () => {
    let mock: RunningMock;
    it('summarises with SUMMARY_MODEL and embeds through the gateway', async () => {
      mock = await startMockOneApi();
      cleanups.push(() => mock.stop());
      const { deps, upload, settled } = await setup({
        ONEAPI_BASE_URL: mock.baseUrl,
        ONEAPI_KEY: 'test-key',
        SUMMARY_MODEL: 'deepseek-chat',
      });
      const worker = await startIngestWorker(deps);
      cleanups.push(() => worker.stop());
      const doc = await settled((await upload('llm.md', '# Model summary\nThe model writes this summary.')).id);
      expect(doc.status).toBe('completed');
      expect(doc.summary).toContain('Mock answer from deepseek-chat');
      expect(mock.requests('/embeddings').length).toBeGreaterThan(0);
      expect(await deps.vectors.count({ documentIds: [doc.id] })).toBe(1 + doc.parentCount + doc.childCount);
    });
  });
});
