import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../../tests/helpers/deps.ts';
import { client } from '../../../tests/helpers/http.ts';
import { createApp } from '../app.ts';

describe('knowledge bases', () => {
  let deps: TestDeps;
  let api: ReturnType<typeof client>;
  beforeEach(async () => {
    deps = await createTestDeps();
    api = client(createApp(deps));
  });
  afterEach(() => deps.cleanup());

  it('creates, lists, reads, updates and deletes a KB', async () => {
    const { token } = await api.register('owner@example.com');
    const created = await api.call('POST', '/api/kbs', { body: { title: ' 产品手册 ', description: 'Docs' }, token });
    expect(created.status).toBe(201);
    expect(created.json.kb).toMatchObject({ title: '产品手册', description: 'Docs' });
    const id = created.json.kb.id;
    expect((await api.call('GET', '/api/kbs', { token })).json.items.map((k: { id: string }) => k.id)).toEqual([id]);
    expect((await api.call('GET', `/api/kbs/${id}`, { token })).json.kb.id).toBe(id);
    const patched = await api.call('PATCH', `/api/kbs/${id}`, { body: { title: 'Handbook' }, token });
    expect(patched.json.kb).toMatchObject({ title: 'Handbook', description: 'Docs' });
    expect((await api.call('DELETE', `/api/kbs/${id}`, { token })).status).toBe(204);
    expect((await api.call('GET', `/api/kbs/${id}`, { token })).status).toBe(404);
    expect((await api.call('DELETE', `/api/kbs/${id}`, { token })).status).toBe(404);
  });

  it.each([
    [{}, /title/],
    [{ title: '' }, /title/],
    [{ title: 'x', owner: 'me' }, /unrecognized|owner/i],
    [{ title: 'x'.repeat(201) }, /title/],
  ])('refuses %j with 400', async (body, message) => {
    const { token } = await api.register('v@example.com');
    const res = await api.call('POST', '/api/kbs', { body, token });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(message);
  });

  it('refuses an empty PATCH', async () => {
    const { token } = await api.register('p@example.com');
    const { json } = await api.call('POST', '/api/kbs', { body: { title: 't' }, token });
    expect((await api.call('PATCH', `/api/kbs/${json.kb.id}`, { body: {}, token })).status).toBe(400);
  });

  it("answers 404 on every route for another user's KB and leaks nothing", async () => {
    const alice = await api.register('alice@example.com');
    const bob = await api.register('bob@example.com');
    const { json } = await api.call('POST', '/api/kbs', { body: { title: 'Secret plans' }, token: alice.token });
    const id = json.kb.id;
    const attempts = [
      await api.call('GET', `/api/kbs/${id}`, { token: bob.token }),
      await api.call('PATCH', `/api/kbs/${id}`, { body: { title: 'mine' }, token: bob.token }),
      await api.call('DELETE', `/api/kbs/${id}`, { token: bob.token }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe('not_found');
      expect(res.text).not.toContain('Secret plans');
    }
    expect((await api.call('GET', '/api/kbs', { token: bob.token })).json.items).toEqual([]);
    expect((await api.call('GET', `/api/kbs/${id}`, { token: alice.token })).json.kb.title).toBe('Secret plans');
  });

  it('requires authentication', async () => {
    const res = await api.call('GET', '/api/kbs');
    expect(res.status).toBe(401);
    expect(res.json.error).toMatchObject({ code: 'unauthenticated', requestId: expect.any(String) });
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const res = await api.call('GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('not_found');
  });
});
