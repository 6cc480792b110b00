import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../../tests/helpers/deps.ts';
import { client } from '../../../tests/helpers/http.ts';
import { createApp } from '../app.ts';

describe('API keys', () => {
  let deps: TestDeps;
  let api: ReturnType<typeof client>;
  beforeEach(async () => {
    deps = await createTestDeps();
    api = client(createApp(deps));
  });
  afterEach(() => deps.cleanup());

  it('shows a new key once, stores only its hash, and lists it without the key', async () => {
    const { token } = await api.register('k@example.com');
    const created = await api.call('POST', '/api/api-keys', { body: { name: 'laptop' }, token });
    expect(created.status).toBe(201);
    expect(created.json.key).toMatch(/^cos_/);
    expect(created.json.apiKey).toMatchObject({ name: 'laptop', prefix: created.json.key.slice(0, 10) });
    const listed = await api.call('GET', '/api/api-keys', { token });
    expect(listed.json.items).toHaveLength(1);
    expect(listed.text).not.toContain(created.json.key);
    const stored = deps.db.sqlite.prepare('SELECT key_hash FROM api_keys').all() as { key_hash: string }[];
    expect(stored[0]?.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0]?.key_hash).not.toContain(created.json.key);
  });

  it('works as a Bearer token and stops working the moment it is revoked', async () => {
    const { token } = await api.register('l@example.com');
    const { json } = await api.call('POST', '/api/api-keys', { body: { name: 'ci' }, token });
    const me = await api.call('GET', '/api/auth/me', { token: json.key });
    expect(me.status).toBe(200);
    expect(me.json.user.email).toBe('l@example.com');
    expect((await api.call('DELETE', `/api/api-keys/${json.apiKey.id}`, { token })).status).toBe(204);
    const after = await api.call('GET', '/api/auth/me', { token: json.key });
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe('unauthenticated');
  });

  it("cannot revoke another user's key", async () => {
    const alice = await api.register('alice@example.com');
    const bob = await api.register('bob@example.com');
    const { json } = await api.call('POST', '/api/api-keys', { body: { name: 'a' }, token: alice.token });
    const res = await api.call('DELETE', `/api/api-keys/${json.apiKey.id}`, { token: bob.token });
    expect(res.status).toBe(404);
    expect((await api.call('GET', '/api/auth/me', { token: json.key })).status).toBe(200);
  });

  it('requires a name', async () => {
    const { token } = await api.register('m@example.com');
    const res = await api.call('POST', '/api/api-keys', { body: { name: '  ' }, token });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('validation_failed');
  });
});
