import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningMock, startMockOneApi } from '../../../tests/helpers/mock-oneapi.ts';
import { startServer } from '../../http/serve.ts';
import { loadConfig } from '../config.ts';
import { createOneApiSdk } from '../llm/connection.ts';
import { createLimiter } from '../llm/limiter.ts';
import { createLogger } from '../logger.ts';
import { createOneApiReranker } from './oneapi.ts';

const KEY = 'sk-rerank-test-key-42';
const DOCS = ['Bees make honey from nectar.', 'Varroa mites weaken bee colonies.', 'Tea is brewed with hot water.'];
let mock: RunningMock;
let clock: number;

beforeAll(async () => {
  mock = await startMockOneApi({ key: KEY });
});
afterAll(() => mock.stop());
beforeEach(async () => {
  await mock.control({ reset: true });
  clock = 1_000_000;
});

function reranker(env: Record<string, string> = {}, model = 'bge-reranker-v2-m3') {
  const config = loadConfig({ ONEAPI_BASE_URL: mock.url, ONEAPI_KEY: KEY, ...env });
  const logged: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logged.push(JSON.parse(line));
      cb();
    },
  });
  const logger = createLogger({ level: 'debug' }, sink);
  const limiter = createLimiter(config.ONEAPI_CONCURRENCY);
  const r = createOneApiReranker({ sdk: createOneApiSdk(config), limiter, logger, model, config, now: () => clock });
  const warnings = () => logged.filter((l) => l.level === 40);
  return { r, logged, warnings };
}

describe('ONEAPI reranker', () => {
  it('asks /v1/rerank in the Jina/Cohere shape with the key and returns the best first', async () => {
    const { r } = reranker();
    const scores = await r.rerank('varroa mites in bee colonies', DOCS, 2);
    expect(scores.map((s) => s.index)).toEqual([1, 0]);
    expect(scores[0]?.score).toBeGreaterThan(scores[1]?.score ?? 1);
    const [call] = mock.requests('/rerank');
    expect(call?.path).toBe('/v1/rerank');
    expect(call?.authorization).toBe(`Bearer ${KEY}`);
    expect(call?.body).toEqual({
      model: 'bge-reranker-v2-m3',
      query: 'varroa mites in bee colonies',
      documents: DOCS,
      top_n: 2,
    });
  });

  it('retries a transient failure once', async () => {
    const { r } = reranker();
    await mock.control({ failNext: 1, failStatus: 503, failPath: '/rerank' });
    expect(await r.rerank('tea water', DOCS, 1)).toEqual([{ index: 2, score: expect.any(Number) }]);
    expect(mock.requests('/rerank')).toHaveLength(2);
  });

  it('logs a gateway without the endpoint once and skips it until the recheck', async () => {
    const { r, logged, warnings } = reranker();
    await mock.control({ rerank: false });
    await expect(r.rerank('bees', DOCS, 3)).rejects.toMatchObject({ code: 'llm_error' });
    expect(r.available).toBe(false);
    expect(mock.requests('/rerank')).toHaveLength(1);
    clock += 9 * 60_000;
    expect(r.available).toBe(false);
    clock += 2 * 60_000;
    expect(r.available).toBe(true);
    await expect(r.rerank('bees', DOCS, 3)).rejects.toMatchObject({ code: 'llm_error' });
    const warned = warnings();
    expect(warned).toHaveLength(1);
    expect(warned[0]?.msg).toMatch(/cannot rerank/);

    await mock.control({ rerank: true });
    clock += 11 * 60_000;
    expect(await r.rerank('bees', DOCS, 1)).toHaveLength(1);
    expect(logged.at(-1)?.msg).toBe('ONEAPI reranks again');
  });

  it('treats a model the gateway does not know like a missing endpoint', async () => {
    const { r, warnings } = reranker({}, 'no-such-reranker');
    await expect(r.rerank('bees', DOCS, 3)).rejects.toThrow(/cannot rerank with no-such-reranker/);
    expect(r.available).toBe(false);
    expect(warnings()).toHaveLength(1);
  });

  it('backs off for a while after a failure, with one log line for it', async () => {
    const { r, warnings } = reranker({ ONEAPI_TIMEOUT_MS: '200' });
    await mock.control({ delayMs: 600 });
    const started = performance.now();
    await expect(r.rerank('bees', DOCS, 3)).rejects.toMatchObject({ code: 'llm_timeout' });
    // Two attempts of 200 ms and the SDK's back-off in between; never the 60 s default.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(mock.requests('/rerank')).toHaveLength(2);
    expect(r.available).toBe(false);
    clock += 31_000;
    expect(r.available).toBe(true);
    expect(warnings()).toHaveLength(1);
  });

  it('refuses an answer that is not the rerank shape, and asks nothing for no documents', async () => {
    const odd = new Hono().post('/v1/rerank', (c) => c.json({ results: [{ index: 7, relevance_score: 0.9 }] }));
    const server = await startServer(odd, { port: 0, host: '127.0.0.1' });
    try {
      const { r } = reranker({ ONEAPI_BASE_URL: `http://127.0.0.1:${server.port}` });
      await expect(r.rerank('bees', DOCS, 3)).rejects.toThrow(/not \{results/);
      expect(await r.rerank('bees', [], 3)).toEqual([]);
    } finally {
      await server.stop(100);
    }
  });
});
