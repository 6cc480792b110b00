import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHandbook } from '../../bench/ingest-corpus.ts';
import { countTextRows } from '../../services/core/db/chunk-index.ts';
import type { RunningIngestWorker } from '../../services/core/ingest/worker.ts';
import { startIngestWorker } from '../../services/core/ingest/worker.ts';
import { search } from '../../services/core/search/index.ts';
import { createApp } from '../../services/gateway/app.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { client } from '../helpers/http.ts';
import { makeDocx, makeGbk, makePdf, makePng, makeZip } from './fixtures.ts';
import { fileForm, waitForDocument } from './helpers.ts';

let deps: TestDeps;
let worker: RunningIngestWorker;
let api: ReturnType<typeof client>;
let alice: { token: string; userId: string };
let bob: { token: string; userId: string };
let kbId: string;

beforeAll(async () => {
  deps = await createTestDeps({ MAX_UPLOAD_MB: '1' });
  worker = await startIngestWorker(deps);
  api = client(createApp(deps));
  alice = await api.register('alice@example.com');
  bob = await api.register('bob@example.com');
  kbId = (await api.call('POST', '/api/kbs', { token: alice.token, body: { title: 'Docs' } })).json.kb.id;
});
afterAll(async () => {
  worker.stop();
  await deps.cleanup();
});

const upload = (name: string, bytes: Uint8Array | string, token = alice.token, kb = kbId) =>
  api.call('POST', `/api/kbs/${kb}/documents`, { token, body: fileForm(name, bytes) });

async function ingest(name: string, bytes: Uint8Array | string) {
  const r = await upload(name, bytes);
  expect(r.status, r.text).toBe(202);
  expect(r.json.document).toMatchObject({ status: 'queued', fileName: name.split('/').pop() });
  return waitForDocument(api, alice.token, r.json.document.id);
}

const childText = async (id: string) => {
  const r = await api.call('GET', `/api/documents/${id}/chunks?layer=child`, { token: alice.token });
  return (r.json.items as Array<{ content: string }>).map((c) => c.content).join('\n');
};

const counts = (documentId: string) => ({
  chunks: deps.db.sqlite.prepare('SELECT count(*) AS n FROM chunks WHERE document_id = ?').get(documentId),
  fts: { n: countTextRows(deps.db, { documentId }).n },
});

