import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { countTextRows } from '../../services/core/db/chunk-index.ts';
import { fileForm, waitForDocument } from '../ingest/helpers.ts';
import type { World } from './world.ts';

let world: World;

const keys = (o: unknown) => Object.keys(o as object).sort();
const scored = { id: expect.any(String), content: expect.any(String), score: expect.any(Number) };

/** Status codes and response shapes of every route in the contract table. */
export function shapesSuite(get: () => World): void {
  describe('response shapes of the public contract', () => {
    beforeAll(() => {
      world = get();
    });
    it('auth: 201 {user, token} on register, 200 {user} on me, 204 on logout, no secrets in users', async () => {
      const { api } = world;
      const reg = await api.call('POST', '/api/auth/register', {
        body: { email: 'shape@contract.example', password: 'a long password', name: 'Shape' },
      });
      expect(reg.status).toBe(201);
      expect(keys(reg.json)).toEqual(['token', 'user']);
      expect(reg.json.user).toMatchObject({ email: 'shape@contract.example', name: 'Shape', role: 'user' });
      const me = await api.call('GET', '/api/auth/me', { token: reg.json.token });
      expect(me.status).toBe(200);
      expect(keys(me.json)).toEqual(['user']);
      expect(me.text).not.toMatch(/password|hash/i);
      expect((await api.call('POST', '/api/auth/logout', { token: reg.json.token })).status).toBe(204);
    });

    it('api keys: 201 {apiKey, key}, {items} without the key, 204 on revoke', async () => {
      const { api, alice } = world;
      const created = await api.call('POST', '/api/api-keys', { token: alice.token, body: { name: 'shape' } });
      expect(created.status).toBe(201);
      expect(keys(created.json)).toEqual(['apiKey', 'key']);
      const list = await api.call('GET', '/api/api-keys', { token: alice.token });
      expect(keys(list.json)).toEqual(['items']);
      expect(list.text).not.toContain(created.json.key);
      expect(list.text).not.toMatch(/key_?hash/i);
      const del = await api.call('DELETE', `/api/api-keys/${created.json.apiKey.id}`, { token: alice.token });
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
    });

    it('kbs: {items}, 201 {kb}, {kb} on read and patch, 204 on delete then 404', async () => {
      const { api, alice } = world;
      const as = { token: alice.token };
      const list = await api.call('GET', '/api/kbs', as);
      expect(keys(list.json)).toEqual(['items']);
      const created = await api.call('POST', '/api/kbs', { ...as, body: { title: 'Shape KB' } });
      expect(created.status).toBe(201);
      expect(keys(created.json)).toEqual(['kb']);
      const id = created.json.kb.id;
      expect(keys((await api.call('GET', `/api/kbs/${id}`, as)).json)).toEqual(['kb']);
      const patched = await api.call('PATCH', `/api/kbs/${id}`, { ...as, body: { description: 'changed' } });
      expect(patched.status).toBe(200);
      expect(patched.json.kb).toMatchObject({ title: 'Shape KB', description: 'changed' });
      expect((await api.call('DELETE', `/api/kbs/${id}`, as)).status).toBe(204);
      expect((await api.call('GET', `/api/kbs/${id}`, as)).status).toBe(404);
    });

    it('documents: 202 {document} with every ingest field; {items}; chunks by layer; reprocess 202', async () => {
      const { api, alice } = world;
      const as = { token: alice.token };
      const doc = await api.call('GET', `/api/documents/${alice.documentId}`, as);
      expect(doc.status).toBe(200);
      expect(keys(doc.json)).toEqual(['document']);
      for (const k of ['status', 'progress', 'stage', 'error', 'summary', 'parentCount', 'childCount']) {
        expect(doc.json.document, k).toHaveProperty(k);
      }
      expect(doc.json.document).toMatchObject({ status: 'completed', progress: 100, error: null });
      expect(doc.json.document.summary).toEqual(expect.any(String));
      expect(doc.json.document.parentCount).toBeGreaterThan(0);
      expect(doc.json.document.childCount).toBeGreaterThan(0);
      expect(doc.text).not.toMatch(/storageKey|storage_key|userId/);

      const list = await api.call('GET', `/api/kbs/${alice.kbId}/documents`, as);
      expect(keys(list.json)).toEqual(['items']);
      for (const layer of ['document', 'parent', 'child'] as const) {
        const chunks = await api.call('GET', `/api/documents/${alice.documentId}/chunks?layer=${layer}`, as);
        expect(keys(chunks.json)).toEqual(['items']);
        expect(chunks.json.items.length, layer).toBeGreaterThan(0);
        expect(chunks.json.items.every((c: { layer: string }) => c.layer === layer)).toBe(true);
      }
      const bad = await api.call('GET', `/api/documents/${alice.documentId}/chunks?layer=paragraph`, as);
      expect(bad.status).toBe(400);

      const again = await api.call('POST', `/api/documents/${alice.documentId}/reprocess`, as);
      expect(again.status).toBe(202);
      expect(keys(again.json)).toEqual(['document']);
      expect(['queued', 'processing', 'completed']).toContain(again.json.document.status);
      expect((await waitForDocument(api, alice.token, alice.documentId)).status).toBe('completed');
    });

    it('document delete: 204 and the file, chunks, full text rows and vectors are gone', async () => {
      const { api, alice, deps } = world;
      const as = { token: alice.token };
      const up = await api.call('POST', `/api/kbs/${alice.kbId}/documents`, {
        ...as,
        body: fileForm('doomed.md', '# Doomed\n\nThis passage about doomed lighthouses will be deleted.\n'),
      });
      expect(up.status).toBe(202);
      expect(keys(up.json)).toEqual(['document']);
      expect(up.json.document.status).toBe('queued');
      const id = up.json.document.id;
      await waitForDocument(api, alice.token, id);
      const { storage_key: key } = deps.db.sqlite.prepare('SELECT storage_key FROM documents WHERE id = ?').get(id) as {
        storage_key: string;
      };
      expect(existsSync(join(deps.config.FILES_DIR, key))).toBe(true);
      const vectorsBefore = await deps.vectors.count({ userId: alice.userId, kbId: alice.kbId });

      const del = await api.call('DELETE', `/api/documents/${id}`, as);
      expect(del.status).toBe(204);
      expect(existsSync(join(deps.config.FILES_DIR, key))).toBe(false);
      const left = (sql: string) => (deps.db.sqlite.prepare(sql).get(id) as { n: number }).n;
      expect(left('SELECT count(*) AS n FROM chunks WHERE document_id = ?')).toBe(0);
      expect(countTextRows(deps.db, { documentId: id }).n).toBe(0);
      expect(await deps.vectors.count({ userId: alice.userId, kbId: alice.kbId })).toBeLessThan(vectorsBefore);
      expect(await deps.vectors.count({ userId: alice.userId, documentIds: [id] })).toBe(0);
      expect((await api.call('GET', `/api/documents/${id}`, as)).status).toBe(404);
      expect((await api.call('DELETE', `/api/documents/${id}`, as)).status).toBe(404);
    });

    it('search: {mode, query, tookMs, hits} with document, parent and children, each scored', async () => {
      const { api, alice } = world;
      for (const mode of ['drill-down', 'drill-down-relaxed', 'flat'] as const) {
        const res = await api.call('POST', '/api/search', {
          token: alice.token,
          body: { kbId: alice.kbId, query: 'zanzibar crate storage', mode, topK: 3, hybrid: mode === 'flat' },
        });
        expect(res.status, res.text).toBe(200);
        expect(keys(res.json)).toEqual(['hits', 'mode', 'query', 'tookMs']);
        expect(res.json).toMatchObject({ mode, query: 'zanzibar crate storage', tookMs: expect.any(Number) });
        expect(res.json.hits.length, mode).toBeGreaterThan(0);
        for (const hit of res.json.hits) {
          expect(keys(hit)).toEqual(['children', 'document', 'parent']);
          expect(keys(hit.document)).toEqual(['fileName', 'id', 'metadata', 'score', 'summary']);
          expect(hit.document).toMatchObject({ id: alice.documentId, fileName: 'zanzibar-handbook.md' });
          expect(keys(hit.parent)).toEqual(['content', 'id', 'score']);
          expect(hit.parent).toMatchObject(scored);
          expect(hit.children.length).toBeGreaterThan(0);
          expect(hit.children.length).toBeLessThanOrEqual(3);
          for (const child of hit.children) {
            expect(keys(child)).toEqual(['content', 'id', 'score', 'signals']);
            expect(child).toMatchObject(scored);
          }
        }
      }
    });

    it('chat: 201 {session}, {items}, {message, citations} on a question', async () => {
      const { api, alice } = world;
      const as = { token: alice.token };
      const created = await api.call('POST', '/api/chat/sessions', { ...as, body: { kbId: alice.kbId } });
      expect(created.status).toBe(201);
      expect(keys(created.json)).toEqual(['session']);
      const list = await api.call('GET', `/api/chat/sessions?kbId=${alice.kbId}`, as);
      expect(keys(list.json)).toEqual(['items']);
      expect(list.json.items.map((s: { id: string }) => s.id)).toContain(created.json.session.id);
      const path = `/api/chat/sessions/${created.json.session.id}/messages`;
      const asked = await api.call('POST', path, {
        ...as,
        body: { content: 'When does the zanzibar procedure start?' },
      });
      expect(asked.status, asked.text).toBe(200);
      expect(keys(asked.json)).toEqual(['citations', 'message']);
      expect(asked.json.message).toMatchObject({ role: 'assistant', content: expect.any(String) });
      expect(asked.json.citations).toEqual(expect.any(Array));
      const history = await api.call('GET', path, as);
      expect(keys(history.json)).toEqual(['items']);
      expect(history.json.items).toHaveLength(2);
    });

    it('notes: 201 {note}, {items}, {note}, {shareUrl}, 204 on unshare and delete', async () => {
      const { api, alice } = world;
      const as = { token: alice.token };
      const created = await api.call('POST', `/api/kbs/${alice.kbId}/notes`, { ...as, body: { title: 'Shape note' } });
      expect(created.status).toBe(201);
      expect(keys(created.json)).toEqual(['note']);
      const id = created.json.note.id;
      expect(keys((await api.call('GET', `/api/kbs/${alice.kbId}/notes`, as)).json)).toEqual(['items']);
      expect(keys((await api.call('GET', `/api/notes/${id}`, as)).json)).toEqual(['note']);
      const patched = await api.call('PATCH', `/api/notes/${id}`, { ...as, body: { title: 'Renamed' } });
      expect(patched.json.note.title).toBe('Renamed');
      const shared = await api.call('POST', `/api/notes/${id}/share`, as);
      expect(shared.status).toBe(200);
      expect(keys(shared.json)).toEqual(['shareUrl']);
      expect(shared.json.shareUrl).toMatch(/^http:\/\/localhost\/shared\/notes\/[A-Za-z0-9_-]{20,}$/);
      expect((await api.call('DELETE', `/api/notes/${id}/share`, as)).status).toBe(204);
      expect((await api.call('DELETE', `/api/notes/${id}`, as)).status).toBe(204);
    });

    it('/v1: a model list in OpenAI format and a completion answered from the KB', async () => {
      const { api, alice } = world;
      const models = await api.call('GET', '/v1/models', { token: alice.apiKey });
      expect(models.json.object).toBe('list');
      expect(models.json.data).toContainEqual(expect.objectContaining({ id: `kb:${alice.kbId}`, object: 'model' }));
      const done = await api.call('POST', '/v1/chat/completions', {
        token: alice.apiKey,
        body: { model: `kb:${alice.kbId}`, messages: [{ role: 'user', content: 'When does the procedure start?' }] },
      });
      expect(done.status, done.text).toBe(200);
      expect(done.json).toMatchObject({ object: 'chat.completion', model: `kb:${alice.kbId}` });
      expect(done.json.choices[0].message).toMatchObject({ role: 'assistant', content: expect.any(String) });
    });
  });
}
