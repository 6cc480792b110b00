import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { countTextRows } from '../../services/core/db/chunk-index.ts';
import { fileForm, waitForDocument } from '../ingest/helpers.ts';
import type { World } from './world.ts';

let world: World;

const count = (sql: string, arg: string) => (world.deps.db.sqlite.prepare(sql).get(arg) as { n: number }).n;

/** Deleting a KB takes everything in it along, including public share links. */
export function deletionSuite(get: () => World): void {
  describe('deleting a knowledge base', () => {
    beforeAll(() => {
      world = get();
    });

    it('removes its documents, files, chunks, vectors, sessions, notes and share links', async () => {
      const { api, alice, deps } = world;
      const as = { token: alice.token };
      const kbId = (await api.call('POST', '/api/kbs', { ...as, body: { title: 'Short-lived' } })).json.kb.id;
      const up = await api.call('POST', `/api/kbs/${kbId}/documents`, {
        ...as,
        body: fileForm('ephemeral.md', '# Ephemeral\n\nThe ephemeral archive is burnt at noon.\n'),
      });
      const documentId = up.json.document.id;
      await waitForDocument(api, alice.token, documentId);
      const key = (
        deps.db.sqlite.prepare('SELECT storage_key AS k FROM documents WHERE id = ?').get(documentId) as {
          k: string;
        }
      ).k;
      const sessionId = (await api.call('POST', '/api/chat/sessions', { ...as, body: { kbId } })).json.session.id;
      await api.call('POST', `/api/chat/sessions/${sessionId}/messages`, { ...as, body: { content: 'When?' } });
      const noteId = (await api.call('POST', `/api/kbs/${kbId}/notes`, { ...as, body: { title: 'Ephemeral' } })).json
        .note.id;
      const share = new URL((await api.call('POST', `/api/notes/${noteId}/share`, as)).json.shareUrl).pathname;
      expect((await api.call('GET', share)).status).toBe(200);
      expect(await deps.vectors.count({ userId: alice.userId, kbId })).toBeGreaterThan(0);

      expect((await api.call('DELETE', `/api/kbs/${kbId}`, as)).status).toBe(204);

      expect((await api.call('GET', share)).status).toBe(404);
      for (const path of [
        `/api/kbs/${kbId}`,
        `/api/documents/${documentId}`,
        `/api/chat/sessions/${sessionId}`,
        `/api/chat/sessions/${sessionId}/messages`,
        `/api/notes/${noteId}`,
      ]) {
        expect((await api.call('GET', path, as)).status, path).toBe(404);
      }
      expect(existsSync(join(deps.config.FILES_DIR, key))).toBe(false);
      expect(await deps.vectors.count({ userId: alice.userId, kbId })).toBe(0);
      expect(count('SELECT count(*) AS n FROM chunks WHERE kb_id = ?', kbId)).toBe(0);
      expect(countTextRows(deps.db, { kbId }).n).toBe(0);
      expect(count('SELECT count(*) AS n FROM notes WHERE kb_id = ?', kbId)).toBe(0);
      expect(count('SELECT count(*) AS n FROM chat_sessions WHERE kb_id = ?', kbId)).toBe(0);
      expect(count('SELECT count(*) AS n FROM chat_messages WHERE session_id = ?', sessionId)).toBe(0);
      expect((await api.call('DELETE', `/api/kbs/${kbId}`, as)).status).toBe(404);
    });

    it('leaves the other KBs of the same user whole', async () => {
      const { api, alice } = world;
      const doc = await api.call('GET', `/api/documents/${alice.documentId}`, { token: alice.token });
      expect(doc.json.document.status).toBe('completed');
      const found = await api.call('POST', '/api/search', {
        token: alice.token,
        body: { kbId: alice.kbId, query: 'zanzibar procedure' },
      });
      expect(found.json.hits.length).toBeGreaterThan(0);
    });
  });
}