describe('document ingestion over the API', () => {
  const cases: Array<[string, () => Uint8Array | string, string[]]> = [
    [
      'notes.txt',
      () => 'Plain text notes.\n\nThe backup runs at midnight every day.',
      ['The backup runs at midnight every day.'],
    ],
    [
      'guide.md',
      () => '# Guide\n\n## Install\nRun the installer twice.\n\n## Use\nOpen the dashboard.',
      ['Run the installer twice.', 'Open the dashboard.'],
    ],
    [
      'page.html',
      () => '<html><body><nav>Menu</nav><main><h1>FAQ</h1><p>Passwords rotate monthly.</p></main></body></html>',
      ['Passwords rotate monthly.'],
    ],
    [
      'report.pdf',
      () => makePdf(['Quarterly report', 'Revenue grew by ten percent.']),
      ['Revenue grew by ten percent.'],
    ],
    [
      'policy.docx',
      () => makeDocx([{ text: 'Leave policy', style: 'Heading1' }, { text: 'Staff get twenty days of leave.' }]),
      ['Staff get twenty days of leave.'],
    ],
    [
      '制度.txt',
      () => makeGbk('第一章 总则\n本制度规定数据库每日备份。\n\n第二章 恢复\n恢复演练每季度进行一次。'),
      ['本制度规定数据库每日备份。', '恢复演练每季度进行一次。'],
    ],
  ];

  for (const [name, bytes, sentences] of cases) {
    it(`ingests ${name} to completed with a summary, parents and children holding its text`, async () => {
      const doc = await ingest(name, bytes());
      expect(doc).toMatchObject({ status: 'completed', progress: 100, error: null });
      expect(doc.summary.length).toBeGreaterThan(0);
      expect(doc.parentCount).toBeGreaterThanOrEqual(1);
      expect(doc.childCount).toBeGreaterThanOrEqual(1);
      const text = await childText(doc.id);
      for (const s of sentences) expect(text).toContain(s);
      const summaryLayer = await api.call('GET', `/api/documents/${doc.id}/chunks?layer=document`, {
        token: alice.token,
      });
      expect(summaryLayer.json.items).toHaveLength(1);
      expect(summaryLayer.json.items[0].content).toBe(doc.summary);
      expect(await deps.vectors.count({ documentIds: [doc.id] })).toBe(1 + doc.parentCount + doc.childCount);
    });
  }

  it('lists chunks summary first, then parents, then children, each child under a parent', async () => {
    const doc = await ingest('layers.md', `# Layers\n\n${'Every child knows its parent. '.repeat(300)}`);
    const r = await api.call('GET', `/api/documents/${doc.id}/chunks`, { token: alice.token });
    const items = r.json.items as Array<{ id: string; layer: string; parentId: string | null }>;
    const layers = items.map((c) => c.layer);
    expect(layers).toEqual(
      [...layers].sort(
        (a, b) => ['document', 'parent', 'child'].indexOf(a) - ['document', 'parent', 'child'].indexOf(b),
      ),
    );
    const parents = new Set(items.filter((c) => c.layer === 'parent').map((c) => c.id));
    const children = items.filter((c) => c.layer === 'child');
    expect(children.length).toBe(doc.childCount);
    expect(children.every((c) => c.parentId !== null && parents.has(c.parentId))).toBe(true);
    const bad = await api.call('GET', `/api/documents/${doc.id}/chunks?layer=section`, { token: alice.token });
    expect(bad.status).toBe(400);
  });

  it('makes a completed document findable through all three layers, and gone once deleted', async () => {
    const kb = (await api.call('POST', '/api/kbs', { token: alice.token, body: { title: 'Search' } })).json.kb.id;
    const r = await upload(
      'zebra.md',
      '# Zebra care\n\nZebras need fresh hay and a dust bath every week.',
      alice.token,
      kb,
    );
    const doc = await waitForDocument(api, alice.token, r.json.document.id);
    for (const hybrid of [false, true]) {
      const result = await search(deps, { userId: alice.userId }, { kbId: kb, query: 'zebra hay dust bath', hybrid });
      expect(result.hits[0]?.document.id).toBe(doc.id);
      expect(result.hits[0]?.children.map((c) => c.content).join(' ')).toContain('dust bath');
    }
    await api.call('DELETE', `/api/documents/${doc.id}`, { token: alice.token });
    expect((await search(deps, { userId: alice.userId }, { kbId: kb, query: 'zebra hay dust bath' })).hits).toEqual([]);
  });

  it('ingests a 1 MB Markdown handbook well under a minute with the local embedder', async () => {
    const handbook = generateHandbook(1_000_000, 3);
    expect(Buffer.byteLength(handbook)).toBeGreaterThanOrEqual(1_000_000);
    const started = Date.now();
    const doc = await ingest('handbook.md', handbook);
    const seconds = (Date.now() - started) / 1000;
    expect(doc.status).toBe('completed');
    expect(doc.childCount).toBeGreaterThan(500);
    expect(seconds).toBeLessThan(30);
  });

  it('keeps HTML navigation out of the index', async () => {
    const doc = await ingest(
      'nav.html',
      '<body><nav>Secret menu</nav><p>Visible body text.</p><footer>Foot</footer></body>',
    );
    const text = await childText(doc.id);
    expect(text).toContain('Visible body text.');
    expect(text).not.toContain('Secret menu');
  });

  it('ends broken files in failed with a readable error while others carry on', async () => {
    const broken = await ingest('broken.pdf', '%PDF-1.4\nthis is not really a pdf');
    expect(broken.status).toBe('failed');
    expect(broken.error).toMatch(/PDF could not be read/);
    const scanned = await ingest('scan.pdf', makePdf(['']));
    expect(scanned).toMatchObject({ status: 'failed', error: expect.stringMatching(/No text was found in the PDF/) });
    const badDocx = await ingest('bad.docx', makeZip({ 'word/document.xml': '<w:document><unclosed' }));
    expect(badDocx).toMatchObject({ status: 'failed', error: expect.stringMatching(/Word document/) });
    const fine = await ingest('after.md', '# Still fine\nThe server carries on.');
    expect(fine.status).toBe('completed');
    const again = await api.call('POST', `/api/documents/${broken.id}/reprocess`, { token: alice.token });
    expect(again.json.document).toMatchObject({ status: 'queued', error: null });
    expect(await waitForDocument(api, alice.token, broken.id)).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('refuses disguised, empty and oversized files', async () => {
    const refused: Array<[string, Uint8Array | string, number, string]> = [
      ['photo.pdf', makePng(), 415, 'unsupported_type'],
      ['program.txt', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3]), 415, 'unsupported_type'],
      ['archive.docx', makeZip({ 'a.txt': 'not a word file' }), 415, 'unsupported_type'],
      ['image.png', makePdf(['a pdf named png']), 415, 'unsupported_type'],
      ['empty.txt', '', 400, 'bad_request'],
      ['big.txt', 'x'.repeat(1024 * 1024 + 10), 413, 'payload_too_large'],
      ['huge.txt', 'x'.repeat(2 * 1024 * 1024), 413, 'payload_too_large'],
    ];
    for (const [name, bytes, status, code] of refused) {
      const r = await upload(name, bytes);
      expect([name, r.status, r.json?.error?.code]).toEqual([name, status, code]);
    }
    const missing = await api.call('POST', `/api/kbs/${kbId}/documents`, { token: alice.token, body: new FormData() });
    expect(missing.status).toBe(400);
    const listed = await api.call('GET', `/api/kbs/${kbId}/documents`, { token: alice.token });
    expect((listed.json.items as Array<{ fileName: string }>).map((d) => d.fileName)).not.toContain('photo.pdf');
  });

  it('stores files under FILES_DIR whatever the name says', async () => {
    const doc = await ingest('../../../outside.md', '# Escape\nNothing escapes.');
    expect(doc.fileName).toBe('outside.md');
    expect(existsSync(join(deps.dataDir, '..', 'outside.md'))).toBe(false);
    const row = deps.db.sqlite.prepare('SELECT storage_key AS k, sha256 FROM documents WHERE id = ?').get(doc.id) as {
      k: string;
      sha256: string;
    };
    expect(existsSync(join(deps.config.FILES_DIR, row.k))).toBe(true);
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("answers 404 for another user's documents and KBs", async () => {
    const doc = await ingest('mine.md', '# Mine\nPrivate words.');
    for (const [method, path] of [
      ['GET', `/api/documents/${doc.id}`],
      ['GET', `/api/documents/${doc.id}/chunks`],
      ['POST', `/api/documents/${doc.id}/reprocess`],
      ['DELETE', `/api/documents/${doc.id}`],
      ['GET', `/api/kbs/${kbId}/documents`],
    ] as const) {
      const r = await api.call(method, path, { token: bob.token });
      expect([path, r.status]).toEqual([path, 404]);
    }
    expect((await upload('x.md', '# x', bob.token)).status).toBe(404);
    expect((await api.call('GET', `/api/documents/${doc.id}`)).status).toBe(401);
    expect((await api.call('GET', `/api/documents/${doc.id}`, { token: alice.token })).status).toBe(200);
  });

  it('reprocesses into the same number of chunks, FTS rows and vectors', async () => {
    const doc = await ingest('again.md', `# Again\n\n${'Sentence about retries and idempotence. '.repeat(200)}`);
    const before = { ...counts(doc.id), vectors: await deps.vectors.count({ documentIds: [doc.id] }) };
    const r = await api.call('POST', `/api/documents/${doc.id}/reprocess`, { token: alice.token });
    expect(r.status).toBe(202);
    expect(r.json.document.status).toBe('queued');
    const again = await waitForDocument(api, alice.token, doc.id);
    expect(again.status).toBe('completed');
    expect(again.attempts).toBe(2);
    expect({ ...counts(doc.id), vectors: await deps.vectors.count({ documentIds: [doc.id] }) }).toEqual(before);
  });

  it('deletes a document with its file, chunks, FTS rows and vectors', async () => {
    const doc = await ingest('gone.md', '# Gone\nSoon deleted.');
    const key = (
      deps.db.sqlite.prepare('SELECT storage_key AS k FROM documents WHERE id = ?').get(doc.id) as { k: string }
    ).k;
    expect((await api.call('DELETE', `/api/documents/${doc.id}`, { token: alice.token })).status).toBe(204);
    expect((await api.call('GET', `/api/documents/${doc.id}`, { token: alice.token })).status).toBe(404);
    expect(counts(doc.id)).toEqual({ chunks: { n: 0 }, fts: { n: 0 } });
    expect(await deps.vectors.count({ documentIds: [doc.id] })).toBe(0);
    expect(await deps.storage.exists(key)).toBe(false);
    expect((await api.call('DELETE', `/api/documents/${doc.id}`, { token: alice.token })).status).toBe(404);
  });

  it('deleting a KB removes its files and vectors', async () => {
    const kb = (await api.call('POST', '/api/kbs', { token: alice.token, body: { title: 'Temp' } })).json.kb.id;
    const r = await upload('temp.md', '# Temp\nTemporary words.', alice.token, kb);
    const doc = await waitForDocument(api, alice.token, r.json.document.id);
    const key = (
      deps.db.sqlite.prepare('SELECT storage_key AS k FROM documents WHERE id = ?').get(doc.id) as { k: string }
    ).k;
    expect((await api.call('DELETE', `/api/kbs/${kb}`, { token: alice.token })).status).toBe(204);
    expect(await deps.storage.exists(key)).toBe(false);
    expect(await deps.vectors.count({ kbId: kb })).toBe(0);
    expect(counts(doc.id)).toEqual({ chunks: { n: 0 }, fts: { n: 0 } });
  });
});
