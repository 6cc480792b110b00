import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { createMockState } from './state.ts';

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

describe('mock ONEAPI', () => {
  it('gives similar texts similar vectors, deterministically', async () => {
    const app = createApp({ dimension: 64 });
    const res = await app.request('/v1/embeddings', {
      method: 'POST',
      body: JSON.stringify({
        model: 'm',
        input: ['the cat sat on the mat', 'a cat sat on a mat', 'quarterly revenue grew'],
      }),
    });
    const { data } = (await res.json()) as { data: Array<{ embedding: number[] }> };
    const [a, b, c] = data.map((d) => d.embedding) as [number[], number[], number[]];
    expect(a).toHaveLength(64);
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c) + 0.3);
  });

  it('requires the key when configured and records the header', async () => {
    const state = createMockState({ key: 'sk-k' });
    const app = createApp({ state });
    expect((await app.request('/v1/models')).status).toBe(401);
    const ok = await app.request('/v1/models', { headers: { authorization: 'Bearer sk-k' } });
    expect(ok.status).toBe(200);
    expect(state.requests.map((r) => r.authorization)).toEqual([undefined, 'Bearer sk-k']);
  });

  it('quotes the first numbered passage of the prompt', async () => {
    const app = createApp();
    const res = await app.request('/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'user', content: 'Context:\n[1] Cats purr when content.\n[2] Dogs bark.\n\nQuestion: why?' },
        ],
      }),
    });
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]?.message.content).toContain('"Cats purr when content."');
  });

  it('injects failures, delays and downtime through /__control', async () => {
    const app = createApp();
    await app.request('/__control', { method: 'POST', body: JSON.stringify({ failNext: 1, failStatus: 429 }) });
    expect((await app.request('/v1/models')).status).toBe(429);
    expect((await app.request('/v1/models')).status).toBe(200);
    await app.request('/__control', { method: 'POST', body: JSON.stringify({ down: true }) });
    expect((await app.request('/v1/models')).status).toBe(503);
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('forgets injected failures and recorded requests on reset, keeping the key and models', async () => {
    const state = createMockState({ key: 'sk-k', models: ['m1'] });
    const app = createApp({ state });
    const auth = { authorization: 'Bearer sk-k' };
    await app.request('/v1/models', { headers: auth });
    await app.request('/__control', { method: 'POST', body: JSON.stringify({ down: true, failNext: 3 }) });
    await app.request('/__control', { method: 'POST', body: JSON.stringify({ reset: true }) });
    expect(state).toMatchObject({ down: false, failNext: 0, requests: [], key: 'sk-k', models: ['m1'] });
    const models = await app.request('/v1/models', { headers: auth });
    expect(models.status).toBe(200);
  });

  it('answers scripted replies first, then as usual', async () => {
    const app = createApp();
    await app.request('/__control', { method: 'POST', body: JSON.stringify({ replies: ['scripted'] }) });
    const ask = async () => {
      const res = await app.request('/v1/chat/completions', {
        method: 'POST',
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] }),
      });
      return ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content;
    };
    expect(await ask()).toBe('scripted');
    expect(await ask()).toBe('Mock answer from gpt-4o-mini: hello');
  });

  it('reranks by word overlap, refuses an unknown model, and can lack the endpoint', async () => {
    const app = createApp();
    const rerank = (model: string) =>
      app.request('/v1/rerank', {
        method: 'POST',
        body: JSON.stringify({
          model,
          query: 'green tea',
          documents: ['black coffee', 'green tea leaves', 'tea'],
          top_n: 2,
        }),
      });
    const ok = (await (await rerank('bge-reranker-v2-m3')).json()) as { results: Array<{ index: number }> };
    expect(ok.results.map((r) => r.index)).toEqual([1, 2]);
    const unknown = await rerank('other');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { code: 'model_not_found' } });
    await app.request('/__control', { method: 'POST', body: JSON.stringify({ rerank: false }) });
    expect((await rerank('bge-reranker-v2-m3')).status).toBe(404);
  });
});
