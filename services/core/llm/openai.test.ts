import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningMock, startMockOneApi } from '../../../tests/helpers/mock-oneapi.ts';
import { loadConfig } from '../config.ts';
import { createOneApiEmbedder } from '../embedder/oneapi.ts';
import { createLogger } from '../logger.ts';
import { createOneApiSdk, normaliseBaseUrl } from './connection.ts';
import { createLimiter } from './limiter.ts';
import { createOpenAiChatClient } from './openai.ts';

const KEY = 'sk-test-secret-key-1234';
const logger = createLogger({ level: 'silent' });
let mock: RunningMock;

function parts(env: Record<string, string> = {}) {
  const config = loadConfig({ ONEAPI_BASE_URL: mock.url, ONEAPI_KEY: KEY, ...env });
  const sdk = createOneApiSdk(config);
  const limiter = createLimiter(config.ONEAPI_CONCURRENCY);
  const chat = createOpenAiChatClient({ sdk, limiter, logger });
  const embedder = createOneApiEmbedder({ sdk, limiter, logger, model: 'text-embedding-3-small', batchSize: 64 });
  return { chat, embedder, limiter };
}

beforeAll(async () => {
  mock = await startMockOneApi({ key: KEY, dimension: 32 });
});
afterAll(() => mock.stop());
beforeEach(() => mock.control({ reset: true }));

describe('ONEAPI client', () => {
  it('normalises the base URL with or without /v1', () => {
    expect(normaliseBaseUrl('http://h:3000')).toBe('http://h:3000/v1');
    expect(normaliseBaseUrl('http://h:3000/v1/')).toBe('http://h:3000/v1');
    expect(normaliseBaseUrl('http://h/api/v1')).toBe('http://h/api/v1');
  });

  it('embeds in batches of 64 with the key and learns the dimension', async () => {
    const { embedder } = parts();
    expect(embedder.dimension).toBe(0);
    const texts = Array.from({ length: 150 }, (_, i) => `passage number ${i} about cats`);
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(150);
    expect(embedder.dimension).toBe(32);
    const calls = mock.requests('/embeddings');
    expect(calls.map((r) => (r.body as { input: string[] }).input.length).sort()).toEqual([22, 64, 64]);
    expect(calls.every((r) => r.authorization === `Bearer ${KEY}`)).toBe(true);
    const norm = Math.hypot(...(vectors[0] ?? []));
    expect(norm).toBeCloseTo(1, 5);
  });

  it('keeps the input order across batches', async () => {
    const { embedder } = parts();
    const texts = Array.from({ length: 70 }, (_, i) => `text ${i}`);
    const all = await embedder.embed(texts);
    const [last] = await embedder.embed(['text 69']);
    expect(Array.from(all[69] ?? [])).toEqual(Array.from(last ?? []));
  });

  it('retries transient 429 and 500 answers', async () => {
    const { chat, embedder } = parts();
    await mock.control({ failNext: 2, failStatus: 429 });
    expect(await embedder.embed(['hello'])).toHaveLength(1);
    await mock.control({ failNext: 2, failStatus: 500 });
    expect(await chat.complete([{ role: 'user', content: 'hi there' }], { model: 'gpt-4o-mini' })).toContain(
      'hi there',
    );
    expect(mock.requests('/chat/completions')).toHaveLength(3);
  });

  it('maps a gateway that stays overloaded to 503 llm_unavailable', async () => {
    const { chat } = parts({ ONEAPI_MAX_RETRIES: '1' });
    await mock.control({ failNext: 5, failStatus: 503 });
    await expect(chat.complete([{ role: 'user', content: 'x' }], { model: 'gpt-4o-mini' })).rejects.toMatchObject({
      code: 'llm_unavailable',
    });
  });

  it('maps a refused request to 502 llm_error without leaking the key', async () => {
    const { chat } = parts({ ONEAPI_KEY: 'sk-wrong-key-999' });
    const err = await chat.complete([{ role: 'user', content: 'x' }], { model: 'gpt-4o-mini' }).catch((e) => e);
    expect(err).toMatchObject({ code: 'llm_error' });
    expect(String(err.message)).not.toContain('sk-wrong-key-999');
  });

  it('times out a slow gateway with 504 llm_timeout', async () => {
    const { chat } = parts({ ONEAPI_TIMEOUT_MS: '200', ONEAPI_MAX_RETRIES: '0' });
    await mock.control({ delayMs: 1000 });
    await expect(chat.complete([{ role: 'user', content: 'x' }], { model: 'gpt-4o-mini' })).rejects.toMatchObject({
      code: 'llm_timeout',
    });
  });

  it('streams deltas that add up to the answer', async () => {
    const { chat, limiter } = parts();
    const pieces: string[] = [];
    for await (const d of chat.stream([{ role: 'user', content: 'stream me please' }], { model: 'qwen-plus' })) {
      pieces.push(d);
    }
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join('')).toBe('Mock answer from qwen-plus: stream me please');
    expect(limiter.active).toBe(0);
  });

  it('lists models once and serves them from the cache', async () => {
    const { chat } = parts();
    expect(await chat.listModels()).toContain('qwen-plus');
    await chat.listModels();
    expect(mock.requests('/models')).toHaveLength(1);
  });

  it('reports health and caps concurrency', async () => {
    const { chat, limiter } = parts({ ONEAPI_CONCURRENCY: '2' });
    expect(await chat.health()).toMatchObject({ ok: true });
    await mock.control({ delayMs: 100 });
    const calls = Array.from({ length: 5 }, () =>
      chat.complete([{ role: 'user', content: 'x' }], { model: 'gpt-4o-mini' }),
    );
    await new Promise((r) => setTimeout(r, 30));
    expect(limiter.active).toBe(2);
    expect(limiter.waiting).toBe(3);
    await Promise.all(calls);
    await mock.control({ down: true });
    expect(await chat.health()).toMatchObject({ ok: false });
  });
});
