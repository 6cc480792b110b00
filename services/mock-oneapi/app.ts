import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { applyControl, type ControlInput, createMockState, type MockOptions, type MockState } from './state.ts';
import { v1Routes } from './v1.ts';

export type { MockOptions, MockState } from './state.ts';

export interface MockAppOptions extends MockOptions {
  /** Shared with the caller so in-process tests can read and steer it directly. */
  state?: MockState;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const openAiError = (message: string, type: string, code: string) => ({ error: { message, type, code } });

/**
 * A small OpenAI-compatible service standing in for ONEAPI in tests and development:
 * deterministic embeddings and chat answers, request recording, injectable failures.
 */
export function createApp(opts: MockAppOptions = {}) {
  const state = opts.state ?? createMockState(opts);
  const app = new Hono();

  app.get('/healthz', (c) => c.json({ status: 'ok', service: 'mock-oneapi' }));
  app.post('/__control', async (c) => {
    applyControl(state, (await c.req.json().catch(() => ({}))) as ControlInput);
    const { requests, key: _key, ...rest } = state;
    return c.json({ ...rest, requestCount: requests.length });
  });
  app.get('/__requests', (c) => c.json({ items: state.requests }));

  app.use('/v1/*', async (c, next) => {
    const body =
      c.req.method === 'POST'
        ? await c.req.raw
            .clone()
            .json()
            .catch(() => null)
        : null;
    state.requests.push({
      method: c.req.method,
      path: c.req.path,
      authorization: c.req.header('authorization'),
      body,
      at: Date.now(),
    });
    if (state.delayMs > 0) await sleep(state.delayMs);
    if (state.down) return c.json(openAiError('Service unavailable', 'server_error', 'unavailable'), 503);
    if (state.failNext > 0 && (!state.failPath || c.req.path.endsWith(state.failPath))) {
      state.failNext -= 1;
      c.header('retry-after-ms', '20');
      const status = state.failStatus as ContentfulStatusCode;
      return c.json(openAiError(`Injected failure ${status}`, 'server_error', 'injected'), status);
    }
    if (state.key && c.req.header('authorization') !== `Bearer ${state.key}`) {
      return c.json(openAiError('Invalid API key', 'invalid_request_error', 'invalid_api_key'), 401);
    }
    await next();
  });
  app.route('/v1', v1Routes(state));
  app.notFound((c) => c.json(openAiError(`No route ${c.req.path}`, 'invalid_request_error', 'not_found'), 404));
  return app;
}
