import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../../../tests/helpers/deps.ts';
import { client } from '../../../tests/helpers/http.ts';
import { createApp } from '../app.ts';

describe('auth routes', () => {
  let deps: TestDeps;
  let api: ReturnType<typeof client>;
  beforeEach(async () => {
    deps = await createTestDeps();
    api = client(createApp(deps));
  });
  afterEach(() => deps.cleanup());

  const register = (body: unknown) => api.call('POST', '/api/auth/register', { body });

  it('registers a user, makes the first one admin and sets an httpOnly SameSite=Lax cookie', async () => {
    const first = await register({ email: 'Ada@Example.com', password: 'analytical engine', name: 'Ada' });
    expect(first.status).toBe(201);
    expect(first.json.user).toMatchObject({ email: 'ada@example.com', name: 'Ada', role: 'admin' });
    expect(first.json.token).toEqual(expect.any(String));
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/cos_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const second = await register({ email: 'bob@example.com', password: 'another password' });
    expect(second.json.user.role).toBe('user');
  });

  it('marks the cookie Secure over HTTPS, and not on the word of an untrusted X-Forwarded-Proto', async () => {
    const direct = await createApp(deps).request('https://localhost/api/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'tls@example.com', password: 'password1234' }),
    });
    expect(direct.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    const claimed = await api.call('POST', '/api/auth/register', {
      body: { email: 'claim@example.com', password: 'password1234' },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(claimed.headers.get('set-cookie')).not.toMatch(/Secure/i);
  });

  it('never returns the password or its hash', async () => {
    const res = await register({ email: 'c@example.com', password: 'hunter2hunter2' });
    expect(res.text).not.toMatch(/hunter2|argon2|passwordHash/i);
  });

  it.each([
    [{ email: 'not-an-email', password: 'long enough pw' }, 'validation_failed', /email/],
    [{ email: 'd@example.com', password: 'short' }, 'validation_failed', /password/],
    [{ email: 'd@example.com' }, 'validation_failed', /password/],
    [{ email: 'd@example.com', password: 'long enough pw', role: 'admin' }, 'validation_failed', /role|unrecognized/i],
  ])('refuses %j with 400', async (body, code, message) => {
    const res = await register(body);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe(code);
    expect(res.json.error.message).toMatch(message);
    expect(res.json.error.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const res = await api.call('POST', '/api/auth/register', {
      headers: { 'content-type': 'application/json' },
      body: undefined,
    });
    expect(res.status).toBe(400);
    const raw = await createApp(deps).request('/api/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": ',
    });
    expect(raw.status).toBe(400);
    expect((await raw.json()).error.code).toBe('invalid_json');
  });

  it('refuses a duplicate email with 409, whatever its case', async () => {
    await register({ email: 'dup@example.com', password: 'password1234' });
    const res = await register({ email: 'DUP@example.com', password: 'password5678' });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('email_taken');
  });

  it('logs in with the right password and refuses a wrong one with 401', async () => {
    await register({ email: 'e@example.com', password: 'right password' });
    const ok = await api.call('POST', '/api/auth/login', {
      body: { email: 'E@example.com', password: 'right password' },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.user.email).toBe('e@example.com');
    const bad = await api.call('POST', '/api/auth/login', {
      body: { email: 'e@example.com', password: 'wrong password' },
    });
    expect(bad.status).toBe(401);
    expect(bad.json.error.code).toBe('invalid_credentials');
    const unknown = await api.call('POST', '/api/auth/login', { body: { email: 'nobody@example.com', password: 'x' } });
    expect(unknown.status).toBe(401);
    expect(unknown.json.error.message).toBe(bad.json.error.message);
  });

  it('rate limits a burst of wrong passwords on one account with 429 and Retry-After', async () => {
    await register({ email: 'f@example.com', password: 'right password' });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await api.call('POST', '/api/auth/login', {
        body: { email: 'f@example.com', password: `wrong ${i}` },
      });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const locked = await api.call('POST', '/api/auth/login', {
      body: { email: 'f@example.com', password: 'right password' },
    });
    expect(locked.status).toBe(429);
  });

  it('authenticates /me by cookie and by Bearer token, and refuses anonymous callers', async () => {
    const reg = await register({ email: 'g@example.com', password: 'password1234' });
    const cookie = (reg.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const byCookie = await api.call('GET', '/api/auth/me', { headers: { cookie } });
    expect(byCookie.status).toBe(200);
    expect(byCookie.json.user.email).toBe('g@example.com');
    const byBearer = await api.call('GET', '/api/auth/me', { token: reg.json.token });
    expect(byBearer.json.user.id).toBe(reg.json.user.id);
    expect((await api.call('GET', '/api/auth/me')).status).toBe(401);
    expect((await api.call('GET', '/api/auth/me', { token: 'forged.token.value' })).status).toBe(401);
  });

  it('logout clears the cookie with 204 and ends that session token, not the others', async () => {
    const reg = await register({ email: 'out@example.com', password: 'password1234' });
    const other = await api.call('POST', '/api/auth/login', {
      body: { email: 'out@example.com', password: 'password1234' },
    });
    const cookie = (reg.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const res = await api.call('POST', '/api/auth/logout', { headers: { cookie, origin: 'http://localhost' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/cos_session=;.*Max-Age=0/i);
    expect((await api.call('GET', '/api/auth/me', { headers: { cookie } })).status).toBe(401);
    expect((await api.call('GET', '/api/auth/me', { token: reg.json.token })).status).toBe(401);
    expect((await api.call('GET', '/api/auth/me', { token: other.json.token })).status).toBe(200);
    await api.call('POST', '/api/auth/logout', { token: other.json.token });
    const after = await api.call('GET', '/api/auth/me', { token: other.json.token });
    expect(after.status).toBe(401);
    expect(after.json.error.message).toBe('Invalid or revoked token');
  });

  it('lets a client that still sends a stale token log in again', async () => {
    await register({ email: 'stale@example.com', password: 'password1234' });
    const res = await api.call('POST', '/api/auth/login', {
      body: { email: 'stale@example.com', password: 'password1234' },
      token: 'expired.or.revoked',
    });
    expect(res.status).toBe(200);
  });

  it('keeps the database file readable by its owner only', async () => {
    const { statSync } = await import('node:fs');
    expect(statSync(deps.db.path).mode & 0o077).toBe(0);
  });

  it('refuses cookie-authenticated unsafe requests from another origin with 403', async () => {
    const reg = await register({ email: 'h@example.com', password: 'password1234' });
    const cookie = (reg.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const foreign = await api.call('POST', '/api/kbs', {
      body: { title: 'x' },
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.code).toBe('csrf_rejected');
    const crossSite = await api.call('POST', '/api/kbs', {
      body: { title: 'x' },
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    const same = await api.call('POST', '/api/kbs', {
      body: { title: 'x' },
      headers: { cookie, origin: 'http://localhost' },
    });
    expect(same.status).toBe(201);
    const bearer = await api.call('POST', '/api/kbs', {
      body: { title: 'y' },
      token: reg.json.token,
      headers: { origin: 'https://elsewhere.example' },
    });
    expect(bearer.status).toBe(201);
  });

  it('never writes passwords, tokens or keys to the log', async () => {
    const reg = await register({ email: 'i@example.com', password: 'super secret password' });
    await api.call('POST', '/api/auth/login', { body: { email: 'i@example.com', password: 'super secret password' } });
    const key = await api.call('POST', '/api/api-keys', { body: { name: 'ci' }, token: reg.json.token });
    await api.call('GET', '/api/auth/me', { token: key.json.key });
    const log = deps.logLines.join('\n');
    expect(deps.logLines.length).toBeGreaterThan(3);
    expect(log).not.toContain('super secret password');
    expect(log).not.toContain(reg.json.token);
    expect(log).not.toContain(key.json.key);
    expect(log).not.toContain(deps.jwtSecret);
  });
});
