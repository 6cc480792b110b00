import { sign } from 'hono/jwt';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminRoutes, collectionRoutes, ownedRoutes } from './routes.ts';
import { expectErrorShape, type World } from './world.ts';

let world: World;

const now = () => Math.floor(Date.now() / 1000);

/** Ways of calling without a valid identity; each must end in 401. */
async function badCredentials(w: World): Promise<Array<[string, Record<string, string>]>> {
  const expired = await sign(
    { sub: w.alice.userId, role: 'user', iat: now() - 100, exp: now() - 10 },
    w.deps.jwtSecret,
  );
  const foreign = await sign({ sub: w.alice.userId, role: 'admin', exp: now() + 60 }, 'x'.repeat(40));
  const ghost = await sign({ sub: 'no-such-user', role: 'admin', exp: now() + 60 }, w.deps.jwtSecret);
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  const claims = Buffer.from(JSON.stringify({ sub: w.alice.userId, exp: now() + 60 })).toString('base64url');
  return [
    ['no credentials', {}],
    ['a garbage bearer', { authorization: 'Bearer not-a-token' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['an expired JWT', { authorization: `Bearer ${expired}` }],
    ['a JWT signed with another secret', { authorization: `Bearer ${foreign}` }],
    ['a JWT for a user that does not exist', { authorization: `Bearer ${ghost}` }],
    ['an unsigned alg=none JWT', { authorization: `Bearer ${header}.${claims}.` }],
    ['a made-up API key', { authorization: 'Bearer cos_0000000000000000000000000000' }],
    ['a forged session cookie', { cookie: `cos_session=${foreign}` }],
    ['a session cookie with an expired JWT', { cookie: `cos_session=${expired}` }],
  ];
}

/** 401 on every private route for every kind of bad credentials; public routes stay open. */
export function authSuite(get: () => World): void {
  describe('authentication on every route', () => {
    beforeAll(() => {
      world = get();
    });
    it('answers 401 with the JSON error shape for every private /api route, whatever the bad credentials', async () => {
      const { api, alice } = world;
      const routes = [...ownedRoutes(alice), ...collectionRoutes, ...adminRoutes(alice)];
      const failures: string[] = [];
      for (const [label, headers] of await badCredentials(world)) {
        for (const r of routes) {
          const res = await api.call(r.method, r.path, { body: r.body, headers });
          if (res.status !== 401) failures.push(`${label}: ${r.method} ${r.path} -> ${res.status}`);
          else {
            expectErrorShape(res);
            expect(res.json.error.code).toBe('unauthenticated');
            expect(res.json.error.requestId).toBe(res.headers.get('x-request-id'));
            for (const secret of alice.secrets) expect(res.text).not.toContain(secret);
          }
        }
      }
      expect(failures).toEqual([]);
      expect((await api.call('GET', `/api/kbs/${alice.kbId}`, { token: alice.token })).json.kb.title).toBe(
        alice.kbTitle,
      );
    });

    it('checks identity before the body: an anonymous invalid body is a 401, not a 400', async () => {
      const { api, alice } = world;
      for (const [method, path] of [
        ['POST', '/api/kbs'],
        ['POST', '/api/api-keys'],
        ['POST', '/api/search'],
        ['POST', '/api/chat/sessions'],
        ['POST', `/api/kbs/${alice.kbId}/notes`],
        ['POST', `/api/kbs/${alice.kbId}/documents`],
        ['PATCH', `/api/notes/${alice.noteId}`],
      ] as const) {
        const res = await api.call(method, path, { body: { unexpected: true } });
        expect(res.status, `${method} ${path}`).toBe(401);
      }
    });

    it('refuses a revoked API key and a disabled account on the API and on /v1', async () => {
      const { api, deps } = world;
      const user = await api.register('revoked@contract.example');
      const key = await api.call('POST', '/api/api-keys', { token: user.token, body: { name: 'short-lived' } });
      expect((await api.call('GET', '/v1/models', { token: key.json.key })).status).toBe(200);
      await api.call('DELETE', `/api/api-keys/${key.json.apiKey.id}`, { token: user.token });
      expect((await api.call('GET', '/api/kbs', { token: key.json.key })).status).toBe(401);
      expect((await api.call('GET', '/v1/models', { token: key.json.key })).status).toBe(401);

      const other = await api.register('disabled@contract.example');
      const otherKey = await api.call('POST', '/api/api-keys', { token: other.token, body: { name: 'k' } });
      deps.db.sqlite.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(other.userId);
      expect((await api.call('GET', '/api/kbs', { token: other.token })).status).toBe(401);
      expect((await api.call('GET', '/api/kbs', { token: otherKey.json.key })).status).toBe(401);
      expect((await api.call('GET', '/v1/models', { token: otherKey.json.key })).status).toBe(401);
    });

    it('answers /v1 without a key in the OpenAI error format, and refuses the session cookie there', async () => {
      const { api, alice } = world;
      const reg = await api.call('POST', '/api/auth/login', {
        body: { email: alice.email, password: 'correct horse battery' },
      });
      const cookie = (reg.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const chat = { model: `kb:${alice.kbId}`, messages: [{ role: 'user', content: 'procedure?' }] };
      const anonymous: Array<Record<string, string>> = [{}, { authorization: 'Bearer nope' }, { cookie }];
      for (const headers of anonymous) {
        for (const [method, path, body] of [
          ['GET', '/v1/models', undefined],
          ['POST', '/v1/chat/completions', chat],
        ] as const) {
          const res = await api.call(method, path, { body, headers });
          expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
          expect(res.json.error).toMatchObject({ type: 'authentication_error', message: expect.any(String) });
          expect(res.json.error).toHaveProperty('code');
          expect(res.json.error).toHaveProperty('param');
          for (const secret of alice.secrets) expect(res.text).not.toContain(secret);
        }
      }
    });

    it('serves the public routes without credentials', async () => {
      const { api } = world;
      expect((await api.call('GET', '/healthz')).status).toBe(200);
      const ready = await api.call('GET', '/readyz');
      expect(ready.status).toBe(200);
      expect(ready.json.checks).toEqual(expect.any(Array));
      const metrics = await api.call('GET', '/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toMatch(/text\/plain/);
      expect(metrics.text).toMatch(/^# (HELP|TYPE) /m);
      expect((await api.call('POST', '/api/auth/logout')).status).toBe(204);
      const login = await api.call('POST', '/api/auth/login', {
        body: { email: 'bob@contract.example', password: 'correct horse battery' },
      });
      expect(login.status).toBe(200);
      expect(Object.keys(login.json).sort()).toEqual(['token', 'user']);
    });

    it('answers unknown /api routes with the JSON 404 shape', async () => {
      const res = await world.api.call('GET', '/api/no-such-thing');
      expect(res.status).toBe(404);
      expectErrorShape(res);
    });
  });
}
