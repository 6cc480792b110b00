import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { type RunningMock, startMockOneApi } from '../helpers/mock-oneapi.ts';
import { startGateway } from './live.ts';
import { CATS, seedDocument } from './seed.ts';

let mock: RunningMock;
let deps: TestDeps;
let gw: Awaited<ReturnType<typeof startGateway>>;
let sdk: OpenAI;
let kbModel: string;

beforeAll(async () => {
  mock = await startMockOneApi({ key: 'sk-upstream-key-0003' });
  deps = await createTestDeps({ ONEAPI_BASE_URL: mock.url, ONEAPI_KEY: 'sk-upstream-key-0003' });
  gw = await startGateway(deps);
  const user = await gw.register('sdk-user@example.com');
  const kbId = (await gw.call('POST', '/api/kbs', { token: user.token, body: { title: 'Cats' } })).json.kb.id;
  await seedDocument(deps, user.userId, kbId, CATS);
  const apiKey = (await gw.call('POST', '/api/api-keys', { token: user.token, body: { name: 'sdk' } })).json.key;
  sdk = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey, maxRetries: 0 });
  kbModel = `kb:${kbId}`;
});
afterAll(async () => {
  await gw.stop();
  await deps.cleanup();
  await mock.stop();
});

describe('OpenAI-compatible /v1 with the openai SDK', () => {
  it('lists the KBs as kb:<id> models plus the ONEAPI models', async () => {
    const ids: string[] = [];
    for await (const m of sdk.models.list()) ids.push(m.id);
    expect(ids).toContain(kbModel);
    expect(ids).toContain('qwen-plus');
  });

  it('answers from a KB with citations', async () => {
    const res = await sdk.chat.completions.create({
      model: kbModel,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Why do cats purr?' },
      ],
    });
    expect(res.object).toBe('chat.completion');
    expect(res.model).toBe(kbModel);
    const content = res.choices[0]?.message.content ?? '';
    const prompt = JSON.stringify(mock.requests('/chat/completions').at(-1)?.body);
    expect(prompt).toContain('Be brief.');
    expect(prompt).toContain('Cats purr when they are content');
    const citations = (res as unknown as { citations: Array<{ quote: string; fileName: string }> }).citations;
    expect(citations[0]?.fileName).toBe('cats.md');
    expect(content).toContain(citations[0]?.quote);
    expect(res.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('streams a KB answer chunk by chunk', async () => {
    const stream = await sdk.chat.completions.create({
      model: kbModel,
      messages: [{ role: 'user', content: 'How long do cats sleep?' }],
      stream: true,
    });
    const deltas: string[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
    }
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toContain('Mock answer');
    expect(finish).toBe('stop');
  });

  it('passes other models through to ONEAPI', async () => {
    const res = await sdk.chat.completions.create({
      model: 'qwen-plus',
      messages: [{ role: 'user', content: 'plain question' }],
    });
    expect(res.choices[0]?.message.content).toBe('Mock answer from qwen-plus: plain question');
  });

  it('answers errors in the OpenAI format', async () => {
    const missing = await sdk.chat.completions
      .create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    const otherKb = await sdk.chat.completions
      .create({ model: 'kb:not-mine', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(otherKb).toBeInstanceOf(OpenAI.NotFoundError);

    const invalid = await sdk.chat.completions.create({ model: kbModel, messages: [] }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(OpenAI.BadRequestError);
    expect((invalid as InstanceType<typeof OpenAI.BadRequestError>).type).toBe('invalid_request_error');

    const bad = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'cos_wrong', maxRetries: 0 });
    const denied = await bad.models.list().catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(OpenAI.AuthenticationError);

    const raw = await gw.call('POST', '/v1/chat/completions', { body: { model: kbModel, messages: [] } });
    expect(raw.status).toBe(401);
    expect(raw.json.error).toMatchObject({ type: 'authentication_error', code: 'unauthenticated' });
    expect(typeof raw.json.error.message).toBe('string');
  });
});
