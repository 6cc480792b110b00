import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Citation } from '../../services/core/chat/types.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { type RunningMock, startMockOneApi } from '../helpers/mock-oneapi.ts';
import { parseSse, startGateway } from './live.ts';
import { CATS, seedDocument, VOLCANOES } from './seed.ts';

const KEY = 'sk-chat-test-key-0001';
let mock: RunningMock;
let deps: TestDeps;
let gw: Awaited<ReturnType<typeof startGateway>>;
let alice: { token: string; userId: string };
let kbId: string;

type ChatBody = { model: string; messages: Array<{ role: string; content: string }> };
const lastChatRequest = () => mock.requests('/chat/completions').at(-1)?.body as ChatBody;

beforeAll(async () => {
  mock = await startMockOneApi({ key: KEY, dimension: 48 });
  deps = await createTestDeps({ ONEAPI_BASE_URL: mock.url, ONEAPI_KEY: KEY, CHAT_MODEL: 'gpt-4o-mini' });
  gw = await startGateway(deps);
  alice = await gw.register('alice-chat@example.com');
  kbId = (await gw.call('POST', '/api/kbs', { token: alice.token, body: { title: 'Pets' } })).json.kb.id;
  await seedDocument(deps, alice.userId, kbId, CATS);
  await seedDocument(deps, alice.userId, kbId, VOLCANOES);
});
afterAll(async () => {
  await gw.stop();
  await deps.cleanup();
  await mock.stop();
});
beforeEach(() => mock.control({ reset: true }));

const newSession = async (body: Record<string, unknown> = {}) =>
  (await gw.call('POST', '/api/chat/sessions', { token: alice.token, body: { kbId, ...body } })).json.session;

