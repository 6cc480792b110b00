import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactText, reanalyseStaleText } from '../../services/core/db/text-maintenance.ts';
import { LOCAL_EMBEDDING_MODEL } from '../../services/core/embedder/local.ts';
import { processDocument } from '../../services/core/ingest/pipeline.ts';
import { EXACT_MARK } from '../../services/core/text/tokenize.ts';
import { createRootApp } from '../../services/root.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { client } from '../helpers/http.ts';
import { FIXTURE_FACTS as facts } from './facts.ts';

/** One directory per landed version, made by `make-fixture.ts` at that version. */
const FIXTURES = new URL('../fixtures/upgrade/', import.meta.url);
const versions = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

interface Made {
  kbId: string;
  adminKbId: string;
  noteId: string;
  shareUrl: string;
  sessionId: string;
  apiKey: string;
  revokedToken: string;
}

describe.each(versions)('an installation made by version %s', (version) => {
  const made: Made = JSON.parse(readFileSync(new URL(`${version}/made.json`, FIXTURES), 'utf8'));
  let deps: TestDeps;
  let api: ReturnType<typeof client>;
  let token: string;
  /** The embedding model the installation searched with when it was made. */
  let madeWithModel: string;

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cos-upgrade-'));
    cpSync(new URL(`${version}/data`, FIXTURES), dataDir, { recursive: true });
    const fixtureDb = new Database(join(dataDir, 'context-os.db'), { readonly: true });
    madeWithModel = (
      fixtureDb.prepare("SELECT model FROM embedding_indexes WHERE state = 'active'").get() as { model: string }
    ).model;
    fixtureDb.close();
    deps = await createTestDeps({ DATA_DIR: dataDir });
    api = client(createRootApp(deps));
    const login = await api.call('POST', '/api/auth/login', {
      body: { email: facts.user.email, password: facts.user.password },
    });
    expect(login.status).toBe(200);
    token = login.json.token;
  });
  afterAll(async () => deps.cleanup());

  it('keeps both accounts, their passwords and the first one as admin', async () => {
    const admin = await api.call('POST', '/api/auth/login', {
      body: { email: facts.admin.email, password: facts.admin.password },
    });
    expect(admin.status).toBe(200);
    expect(admin.json.user.role).toBe('admin');
    const me = await api.call('GET', '/api/auth/me', { token });
    expect(me.json.user.email).toBe(facts.user.email);
  });

  it('keeps the API key working and the logged-out token revoked', async () => {
    const byKey = await api.call('GET', '/api/kbs', { token: made.apiKey });
    expect(byKey.status).toBe(200);
    expect(byKey.json.items.map((k: { title: string }) => k.title)).toEqual([facts.kbTitle]);
    expect((await api.call('GET', '/api/auth/me', { token: made.revokedToken })).status).toBe(401);
  });

  it('keeps the documents with their state, summaries and chunks', async () => {
    const { json } = await api.call('GET', `/api/kbs/${made.kbId}/documents`, { token });
    const byName = new Map(json.items.map((d: { fileName: string }) => [d.fileName, d]));
    for (const name of facts.documents) {
      const doc = byName.get(name) as { id: string; status: string; summary: string; childCount: number };
      expect(doc.status).toBe('completed');
      expect(doc.summary.length).toBeGreaterThan(0);
      const children = await api.call('GET', `/api/documents/${doc.id}/chunks?layer=child`, { token });
      expect(children.json.items.length).toBe(doc.childCount);
    }
    const broken = byName.get('broken.pdf') as { status: string; error: string };
    expect(broken.status).toBe('failed');
    expect(broken.error).toMatch(/PDF/);
  });

  it('finds passages of the old index in search', async () => {
    const { status, json } = await api.call('POST', '/api/search', {
      token,
      body: { kbId: made.kbId, query: facts.question, mode: 'flat' },
    });
    expect(status).toBe(200);
    expect(json.hits[0].document.fileName).toBe('tea-brewing.md');
  });

  it('re-analyses the old full text and re-embeds with the current built-in model, search answering throughout', async () => {
    const ask = () =>
      api.call('POST', '/api/search', { token, body: { kbId: made.kbId, query: facts.question, hybrid: true } });
    expect(await reanalyseStaleText(deps)).toBe(facts.documents.length + 1);
    expect(await reanalyseStaleText(deps)).toBe(0);
    expect((await ask()).json.hits[0].document.fileName).toBe('tea-brewing.md');
    // The passages now hold their exact English words; the rewritten rows are merged into one b-tree a layer.
    const sql = (q: string) => deps.db.sqlite.prepare(q).get() as { n: number };
    expect(sql(`SELECT count(*) AS n FROM fts_child WHERE instr(content, '${EXACT_MARK}') > 0`).n).toBeGreaterThan(0);
    expect(await compactText(deps)).toBeGreaterThan(0);
    for (const table of ['fts_document', 'fts_parent', 'fts_child']) {
      expect(sql(`SELECT count(DISTINCT segid) AS n FROM ${table}_idx`).n, table).toBe(1);
    }
    expect(await compactText(deps)).toBe(0);
    expect((await ask()).json.hits[0].document.fileName).toBe('tea-brewing.md');
    // An installation made with the built-in model's first version has everything embedded
    // again; one made with the current model has nothing left to do.
    expect(await deps.embeddingIndex.rebuild()).toBe(madeWithModel !== LOCAL_EMBEDDING_MODEL);
    expect(deps.embeddingIndex.status()).toEqual([
      expect.objectContaining({ model: LOCAL_EMBEDDING_MODEL, state: 'active', progress: 1 }),
    ]);
    const { json } = await ask();
    expect(json.hits[0].document.fileName).toBe('tea-brewing.md');
    expect(json.hits[0].children[0].content).toContain('八十度');
  });

  it('keeps notes, the share link and the chat history', async () => {
    const note = await api.call('GET', `/api/notes/${made.noteId}`, { token });
    expect(note.json.note).toMatchObject(facts.note);
    const shared = await api.call('GET', new URL(made.shareUrl).pathname);
    expect(shared.status).toBe(200);
    expect(shared.text).toContain(facts.note.content);
    const history = await api.call('GET', `/api/chat/sessions/${made.sessionId}/messages`, { token });
    expect(history.json.items.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
    expect(history.json.items[0].content).toBe(facts.question);
  });

  it("keeps the other user's KB out of reach and the stored files reprocessable", async () => {
    expect((await api.call('GET', `/api/kbs/${made.adminKbId}`, { token })).status).toBe(404);
    const { json } = await api.call('GET', `/api/kbs/${made.kbId}/documents`, { token });
    const doc = json.items.find((d: { fileName: string }) => d.fileName === facts.documents[0]);
    expect((await api.call('POST', `/api/documents/${doc.id}/reprocess`, { token })).status).toBe(202);
    await processDocument(deps, doc.id);
    const after = await api.call('GET', `/api/documents/${doc.id}`, { token });
    expect(after.json.document.status).toBe('completed');
  });
});
