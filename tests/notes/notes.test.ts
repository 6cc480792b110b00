import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../services/gateway/app.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { client } from '../helpers/http.ts';

let deps: TestDeps;
let api: ReturnType<typeof client>;
let alice: { token: string };
let bob: { token: string };
let kbId: string;

beforeAll(async () => {
  deps = await createTestDeps();
  api = client(createApp(deps), 'http://ctx.example');
  alice = await api.register('alice-notes@example.com');
  bob = await api.register('bob-notes@example.com');
  kbId = (await api.call('POST', '/api/kbs', { token: alice.token, body: { title: 'Research' } })).json.kb.id;
});
afterAll(() => deps.cleanup());

describe('notes', () => {
  it('creates, lists, edits and deletes a note in a KB', async () => {
    const created = await api.call('POST', `/api/kbs/${kbId}/notes`, {
      token: alice.token,
      body: { title: 'Findings', content: 'first draft' },
    });
    expect(created.status).toBe(201);
    const id = created.json.note.id;
    expect(created.json.note).toMatchObject({ title: 'Findings', content: 'first draft', shared: false });

    const patched = await api.call('PATCH', `/api/notes/${id}`, { token: alice.token, body: { content: 'final' } });
    expect(patched.json.note).toMatchObject({ title: 'Findings', content: 'final' });

    const list = await api.call('GET', `/api/kbs/${kbId}/notes`, { token: alice.token });
    expect(list.json.items.map((n: { id: string }) => n.id)).toContain(id);

    expect((await api.call('DELETE', `/api/notes/${id}`, { token: alice.token })).status).toBe(204);
    expect((await api.call('GET', `/api/notes/${id}`, { token: alice.token })).status).toBe(404);
  });

  it('validates the body', async () => {
    const r = await api.call('POST', `/api/kbs/${kbId}/notes`, { token: alice.token, body: { title: '' } });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('validation_failed');
  });

  it("answers 404 for another user's note and KB", async () => {
    const id = (await api.call('POST', `/api/kbs/${kbId}/notes`, { token: alice.token, body: { title: 'Private' } }))
      .json.note.id;
    for (const [method, path] of [
      ['GET', `/api/notes/${id}`],
      ['PATCH', `/api/notes/${id}`],
      ['DELETE', `/api/notes/${id}`],
      ['POST', `/api/notes/${id}/share`],
      ['GET', `/api/kbs/${kbId}/notes`],
    ] as const) {
      const r = await api.call(method, path, {
        token: bob.token,
        body: method === 'PATCH' ? { title: 'x' } : undefined,
      });
      expect(r.status, `${method} ${path}`).toBe(404);
    }
    expect((await api.call('GET', `/api/notes/${id}`)).status).toBe(401);
  });

  it('shares a note as an escaped read-only page and unsharing makes the link 404', async () => {
    const evil = '<script>alert("x")</script> & <b>bold</b>';
    const id = (
      await api.call('POST', `/api/kbs/${kbId}/notes`, {
        token: alice.token,
        body: { title: 'Shared <i>', content: evil },
      })
    ).json.note.id;
    const shared = await api.call('POST', `/api/notes/${id}/share`, { token: alice.token });
    expect(shared.status).toBe(200);
    const shareUrl: string = shared.json.shareUrl;
    expect(shareUrl).toMatch(/^http:\/\/ctx\.example\/shared\/notes\/[\w-]{32}$/);
    const again = await api.call('POST', `/api/notes/${id}/share`, { token: alice.token });
    expect(again.json.shareUrl).toBe(shareUrl);

    const path = new URL(shareUrl).pathname;
    const page = await api.call('GET', path);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(page.text).not.toContain('<script>');
    expect(page.text).toContain('Shared &lt;i&gt;');
    expect((await api.call('GET', `/api/notes/${id}`, { token: alice.token })).json.note.shared).toBe(true);

    expect((await api.call('DELETE', `/api/notes/${id}/share`, { token: alice.token })).status).toBe(204);
    expect((await api.call('GET', path)).status).toBe(404);
    expect((await api.call('GET', '/shared/notes/not-a-real-token-at-all')).status).toBe(404);
  });

  it('builds share links from PUBLIC_URL when set', async () => {
    const d = await createTestDeps({ PUBLIC_URL: 'https://kb.example.org/' });
    try {
      const c = client(createApp(d));
      const u = await c.register('carol-notes@example.com');
      const kb = (await c.call('POST', '/api/kbs', { token: u.token, body: { title: 'K' } })).json.kb.id;
      const id = (await c.call('POST', `/api/kbs/${kb}/notes`, { token: u.token, body: { title: 'N' } })).json.note.id;
      const r = await c.call('POST', `/api/notes/${id}/share`, { token: u.token });
      expect(r.json.shareUrl).toMatch(/^https:\/\/kb\.example\.org\/shared\/notes\//);
    } finally {
      await d.cleanup();
    }
  });
});