describe('RAG chat over ONEAPI', () => {
  it('answers with the retrieved passages in the prompt and citations in the answer', async () => {
    const session = await newSession();
    const r = await gw.call('POST', `/api/chat/sessions/${session.id}/messages`, {
      token: alice.token,
      body: { content: 'Why do cats purr?' },
    });
    expect(r.status).toBe(200);
    const prompt = lastChatRequest()
      .messages.map((m) => m.content)
      .join('\n');
    expect(prompt).toContain('Summary: A guide to domestic cats');
    expect(prompt).toContain('Section: Purring');
    expect(prompt).toMatch(/\[\d\] Cats purr when they are content/);
    expect(prompt).toMatch(/\[\d\] The purr comes from rapid twitching/);
    expect(lastChatRequest().model).toBe('gpt-4o-mini');
    expect(mock.requests('/chat/completions')[0]?.authorization).toBe(`Bearer ${KEY}`);

    expect(r.json.message).toMatchObject({ role: 'assistant', model: 'gpt-4o-mini' });
    const citations: Citation[] = r.json.citations;
    expect(citations.length).toBeGreaterThan(1);
    expect(citations[0]).toMatchObject({ index: 1, fileName: 'cats.md' });
    // The mock model quotes passage [1]: the answer is built from what retrieval returned.
    expect(r.json.message.content).toContain(citations[0]?.quote);
    expect(citations.map((c) => c.quote)).toContain(CATS.sections[0]?.passages[0]);
    for (const c of citations) expect(c.documentId && c.parentId && c.childId).toBeTruthy();

    const history = await gw.call('GET', `/api/chat/sessions/${session.id}/messages`, { token: alice.token });
    expect(history.json.items.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
    expect(history.json.items[1].citations).toEqual(citations);
    const listed = await gw.call('GET', `/api/chat/sessions?kbId=${kbId}`, { token: alice.token });
    expect(listed.json.items.find((s: { id: string }) => s.id === session.id)?.title).toBe('Why do cats purr?');
  });

  it('asks for a Chinese answer to a Chinese question', async () => {
    const session = await newSession();
    const r = await gw.call('POST', `/api/chat/sessions/${session.id}/messages`, {
      token: alice.token,
      body: { content: '火山为什么会喷发？' },
    });
    expect(r.status).toBe(200);
    expect(lastChatRequest().messages[0]?.content).toContain('简体中文');
    expect(r.json.citations[0]?.fileName).toBe('火山.md');
  });

  it('streams tokens, then citations, then done, and stores the answer', async () => {
    const session = await newSession();
    const res = await gw.stream(`/api/chat/sessions/${session.id}/messages`, alice.token, {
      content: 'How long do cats sleep?',
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const { events } = parseSse(await res.text());
    const names = events.map((e) => e.event);
    expect(names.filter((n) => n === 'token').length).toBeGreaterThan(3);
    expect(names.slice(-2)).toEqual(['citations', 'done']);
    const text = events
      .filter((e) => e.event === 'token')
      .map((e) => JSON.parse(e.data).text)
      .join('');
    const done = JSON.parse(events.at(-1)?.data ?? '{}');
    expect(done.message.content).toBe(text);
    expect(JSON.parse(events.at(-2)?.data ?? '[]')[0].fileName).toBe('cats.md');
    const stored = await gw.call('GET', `/api/chat/sessions/${session.id}/messages`, { token: alice.token });
    expect(stored.json.items.at(-1).content).toBe(text);
  });

  it('sends an error event and stores nothing when the model stream is cut off', async () => {
    const session = await newSession();
    await mock.control({ breakStreamAfter: 3 });
    const res = await gw.stream(`/api/chat/sessions/${session.id}/messages`, alice.token, {
      content: 'Why do cats purr?',
    });
    const { events } = parseSse(await res.text());
    expect(events.filter((e) => e.event === 'token')).toHaveLength(3);
    expect(events.at(-1)?.event).toBe('error');
    expect(JSON.parse(events.at(-1)?.data ?? '{}').code).toBe('llm_error');
    const stored = await gw.call('GET', `/api/chat/sessions/${session.id}/messages`, { token: alice.token });
    expect(stored.json.items).toEqual([]);
  });

  it('uses the session model, else the KB model, and refuses unknown models', async () => {
    const models = await gw.call('GET', '/api/chat/models', { token: alice.token });
    expect(models.json).toMatchObject({ default: 'gpt-4o-mini' });
    expect(models.json.items).toContain('deepseek-chat');
    await gw.call('PATCH', `/api/kbs/${kbId}`, { token: alice.token, body: { chatModel: 'deepseek-chat' } });
    const plain = await newSession();
    await gw.call('POST', `/api/chat/sessions/${plain.id}/messages`, {
      token: alice.token,
      body: { content: 'purr?' },
    });
    expect(lastChatRequest().model).toBe('deepseek-chat');

    const chosen = await newSession({ model: 'qwen-plus' });
    await gw.call('POST', `/api/chat/sessions/${chosen.id}/messages`, {
      token: alice.token,
      body: { content: 'purr?' },
    });
    expect(lastChatRequest().model).toBe('qwen-plus');

    const bad = await gw.call('POST', '/api/chat/sessions', { token: alice.token, body: { kbId, model: 'gpt-9' } });
    expect(bad.status).toBe(400);
    const badKb = await gw.call('PATCH', `/api/kbs/${kbId}`, { token: alice.token, body: { chatModel: 'gpt-9' } });
    expect(badKb.status).toBe(400);
    await gw.call('PATCH', `/api/kbs/${kbId}`, { token: alice.token, body: { chatModel: null } });
  });

  it("answers 404 for another user's session and KB", async () => {
    const session = await newSession();
    const bob = await gw.register('bob-chat@example.com');
    for (const [method, path, body] of [
      ['GET', `/api/chat/sessions/${session.id}`, undefined],
      ['GET', `/api/chat/sessions/${session.id}/messages`, undefined],
      ['POST', `/api/chat/sessions/${session.id}/messages`, { content: 'steal' }],
      ['DELETE', `/api/chat/sessions/${session.id}`, undefined],
      ['GET', `/api/chat/sessions?kbId=${kbId}`, undefined],
      ['POST', '/api/chat/sessions', { kbId }],
    ] as const) {
      expect((await gw.call(method, path, { token: bob.token, body })).status, `${method} ${path}`).toBe(404);
    }
    expect(mock.requests('/chat/completions')).toHaveLength(0);
  });

  it('reports the gateway on /readyz without making it required', async () => {
    const r = await gw.call('GET', '/readyz');
    const check = r.json.checks.find((c: { name: string }) => c.name === 'oneapi');
    expect(check).toMatchObject({ ok: true, required: false });
    expect(r.text).not.toContain(KEY);
  });
});
