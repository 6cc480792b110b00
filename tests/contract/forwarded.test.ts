import { afterEach, describe, expect, it } from 'vitest';
import { createRootApp } from '../../services/root.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { client } from '../helpers/http.ts';

const PASSWORD = 'correct horse battery';
const opened: TestDeps[] = [];
afterEach(async () => {
  for (const deps of opened.splice(0)) await deps.cleanup();
});

/** The API and the console in one app, as `npm start` serves them, with one signed-in user. */
async function installation(trustProxy: boolean) {
  const deps = await createTestDeps({ TRUST_PROXY: String(trustProxy) });
  opened.push(deps);
  const api = client(createRootApp(deps));
  const { token } = await api.register('owner@forwarded.example', PASSWORD);
  const login = await api.call('POST', '/api/auth/login', {
    body: { email: 'owner@forwarded.example', password: PASSWORD },
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const kbId = (await api.call('POST', '/api/kbs', { token, body: { title: 'Forwarded' } })).json.kb.id as string;
  return { api, token, cookie, kbId };
}

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};

describe('forwarded headers', () => {
  const evil = { origin: 'http://evil.example', 'x-forwarded-host': 'evil.example' };
  const proxied = {
    origin: 'https://kb.example.com',
    'x-forwarded-host': 'kb.example.com',
    'x-forwarded-proto': 'https',
  };

  it('do not make another origin our own on a server that trusts no proxy, on the API and the console', async () => {
    const { api, cookie } = await installation(false);
    const byApi = await api.call('POST', '/api/kbs', { body: { title: 'planted' }, headers: { cookie, ...evil } });
    expect(byApi.status, byApi.text).toBe(403);
    expect(byApi.json.error.code).toBe('csrf_rejected');
    const byConsole = await api.call('POST', '/kbs', {
      body: form({ title: 'planted' }),
      headers: { cookie, ...evil },
    });
    expect(byConsole.status).toBe(403);
    const proxiedClaim = await api.call('POST', '/api/kbs', {
      body: { title: 'planted' },
      headers: { cookie, ...proxied },
    });
    expect(proxiedClaim.status).toBe(403);
    expect((await api.call('GET', '/api/kbs', { headers: { cookie } })).json.items).toHaveLength(1);
  });

  it('name our own origin behind a trusted proxy: its forwarded host passes the origin check', async () => {
    const { api, cookie } = await installation(true);
    const byApi = await api.call('POST', '/api/kbs', { body: { title: 'proxied' }, headers: { cookie, ...proxied } });
    expect(byApi.status, byApi.text).toBe(201);
    const byConsole = await api.call('POST', '/kbs', {
      body: form({ title: 'proxied' }),
      headers: { cookie, ...proxied },
    });
    expect(byConsole.status).toBe(303);
    const direct = await api.call('POST', '/api/kbs', {
      body: { title: 'planted' },
      headers: { cookie, ...proxied, origin: 'http://evil.example' },
    });
    expect(direct.status).toBe(403);
  });

  it('decide the cookie Secure flag only behind a trusted proxy, at both sign-in doors', async () => {
    for (const trust of [false, true]) {
      const { api } = await installation(trust);
      const headers = { 'x-forwarded-proto': 'https' };
      const byApi = await api.call('POST', '/api/auth/login', {
        body: { email: 'owner@forwarded.example', password: PASSWORD },
        headers,
      });
      const byConsole = await api.call('POST', '/login', {
        body: form({ email: 'owner@forwarded.example', password: PASSWORD }),
        headers: { ...headers, origin: 'http://localhost' },
      });
      for (const res of [byApi, byConsole]) {
        expect(res.headers.get('set-cookie'), `TRUST_PROXY=${trust}`).toMatch(/cos_session=ey/);
        if (trust) expect(res.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
        else expect(res.headers.get('set-cookie')).not.toMatch(/Secure/i);
      }
    }
  });

  it('decide the host of share links only behind a trusted proxy, on the API and the console', async () => {
    for (const trust of [false, true]) {
      const { api, token, cookie, kbId } = await installation(trust);
      const note = await api.call('POST', `/api/kbs/${kbId}/notes`, { token, body: { title: 'Shared' } });
      const shared = await api.call('POST', `/api/notes/${note.json.note.id}/share`, { token, headers: proxied });
      const page = await api.call('GET', `/notes/${note.json.note.id}`, { headers: { cookie, ...proxied } });
      const expected = trust ? 'https://kb.example.com/shared/notes/' : 'http://localhost/shared/notes/';
      expect(shared.json.shareUrl, `TRUST_PROXY=${trust}`).toContain(expected);
      expect(page.text, `TRUST_PROXY=${trust}`).toContain(expected);
    }
  });

  it('charge sign-in attempts to the forwarded address only behind a trusted proxy', async () => {
    for (const trust of [false, true]) {
      const { api } = await installation(trust);
      const statuses: number[] = [];
      for (let i = 0; i < 31; i++) {
        const res = await api.call('POST', '/api/auth/login', {
          body: { email: `guess${i}@forwarded.example`, password: 'wrong password' },
          headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
        });
        statuses.push(res.status);
      }
      // Without a trusted proxy every attempt comes from the one socket address: the 31st is over budget.
      expect(statuses.at(-1), `TRUST_PROXY=${trust}`).toBe(trust ? 401 : 429);
    }
  });
});
