import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sign } from 'hono/jwt';
import { afterEach, describe, expect, it } from 'vitest';
import { hashSecret } from '../../services/core/auth/tokens.ts';
import { createApp } from '../../services/gateway/app.ts';
import { createTestDeps } from '../helpers/deps.ts';
import { client } from '../helpers/http.ts';
import { previousVersionDatabase } from '../helpers/migrations.ts';

/** The last migration before accounts and access. */
const BEFORE = '0002_revoked_tokens';

/** The previous version's data, written by plain SQL. */
const SEED = `
    INSERT INTO users (id, email, name, password_hash, role) VALUES
      ('u-ann', 'ann@example.com', 'Ann', 'hash-a', 'admin'), ('u-ben', 'ben@example.com', 'Ben', 'hash-b', 'user');
    INSERT INTO knowledge_bases (id, user_id, title) VALUES
      ('kb-ann-1', 'u-ann', 'Ann one'), ('kb-ann-2', 'u-ann', 'Ann two'), ('kb-ben', 'u-ben', 'Ben only');
    INSERT INTO documents (id, user_id, kb_id, file_name, mime_type, size, sha256, storage_key, status) VALUES
      ('d-ann', 'u-ann', 'kb-ann-1', 'a.md', 'text/markdown', 3, 'x', 'u-ann/d-ann/a.md', 'completed'),
      ('d-ben', 'u-ben', 'kb-ben', 'b.md', 'text/markdown', 3, 'y', 'u-ben/d-ben/b.md', 'completed');
    INSERT INTO chunks (id, user_id, kb_id, document_id, layer, position, content) VALUES
      ('c-ann', 'u-ann', 'kb-ann-1', 'd-ann', 'document', 0, 'ann summary');
    INSERT INTO notes (id, user_id, kb_id, title, content, share_token) VALUES
      ('n-ben', 'u-ben', 'kb-ben', 'Ben note', 'kept', 'share-token-of-ben-0123456789');
    INSERT INTO chat_sessions (id, user_id, kb_id, title) VALUES ('s-ann', 'u-ann', 'kb-ann-2', 'Ann chat');
    INSERT INTO chat_messages (id, session_id, user_id, role, content) VALUES
      ('m-1', 's-ann', 'u-ann', 'user', 'question'), ('m-2', 's-ann', 'u-ann', 'assistant', 'answer');
    INSERT INTO api_keys (id, user_id, name, prefix, key_hash) VALUES
      ('k-ben', 'u-ben', 'old key', 'cos_oldkey', '${hashSecret('cos_old-key-of-ben-0123456789')}');
  `;

describe('the accounts migration', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('upgrades a previous installation in place: every KB owned by its user, nothing lost, old sessions and keys still work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cos-upgrade-'));
    dirs.push(dir);
    const before = new Database(previousVersionDatabase(dir, BEFORE, SEED));
    const counts = (db: Database.Database) =>
      ['users', 'knowledge_bases', 'documents', 'chunks', 'notes', 'chat_sessions', 'chat_messages', 'api_keys'].map(
        (t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n],
      );
    const old = counts(before);
    before.close();

    const deps = await createTestDeps({ DATA_DIR: dir, JWT_SECRET: 's'.repeat(40) });
    try {
      expect(counts(deps.db.sqlite)).toEqual(old);
      expect(deps.db.sqlite.prepare('SELECT kb_id, user_id, role FROM kb_members ORDER BY kb_id').all()).toEqual([
        { kb_id: 'kb-ann-1', user_id: 'u-ann', role: 'owner' },
        { kb_id: 'kb-ann-2', user_id: 'u-ann', role: 'owner' },
        { kb_id: 'kb-ben', user_id: 'u-ben', role: 'owner' },
      ]);

      const api = client(createApp(deps));
      const now = Math.floor(Date.now() / 1000);
      // A session token of the previous version: no token generation in it.
      const annToken = await sign(
        { sub: 'u-ann', role: 'admin', jti: 'old-jti', iat: now, exp: now + 3600 },
        deps.jwtSecret,
        'HS256',
      );
      const kbs = await api.call('GET', '/api/kbs', { token: annToken });
      expect(kbs.status, kbs.text).toBe(200);
      expect(kbs.json.items.map((k: { id: string; role: string }) => [k.id, k.role]).sort()).toEqual([
        ['kb-ann-1', 'owner'],
        ['kb-ann-2', 'owner'],
      ]);
      const messages = await api.call('GET', '/api/chat/sessions/s-ann/messages', { token: annToken });
      expect(messages.json.items.map((m: { content: string }) => m.content)).toEqual(['question', 'answer']);
      expect((await api.call('GET', '/api/documents/d-ann', { token: annToken })).json.document.fileName).toBe('a.md');

      const benKey = { token: 'cos_old-key-of-ben-0123456789' };
      const keys = await api.call('GET', '/api/api-keys', benKey);
      expect(keys.json.items).toEqual([expect.objectContaining({ id: 'k-ben', kbIds: null, readOnly: false })]);
      expect((await api.call('GET', '/api/notes/n-ben', benKey)).json.note).toMatchObject({
        content: 'kept',
        shared: true,
      });
      expect((await api.call('GET', '/shared/notes/share-token-of-ben-0123456789')).status).toBe(200);
      expect((await api.call('GET', '/api/documents/d-ann', benKey)).status).toBe(404);
    } finally {
      await deps.cleanup();
    }
  });
});
