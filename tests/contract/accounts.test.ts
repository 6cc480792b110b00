import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../services/gateway/app.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { client } from '../helpers/http.ts';
import { expectErrorShape } from './world.ts';

type Client = ReturnType<typeof client>;
const PASSWORD = 'correct horse battery';

const register = (api: Client, body: Record<string, unknown>) =>
  api.call('POST', '/api/auth/register', { body: { password: PASSWORD, ...body } });
const login = (api: Client, email: string, password = PASSWORD) =>
  api.call('POST', '/api/auth/login', { body: { email, password } });
const cookieOf = (res: { headers: Headers }) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
const tokenOf = (url: string, param: string) => new URL(url).searchParams.get(param) ?? '';

async function installation(env: Record<string, string>) {
  const deps = await createTestDeps(env);
  return { deps, api: client(createApp(deps)) };
}

describe('sign-up under SIGNUP=invite', () => {
  let deps: TestDeps;
  let api: Client;
  let admin: string;
  beforeAll(async () => {
    ({ deps, api } = await installation({ SIGNUP: 'invite' }));
  });
  afterAll(() => deps.cleanup());
  afterEach(() => vi.useRealTimers());

  it('lets the first account in without an invitation and makes it admin', async () => {
    const first = await register(api, { email: 'root@accounts.example' });
    expect(first.status, first.text).toBe(201);
    expect(first.json.user.role).toBe('admin');
    admin = first.json.token;
  });

  it('refuses everyone else without a valid invitation, before looking at the email', async () => {
    for (const email of ['new@accounts.example', 'root@accounts.example']) {
      const res = await register(api, { email });
      expect(res.status, email).toBe(403);
      expectErrorShape(res);
      expect(res.json.error.code).toBe('signup_closed');
    }
    for (const invitation of ['made-up-invitation-token-0000', 'short', 'x'.repeat(150)]) {
      const res = await register(api, { email: 'new@accounts.example', invitation });
      expect(res.status, invitation).toBe(403);
      expect(res.json.error.code).toBe('invitation_invalid');
    }
  });

  it('signs up with an invitation once; a used invitation is refused', async () => {
    const made = await api.call('POST', '/api/invitations', { token: admin, body: {} });
    expect(made.status, made.text).toBe(201);
    expect(made.json.invitation).toMatchObject({ email: null, role: 'user', state: 'pending' });
    expect(made.json.url).toMatch(/^http:\/\/localhost\/signup\?invitation=[\w-]{20,}$/);
    const invitation = tokenOf(made.json.url, 'invitation');
    const joined = await register(api, { email: 'colleague@accounts.example', invitation });
    expect(joined.status, joined.text).toBe(201);
    expect(joined.json.user.role).toBe('user');
    const again = await register(api, { email: 'another@accounts.example', invitation });
    expect(again.status).toBe(403);
    expect(again.json.error.code).toBe('invitation_invalid');
    const listed = await api.call('GET', '/api/invitations', { token: admin });
    expect(listed.json.items.find((i: { id: string }) => i.id === made.json.invitation.id)).toMatchObject({
      state: 'used',
      usedBy: joined.json.user.id,
    });
    // Only the hash is kept: the token is nowhere in the database.
    const rows = JSON.stringify(deps.db.sqlite.prepare('SELECT * FROM invitations').all());
    expect(rows).not.toContain(invitation);
  });

  it('binds an invitation to its email and its role, and keeps it when the email is taken', async () => {
    const made = await api.call('POST', '/api/invitations', {
      token: admin,
      body: { email: 'Boss@Accounts.example', role: 'admin' },
    });
    const invitation = tokenOf(made.json.url, 'invitation');
    const wrong = await register(api, { email: 'someone@accounts.example', invitation });
    expect(wrong.status).toBe(403);
    expect(wrong.json.error.code).toBe('invitation_invalid');
    const right = await register(api, { email: 'boss@accounts.example', invitation });
    expect(right.status, right.text).toBe(201);
    expect(right.json.user.role).toBe('admin');

    const open = await api.call('POST', '/api/invitations', { token: admin, body: {} });
    const taken = await register(api, {
      email: 'boss@accounts.example',
      invitation: tokenOf(open.json.url, 'invitation'),
    });
    expect(taken.status).toBe(409);
    const still = await register(api, {
      email: 'fresh@accounts.example',
      invitation: tokenOf(open.json.url, 'invitation'),
    });
    expect(still.status).toBe(201);
  });

  it('refuses an expired or withdrawn invitation', async () => {
    const made = await api.call('POST', '/api/invitations', { token: admin, body: { expiresInDays: 1 } });
    const withdrawn = await api.call('POST', '/api/invitations', { token: admin, body: {} });
    expect(
      (await api.call('DELETE', `/api/invitations/${withdrawn.json.invitation.id}`, { token: admin })).status,
    ).toBe(204);
    const late = await register(api, {
      email: 'w@accounts.example',
      invitation: tokenOf(withdrawn.json.url, 'invitation'),
    });
    expect(late.json.error.code).toBe('invitation_invalid');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 25 * 3600_000 });
    const expired = await register(api, {
      email: 'late@accounts.example',
      invitation: tokenOf(made.json.url, 'invitation'),
    });
    expect(expired.status).toBe(403);
    expect(expired.json.error.code).toBe('invitation_invalid');
  });

  it('keeps invitations for administrators', async () => {
    const user = (await login(api, 'colleague@accounts.example')).json.token;
    for (const [method, path, body] of [
      ['POST', '/api/invitations', {}],
      ['GET', '/api/invitations', undefined],
    ] as const) {
      expect((await api.call(method, path, { token: user, body })).status).toBe(403);
      expect((await api.call(method, path, { body })).status).toBe(401);
    }
    const bad = await api.call('POST', '/api/invitations', { token: admin, body: { expiresInDays: 365 } });
    expect(bad.status).toBe(400);
  });
});

