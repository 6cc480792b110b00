import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { type RunningMock, startMockOneApi } from '../helpers/mock-oneapi.ts';
import { startGateway } from './live.ts';
import { CATS, seedDocument } from './seed.ts';

const KEY = 'sk-down-test-key-0002';
let mock: RunningMock;
let deps: TestDeps;
let gw: Awaited<ReturnType<typeof startGateway>>;
let user: { token: string; userId: string };
let sessionId: string;

beforeAll(async () => {
  mock = await startMockOneApi({ key: KEY });
  deps = await createTestDeps({
    ONEAPI_BASE_URL: `${mock.url}/v1/`,
    ONEAPI_KEY: KEY,
    ONEAPI_TIMEOUT_MS: '800',
    ONEAPI_MAX_RETRIES: '1',
  });
  gw = await startGateway(deps);
  user = await gw.register('down-chat@example.com');
  const kbId = (await gw.call('POST', '/api/kbs', { token: user.token, body: { title: 'K' } })).json.kb.id;
  await seedDocument(deps, user.userId, kbId, CATS);
  sessionId = (await gw.call('POST', '/api/chat/sessions', { token: user.token, body: { kbId } })).json.session.id;
});
afterAll(async () => {
  await gw.stop();
  await deps.cleanup();
  await mock.stop();
});

const ask = (headers: Record<string, string> = {}) =>
  gw.call('POST', `/api/chat/sessions/${sessionId}/messages`, {
    token: user.token,
    body: { content: 'Why do cats purr?' },
    headers,
  });

describe('a slow or stopped ONEAPI', () => {
  it('answers 504 llm_timeout when the gateway is too slow', async () => {
    await mock.control({ delayMs: 2000 });
    const r = await ask();
    await mock.control({ delayMs: 0 });
    expect(r.status).toBe(504);
    expect(r.json.error.code).toBe('llm_timeout');
  });

  it('answers a 502/503 JSON error within seconds while the server stays healthy', async () => {
    await mock.stop();
    const r = await ask();
    expect([502, 503]).toContain(r.status);
    expect(r.json.error).toMatchObject({ code: 'llm_unavailable' });
    expect(r.ms).toBeLessThan(5000);
    expect(r.text).not.toContain(KEY);

    const streamed = await ask({ accept: 'text/event-stream' });
    expect(streamed.status).toBe(503);
    expect(streamed.headers.get('content-type')).toContain('application/json');

    expect((await gw.call('GET', '/healthz')).status).toBe(200);
    const ready = await gw.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json.checks.find((c: { name: string }) => c.name === 'oneapi')).toMatchObject({ ok: false });

    const history = await gw.call('GET', `/api/chat/sessions/${sessionId}/messages`, { token: user.token });
    expect(history.json.items).toEqual([]);
    expect(deps.logLines.join('\n')).not.toContain(KEY);
  });
});
