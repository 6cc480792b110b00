import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningIngestWorker, startIngestWorker } from '../../services/core/ingest/worker.ts';
import { createApp } from '../../services/gateway/app.ts';
import { createRootApp } from '../../services/root.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { client } from '../helpers/http.ts';
import { type RunningMock, startMockOneApi } from '../helpers/mock-oneapi.ts';
import { fileForm, waitForDocument } from '../ingest/helpers.ts';

const ONEAPI_KEY = 'sk-MARKER-oneapi-7f3a9c2e41d8b6';
const PASSWORD = 'MARKER-password-Xy7!q2';
const JWT_SECRET = 'MARKER-jwt-secret-0123456789abcdef0123456789';

let mock: RunningMock;
let deps: TestDeps;
let worker: RunningIngestWorker;
let api: ReturnType<typeof client>;
/** Every response body the journey received. */
const bodies: string[] = [];
/** Authorization headers the mock ONEAPI received (its record is cleared by each reset). */
const upstreamAuth: Array<string | undefined> = [];
/** Every secret the journey handled, by name. */
const secrets: Record<string, string> = { password: PASSWORD, oneapiKey: ONEAPI_KEY, jwtSecret: JWT_SECRET };

const call: typeof api.call = async (...args) => {
  const res = await api.call(...args);
  bodies.push(res.text);
  return res;
};

beforeAll(async () => {
  mock = await startMockOneApi({ key: ONEAPI_KEY, dimension: 32 });
  deps = await createTestDeps({
    ONEAPI_BASE_URL: mock.baseUrl,
    ONEAPI_KEY,
    JWT_SECRET,
    ONEAPI_MAX_RETRIES: '0',
    LOG_LEVEL: 'trace',
  });
  worker = await startIngestWorker(deps);
  api = client(createApp(deps));
  await runJourney();
});
afterAll(async () => {
  worker.stop();
  await deps.cleanup();
  await mock.stop();
});

async function runJourney() {
  const reg = await call('POST', '/api/auth/register', {
    body: { email: 'journey@contract.example', password: PASSWORD, name: 'Journey' },
  });
  expect(reg.status).toBe(201);
  const login = await call('POST', '/api/auth/login', {
    body: { email: 'journey@contract.example', password: PASSWORD },
  });
  secrets.jwt = login.json.token;
  secrets.registerJwt = reg.json.token;
  await call('POST', '/api/auth/login', { body: { email: 'journey@contract.example', password: `${PASSWORD}-wrong` } });
  const token = login.json.token as string;
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  await call('GET', '/api/auth/me', { headers: { cookie } });

  const key = await call('POST', '/api/api-keys', { token, body: { name: 'journey' } });
  secrets.apiKey = key.json.key;
  await call('GET', '/api/api-keys', { token: secrets.apiKey });

  const kbId = (await call('POST', '/api/kbs', { token, body: { title: 'Journey' } })).json.kb.id;
  const up = await call('POST', `/api/kbs/${kbId}/documents`, {
    token,
    body: fileForm('lighthouse.md', '# Lighthouses\n\nThe keeper lights the lamp at dusk and logs every ship.\n'),
  });
  expect((await waitForDocument(api, token, up.json.document.id)).status).toBe('completed');
  await call('GET', `/api/documents/${up.json.document.id}`, { token });
  await call('GET', `/api/documents/${up.json.document.id}/chunks`, { token });
  const found = await call('POST', '/api/search', {
    token,
    body: { kbId, query: 'when is the lamp lit', hybrid: true },
  });
  expect(found.json.hits.length).toBeGreaterThan(0);

  const session = (await call('POST', '/api/chat/sessions', { token, body: { kbId } })).json.session;
  const asked = await call('POST', `/api/chat/sessions/${session.id}/messages`, {
    token,
    body: { content: 'When is the lamp lit?' },
  });
  expect(asked.status, asked.text).toBe(200);
  await call('POST', `/api/chat/sessions/${session.id}/messages`, {
    token,
    body: { content: 'And who logs the ships?' },
    headers: { accept: 'text/event-stream' },
  });
  const v1 = await call('POST', '/v1/chat/completions', {
    token: secrets.apiKey,
    body: { model: `kb:${kbId}`, messages: [{ role: 'user', content: 'When is the lamp lit?' }] },
  });
  expect(v1.status, v1.text).toBe(200);
  await call('POST', '/v1/chat/completions', {
    token: secrets.apiKey,
    body: { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hello' }] },
  });
  await call('GET', '/v1/models', { token: secrets.apiKey });

  upstreamAuth.push(...mock.state.requests.map((r) => r.authorization));
  // Failures are where secrets tend to slip into logs: an upstream that refuses the key, one that is down.
  await mock.control({ failNext: 2, failStatus: 401 });
  await call('POST', `/api/chat/sessions/${session.id}/messages`, { token, body: { content: 'Again?' } });
  await mock.control({ reset: true, down: true });
  await call('POST', '/v1/chat/completions', {
    token: secrets.apiKey,
    body: { model: `kb:${kbId}`, messages: [{ role: 'user', content: 'Lamp?' }] },
  });
  await mock.control({ reset: true });

  const note = (await call('POST', `/api/kbs/${kbId}/notes`, { token, body: { title: 'Shift log', content: 'x' } }))
    .json.note;
  const share = await call('POST', `/api/notes/${note.id}/share`, { token });
  secrets.shareToken = new URL(share.json.shareUrl).pathname.split('/').pop() ?? '';
  await call('GET', new URL(share.json.shareUrl).pathname);
  await call('DELETE', `/api/api-keys/${key.json.apiKey.id}`, { token });
  await call('GET', '/api/kbs', { token: secrets.apiKey });
  // The console's admin pages (the journey's user is the first, so an admin) show health and events.
  const consoleApp = client(createRootApp(deps));
  for (const path of ['/admin/health', '/admin/events', '/admin/jobs', '/admin/users', '/account/api-keys']) {
    const page = await consoleApp.call('GET', path, { headers: { cookie } });
    expect(page.status, path).toBe(200);
    bodies.push(page.text);
  }
  await call('POST', '/api/auth/logout', { headers: { cookie } });
}

describe('secrets over a whole journey', () => {
  it('sent the ONEAPI key upstream, so the journey did reach the model', () => {
    expect(upstreamAuth.length).toBeGreaterThan(3);
    expect(new Set(upstreamAuth)).toEqual(new Set([`Bearer ${ONEAPI_KEY}`]));
    expect(deps.logLines.length).toBeGreaterThan(20);
    expect(Object.values(secrets).every((s) => typeof s === 'string' && s.length >= 16)).toBe(true);
  });

  it('writes none of them to any log line', () => {
    const log = deps.logLines.join('\n');
    const leaked = Object.entries(secrets).filter(([, value]) => log.includes(value));
    expect(leaked.map(([name]) => name)).toEqual([]);
    // A JWT's signature alone is as good as the token for a forger who has the rest.
    for (const jwt of [secrets.jwt, secrets.registerJwt]) expect(log).not.toContain(jwt?.split('.')[2]);
    expect(log).not.toMatch(/MARKER-/);
  });

  it('returns no password, hash or key hash in any response body', () => {
    expect(bodies.length).toBeGreaterThan(20);
    for (const body of bodies) {
      expect(body).not.toMatch(/passwordHash|password_hash|key_hash|keyHash|\$argon2/);
      expect(body).not.toContain(PASSWORD);
      expect(body).not.toContain(ONEAPI_KEY);
      expect(body).not.toContain(JWT_SECRET);
    }
  });
});