describe('sign-up under SIGNUP=closed and open', () => {
  it('closed: the first account only; invitations cannot even be made', async () => {
    const { deps, api } = await installation({ SIGNUP: 'closed' });
    try {
      const first = await register(api, { email: 'only@accounts.example' });
      expect(first.status).toBe(201);
      expect((await register(api, { email: 'second@accounts.example' })).json.error.code).toBe('signup_closed');
      const inv = await api.call('POST', '/api/invitations', { token: first.json.token, body: {} });
      expect(inv.status).toBe(403);
      expect(inv.json.error.code).toBe('signup_closed');
    } finally {
      await deps.cleanup();
    }
  });

  it('open: anyone may register; an invitation given must still be valid', async () => {
    const { deps, api } = await installation({ SIGNUP: 'open' });
    try {
      expect((await register(api, { email: 'a@accounts.example' })).json.user.role).toBe('admin');
      expect((await register(api, { email: 'b@accounts.example' })).json.user.role).toBe('user');
      const bad = await register(api, { email: 'c@accounts.example', invitation: 'made-up-invitation-token-0000' });
      expect(bad.json.error.code).toBe('invitation_invalid');
    } finally {
      await deps.cleanup();
    }
  });
});

describe('passwords, resets, disabling and the audit list', () => {
  let deps: TestDeps;
  let api: Client;
  let admin: string;
  let userId: string;
  const email = 'pat@accounts.example';
  beforeAll(async () => {
    ({ deps, api } = await installation({ SIGNUP: 'open' }));
    admin = (await register(api, { email: 'admin@accounts.example' })).json.token;
    userId = (await register(api, { email })).json.user.id;
  });
  afterAll(() => deps.cleanup());
  afterEach(() => vi.useRealTimers());

  it('changes the password with the current one; every other session and token stops, this one goes on', async () => {
    const a = (await login(api, email)).json.token;
    const b = (await login(api, email)).json.token;
    const c = cookieOf(await login(api, email));
    const key = (await api.call('POST', '/api/api-keys', { token: a, body: { name: 'script' } })).json.key;
    const wrong = await api.call('POST', '/api/auth/password', {
      token: a,
      body: { currentPassword: 'not it at all', newPassword: 'a brand new password' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.json.error.code).toBe('wrong_password');
    const byKey = await api.call('POST', '/api/auth/password', {
      token: key,
      body: { currentPassword: PASSWORD, newPassword: 'a brand new password' },
    });
    expect(byKey.status).toBe(403);
    const short = await api.call('POST', '/api/auth/password', {
      token: a,
      body: { currentPassword: PASSWORD, newPassword: 'short' },
    });
    expect(short.status).toBe(400);

    const changed = await api.call('POST', '/api/auth/password', {
      token: a,
      body: { currentPassword: PASSWORD, newPassword: 'a brand new password' },
    });
    expect(changed.status, changed.text).toBe(204);
    expect((await api.call('GET', '/api/auth/me', { token: a })).status).toBe(200);
    expect((await api.call('GET', '/api/auth/me', { token: b })).status).toBe(401);
    expect((await api.call('GET', '/api/auth/me', { headers: { cookie: c } })).status).toBe(401);
    expect((await api.call('GET', '/api/auth/me', { token: key })).status).toBe(200);
    expect((await login(api, email)).status).toBe(401);
    const fresh = await login(api, email, 'a brand new password');
    expect(fresh.status).toBe(200);
    expect((await api.call('GET', '/api/auth/me', { token: fresh.json.token })).status).toBe(200);
  });

  it('resets a password with an admin link once; it ends every session of that user', async () => {
    const before = (await login(api, email, 'a brand new password')).json.token;
    const link = await api.call('POST', `/api/admin/users/${userId}/reset-link`, { token: admin });
    expect(link.status, link.text).toBe(201);
    expect(link.json.url).toMatch(/^http:\/\/localhost\/reset-password\?token=[\w-]{20,}$/);
    const token = tokenOf(link.json.url, 'token');
    // A newer link replaces it.
    const newer = tokenOf(
      (await api.call('POST', `/api/admin/users/${userId}/reset-link`, { token: admin })).json.url,
      'token',
    );
    const replaced = await api.call('POST', '/api/auth/reset', { body: { token, newPassword: 'reset password one' } });
    expect(replaced.status).toBe(403);
    expect(replaced.json.error.code).toBe('reset_link_invalid');
    expect((await api.call('GET', '/api/auth/me', { token: before })).status).toBe(200);

    const reset = await api.call('POST', '/api/auth/reset', {
      body: { token: newer, newPassword: 'reset password one' },
    });
    expect(reset.status, reset.text).toBe(204);
    expect((await api.call('GET', '/api/auth/me', { token: before })).status).toBe(401);
    expect((await login(api, email, 'reset password one')).status).toBe(200);
    const twice = await api.call('POST', '/api/auth/reset', {
      body: { token: newer, newPassword: 'reset password two' },
    });
    expect(twice.status).toBe(403);
    expect((await login(api, email, 'reset password two')).status).toBe(401);
  });

  it('refuses an expired reset link and says nothing about the account behind a made-up one', async () => {
    const link = await api.call('POST', `/api/admin/users/${userId}/reset-link`, { token: admin });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 25 * 3600_000 });
    const late = await api.call('POST', '/api/auth/reset', {
      body: { token: tokenOf(link.json.url, 'token'), newPassword: 'too late password' },
    });
    vi.useRealTimers();
    const madeUp = await api.call('POST', '/api/auth/reset', {
      body: { token: 'made-up-reset-token-00000000', newPassword: 'too late password' },
    });
    expect(late.status).toBe(403);
    expect(madeUp.status).toBe(403);
    expect(late.json.error.message).toBe(madeUp.json.error.message);
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const known = await login(api, email, 'wrong password entirely');
    const unknown = await login(api, 'nobody@accounts.example', 'wrong password entirely');
    expect(known.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(known.json.error.code).toBe(unknown.json.error.code);
    expect(known.json.error.message).toBe(unknown.json.error.message);
  });

  it('disables an account at once (sessions and keys) and enables it again; an admin cannot lock themself out', async () => {
    const session = (await login(api, email, 'reset password one')).json.token;
    const key = (await api.call('POST', '/api/api-keys', { token: session, body: { name: 'cron' } })).json.key;
    const off = await api.call('PATCH', `/api/admin/users/${userId}`, { token: admin, body: { disabled: true } });
    expect(off.status).toBe(200);
    expect(off.json.user).toMatchObject({ id: userId, disabled: true });
    for (const t of [session, key]) expect((await api.call('GET', '/api/kbs', { token: t })).status).toBe(401);
    expect((await api.call('GET', '/v1/models', { token: key })).status).toBe(401);
    expect((await login(api, email, 'reset password one')).status).toBe(403);
    await api.call('PATCH', `/api/admin/users/${userId}`, { token: admin, body: { disabled: false } });
    for (const t of [session, key]) expect((await api.call('GET', '/api/kbs', { token: t })).status).toBe(200);

    const me = (await api.call('GET', '/api/auth/me', { token: admin })).json.user.id;
    const self = await api.call('PATCH', `/api/admin/users/${me}`, { token: admin, body: { role: 'user' } });
    expect(self.status).toBe(403);
    const users = await api.call('GET', '/api/admin/users', { token: admin });
    expect(users.json.items.map((u: { email: string; role: string }) => [u.email, u.role])).toEqual([
      ['admin@accounts.example', 'admin'],
      [email, 'user'],
    ]);
    expect(users.text).not.toMatch(/password|hash|token_generation/i);
  });

  it('lists every access change with actor, target and time, newest first, for admins only, without secrets', async () => {
    const user = (await login(api, email, 'reset password one')).json.token;
    expect((await api.call('GET', '/api/admin/audit', { token: user })).status).toBe(403);
    const res = await api.call('GET', '/api/admin/audit?limit=500', { token: admin });
    expect(res.status).toBe(200);
    const items = res.json.items as Array<Record<string, unknown>>;
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(['action', 'actorId', 'at', 'detail', 'id', 'targetId', 'targetType']);
    }
    const actions = items.map((i) => i.action);
    for (const action of [
      'user.registered',
      'user.login_failed',
      'api_key.created',
      'user.password_changed',
      'user.reset_link_created',
      'user.password_reset',
      'user.disabled',
      'user.enabled',
    ]) {
      expect(actions, action).toContain(action);
    }
    const ids = items.map((i) => i.id as number);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const failed = items.find((i) => i.action === 'user.login_failed' && i.targetId === userId);
    expect(failed).toMatchObject({ actorId: null, targetType: 'user', detail: { email } });
    const disabled = items.find((i) => i.action === 'user.disabled');
    expect(disabled?.actorId).toBe((await api.call('GET', '/api/auth/me', { token: admin })).json.user.id);
    for (const secret of [PASSWORD, 'a brand new password', 'reset password one', 'cos_']) {
      expect(res.text).not.toContain(secret);
    }
    const page = await api.call('GET', `/api/admin/audit?limit=2&before=${ids[1]}`, { token: admin });
    expect(page.json.items.map((i: { id: number }) => i.id)).toEqual(ids.slice(2, 4));
  });
});
