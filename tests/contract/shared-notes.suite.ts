import { beforeAll, describe, expect, it } from 'vitest';
import type { World } from './world.ts';

let world: World;

const HOSTILE_TITLE = '<img src=x onerror="alert(1)"> & "quotes"';
const HOSTILE_CONTENT = '<script>alert(document.cookie)</script>\n</div><iframe src="https://evil.example"></iframe>';

async function sharedNote(title = HOSTILE_TITLE, content = HOSTILE_CONTENT) {
  const { api, alice } = world;
  const note = await api.call('POST', `/api/kbs/${alice.kbId}/notes`, { token: alice.token, body: { title, content } });
  const share = await api.call('POST', `/api/notes/${note.json.note.id}/share`, { token: alice.token });
  expect(share.status).toBe(200);
  return { id: note.json.note.id as string, path: new URL(share.json.shareUrl).pathname };
}

/** Shared note pages: escaped, and 404 for any token that is not live. */
export function sharedNotesSuite(get: () => World): void {
  describe('shared notes', () => {
    beforeAll(() => {
      world = get();
    });
    it('renders title and content escaped on the public page, with a strict CSP', async () => {
      const { path } = await sharedNote();
      const res = await world.api.call('GET', path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.text).not.toContain('<script>alert');
      expect(res.text).not.toMatch(/<img[^>]*onerror/i);
      expect(res.text).not.toMatch(/<iframe/i);
      expect(res.text).toContain('&lt;script&gt;alert(document.cookie)&lt;/script&gt;');
      expect(res.text).toContain('&lt;img src=x onerror=');
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      expect(res.headers.get('content-security-policy')).not.toMatch(/script-src/);
      expect(res.text).not.toContain(world.alice.userId);
      expect(res.text).not.toContain(world.alice.kbId);
    });

    it('answers 404 for a wrong, malformed or revoked token and for a deleted note', async () => {
      const { api, alice } = world;
      const { id, path } = await sharedNote('Revocable', 'shared for a while');
      const token = path.split('/').pop() ?? '';
      expect(token.length).toBeGreaterThanOrEqual(20);
      const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      for (const wrong of [flipped, 'x', token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase()]) {
        const res = await api.call('GET', `/shared/notes/${encodeURIComponent(wrong)}`);
        expect(res.status, wrong).toBe(404);
        expect(res.text).not.toContain('shared for a while');
      }
      expect((await api.call('GET', `/shared/notes/${token}/`)).status).not.toBe(200);
      expect((await api.call('GET', path)).status).toBe(200);

      expect((await api.call('DELETE', `/api/notes/${id}/share`, { token: alice.token })).status).toBe(204);
      const revoked = await api.call('GET', path);
      expect(revoked.status).toBe(404);
      expect(revoked.text).not.toContain('shared for a while');

      const again = await api.call('POST', `/api/notes/${id}/share`, { token: alice.token });
      expect(new URL(again.json.shareUrl).pathname).not.toBe(path);
      expect((await api.call('GET', path)).status).toBe(404);
      expect((await api.call('DELETE', `/api/notes/${id}`, { token: alice.token })).status).toBe(204);
      expect((await api.call('GET', new URL(again.json.shareUrl).pathname)).status).toBe(404);
    });

    it('never shares a note that was not shared', async () => {
      const { api, alice, deps } = world;
      const note = await api.call('POST', `/api/kbs/${alice.kbId}/notes`, {
        token: alice.token,
        body: { title: 'Never shared', content: 'private' },
      });
      expect(note.json.note.shared).toBe(false);
      const row = deps.db.sqlite.prepare('SELECT share_token AS t FROM notes WHERE id = ?').get(note.json.note.id) as {
        t: string | null;
      };
      expect(row.t).toBeNull();
      for (const guess of ['null', 'undefined', '', note.json.note.id]) {
        const res = await api.call('GET', `/shared/notes/${guess}`);
        expect(res.status, guess).toBe(404);
        expect(res.text).not.toContain('private');
      }
    });

    it('does not let the share link be written by the owner through the note body', async () => {
      const { api, alice } = world;
      const { id } = await sharedNote('Owned', 'x');
      const res = await api.call('PATCH', `/api/notes/${id}`, {
        token: alice.token,
        body: { shareToken: 'chosen', shared: true },
      });
      expect(res.status).toBe(400);
      expect((await api.call('GET', '/shared/notes/chosen')).status).toBe(404);
    });
  });
}
