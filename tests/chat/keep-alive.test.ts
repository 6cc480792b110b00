import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatRoutes } from '../../services/gateway/routes/chat.ts';
import { identify, requireUser } from '../../services/http/auth.ts';
import type { AppEnv } from '../../services/http/env.ts';
import { jsonErrorHandler } from '../../services/http/errors.ts';
import { requestContext } from '../../services/http/request-context.ts';
import { type RunningServer, startServer } from '../../services/http/serve.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { type RunningMock, startMockOneApi } from '../helpers/mock-oneapi.ts';
import { parseSse, startGateway } from './live.ts';
import { CATS, seedDocument } from './seed.ts';

let mock: RunningMock;
let deps: TestDeps;
let server: RunningServer;
let gw: Awaited<ReturnType<typeof startGateway>>;
let token: string;
let sessionId: string;

beforeAll(async () => {
  mock = await startMockOneApi();
  deps = await createTestDeps({ ONEAPI_BASE_URL: mock.url });
  gw = await startGateway(deps);
  const user = await gw.register('slow-stream@example.com');
  token = user.token;
  const kbId = (await gw.call('POST', '/api/kbs', { token, body: { title: 'K' } })).json.kb.id;
  await seedDocument(deps, user.userId, kbId, CATS);
  sessionId = (await gw.call('POST', '/api/chat/sessions', { token, body: { kbId } })).json.session.id;
  // The chat routes alone, with keep-alives every 25 ms instead of 15 s.
  const app = new Hono<AppEnv>();
  app.use(requestContext(deps.logger), identify(deps), requireUser);
  app.onError(jsonErrorHandler);
  app.route('/chat', chatRoutes(deps, { keepAliveMs: 25 }));
  server = await startServer(app, { port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server.stop(200);
  await gw.stop();
  await deps.cleanup();
  await mock.stop();
});

describe('SSE keep-alive', () => {
  it('sends comment lines while a slow model is still answering, then ends cleanly', async () => {
    await mock.control({ chunkDelayMs: 30 });
    const res = await fetch(`http://127.0.0.1:${server.port}/chat/sessions/${sessionId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ content: 'Why do cats purr?' }),
    });
    const { events, comments } = parseSse(await res.text());
    expect(comments).toBeGreaterThan(2);
    expect(events.at(-1)?.event).toBe('done');
  });
});
